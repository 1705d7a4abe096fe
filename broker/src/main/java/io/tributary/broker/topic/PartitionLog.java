package io.tributary.broker.topic;

import io.tributary.protocol.record.MemoryRecords;
import io.tributary.protocol.record.ProduceValidator;
import io.tributary.storage.AppendResult;
import io.tributary.storage.Log;
import io.tributary.storage.LogConfig;
import io.tributary.storage.LogReadResult;
import io.tributary.storage.Time;
import io.tributary.storage.TimestampAndOffset;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition as the handlers see it: the storage {@link Log} plus the broker-side steps
 * around an append (LogAppendTime stamping). Thread-safe as the Log is.
 */
public final class PartitionLog {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionLog.class);

    /** What a produce append did, with the LogAppendTime used (-1 for CreateTime topics). */
    public record Appended(AppendResult result, long logAppendTimeMs) {}

    private final TopicPartition tp;
    private final Log log;
    private final Time time;

    public PartitionLog(TopicPartition tp, Log log, Time time) {
        this.tp = tp;
        this.log = log;
        this.time = time;
    }

    public TopicPartition topicPartition() {
        return tp;
    }

    public Log log() {
        return log;
    }

    public LogConfig config() {
        return log.config();
    }

    /** Appends records that {@link ProduceValidator} accepted. */
    public Appended append(MemoryRecords records, ProduceValidator.Result validated) {
        long appendTime = -1;
        if (log.config().logAppendTime()) {
            appendTime = time.milliseconds();
            validated.setLogAppendTime(records.buffer(), appendTime);
        }
        // The validator checked the CRC on these bytes (issue 16: computed once, not again in the log).
        return new Appended(log.appendCrcChecked(records), appendTime);
    }

    public CompletableFuture<Void> flushUpTo(long offset) {
        return log.flushUpTo(offset);
    }

    /** See {@link Log#flushAllUpTo}: one acks=all request's partitions made durable together. */
    public static CompletableFuture<Void> flushAllUpTo(java.util.List<PartitionLog> logs, long[] offsets) {
        return Log.flushAllUpTo(logs.stream().map(PartitionLog::log).toList(), offsets);
    }

    /** See {@link Log#flushUpToHereIfIdle}. */
    public CompletableFuture<Void> flushUpToHereIfIdle(long offset) {
        return log.flushUpToHereIfIdle(offset);
    }

    public LogReadResult read(long fetchOffset, int maxBytes, boolean minOneBatch) {
        return log.read(fetchOffset, maxBytes, minOneBatch);
    }

    /** A read that, for read_committed, stops at the last stable offset and names the aborted transactions. */
    public LogReadResult read(long fetchOffset, int maxBytes, boolean minOneBatch, boolean readCommitted) {
        return log.read(fetchOffset, maxBytes, minOneBatch, readCommitted);
    }

    public long lastStableOffset() {
        return log.lastStableOffset();
    }

    /**
     * ListOffsets under an isolation level, as Kafka: LATEST is the last stable offset for
     * read_committed, and a timestamp lookup finds nothing at or past the LSO (read_committed) or
     * the high watermark; null when none (or the lookup failed, logged).
     */
    public TimestampAndOffset offsetForTimestamp(long ts, boolean readCommitted) {
        try {
            TimestampAndOffset found =
                    log.fetchOffsetByTimestamp(ts, readCommitted).orElse(null);
            long fetchable = readCommitted ? log.lastStableOffset() : log.highWatermark();
            boolean special = ts == Log.LATEST_TIMESTAMP || ts == Log.EARLIEST_TIMESTAMP;
            return found != null && !special && found.offset() >= fetchable ? null : found;
        } catch (IOException e) {
            LOG.warn("{}: offset lookup for timestamp {} failed: {}", tp, ts, e.toString());
            return null;
        }
    }

    /** First record with timestamp >= ts, or null when none (or the lookup failed, logged). */
    public TimestampAndOffset offsetForTimestamp(long ts) {
        try {
            return log.fetchOffsetByTimestamp(ts).orElse(null);
        } catch (IOException e) {
            LOG.warn("{}: offset lookup for timestamp {} failed: {}", tp, ts, e.toString());
            return null;
        }
    }

    public long logStartOffset() {
        return log.logStartOffset();
    }

    public long logEndOffset() {
        return log.logEndOffset();
    }
}
