package io.tributary.client.serialization;

import io.tributary.client.common.errors.SerializationException;
import java.util.UUID;

/** The UUID's canonical string form in UTF-8 (or the configured encoding), as Kafka writes it. */
public class UUIDDeserializer implements Deserializer<UUID> {
    private final StringDeserializer strings = new StringDeserializer();

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
        strings.configure(configs, isKey);
    }

    @Override
    public UUID deserialize(String topic, byte[] data) {
        String s = strings.deserialize(topic, data);
        if (s == null) {
            return null;
        }
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            throw new SerializationException("Error parsing data into UUID", e);
        }
    }
}
