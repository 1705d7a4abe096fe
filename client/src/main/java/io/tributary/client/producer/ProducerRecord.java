package io.tributary.client.producer;

import io.tributary.client.common.Header;
import io.tributary.client.common.Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A record to send: topic, optional partition, timestamp, key, value and headers, as Kafka's
 * {@code ProducerRecord} (issue 12). A null partition lets the partitioner choose; a null
 * timestamp means the send time.
 */
public final class ProducerRecord<K, V> {
    private final String topic;
    private final Integer partition;
    private final Long timestamp;
    private final K key;
    private final V value;
    private final Headers headers;

    public ProducerRecord(String topic, Integer partition, Long timestamp, K key, V value, Iterable<Header> headers) {
        if (topic == null) {
            throw new IllegalArgumentException("Topic cannot be null.");
        }
        if (timestamp != null && timestamp < 0) {
            throw new IllegalArgumentException(String.format(
                    "Invalid timestamp: %d. Timestamp should always be non-negative or null.", timestamp));
        }
        if (partition != null && partition < 0) {
            throw new IllegalArgumentException(String.format(
                    "Invalid partition: %d. Partition number should always be non-negative or null.", partition));
        }
        this.topic = topic;
        this.partition = partition;
        this.timestamp = timestamp;
        this.key = key;
        this.value = value;
        List<Header> list = new ArrayList<>();
        if (headers != null) {
            headers.forEach(list::add);
        }
        this.headers = list.isEmpty() ? Headers.EMPTY : new Headers(list);
    }

    public ProducerRecord(String topic, Integer partition, Long timestamp, K key, V value) {
        this(topic, partition, timestamp, key, value, null);
    }

    public ProducerRecord(String topic, Integer partition, K key, V value, Iterable<Header> headers) {
        this(topic, partition, null, key, value, headers);
    }

    public ProducerRecord(String topic, Integer partition, K key, V value) {
        this(topic, partition, null, key, value, null);
    }

    public ProducerRecord(String topic, K key, V value) {
        this(topic, null, null, key, value, null);
    }

    public ProducerRecord(String topic, V value) {
        this(topic, null, null, null, value, null);
    }

    public String topic() {
        return topic;
    }

    public Integer partition() {
        return partition;
    }

    public Long timestamp() {
        return timestamp;
    }

    public K key() {
        return key;
    }

    public V value() {
        return value;
    }

    public Headers headers() {
        return headers;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProducerRecord<?, ?> r
                && topic.equals(r.topic)
                && Objects.equals(partition, r.partition)
                && Objects.equals(timestamp, r.timestamp)
                && Objects.equals(key, r.key)
                && Objects.equals(value, r.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, timestamp, key, value);
    }

    @Override
    public String toString() {
        return "ProducerRecord(topic=" + topic + ", partition=" + partition + ", headers=" + headers.size() + ", key="
                + key + ", value=" + value + ", timestamp=" + timestamp + ")";
    }
}
