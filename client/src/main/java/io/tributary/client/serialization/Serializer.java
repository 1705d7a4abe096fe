package io.tributary.client.serialization;

import io.tributary.client.common.Headers;
import java.io.Closeable;
import java.util.Map;

/** Turns a key or value into bytes for the producer, as Kafka's {@code Serializer} (issue 12). */
@FunctionalInterface
public interface Serializer<T> extends Closeable {
    default void configure(Map<String, ?> configs, boolean isKey) {}

    byte[] serialize(String topic, T data);

    default byte[] serialize(String topic, Headers headers, T data) {
        return serialize(topic, data);
    }

    @Override
    default void close() {}
}
