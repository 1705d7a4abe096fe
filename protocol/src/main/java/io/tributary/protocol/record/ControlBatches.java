package io.tributary.protocol.record;

/**
 * Builds the COMMIT/ABORT marker batch a transaction coordinator writes into each partition of a
 * transaction: one transactional control batch carrying the transaction's producer id and epoch,
 * base sequence -1 (markers are outside the producer's sequence), and one control record whose
 * key is (0, type) and whose value is (0, coordinatorEpoch), as Kafka writes it.
 */
public final class ControlBatches {
    private ControlBatches() {}

    /** A marker batch at base offset 0 (the log assigns the real offset at append). */
    public static MemoryRecords marker(
            long producerId, short producerEpoch, int coordinatorEpoch, boolean commit, long timestampMs) {
        MemoryRecordsBuilder b = new MemoryRecordsBuilder(CompressionType.NONE, TimestampType.CREATE_TIME, 0L, 128)
                .producerState(producerId, producerEpoch, RecordBatch.NO_SEQUENCE)
                .transactional(true)
                .control(true);
        b.appendEndTxnMarker(
                timestampMs,
                new EndTransactionMarker(
                        commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT, coordinatorEpoch));
        return b.build();
    }
}
