package io.tributary.client.consumer;

import io.tributary.client.common.TopicPartition;
import java.util.Set;

/** No committed offset and auto.offset.reset=none: the application must seek first. */
public class NoOffsetForPartitionException extends InvalidOffsetException {
    private static final long serialVersionUID = 1L;
    private final transient Set<TopicPartition> partitions;

    public NoOffsetForPartitionException(Set<TopicPartition> partitions) {
        super("Undefined offset with no reset policy for partitions: " + partitions);
        this.partitions = Set.copyOf(partitions);
    }

    @Override
    public Set<TopicPartition> partitions() {
        return partitions;
    }
}
