package io.tributary.client.common.errors;

import io.tributary.client.common.TopicPartition;

/**
 * A record's key or value failed to deserialize (thrown by poll). The consumer's position stays
 * at that record, so every poll throws again until the application seeks past it:
 * {@code consumer.seek(e.topicPartition(), e.offset() + 1)}, as with Kafka. Immutable.
 */
public class RecordDeserializationException extends SerializationException {
    private static final long serialVersionUID = 1L;
    private final transient TopicPartition partition;
    private final long offset;
    private final Origin origin;

    /** Which part of the record failed, as Kafka's {@code RecordDeserializationException.DeserializationExceptionOrigin}. */
    public enum Origin {
        KEY,
        VALUE
    }

    public RecordDeserializationException(
            Origin origin, TopicPartition partition, long offset, String message, Throwable cause) {
        super(message, cause);
        this.origin = origin;
        this.partition = partition;
        this.offset = offset;
    }

    public Origin origin() {
        return origin;
    }

    public TopicPartition topicPartition() {
        return partition;
    }

    public long offset() {
        return offset;
    }
}
