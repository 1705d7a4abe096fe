package io.tributary.client.serialization;

import io.tributary.client.common.errors.SerializationException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** UTF-8 by default; {@code key.serializer.encoding}/{@code value.serializer.encoding}/{@code serializer.encoding} as Kafka. */
public class StringSerializer implements Serializer<String> {
    private Charset charset = StandardCharsets.UTF_8;

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Object enc = configs.get(isKey ? "key.serializer.encoding" : "value.serializer.encoding");
        if (enc == null) {
            enc = configs.get("serializer.encoding");
        }
        if (enc instanceof String s) {
            try {
                charset = Charset.forName(s);
            } catch (IllegalArgumentException e) {
                throw new SerializationException("Unsupported encoding " + s, e);
            }
        }
    }

    @Override
    public byte[] serialize(String topic, String data) {
        return data == null ? null : data.getBytes(charset);
    }
}
