package io.tributary.client.serialization;

import io.tributary.client.common.errors.SerializationException;

/** Eight big-endian bytes, as Kafka's LongSerializer writes them. */
public class LongDeserializer implements Deserializer<Long> {
    @Override
    public Long deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length != 8) {
            throw new SerializationException("Size of data received by LongDeserializer is not 8");
        }
        long v = 0;
        for (byte b : data) {
            v = (v << 8) | (b & 0xff);
        }
        return v;
    }
}
