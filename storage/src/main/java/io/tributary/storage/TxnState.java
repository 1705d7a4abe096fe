package io.tributary.storage;

import io.tributary.protocol.record.CorruptRecordException;
import io.tributary.protocol.record.EndTransactionMarker;
import io.tributary.protocol.record.Record;
import io.tributary.protocol.record.RecordBatch;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.TreeMap;

/**
 * The open transactions of one partition, by first offset, so the last stable offset (the first
 * offset of the oldest open transaction) is one lookup. The smallest first offset is published in
 * a volatile field: fetch threads read it without the log's lock, and the log writes it before it
 * publishes a new end offset, so a reader never sees data of a transaction that is not yet open.
 *
 * <p>Threads: mutations under the owning log's lock; {@link #firstUnstableOffset()} from anywhere.
 */
final class TxnState {
    /** A transaction a marker ended: its producer, first data offset, marker offset and outcome. */
    record CompletedTxn(long producerId, long firstOffset, long lastOffset, boolean aborted) {}

    /** First offset of each open transaction to its producer id. */
    private final TreeMap<Long, Long> open = new TreeMap<>();

    private volatile long firstUnstableOffset = -1;

    long firstUnstableOffset() {
        return firstUnstableOffset;
    }

    /** A producer entry changed from old (null when new) to now. */
    void update(ProducerStateManager.Entry old, ProducerStateManager.Entry now) {
        replace(now.producerId, old == null ? -1 : old.currentTxnFirstOffset, now.currentTxnFirstOffset);
    }

    void replace(long producerId, long oldFirstOffset, long newFirstOffset) {
        if (oldFirstOffset == newFirstOffset) {
            return;
        }
        if (oldFirstOffset >= 0) {
            open.remove(oldFirstOffset, producerId);
        }
        if (newFirstOffset >= 0) {
            open.put(newFirstOffset, producerId);
        }
        publish();
    }

    void clear() {
        open.clear();
        publish();
    }

    private void publish() {
        firstUnstableOffset = open.isEmpty() ? -1 : open.firstKey();
    }

    /**
     * The COMMIT/ABORT marker in the control batch at pos, or null when the batch holds none
     * (an unknown control type or a malformed record).
     */
    static EndTransactionMarker parseMarker(ByteBuffer buf, int pos) {
        try {
            Iterator<Record> it = RecordBatch.at(buf, pos).iterator();
            return it.hasNext() ? EndTransactionMarker.deserialize(it.next()) : null;
        } catch (CorruptRecordException | IllegalArgumentException e) {
            return null;
        }
    }
}
