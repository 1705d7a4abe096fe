package io.tributary.client.consumer;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.TributaryException;
import java.util.Set;

/** The position of some partitions is unknown or invalid and no reset policy applies. */
public abstract class InvalidOffsetException extends TributaryException {
    private static final long serialVersionUID = 1L;

    protected InvalidOffsetException(String message) {
        super(message);
    }

    public abstract Set<TopicPartition> partitions();
}
