package io.tributary.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cleaner's view of a {@link Log}: it reads inactive segments lock-free (they do not change
 * until retention or truncation) and swaps cleaned segments in under the log's lock. Split out of
 * the log itself; holds no state of its own.
 */
final class LogCompaction {
    private static final Logger LOG = LoggerFactory.getLogger(Log.class);

    private final Log log;

    LogCompaction(Log log) {
        this.log = log;
    }

    /** The segments below the active one, oldest first (immutable until retention or truncation). */
    record Inactive(List<LogSegment> segments, long activeBaseOffset) {}

    Inactive inactiveSegments() {
        long activeBase = log.active.baseOffset();
        return new Inactive(
                new ArrayList<>(log.segments.headMap(activeBase, false).values()), activeBase);
    }

    long truncations() {
        return log.truncations;
    }

    /** Offset of the newest producer snapshot (what recovery replays from), -1 when none. */
    long latestProducerSnapshotOffset() throws IOException {
        log.lock.lock();
        try {
            TreeMap<Long, Path> snaps = log.producers.listSnapshots();
            return snaps.isEmpty() ? -1 : snaps.lastKey();
        } finally {
            log.lock.unlock();
        }
    }

    /** Per producer id, the last offset of its newest batch. */
    Map<Long, Long> producerLastOffsets() {
        log.lock.lock();
        try {
            return log.producers.lastBatchOffsets();
        } finally {
            log.lock.unlock();
        }
    }

    /**
     * Replaces the segments old (consecutive, oldest first) by the cleaned segment, whose files
     * carry the {@code .swap} suffix and cover exactly their offsets. Old files are renamed
     * {@code .deleted} first (the first has the cleaned segment's name), then the swap file gets
     * its final name; a crash anywhere in between is finished by the loader from the swap file.
     * The map is changed afterwards, first the entry the cleaned segment takes over and then the
     * others from low to high, so a lock-free reader always finds every offset in some segment.
     * Returns false, changing nothing, when the log changed under the cleaner (retention removed
     * one of the segments, a truncation, close); the caller then deletes the cleaned files.
     */
    boolean replaceSegments(
            List<LogSegment> old,
            LogSegment cleaned,
            long truncationsAtStart,
            Cleaner.Hook hook,
            Set<Long> droppedMarkers)
            throws IOException {
        log.lock.lock();
        try {
            if (log.closed || log.offline || log.truncations != truncationsAtStart) {
                return false;
            }
            for (LogSegment seg : old) {
                if (log.segments.get(seg.baseOffset()) != seg) {
                    return false;
                }
            }
            long due = log.time.milliseconds() + log.config.fileDeleteDelayMs;
            try {
                for (LogSegment seg : old) {
                    log.retention.deleteLater(seg, due);
                    hook.at("old-renamed-" + seg.baseOffset());
                }
                cleaned.changeSuffix(LogSegment.SWAP_SUFFIX, "");
                log.txnIndexes.merge(
                        old.stream().map(LogSegment::baseOffset).toList(), cleaned.baseOffset(), droppedMarkers);
                StorageFiles.fsyncDir(log.dir);
                hook.at("swapped");
            } catch (IOException e) {
                // Some old files are gone from their names: serving on would mix old and new.
                // The loader finishes the swap from the .swap file at the next start.
                log.offline = true;
                LOG.error("{}: segment swap failed part-way; log taken offline", log.dir.getFileName(), e);
                throw e;
            }
            log.segments.put(cleaned.baseOffset(), cleaned);
            for (int i = 1; i < old.size(); i++) {
                log.segments.remove(old.get(i).baseOffset());
            }
            // Never null: the active segment is not cleaned.
            Long next = log.segments.higherKey(old.get(old.size() - 1).baseOffset());
            if (next != null) {
                log.journal.segmentsReplaced(cleaned.baseOffset(), next);
            }
            return true;
        } finally {
            log.lock.unlock();
        }
    }
}
