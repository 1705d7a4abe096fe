package io.tributary.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention for one {@link Log}: which segments have outlived {@code retention.ms} or push the log
 * over {@code retention.bytes} (Kafka's rules), and the removed segments that wait out
 * {@code file.delete.delay.ms} before their files go, so that file regions already handed to
 * readers stay readable. The log removes the chosen segments from its map; this class only
 * chooses them and disposes of them.
 *
 * <p>Threads: the choosers run under the log's lock (they read its segment map); the pending
 * list is guarded by its own monitor because deletes run after the log's lock is released.
 */
final class LogRetention {
    private static final Logger LOG = LoggerFactory.getLogger(LogRetention.class);

    private record PendingDelete(LogSegment segment, long dueMs) {}

    /** The log's directory, named in messages (a Path the log holds anyway: no string per partition). */
    private final Path logName;

    private final List<PendingDelete> pending = new ArrayList<>();

    LogRetention(Path logName) {
        this.logName = logName;
    }

    /**
     * The oldest segments whose newest record is older than retentionMs, stopping at the first
     * that is not; an empty active segment is never chosen (there is nothing to expire).
     */
    static List<LogSegment> expiredByTime(
            Collection<LogSegment> segments, LogSegment active, long nowMs, long retentionMs) {
        List<LogSegment> victims = new ArrayList<>();
        if (retentionMs < 0) {
            return victims;
        }
        for (LogSegment seg : segments) {
            if (seg == active && seg.size() == 0) {
                break;
            }
            if (nowMs - seg.largestTimestamp() <= retentionMs) {
                break;
            }
            victims.add(seg);
        }
        return victims;
    }

    /** The oldest segments that can go while what remains is still at least retentionBytes. */
    static List<LogSegment> overSize(
            Collection<LogSegment> segments, LogSegment active, long logSize, long retentionBytes) {
        List<LogSegment> victims = new ArrayList<>();
        if (retentionBytes < 0) {
            return victims;
        }
        long diff = logSize - retentionBytes;
        for (LogSegment seg : segments) {
            if ((seg == active && seg.size() == 0) || diff - seg.size() < 0) {
                break;
            }
            diff -= seg.size();
            victims.add(seg);
        }
        return victims;
    }

    /** The segments wholly below offset: each one whose successor starts at or below it. */
    static List<LogSegment> wholeSegmentsBelow(NavigableMap<Long, LogSegment> segments, long offset) {
        List<LogSegment> victims = new ArrayList<>();
        List<Long> bases = new ArrayList<>(segments.keySet());
        for (int i = 0; i + 1 < bases.size() && bases.get(i + 1) <= offset; i++) {
            victims.add(segments.get(bases.get(i)));
        }
        return victims;
    }

    /**
     * Renames the segment's files {@code .deleted} now (so a restart removes them) and closes
     * and removes them once dueMs has passed.
     */
    void deleteLater(LogSegment seg, long dueMs) throws IOException {
        seg.renameForDeletion();
        synchronized (pending) {
            pending.add(new PendingDelete(seg, dueMs));
        }
    }

    /** Closes and removes the segments whose delay is over (all of them when all). */
    void deleteDue(long nowMs, boolean all) {
        List<PendingDelete> due = new ArrayList<>();
        synchronized (pending) {
            Iterator<PendingDelete> it = pending.iterator();
            while (it.hasNext()) {
                PendingDelete p = it.next();
                if (all || p.dueMs() <= nowMs) {
                    due.add(p);
                    it.remove();
                }
            }
        }
        for (PendingDelete p : due) {
            try {
                p.segment().closeAndDelete();
            } catch (IOException e) {
                LOG.warn(
                        "{}: could not delete segment {}: {}",
                        logName.getFileName(),
                        p.segment().baseOffset(),
                        e.toString());
            }
        }
    }
}
