package io.tributary.coordinator.consumer;

import io.tributary.coordinator.PartitionEndOffsets;
import io.tributary.coordinator.offset.OffsetStore;
import io.tributary.coordinator.record.RecordCodec.OffsetValue;
import java.util.function.Supplier;

/** A partition's lag for a group, as the lag-aware assignor (X6) weighs it. */
@FunctionalInterface
public interface GroupLags {
    /** Never negative; 0 when the end offset is unknown. */
    long lag(String groupId, String topic, int partition);

    GroupLags NONE = (groupId, topic, partition) -> 0;

    /**
     * End offset minus the committed offset. A partition without a committed offset counts its
     * whole log (end offset minus 0): a new group usually starts from the earliest offset, and
     * over-weighing such a partition only spreads it, never starves it.
     */
    static GroupLags of(Supplier<PartitionEndOffsets> endOffsets, OffsetStore committed) {
        return (groupId, topic, partition) -> {
            long end = endOffsets.get().endOffset(topic, partition);
            if (end < 0) {
                return 0;
            }
            OffsetValue v = committed.get(groupId, topic, partition);
            long from = v == null || v.offset() < 0 ? 0 : v.offset();
            return Math.max(0, end - from);
        };
    }
}
