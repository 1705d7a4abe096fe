package io.tributary.client.serialization;

import io.tributary.client.common.errors.SerializationException;

/** Four big-endian bytes, as Kafka's IntegerSerializer writes them. */
public class IntegerDeserializer implements Deserializer<Integer> {
    @Override
    public Integer deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length != 4) {
            throw new SerializationException("Size of data received by IntegerDeserializer is not 4");
        }
        int v = 0;
        for (byte b : data) {
            v = (v << 8) | (b & 0xff);
        }
        return v;
    }
}
