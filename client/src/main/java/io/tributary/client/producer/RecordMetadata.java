package io.tributary.client.producer;

import io.tributary.client.common.TopicPartition;

/** Where an acknowledged record landed, as Kafka's {@code RecordMetadata} (issue 12). */
public final class RecordMetadata {
    /** The offset when the broker does not return one (acks=0). */
    public static final int UNKNOWN_PARTITION = -1;

    private final TopicPartition topicPartition;
    private final long offset;
    private final long timestamp;
    private final int serializedKeySize;
    private final int serializedValueSize;

    public RecordMetadata(
            TopicPartition topicPartition,
            long offset,
            long timestamp,
            int serializedKeySize,
            int serializedValueSize) {
        this.topicPartition = topicPartition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.serializedKeySize = serializedKeySize;
        this.serializedValueSize = serializedValueSize;
    }

    public boolean hasOffset() {
        return offset >= 0;
    }

    public long offset() {
        return offset;
    }

    public boolean hasTimestamp() {
        return timestamp >= 0;
    }

    public long timestamp() {
        return timestamp;
    }

    public int serializedKeySize() {
        return serializedKeySize;
    }

    public int serializedValueSize() {
        return serializedValueSize;
    }

    public String topic() {
        return topicPartition.topic();
    }

    public int partition() {
        return topicPartition.partition();
    }

    @Override
    public String toString() {
        return topicPartition + "@" + offset;
    }
}
