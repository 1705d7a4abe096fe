package io.tributary.client.consumer;

import io.tributary.client.common.TopicPartition;
import java.util.Map;
import java.util.Set;

/** The fetch position is outside the log and auto.offset.reset=none. */
public class OffsetOutOfRangeException extends InvalidOffsetException {
    private static final long serialVersionUID = 1L;
    private final transient Map<TopicPartition, Long> offsetOutOfRangePartitions;

    public OffsetOutOfRangeException(Map<TopicPartition, Long> offsetOutOfRangePartitions) {
        super("Fetch position is out of range with no configured reset policy (auto.offset.reset=none) for"
                + " partitions: " + offsetOutOfRangePartitions);
        this.offsetOutOfRangePartitions = Map.copyOf(offsetOutOfRangePartitions);
    }

    public Map<TopicPartition, Long> offsetOutOfRangePartitions() {
        return offsetOutOfRangePartitions;
    }

    @Override
    public Set<TopicPartition> partitions() {
        return offsetOutOfRangePartitions.keySet();
    }
}
