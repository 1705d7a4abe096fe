package io.tributary.coordinator.transaction;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Writes the COMMIT or ABORT control batch that ends a transaction into each of its partitions
 * (the broker appends to its data partitions and tells the group coordinator about the
 * {@code __consumer_offsets} ones). The coordinator calls it once the PrepareCommit/PrepareAbort
 * record is durable, and again after a restart for a transaction found in a prepare state, so
 * a write must be safe to repeat. The future completes when every marker is written; a failure
 * makes the coordinator retry later. A partition whose topic no longer exists counts as written.
 */
@FunctionalInterface
public interface TransactionMarkerWriter {
    CompletableFuture<Void> write(
            long producerId, short producerEpoch, int coordinatorEpoch, boolean commit, Set<TxnPartition> partitions);
}
