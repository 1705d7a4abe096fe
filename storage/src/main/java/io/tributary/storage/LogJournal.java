package io.tributary.storage;

import io.tributary.protocol.Errors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@link Log}'s side of its directory's {@link Journal}: what acks=all waits on once the log
 * manager has attached the journal. Only acks=all needs the journal, so appends do not copy to it;
 * {@link #syncUpTo} copies what the log appended since its last entry, read back from the segment
 * files (the page cache), so acks=1 appends cost the journal nothing until an acks=all one follows
 * them, and that one carries them too. Split out of the log for size; works on its state under its
 * lock, like {@link LogAppender}.
 */
final class LogJournal {
    private record Ref(Journal journal, UUID topicId, int partition) {}

    private final Log log;
    private final Journal.Target target;
    private volatile Ref ref;
    /** The journal's number of this log's latest entry (written under the log's lock). */
    private long seq;
    /** Where this log's bytes in the journal end (under the log's lock). */
    private Log.EndOffset journaledEnd;
    /** The end up to which the journal has made this log durable (acks=all waits seen through). */
    private final AtomicLong durable = new AtomicLong();

    LogJournal(Log log) {
        this.log = log;
        this.target = log::fsyncPartitionUpTo;
    }

    boolean attached() {
        return ref != null;
    }

    void attach(Journal j, UUID topicId, int partition) {
        log.lock.lock();
        try {
            journaledEnd = log.end;
            ref = new Ref(j, topicId, partition);
        } finally {
            log.lock.unlock();
        }
    }

    long durable() {
        return durable.get();
    }

    /** Completes once every offset below offset is in the journal (clamped to the log end). */
    CompletableFuture<Void> syncUpTo(long offset) {
        long end = Math.min(offset, log.end.offset());
        if (end <= log.durableOffset()) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            long seq = copy();
            return ref.journal().syncUpTo(seq).thenRun(() -> raiseDurable(end));
        } catch (StorageException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    Journal journal() {
        return ref.journal();
    }

    /**
     * Copies to the journal what the log appended since its last entry there and returns the
     * number to wait for; the writer is not woken (the caller's {@link Journal#syncUpTo} does
     * that, once for many logs).
     */
    long copy() {
        log.lock.lock();
        try {
            return copyToEndLocked(ref);
        } catch (IOException e) {
            throw new StorageException(Errors.KAFKA_STORAGE_ERROR, e.toString(), e);
        } finally {
            log.lock.unlock();
        }
    }

    void raiseDurable(long end) {
        durable.accumulateAndGet(end, Math::max);
    }

    /** See {@link Log#flushAllUpTo}. */
    static CompletableFuture<Void> flushAll(List<Log> logs, long[] offsets) {
        if (logs.size() == 1) {
            return logs.get(0).flushUpTo(offsets[0]);
        }
        List<CompletableFuture<?>> waits = new ArrayList<>();
        Journal journal = null;
        long maxSeq = 0;
        List<Log> covered = new ArrayList<>(logs.size());
        long[] ends = new long[logs.size()];
        for (int i = 0; i < logs.size(); i++) {
            Log l = logs.get(i);
            long end = Math.min(offsets[i], l.end.offset());
            if (!l.journal.attached() || (journal != null && l.journal.journal() != journal)) {
                waits.add(l.flushUpTo(offsets[i]));
            } else if (end > l.durableOffset()) {
                try {
                    maxSeq = Math.max(maxSeq, l.journal.copy());
                } catch (StorageException e) {
                    waits.add(CompletableFuture.failedFuture(e));
                    continue;
                }
                journal = l.journal.journal();
                ends[covered.size()] = end;
                covered.add(l);
            }
        }
        if (journal != null) {
            waits.add(journal.syncUpTo(maxSeq).thenRun(() -> {
                for (int i = 0; i < covered.size(); i++) {
                    covered.get(i).journal.raiseDurable(ends[i]);
                }
            }));
        }
        return CompletableFuture.allOf(waits.toArray(new CompletableFuture<?>[0]));
    }

    /** Copies the log's bytes from its last journal entry to its end, a piece per segment. */
    private long copyToEndLocked(Ref j) throws IOException {
        Log.EndOffset to = log.end;
        Log.EndOffset from = journaledEnd;
        if (from.offset() >= to.offset()) {
            return seq;
        }
        for (LogSegment seg : log.segments
                .subMap(from.segmentBase(), true, to.segmentBase(), true)
                .values()) {
            int start = seg.baseOffset() == from.segmentBase() ? from.position() : 0;
            int stop = seg.baseOffset() == to.segmentBase() ? to.position() : seg.size();
            if (stop > start) {
                long first = seg.baseOffset() == from.segmentBase() ? from.offset() : seg.baseOffset();
                SegmentReader reader = seg.reader();
                Journal.Payload piece = dst -> {
                    if (!reader.readAt(dst, start)) {
                        throw new IOException("segment " + seg.baseOffset() + " ends before byte " + stop);
                    }
                };
                seq = j.journal()
                        .append(
                                target,
                                JournalFormat.APPEND,
                                j.topicId(),
                                j.partition(),
                                first,
                                stop - start,
                                piece,
                                to.offset());
            }
        }
        journaledEnd = to;
        return seq;
    }

    /**
     * The cleaner swapped a compacted segment in for those from firstBase up to nextBase (fsynced
     * before the swap, under the log's lock). A journal end inside them is a byte position in a
     * file that no longer exists: the next copy starts after them instead.
     */
    void segmentsReplaced(long firstBase, long nextBase) {
        if (journaledEnd != null && journaledEnd.segmentBase() >= firstBase && journaledEnd.segmentBase() < nextBase) {
            journaledEnd = new Log.EndOffset(nextBase, nextBase, 0);
        }
    }

    /**
     * Journals a truncation the log just made under its lock (no-op when not attached); what was
     * journaled past the new end is gone. A journal that failed or closed takes the log offline.
     */
    void truncated(byte type, long offset) throws IOException {
        Ref j = ref;
        if (j == null) {
            return;
        }
        if (type == JournalFormat.RESTART || journaledEnd.offset() > log.end.offset()) {
            journaledEnd = log.end;
        }
        try {
            seq = j.journal().append(target, type, j.topicId(), j.partition(), offset, 0, null, log.end.offset());
        } catch (StorageException e) {
            log.offline = true;
            throw new IOException(e.getMessage(), e);
        }
    }
}
