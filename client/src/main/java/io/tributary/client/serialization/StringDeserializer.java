package io.tributary.client.serialization;

import io.tributary.client.common.Headers;
import io.tributary.client.common.errors.SerializationException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * UTF-8 by default; Kafka's keys {@code key.deserializer.encoding} / {@code
 * value.deserializer.encoding} / {@code deserializer.encoding} choose another charset.
 */
public class StringDeserializer implements Deserializer<String> {
    private Charset charset = StandardCharsets.UTF_8;

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Object name = configs.get(isKey ? "key.deserializer.encoding" : "value.deserializer.encoding");
        if (name == null) {
            name = configs.get("deserializer.encoding");
        }
        if (name != null) {
            try {
                charset = Charset.forName(name.toString());
            } catch (IllegalArgumentException e) {
                throw new SerializationException("Unsupported encoding " + name, e);
            }
        }
    }

    @Override
    public String deserialize(String topic, byte[] data) {
        return data == null ? null : new String(data, charset);
    }

    /** Decodes straight from the fetched bytes, without the intermediate array copy. */
    @Override
    public String deserialize(String topic, Headers headers, ByteBuffer data) {
        if (data == null) {
            return null;
        }
        if (data.hasArray()) {
            return new String(data.array(), data.arrayOffset() + data.position(), data.remaining(), charset);
        }
        byte[] bytes = new byte[data.remaining()];
        data.get(data.position(), bytes);
        return new String(bytes, charset);
    }
}
