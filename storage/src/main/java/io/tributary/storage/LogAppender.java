package io.tributary.storage;

import io.tributary.protocol.Errors;
import io.tributary.protocol.record.RecordBatchHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of an append to a {@link Log} that runs under its lock: the producer checks, offset
 * assignment, rolling to a new segment, the segment write and publishing the new log end. Split
 * out of the log for size; like {@link LogTrimming} it works on the log's package-private state
 * under the log's lock. Called once per append (not per batch), so it adds no work to the hot path.
 */
final class LogAppender {
    // Logged under the log's name, as before the split.
    private static final Logger LOG = LoggerFactory.getLogger(Log.class);

    private final Log log;

    LogAppender(Log log) {
        this.log = log;
    }

    /** Checks producers, assigns offsets and writes; the caller holds the lock and has validated the batches. */
    AppendResult appendLocked(LogConfig cfg, AppendBatches batches, int leaderEpoch) {
        if (log.offline || log.closed) {
            return AppendResult.error(
                    Errors.KAFKA_STORAGE_ERROR, "log " + log.dir.getFileName() + " is offline", log.logStartOffset);
        }
        Map<Long, ProducerStateManager.Entry> staged = new HashMap<>();
        List<TxnState.CompletedTxn> completed = new ArrayList<>(0);
        // Check producers before touching the buffer, so a refused or duplicate batch is unchanged.
        long firstOffset = log.end.offset();
        ProducerStateManager.Check check =
                log.producers.checkAppend(staged, batches.buffer(), batches.positions(), firstOffset, completed);
        if (check.duplicate() != null) {
            ProducerStateManager.BatchMetadata d = check.duplicate();
            return new AppendResult(Errors.NONE, null, d.firstOffset(), d.lastOffset(), log.logStartOffset, true);
        }
        if (check.error() != Errors.NONE) {
            return AppendResult.error(check.error(), check.message(), log.logStartOffset);
        }
        long next = batches.assignOffsets(firstOffset, leaderEpoch);
        long maxTimestamp = batches.maxTimestamp();
        long lastOffset = next - 1;
        int size = batches.sizeInBytes();
        try {
            LogSegment seg = log.active;
            if (seg.shouldRoll(cfg, size, maxTimestamp, lastOffset, log.time.milliseconds())) {
                seg = rollLocked();
            }
            seg.append(batches.bytes(), firstOffset, maxTimestamp, batches.offsetOfMaxTimestamp());
            // Aborts are indexed and the LSO moved before the new end is published, so a
            // read_committed reader never sees the data without its abort or its open transaction.
            log.producers.commit(staged);
            TxnReads.indexAborts(log.producers, log.txnIndexes, seg.baseOffset(), completed);
            log.previousEnd = log.end;
            log.end = new Log.EndOffset(next, seg.baseOffset(), seg.size());
            return new AppendResult(Errors.NONE, null, firstOffset, lastOffset, log.logStartOffset, false);
        } catch (LogSegment.SegmentCorruptedException e) {
            log.offline = true;
            LOG.error("{}: write failed and could not be undone; log taken offline", log.dir.getFileName(), e);
            return AppendResult.error(Errors.KAFKA_STORAGE_ERROR, e.getMessage(), log.logStartOffset);
        } catch (IOException e) {
            LOG.warn("{}: append failed: {}", log.dir.getFileName(), e.toString());
            return AppendResult.error(Errors.KAFKA_STORAGE_ERROR, e.toString(), log.logStartOffset);
        }
    }

    /**
     * Journal replay: writes the batches of payload from the first one ending at or past the log
     * end, offsets as they are; the producer state is rebuilt once replay is done. False when
     * that batch starts past the log end.
     */
    boolean appendReplayedLocked(ByteBuffer payload) throws IOException {
        long first = log.end.offset();
        int pos = payload.position();
        while (pos < payload.limit() && RecordBatchHeader.lastOffset(payload, pos) < first) {
            pos += RecordBatchHeader.totalSize(payload, pos);
        }
        if (pos >= payload.limit()) {
            return true;
        }
        if (RecordBatchHeader.baseOffset(payload, pos) != first) {
            return false;
        }
        ByteBuffer copy = ByteBuffer.allocate(payload.limit() - pos);
        copy.put(payload.duplicate().position(pos)).flip();
        AppendBatches batches = AppendBatches.validate(copy, log.config, true);
        if (batches.error() != Errors.NONE) {
            throw new IOException("journal entry at " + first + " does not validate: " + batches.message());
        }
        // Offsets and epochs as written the first time: read, not assigned.
        long maxTimestamp = -1;
        long offsetOfMaxTimestamp = -1;
        long next = first;
        for (int p : batches.positions()) {
            next = RecordBatchHeader.lastOffset(copy, p) + 1;
            if (RecordBatchHeader.maxTimestamp(copy, p) > maxTimestamp) {
                maxTimestamp = RecordBatchHeader.maxTimestamp(copy, p);
                offsetOfMaxTimestamp = next - 1;
            }
        }
        LogSegment seg = log.active;
        if (seg.shouldRoll(log.config, batches.sizeInBytes(), maxTimestamp, next - 1, log.time.milliseconds())) {
            seg = rollLocked();
        }
        seg.append(batches.bytes(), first, maxTimestamp, offsetOfMaxTimestamp);
        log.previousEnd = log.end;
        log.end = new Log.EndOffset(next, seg.baseOffset(), seg.size());
        return true;
    }

    /**
     * Starts a new active segment at the log end; the old one is trimmed and flushed in the
     * background. Caller holds the lock.
     */
    LogSegment rollLocked() throws IOException {
        LogSegment old = log.active;
        long newBase = log.end.offset();
        if (old.baseOffset() == newBase && old.size() == 0) {
            return old;
        }
        old.onBecomeInactive();
        try {
            log.txnIndexes.flush(old.baseOffset());
            log.producers.takeSnapshot(newBase);
        } catch (IOException e) {
            // Not fatal: recovery falls back to an older snapshot and replays more headers.
            LOG.warn("{}: could not write producer snapshot at {}: {}", log.dir.getFileName(), newBase, e.toString());
        }
        LogSegment seg = LogSegment.open(log.dir, newBase, log.config, log.time.milliseconds(), true);
        log.segments.put(newBase, seg);
        log.active = seg;
        log.end = new Log.EndOffset(newBase, newBase, 0);
        log.flusher.flushUpTo(newBase);
        LOG.debug("{}: rolled new segment at {}", log.dir.getFileName(), newBase);
        return seg;
    }
}
