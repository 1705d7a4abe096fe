package io.tributary.broker.txn;

import java.util.concurrent.CompletableFuture;

/**
 * What the marker writer does for a transaction that includes {@code __consumer_offsets} (it
 * called AddOffsetsToTxn): the group coordinator makes the producer's pending transactional
 * offsets visible on commit or drops them on abort. The default does nothing; the broker wires
 * it to {@code GroupCoordinator.completeTransaction}. Must be safe to repeat (markers are
 * rewritten after a restart).
 */
@FunctionalInterface
public interface OffsetsTxnHook {
    OffsetsTxnHook NONE = (producerId, producerEpoch, commit) -> CompletableFuture.completedFuture(null);

    CompletableFuture<Void> completeTransaction(long producerId, short producerEpoch, boolean commit);
}
