package io.tributary.client.serialization;

import java.nio.ByteBuffer;

public class IntegerSerializer implements Serializer<Integer> {
    @Override
    public byte[] serialize(String topic, Integer data) {
        return data == null ? null : ByteBuffer.allocate(4).putInt(data).array();
    }
}
