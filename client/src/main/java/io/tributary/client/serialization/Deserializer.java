package io.tributary.client.serialization;

import io.tributary.client.common.Headers;
import java.io.Closeable;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Turns a record's key or value bytes into an object. Implementations are called on the
 * application thread inside poll; a null input (null key/value) should give null.
 * Configured from properties, Kafka-style, when created from a class name.
 */
@FunctionalInterface
public interface Deserializer<T> extends Closeable {
    default void configure(Map<String, ?> configs, boolean isKey) {}

    T deserialize(String topic, byte[] data);

    default T deserialize(String topic, Headers headers, byte[] data) {
        return deserialize(topic, data);
    }

    /**
     * Deserializes from a buffer that views the fetched bytes without a copy. The buffer is
     * only valid during the call: the consumer reads later fetch answers into the same buffers
     * (issue 16), so an implementation copies what it keeps (never returns the buffer or a
     * slice of it). The buffer may be direct ({@code hasArray()} false: large fetch answers are
     * read into direct buffers) and must not be modified. The default copies into an array.
     */
    default T deserialize(String topic, Headers headers, ByteBuffer data) {
        if (data == null) {
            return deserialize(topic, headers, (byte[]) null);
        }
        // The one copy of the record's bytes, heap or direct, by an absolute bulk get: no
        // duplicate buffer object per record.
        byte[] bytes = new byte[data.remaining()];
        data.get(data.position(), bytes);
        return deserialize(topic, headers, bytes);
    }

    @Override
    default void close() {}
}
