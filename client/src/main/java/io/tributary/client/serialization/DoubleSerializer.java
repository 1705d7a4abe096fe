package io.tributary.client.serialization;

import java.nio.ByteBuffer;

public class DoubleSerializer implements Serializer<Double> {
    @Override
    public byte[] serialize(String topic, Double data) {
        return data == null ? null : ByteBuffer.allocate(8).putDouble(data).array();
    }
}
