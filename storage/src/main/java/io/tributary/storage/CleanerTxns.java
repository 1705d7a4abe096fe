package io.tributary.storage;

import io.tributary.protocol.record.ControlRecordType;
import io.tributary.protocol.record.EndTransactionMarker;
import io.tributary.protocol.record.RecordBatchHeader;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a cleaning pass knows of transactions while it walks batches in offset order (Kafka's
 * cleaned-transaction metadata): which data batches belong to an aborted transaction (from the
 * aborted-transaction index) and so go, and whether a COMMIT/ABORT marker still has data of its
 * transaction before it in the log (then it must stay, or a reader would lose the transaction's
 * boundary). Every batch the pass reaches must be shown, data and control, in offset order.
 *
 * <p>Threads: one instance per pass, on the cleaner thread.
 */
final class CleanerTxns {
    /** An aborted transaction the walk is inside, and whether any of its batches was seen. */
    private static final class Ongoing {
        boolean observed;
    }

    private final Deque<AbortedTxn> pending;
    private final Map<Long, Ongoing> ongoingAborted = new HashMap<>();
    private final Set<Long> ongoingCommitted = new HashSet<>();

    /** aborted: every abort whose marker lies at or after where the walk starts. */
    CleanerTxns(List<AbortedTxn> aborted) {
        this.pending = new ArrayDeque<>(aborted.stream()
                .sorted(Comparator.comparingLong(AbortedTxn::firstOffset))
                .toList());
    }

    private void startAbortsUpTo(long offset) {
        while (!pending.isEmpty() && pending.peekFirst().firstOffset() <= offset) {
            ongoingAborted.putIfAbsent(pending.pollFirst().producerId(), new Ongoing());
        }
    }

    /** A data batch: true when it belongs to an aborted transaction (its records go). */
    boolean onDataBatch(ByteBuffer batch) {
        startAbortsUpTo(RecordBatchHeader.lastOffset(batch, 0));
        if (!RecordBatchHeader.isTransactional(batch, 0)) {
            return false;
        }
        long pid = RecordBatchHeader.producerId(batch, 0);
        Ongoing aborted = ongoingAborted.get(pid);
        if (aborted != null) {
            aborted.observed = true;
            return true;
        }
        ongoingCommitted.add(pid);
        return false;
    }

    /**
     * A control batch: true when nothing of its transaction was seen before it in this walk, so
     * the marker may go once its delete horizon has passed. An empty control batch (emptied by
     * an earlier pass) may always go; an unknown control record always stays.
     */
    boolean onControlBatch(ByteBuffer batch) {
        startAbortsUpTo(RecordBatchHeader.lastOffset(batch, 0));
        if (RecordBatchHeader.recordsCount(batch, 0) == 0) {
            return true;
        }
        EndTransactionMarker marker = TxnState.parseMarker(batch, 0);
        if (marker == null) {
            return false;
        }
        long pid = RecordBatchHeader.producerId(batch, 0);
        if (marker.type() == ControlRecordType.ABORT) {
            Ongoing aborted = ongoingAborted.remove(pid);
            return aborted == null || !aborted.observed;
        }
        return !ongoingCommitted.remove(pid);
    }
}
