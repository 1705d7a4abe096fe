package io.tributary.client.consumer;

import io.tributary.client.common.Headers;
import io.tributary.client.common.TimestampType;
import java.util.Optional;

/**
 * One record as poll returns it: where it lives (topic, partition, offset), its timestamp,
 * deserialized key and value, and headers. Immutable; owned by the application once returned.
 */
public final class ConsumerRecord<K, V> {
    /** Size reported for a null key or value, as in Kafka. */
    public static final int NULL_SIZE = -1;

    public static final long NO_TIMESTAMP = -1L;

    private final String topic;
    private final int partition;
    private final long offset;
    private final long timestamp;
    private final TimestampType timestampType;
    private final int serializedKeySize;
    private final int serializedValueSize;
    private final K key;
    private final V value;
    private final Headers headers;
    private final Optional<Integer> leaderEpoch;

    public ConsumerRecord(String topic, int partition, long offset, K key, V value) {
        this(
                topic,
                partition,
                offset,
                NO_TIMESTAMP,
                TimestampType.NO_TIMESTAMP_TYPE,
                NULL_SIZE,
                NULL_SIZE,
                key,
                value,
                Headers.EMPTY,
                Optional.empty());
    }

    public ConsumerRecord(
            String topic,
            int partition,
            long offset,
            long timestamp,
            TimestampType timestampType,
            int serializedKeySize,
            int serializedValueSize,
            K key,
            V value,
            Headers headers,
            Optional<Integer> leaderEpoch) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.timestampType = timestampType;
        this.serializedKeySize = serializedKeySize;
        this.serializedValueSize = serializedValueSize;
        this.key = key;
        this.value = value;
        this.headers = headers;
        this.leaderEpoch = leaderEpoch;
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }

    public long timestamp() {
        return timestamp;
    }

    public TimestampType timestampType() {
        return timestampType;
    }

    public int serializedKeySize() {
        return serializedKeySize;
    }

    public int serializedValueSize() {
        return serializedValueSize;
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

    public Optional<Integer> leaderEpoch() {
        return leaderEpoch;
    }

    @Override
    public String toString() {
        return "ConsumerRecord(topic = " + topic + ", partition = " + partition + ", leaderEpoch = "
                + leaderEpoch.orElse(null) + ", offset = " + offset + ", " + timestampType + " = " + timestamp
                + ", serialized key size = " + serializedKeySize + ", serialized value size = "
                + serializedValueSize + ", headers = " + headers + ", key = " + key + ", value = " + value + ")";
    }
}
