package io.tributary.coordinator.transaction;

import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the coordinator knows of one transactional id, exactly what its log record holds. Immutable:
 * a change is a new value, built by {@link #transitionTo}, which refuses a transition Kafka's
 * state machine does not allow, written as a record and applied by replay.
 *
 * @param previousProducerId the producer id before the last change of id (epoch exhaustion), or -1
 * @param lastProducerEpoch the epoch before the last bump, so a retried InitProducerId (KIP-360) is recognised
 * @param txnStartTimestampMs when the open transaction began (first partition added), or -1
 */
public record TransactionMetadata(
        String transactionalId,
        long producerId,
        long previousProducerId,
        short producerEpoch,
        short lastProducerEpoch,
        int txnTimeoutMs,
        TransactionState state,
        SortedSet<TxnPartition> partitions,
        long txnStartTimestampMs,
        long txnLastUpdateTimestampMs) {

    /** The "no epoch yet" value of a freshly created id (Kafka's RecordBatch.NO_PRODUCER_EPOCH). */
    public static final short NO_PRODUCER_EPOCH = -1;

    public TransactionMetadata {
        partitions = Collections.unmodifiableSortedSet(new TreeSet<>(partitions));
    }

    /** An epoch this high is about to overflow: the next bump needs a new producer id instead. */
    public static boolean isEpochExhausted(short epoch) {
        return epoch >= Short.MAX_VALUE - 1;
    }

    public boolean isEpochExhausted() {
        return isEpochExhausted(producerEpoch);
    }

    /**
     * The next value: state, producer id/epoch, timeout and partitions as given.
     *
     * @throws IllegalStateException if Kafka's state machine has no such transition
     */
    public TransactionMetadata transitionTo(
            TransactionState next,
            long newProducerId,
            short newEpoch,
            short newLastEpoch,
            int newTimeoutMs,
            Set<TxnPartition> newPartitions,
            long startMs,
            long nowMs) {
        if (!next.canTransitionFrom(state)) {
            throw new IllegalStateException(
                    "transactional id " + transactionalId + ": illegal transition " + state + " -> " + next);
        }
        long prevId = newProducerId != producerId ? producerId : previousProducerId;
        return new TransactionMetadata(
                transactionalId,
                newProducerId,
                prevId,
                newEpoch,
                newLastEpoch,
                newTimeoutMs,
                next,
                new TreeSet<>(newPartitions),
                startMs,
                nowMs);
    }

    /** The same producer and partitions in another state (prepare/complete steps). */
    public TransactionMetadata moveTo(TransactionState next, Set<TxnPartition> newPartitions, long nowMs) {
        return transitionTo(
                next,
                producerId,
                producerEpoch,
                lastProducerEpoch,
                txnTimeoutMs,
                newPartitions,
                txnStartTimestampMs,
                nowMs);
    }
}
