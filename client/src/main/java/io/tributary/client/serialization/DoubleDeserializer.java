package io.tributary.client.serialization;

import io.tributary.client.common.errors.SerializationException;

/** IEEE-754 bits in eight big-endian bytes, as Kafka's DoubleSerializer writes them. */
public class DoubleDeserializer implements Deserializer<Double> {
    private final LongDeserializer bits = new LongDeserializer();

    @Override
    public Double deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length != 8) {
            throw new SerializationException("Size of data received by DoubleDeserializer is not 8");
        }
        return Double.longBitsToDouble(bits.deserialize(topic, data));
    }
}
