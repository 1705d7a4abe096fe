package io.tributary.client.serialization;

/** Returns the bytes as they are. */
public class ByteArrayDeserializer implements Deserializer<byte[]> {
    @Override
    public byte[] deserialize(String topic, byte[] data) {
        return data;
    }
}
