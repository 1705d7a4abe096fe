package io.tributary.client.serialization;

import java.nio.ByteBuffer;

public class LongSerializer implements Serializer<Long> {
    @Override
    public byte[] serialize(String topic, Long data) {
        return data == null ? null : ByteBuffer.allocate(8).putLong(data).array();
    }
}
