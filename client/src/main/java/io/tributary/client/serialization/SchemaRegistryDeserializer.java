package io.tributary.client.serialization;

import io.tributary.client.common.Headers;
import io.tributary.client.common.errors.SerializationException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;

/**
 * Confluent's schema-registry wire format (C11): magic byte 0, a big-endian int32 schema id,
 * then the payload (Avro, Protobuf or JSON Schema encoded). This class checks and splits the
 * frame and hands (schema id, payload) to a {@link Decoder} the application supplies (for Avro:
 * look the schema up in the registry, cache it, decode with the Avro library). Stateless apart
 * from the decoder; called on the consumer's application thread.
 */
public class SchemaRegistryDeserializer<T> implements Deserializer<T> {
    public static final byte MAGIC_BYTE = 0;

    /** Decodes a payload written with the schema of the given id; the buffer is valid during the call. */
    @FunctionalInterface
    public interface Decoder<T> {
        T decode(String topic, int schemaId, ByteBuffer payload);
    }

    private final Decoder<T> decoder;

    public SchemaRegistryDeserializer(Decoder<T> decoder) {
        this.decoder = Objects.requireNonNull(decoder, "decoder");
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {}

    @Override
    public T deserialize(String topic, byte[] data) {
        return data == null ? null : deserialize(topic, Headers.EMPTY, ByteBuffer.wrap(data));
    }

    @Override
    public T deserialize(String topic, Headers headers, ByteBuffer data) {
        if (data == null) {
            return null;
        }
        ByteBuffer b = data.duplicate();
        if (b.remaining() < 5) {
            throw new SerializationException("Schema-registry framed data in topic " + topic
                    + " needs at least 5 bytes (magic byte, schema id), got " + b.remaining());
        }
        byte magic = b.get();
        if (magic != MAGIC_BYTE) {
            throw new SerializationException("Unknown magic byte " + magic + " in topic " + topic
                    + " (expected 0 for schema-registry framing; was this written by a schema-registry serializer?)");
        }
        int schemaId = b.getInt();
        return decoder.decode(topic, schemaId, b.slice());
    }
}
