package io.tributary.storage;

/**
 * An aborted transaction as the transaction index keeps it: its producer, its first data offset,
 * the offset of its ABORT marker, and the partition's last stable offset once it was aborted
 * (which lets a search stop: a later abort cannot overlap offsets below it). A read_committed
 * Fetch answers (producerId, firstOffset) of each, so the consumer can drop the data.
 */
public record AbortedTxn(long producerId, long firstOffset, long lastOffset, long lastStableOffset) {}
