package io.tributary.client.consumer.internals;

import io.tributary.client.consumer.TopicPartition;
import io.tributary.client.serialization.SerializationException;

/** A record's key or value failed to deserialize; the position stays at that record. */
public class RecordDeserializationException extends SerializationException {
    private static final long serialVersionUID = 1L;
    private final transient TopicPartition partition;
    private final long offset;

    public RecordDeserializationException(TopicPartition partition, long offset, String message, Throwable cause) {
        super(message, cause);
        this.partition = partition;
        this.offset = offset;
    }

    public TopicPartition topicPartition() {
        return partition;
    }

    public long offset() {
        return offset;
    }
}
