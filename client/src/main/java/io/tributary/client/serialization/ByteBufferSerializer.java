package io.tributary.client.serialization;

import java.nio.ByteBuffer;

/**
 * The bytes from index 0 to the limit, whatever the position, as Apache's 4.x serializer writes
 * them (it rewinds first); unlike Apache's, the caller's buffer position is left untouched.
 */
public class ByteBufferSerializer implements Serializer<ByteBuffer> {
    @Override
    public byte[] serialize(String topic, ByteBuffer data) {
        if (data == null) {
            return null;
        }
        ByteBuffer b = data.duplicate();
        b.rewind();
        if (b.hasArray() && b.arrayOffset() == 0 && b.remaining() == b.array().length) {
            return b.array();
        }
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
