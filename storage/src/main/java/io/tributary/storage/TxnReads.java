package io.tributary.storage;

import io.tributary.protocol.Errors;
import java.io.IOException;
import java.util.List;

/**
 * The transactional parts of a {@link Log}'s appends and reads, kept out of the log itself: filing
 * aborts in the transaction index, bounding a read_committed read at the last stable offset, and
 * attaching the aborted transactions a read_committed consumer needs.
 */
final class TxnReads {
    private TxnReads() {}

    /** Files the aborts an append completed under the segment that received their markers. */
    static void indexAborts(
            ProducerStateManager producers,
            TransactionIndexes txnIndexes,
            long segmentBase,
            List<TxnState.CompletedTxn> completed)
            throws IOException {
        for (TxnState.CompletedTxn t : completed) {
            if (t.aborted()) {
                txnIndexes.append(
                        segmentBase,
                        new AbortedTxn(
                                t.producerId(), t.firstOffset(), t.lastOffset(), producers.lastStableOffsetAfter(t)));
            }
        }
    }

    /**
     * The byte position a read of seg may not pass so that no batch at or above stop is
     * returned: the start of the batch holding stop when stop falls in this segment, else limit.
     */
    static int limitAt(LogSegment seg, int limit, long stop, Long nextBase) throws IOException {
        if (stop == Long.MAX_VALUE || stop < seg.baseOffset() || (nextBase != null && stop >= nextBase)) {
            return limit;
        }
        SegmentReader.BatchPosition bp = seg.reader().translateOffset(stop, limit);
        return bp == null ? limit : bp.position();
    }

    /**
     * A read_committed result: its aborted transactions overlapping [fetchOffset, lso) (a superset
     * of those the returned batches touch, which the consumer tolerates; empty when the read
     * returned nothing, as in Kafka).
     */
    static LogReadResult withAborts(LogReadResult r, long lso, long fetchOffset, TransactionIndexes txnIndexes) {
        if (r.error() != Errors.NONE || r.records().sizeInBytes() == 0) {
            return r.withAborts(lso, List.of());
        }
        return r.withAborts(lso, List.copyOf(txnIndexes.collect(fetchOffset, lso)));
    }

    static Log.ProducerState describe(ProducerStateManager.Entry e) {
        ProducerStateManager.BatchMetadata last = e.batches.peekLast();
        return new Log.ProducerState(
                e.producerId,
                e.epoch,
                e.lastSeq(),
                last == null ? -1 : last.lastOffset(),
                e.lastTimestamp,
                e.coordinatorEpoch,
                e.currentTxnFirstOffset);
    }
}
