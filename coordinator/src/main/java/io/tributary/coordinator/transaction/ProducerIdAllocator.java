package io.tributary.coordinator.transaction;

/**
 * Hands out producer ids never given out before (the broker's persisted producer id blocks).
 * Called on the coordinator thread; may block briefly (an fsync when a block is used up).
 */
@FunctionalInterface
public interface ProducerIdAllocator {
    long nextProducerId();
}
