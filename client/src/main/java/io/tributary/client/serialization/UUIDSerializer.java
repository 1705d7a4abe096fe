package io.tributary.client.serialization;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** The UUID's string form in UTF-8, as Kafka's UUIDSerializer (and our UUIDDeserializer). */
public class UUIDSerializer implements Serializer<UUID> {
    @Override
    public byte[] serialize(String topic, UUID data) {
        return data == null ? null : data.toString().getBytes(StandardCharsets.UTF_8);
    }
}
