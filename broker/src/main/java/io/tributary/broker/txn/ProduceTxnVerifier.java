package io.tributary.broker.txn;

import io.tributary.protocol.Errors;

/**
 * Whether a transactional Produce batch may be appended: its producer id and epoch are the
 * transactional id's current ones and the partition was added to the open transaction
 * (KIP-890 part 1, asked in-process since the coordinator runs on this node). Thread-safe.
 */
@FunctionalInterface
public interface ProduceTxnVerifier {
    Errors verify(String transactionalId, long producerId, short producerEpoch, String topic, int partition);
}
