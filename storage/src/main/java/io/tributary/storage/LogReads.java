package io.tributary.storage;

import io.tributary.protocol.Errors;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock-free fetch from a {@link Log}: which segment holds the fetch offset, how far a read may
 * go (the published log end, the bound a read_committed fetch stops at), and what a read racing a
 * deletion or close answers. Split out of the log for size; it reads the log's package-private
 * volatile state (the end first, then the segments) and never takes the lock. Called once per
 * fetch of a partition, not per batch.
 */
final class LogReads {
    // Logged under the log's name, as before the split.
    private static final Logger LOG = LoggerFactory.getLogger(Log.class);

    private final Log log;

    LogReads(Log log) {
        this.log = log;
    }

    /**
     * Where the batch starting at fetchOffset is when it is the latest append's (a fetch following
     * the tail), else -1. Only in the active segment: the cleaner never moves its batches.
     */
    private int tailHint(LogSegment seg, Log.EndOffset e, long fetchOffset) {
        Log.EndOffset p = log.previousEnd;
        return p != null
                        && p.offset() == fetchOffset
                        && p.segmentBase() == e.segmentBase()
                        && seg.baseOffset() == e.segmentBase()
                ? p.position()
                : -1;
    }

    /** Whole batches from fetchOffset, from one segment, below {@code bound} and the log end. */
    LogReadResult readUpTo(long fetchOffset, int maxBytes, boolean minOneBatch, long bound) {
        maxBytes = Math.max(0, maxBytes);
        Log.EndOffset e = log.end;
        long start = log.logStartOffset;
        if (fetchOffset < start || fetchOffset > e.offset()) {
            return new LogReadResult(Errors.OFFSET_OUT_OF_RANGE, FileRecordsSlice.EMPTY, e.offset(), start, e.offset());
        }
        if (log.offline) {
            return new LogReadResult(Errors.KAFKA_STORAGE_ERROR, FileRecordsSlice.EMPTY, e.offset(), start, e.offset());
        }
        Map.Entry<Long, LogSegment> entry = log.segments.floorEntry(fetchOffset);
        try {
            long stop = Math.min(bound, e.offset());
            while (entry != null && fetchOffset < stop && entry.getKey() <= e.segmentBase() && entry.getKey() < stop) {
                LogSegment seg = entry.getValue();
                int limit = seg.readLimit(e.segmentBase(), e.position());
                if (stop < e.offset()) {
                    // Only a read_committed bound below the end needs the batch holding it: the
                    // published end is already where a read of the end's segment stops, and
                    // looking it up walked that segment's headers from its last index entry.
                    limit = TxnReads.limitAt(seg, limit, stop, log.segments.higherKey(entry.getKey()));
                }
                FileRecordsSlice slice =
                        seg.reader().read(fetchOffset, maxBytes, limit, minOneBatch, tailHint(seg, e, fetchOffset));
                if (slice != null) {
                    return new LogReadResult(Errors.NONE, slice, e.offset(), start, e.offset());
                }
                entry = log.segments.higherEntry(entry.getKey());
            }
        } catch (ClosedChannelException ex) {
            // Either the segment was deleted by retention while we read (the offset is now out of
            // range), or the log was closed, or an interrupted thread closed the channel.
            long s = log.logStartOffset;
            Errors err = !log.closed && fetchOffset < s ? Errors.OFFSET_OUT_OF_RANGE : Errors.KAFKA_STORAGE_ERROR;
            return new LogReadResult(err, FileRecordsSlice.EMPTY, e.offset(), s, e.offset());
        } catch (IOException ex) {
            LOG.warn("{}: read at {} failed: {}", log.dir.getFileName(), fetchOffset, ex.toString());
            return new LogReadResult(Errors.KAFKA_STORAGE_ERROR, FileRecordsSlice.EMPTY, e.offset(), start, e.offset());
        }
        return new LogReadResult(Errors.NONE, FileRecordsSlice.EMPTY, e.offset(), start, e.offset());
    }
}
