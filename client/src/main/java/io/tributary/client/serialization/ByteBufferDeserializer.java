package io.tributary.client.serialization;

import io.tributary.client.common.Headers;
import java.nio.ByteBuffer;

/** Wraps the bytes in a read-only buffer; never aliases the fetch buffer after the call. */
public class ByteBufferDeserializer implements Deserializer<ByteBuffer> {
    @Override
    public ByteBuffer deserialize(String topic, byte[] data) {
        return data == null ? null : ByteBuffer.wrap(data);
    }

    @Override
    public ByteBuffer deserialize(String topic, Headers headers, ByteBuffer data) {
        if (data == null) {
            return null;
        }
        // The fetch buffer is reused once poll returns, so hand out our own copy.
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data.duplicate()).flip();
        return copy;
    }
}
