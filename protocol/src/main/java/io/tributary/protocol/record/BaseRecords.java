package io.tributary.protocol.record;

/**
 * Record data as it travels in Produce and Fetch: either bytes in memory ({@link MemoryRecords})
 * or a region of a log segment file that the network layer sends without copying.
 */
public interface BaseRecords {
    int sizeInBytes();
}
