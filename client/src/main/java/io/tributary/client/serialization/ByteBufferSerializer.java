package io.tributary.client.serialization;

import java.nio.ByteBuffer;

/** The bytes between position and limit, as Kafka 4 (the buffer itself is left untouched). */
public class ByteBufferSerializer implements Serializer<ByteBuffer> {
    @Override
    public byte[] serialize(String topic, ByteBuffer data) {
        if (data == null) {
            return null;
        }
        if (data.hasArray()
                && data.arrayOffset() == 0
                && data.position() == 0
                && data.remaining() == data.array().length) {
            return data.array();
        }
        byte[] out = new byte[data.remaining()];
        data.duplicate().get(out);
        return out;
    }
}
