package io.tributary.coordinator;

/**
 * Each partition's end offset, which the coordinator cannot know by itself (it owns no partition
 * logs): the lag-aware assignor (feature X6) weighs a partition by its end offset minus the
 * group's committed offset. The broker implements it over its logs. Called on the coordinator
 * thread, only while a lag-aware group computes its target, so it must be thread-safe and cheap.
 */
@FunctionalInterface
public interface PartitionEndOffsets {
    /** The offset a consumer reading everything would reach (the high watermark), or -1 if unknown. */
    long endOffset(String topic, int partition);

    PartitionEndOffsets UNKNOWN = (topic, partition) -> -1;
}
