package io.tributary.storage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removing segments from either end of a {@link Log}: retention and DeleteRecords at the start,
 * truncation at the end. Split out of the log itself; it works on the log's state under the
 * log's lock, as the log's own methods do.
 */
final class LogTrimming {
    private static final Logger LOG = LoggerFactory.getLogger(Log.class);

    private final Log log;

    LogTrimming(Log log) {
        this.log = log;
    }

    /**
     * Deletes the segments wholly below the log start offset (DeleteRecords moved it), and, for
     * cleanup.policy=delete, the oldest segments past retention.ms (by their newest timestamp) and while the
     * log exceeds retention.bytes, as Kafka does: the active segment too when all its data has
     * expired (a new empty segment is rolled first), never an empty active segment. Files are
     * renamed {@code .deleted} and removed after file.delete.delay.ms, so reads in flight finish.
     * Also forgets producers idle past the producer id expiration. Returns segments deleted.
     */
    int deleteOldSegments() {
        long now = log.time.milliseconds();
        int deleted = 0;
        log.lock.lock();
        try {
            if (!log.closed && !log.offline) {
                deleted += deleteSegments(
                        LogRetention.wholeSegmentsBelow(log.segments, log.logStartOffset),
                        now,
                        "log start " + log.logStartOffset);
            }
            if (!log.closed && !log.offline && log.config.deleteRetention()) {
                long retentionMs = log.config.retentionMs;
                deleted += deleteSegments(
                        LogRetention.expiredByTime(log.segments.values(), log.active, now, retentionMs),
                        now,
                        "retention.ms " + retentionMs);
                long retentionBytes = log.config.retentionBytes;
                deleted += deleteSegments(
                        LogRetention.overSize(log.segments.values(), log.active, log.size(), retentionBytes),
                        now,
                        "retention.bytes " + retentionBytes);
            }
            log.producers.removeExpired(now, log.producerIdExpirationMs);
        } catch (IOException e) {
            LOG.warn("{}: retention failed: {}", log.dir.getFileName(), e.toString());
        } finally {
            log.lock.unlock();
        }
        log.retention.deleteDue(now, false);
        return deleted;
    }

    /**
     * Deletes every segment that lies wholly below {@code offset} (the segment holding it stays,
     * and the active segment always stays). For owners that know which prefix is obsolete, such
     * as the group coordinator after a snapshot. Returns segments deleted.
     */
    int deleteSegmentsBelow(long offset) throws IOException {
        long now = log.time.milliseconds();
        int deleted;
        log.lock.lock();
        try {
            if (log.closed || log.offline) {
                return 0;
            }
            deleted = deleteSegments(
                    LogRetention.wholeSegmentsBelow(log.segments, offset), now, "start moved to " + offset);
        } finally {
            log.lock.unlock();
        }
        log.retention.deleteDue(now, false);
        return deleted;
    }

    private int deleteSegments(List<LogSegment> victims, long now, String reason) throws IOException {
        if (victims.isEmpty()) {
            return 0;
        }
        if (victims.size() == log.segments.size()) {
            log.appender.rollLocked();
        }
        for (LogSegment seg : victims) {
            removeForDeletion(seg, now);
            LOG.info(
                    "{}: deleting segment {} ({} bytes) for {}",
                    log.dir.getFileName(),
                    seg.baseOffset(),
                    seg.size(),
                    reason);
        }
        log.logStartOffset = Math.max(log.logStartOffset, log.segments.firstKey());
        log.producers.deleteSnapshotsBefore(log.segments.firstKey());
        return victims.size();
    }

    /**
     * Removes every batch at or above offset (a batch straddling it goes entirely); the log end
     * becomes the start of the first removed batch. Producer state is rebuilt. Returns whether
     * anything was removed.
     */
    boolean truncateTo(long offset) throws IOException {
        log.lock.lock();
        try {
            log.truncations++;
            log.previousEnd = null; // its position may be cut or written anew
            if (offset >= log.end.offset()) {
                return false;
            }
            if (offset <= log.logStartOffset) {
                truncateFullyAndStartAt(offset);
                return true;
            }
            long now = log.time.milliseconds();
            for (LogSegment seg :
                    new ArrayList<>(log.segments.tailMap(offset, false).values())) {
                removeForDeletion(seg, now);
            }
            LogSegment seg = log.segments.lastEntry().getValue();
            seg.truncateTo(offset);
            if (seg != log.active) {
                seg.onBecomeActive();
                log.active = seg;
            }
            long leo = seg.readNextOffset();
            log.producers.deleteSnapshotsAbove(leo);
            // Replayed before the end is published, so the LSO already counts reopened transactions.
            LogLoader.replayProducerState(log.segments, log.producers, log.txnIndexes, log.logStartOffset, leo);
            log.end = new Log.EndOffset(leo, seg.baseOffset(), seg.size());
            log.flusher.lowerRecoveryPointTo(leo);
            log.journal.truncated(JournalFormat.TRUNCATE, leo);
            return true;
        } finally {
            log.lock.unlock();
        }
    }

    private void removeForDeletion(LogSegment seg, long now) throws IOException {
        log.segments.remove(seg.baseOffset());
        log.txnIndexes.removeSegment(seg.baseOffset());
        log.retention.deleteLater(seg, now + log.config.fileDeleteDelayMs);
    }

    /** Drops every segment and starts empty at offset (log start = log end = offset). */
    void truncateFullyAndStartAt(long offset) throws IOException {
        log.lock.lock();
        try {
            log.truncations++;
            log.previousEnd = null; // its position may be cut or written anew
            long now = log.time.milliseconds();
            for (LogSegment seg : new ArrayList<>(log.segments.values())) {
                removeForDeletion(seg, now);
            }
            LogSegment seg = LogSegment.open(log.dir, offset, log.config, now, true);
            log.segments.put(offset, seg);
            log.active = seg;
            log.logStartOffset = offset;
            log.end = new Log.EndOffset(offset, offset, 0);
            log.flusher.resetRecoveryPoint(offset);
            log.producers.clear();
            log.txnIndexes.clear();
            log.producers.deleteSnapshotsAbove(-1);
            log.journal.truncated(JournalFormat.RESTART, offset);
        } finally {
            log.lock.unlock();
        }
    }
}
