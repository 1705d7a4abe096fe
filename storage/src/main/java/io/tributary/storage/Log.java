package io.tributary.storage;

import io.tributary.protocol.Errors;
import io.tributary.protocol.record.MemoryRecords;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The log of one partition: a directory of segments named by their 20-digit base offset,
 * appended to at the end, read by offset, trimmed at the start by retention. Owns the segment
 * map and the log end, validation and locking of appends, and the public API; it hands loading
 * to {@link LogLoader}, fsyncs to {@link LogFlusher}, the retention rules and delayed file removal
 * to {@link LogRetention}, the locked part of an append (producer checks, offset assignment, the
 * write, rolling) to {@link LogAppender}, the lock-free fetch to {@link LogReads}, removing segments
 * (retention, truncation) to {@link LogTrimming} and the cleaner's view and swap to
 * {@link LogCompaction}. Those four work on this log's package-private state (all but the reads
 * under its lock); they are split out for size, not as separate owners.
 *
 * <p>Threads: appends, rolls, retention, truncation and close are serialised by one lock per
 * log. Reads take no lock: they see the end offset published (volatile) after a write completed,
 * so they never return a partial batch. fsyncs run on the flush executor, one at a time per log,
 * and each covers every append that completed before it started (group commit).
 */
public final class Log implements Closeable {
    /** ListOffsets special timestamps. */
    public static final long LATEST_TIMESTAMP = -1L;

    public static final long EARLIEST_TIMESTAMP = -2L;
    public static final long MAX_TIMESTAMP = -3L;
    public static final long DEFAULT_PRODUCER_ID_EXPIRATION_MS = 86_400_000L;
    public static final int DEFAULT_ZERO_AHEAD_MAX_BYTES = 4 << 20;

    private static final ExecutorService DEFAULT_FLUSHER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tributary-log-flusher");
        t.setDaemon(true);
        return t;
    });

    /** Where the log ends: the next offset and the byte position after the last complete batch. */
    record EndOffset(long offset, long segmentBase, int position) {}

    final Path dir;
    final Time time;
    final long producerIdExpirationMs;
    volatile LogConfig config;

    final ReentrantLock lock = new ReentrantLock();
    final ConcurrentSkipListMap<Long, LogSegment> segments;
    final ProducerStateManager producers;
    final TransactionIndexes txnIndexes;
    final LogFlusher flusher;
    final LogRetention retention;
    volatile LogSegment active;
    volatile EndOffset end;
    /**
     * The end before the latest append, so the batch at its position starts at its offset; null
     * after a truncation. A fetch that follows the tail asks for exactly that offset, and starts
     * there instead of walking the headers from the last offset index entry.
     */
    volatile EndOffset previousEnd;

    volatile long logStartOffset;
    volatile boolean offline;
    volatile boolean closed;
    /**
     * The most zeros written ahead of the active segment's appends (see {@link SegmentZeroTail});
     * 0 writes none. The broker sets it from log.zero.ahead.max.bytes.
     */
    volatile int zeroAheadMaxBytes = DEFAULT_ZERO_AHEAD_MAX_BYTES;
    /** Told (outside the lock) when an append moved the first unstable offset: parked read_committed fetches. */
    private volatile Runnable stableOffsetListener;
    /** Raised by every truncation, so a clean that started before one does not swap in stale data. */
    volatile long truncations;
    /** The journal's side of this log; empty until the log manager attaches its directory's journal. */
    final LogJournal journal = new LogJournal(this);

    /** The write under the lock: producer checks, offsets, the segment write, rolling. */
    final LogAppender appender = new LogAppender(this);

    /** The lock-free fetch across segments. */
    private final LogReads reads = new LogReads(this);

    private final LogTrimming trimming = new LogTrimming(this);
    private final LogCompaction compaction = new LogCompaction(this);

    private Log(
            Path dir,
            LogConfig config,
            Time time,
            Executor flushExecutor,
            long producerIdExpirationMs,
            ConcurrentSkipListMap<Long, LogSegment> segments,
            ProducerStateManager producers,
            TransactionIndexes txnIndexes,
            LogLoader.Loaded loaded) {
        this.dir = dir;
        this.config = config;
        this.time = time;
        this.producerIdExpirationMs = producerIdExpirationMs;
        this.segments = segments;
        this.producers = producers;
        this.txnIndexes = txnIndexes;
        this.active = segments.lastEntry().getValue();
        this.logStartOffset = loaded.logStartOffset();
        this.end = new EndOffset(loaded.logEndOffset(), active.baseOffset(), active.size());
        this.retention = new LogRetention(dir);
        this.flusher =
                new LogFlusher(dir, time, flushExecutor, segments, new LogFlushTarget(this), loaded.recoveryPoint());
    }

    /** Opens (creating if needed) a log, recovering every segment as after a crash. */
    public static Log open(Path dir, LogConfig config, Time time) throws IOException {
        return open(dir, config, time, DEFAULT_FLUSHER, 0L, DEFAULT_PRODUCER_ID_EXPIRATION_MS);
    }

    /**
     * Opens (creating if needed) a log.
     *
     * @param recoveryPoint offset below which everything is known to be on disk (the last fsync,
     *     as checkpointed); segments holding offsets at or above it are CRC-checked batch by batch,
     *     a torn or garbage tail is cut, and their indexes rebuilt. Long.MAX_VALUE after a clean
     *     shutdown: then only the tail after the last index entry is checked.
     * @param flushExecutor runs the fsyncs; may be shared by many logs
     */
    public static Log open(
            Path dir,
            LogConfig config,
            Time time,
            Executor flushExecutor,
            long recoveryPoint,
            long producerIdExpirationMs)
            throws IOException {
        Files.createDirectories(dir);
        ProducerStateManager producers = new ProducerStateManager(dir);
        ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();
        TransactionIndexes txnIndexes = new TransactionIndexes(dir);
        LogLoader.Loaded loaded = new LogLoader(dir, config, time).load(segments, producers, txnIndexes, recoveryPoint);
        return new Log(
                dir, config, time, flushExecutor, producerIdExpirationMs, segments, producers, txnIndexes, loaded);
    }

    // ------------------------------------------------------------------------------------------
    // Append

    /** Appends with partition leader epoch 0. */
    public AppendResult append(MemoryRecords records) {
        return append(records, 0);
    }

    /**
     * Appends validated v2 batches as leader: gives them the next offsets by rewriting each
     * batch's baseOffset (and partitionLeaderEpoch) in place in the caller's buffer, checks
     * idempotent producers, and writes all bytes to the active segment. Returns after the write
     * (acks=1); call {@link #flushUpTo} with lastOffset + 1 for acks=all.
     *
     * <p>Errors: CORRUPT_MESSAGE (framing, magic or CRC), MESSAGE_TOO_LARGE (a batch over
     * max.message.bytes), RECORD_LIST_TOO_LARGE (over segment.bytes), INVALID_PRODUCER_EPOCH,
     * OUT_OF_ORDER_SEQUENCE_NUMBER, INVALID_TXN_STATE, TRANSACTION_COORDINATOR_FENCED (a COMMIT/ABORT
     * marker from an older coordinator), KAFKA_STORAGE_ERROR (I/O failure; earlier data is intact).
     * A transaction marker is a transactional control batch (see ControlBatches.marker).
     * A retried idempotent batch returns NONE with its original offsets and duplicate=true.
     */
    public AppendResult append(MemoryRecords records, int leaderEpoch) {
        return append(records, leaderEpoch, true);
    }

    /**
     * Appends produce batches whose CRC {@link io.tributary.protocol.record.ProduceValidator} has
     * just checked on this buffer (LogAppendTime stamping rewrites it), so it is not computed
     * twice; every other check is as {@link #append(MemoryRecords, int)}.
     */
    public AppendResult appendCrcChecked(MemoryRecords records) {
        return append(records, 0, false);
    }

    private AppendResult append(MemoryRecords records, int leaderEpoch, boolean checkCrc) {
        LogConfig cfg = config;
        AppendBatches batches = AppendBatches.validate(records.buffer(), cfg, checkCrc);
        if (batches.error() != Errors.NONE) {
            return AppendResult.error(batches.error(), batches.message(), logStartOffset);
        }
        if (batches.isEmpty()) {
            return new AppendResult(Errors.NONE, null, -1, -1, logStartOffset, false);
        }
        AppendResult result;
        long unstableBefore;
        long unstableAfter;
        lock.lock();
        try {
            unstableBefore = producers.firstUnstableOffset();
            result = appender.appendLocked(cfg, batches, leaderEpoch);
            unstableAfter = producers.firstUnstableOffset();
        } finally {
            lock.unlock();
        }
        Runnable listener = stableOffsetListener;
        if (listener != null && unstableBefore != unstableAfter) {
            listener.run();
        }
        if (result.ok() && !result.duplicate() && end.offset() - flusher.recoveryPoint() >= cfg.flushMessages) {
            flusher.flushUpTo(end.offset());
        }
        return result;
    }

    /** Rolls now if the active segment holds data (tests and admin use). */
    public void roll(boolean ifNotEmpty) throws IOException {
        lock.lock();
        try {
            if (!ifNotEmpty || active.size() > 0) {
                appender.rollLocked();
            }
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Flush

    /**
     * Completes once every offset below {@code offset} is fsynced (offsets above the log end are
     * clamped to it). Concurrent callers share fsyncs: while one runs, new requests queue and the
     * next fsync covers them all. Fails with a StorageException(KAFKA_STORAGE_ERROR) if fsync fails.
     */
    public CompletableFuture<Void> flushUpTo(long offset) {
        return journal.attached() ? journal.syncUpTo(offset) : flusher.flushUpTo(offset);
    }

    /**
     * {@link #flushUpTo} for several logs at once (one acks=all produce request): with a journal,
     * every log's bytes are copied first and the journal is asked once, so the whole request goes
     * out in one group commit rather than the writer waking for the first partition alone.
     */
    public static CompletableFuture<Void> flushAllUpTo(List<Log> logs, long[] offsets) {
        return LogJournal.flushAll(logs, offsets);
    }

    /** Offset below which everything is durable: fsynced in this log's files or in the journal. */
    public long durableOffset() {
        return Math.max(flusher.recoveryPoint(), journal.durable());
    }

    /**
     * As {@link #flushUpTo(long)}, but when no fsync of this log is running the first one runs on
     * the calling thread, so the future is usually complete on return: for a lone small acks=all
     * append, whose two thread hand-offs cost more than the fsync blocks the caller.
     */
    public CompletableFuture<Void> flushUpToHereIfIdle(long offset) {
        // With the journal idle, a lone small append's fsync of its own file on this thread beat a
        // journal write at the median (bench.md, "Journal"); once the journal is busy, joining its
        // next write is what coalesces many producers' appends.
        return journal.attached() && journal.journal().busy()
                ? journal.syncUpTo(offset)
                : flusher.flushUpTo(offset, true);
    }

    // ------------------------------------------------------------------------------------------
    // Journal

    /** From now on acks=all waits on j (see {@link LogJournal}). */
    void attachJournal(Journal j, java.util.UUID topicId, int partition) {
        journal.attach(j, topicId, partition);
    }

    /** fsyncs this log's own files below end (the journal's checkpoint, replay). */
    CompletableFuture<Void> fsyncPartitionUpTo(long end) {
        return flusher.flushUpTo(end);
    }

    /**
     * Journal replay: appends the batches of payload at and after the log end (those below it the
     * log kept). False when they start past the end: a gap nothing can fill.
     */
    boolean replayAppend(java.nio.ByteBuffer payload) throws IOException {
        lock.lock();
        try {
            return appender.appendReplayedLocked(payload);
        } finally {
            lock.unlock();
        }
    }

    /** After journal replay: the producer state and transaction index over what was appended. */
    void finishReplay() throws IOException {
        lock.lock();
        try {
            LogLoader.replayProducerState(segments, producers, txnIndexes, logStartOffset, end.offset());
        } finally {
            lock.unlock();
        }
    }

    /** Flushes if flush.ms has passed since the last flush and there is unflushed data. */
    public void maybeFlushByTime() {
        flusher.maybeFlushByTime(config.flushMs);
    }

    // ------------------------------------------------------------------------------------------
    // Read

    /**
     * Reads whole batches starting with the batch that holds fetchOffset (which may begin before
     * it, as in Kafka), up to maxBytes, from one segment. If the first batch is larger than
     * maxBytes it is returned alone when minOneBatch, else nothing is. OFFSET_OUT_OF_RANGE when
     * fetchOffset is below the log start or above the log end.
     */
    public LogReadResult read(long fetchOffset, int maxBytes, boolean minOneBatch) {
        return read(fetchOffset, maxBytes, minOneBatch, false);
    }

    /**
     * Like {@link #read(long, int, boolean)}; with readCommitted (isolation_level=1) no batch at or
     * above the last stable offset is returned, and the result carries the aborted transactions
     * overlapping the fetched offsets (null when none, as in Kafka's FetchResponse).
     */
    public LogReadResult read(long fetchOffset, int maxBytes, boolean minOneBatch, boolean readCommitted) {
        // The LSO is read before the end: it never passes an end published later.
        long lso = lastStableOffset();
        LogReadResult r = reads.readUpTo(fetchOffset, maxBytes, minOneBatch, readCommitted ? lso : Long.MAX_VALUE);
        return readCommitted ? TxnReads.withAborts(r, lso, fetchOffset, txnIndexes) : r.withLastStableOffset(lso);
    }

    /**
     * ListOffsets: LATEST_TIMESTAMP (-1) gives the log end, EARLIEST_TIMESTAMP (-2) the log start,
     * MAX_TIMESTAMP (-3) the record with the largest timestamp; otherwise the first record whose
     * timestamp is >= timestamp, found through the time index. Empty when there is none.
     */
    public Optional<TimestampAndOffset> fetchOffsetByTimestamp(long timestamp) throws IOException {
        return fetchOffsetByTimestamp(timestamp, false);
    }

    /** ListOffsets with the isolation level: LATEST is the last stable offset for read_committed. */
    public Optional<TimestampAndOffset> fetchOffsetByTimestamp(long timestamp, boolean readCommitted)
            throws IOException {
        if (timestamp == LATEST_TIMESTAMP) {
            return Optional.of(new TimestampAndOffset(-1, readCommitted ? lastStableOffset() : end.offset()));
        }
        if (timestamp == EARLIEST_TIMESTAMP) {
            return Optional.of(new TimestampAndOffset(-1, logStartOffset));
        }
        EndOffset e = end;
        return TimestampLookup.find(segments.values(), timestamp, logStartOffset, e.segmentBase(), e.position());
    }

    /** Convenience for {@link #fetchOffsetByTimestamp}: the first offset with timestamp >= ts, or -1. */
    public long offsetForTimestamp(long timestamp) throws IOException {
        return fetchOffsetByTimestamp(timestamp).map(TimestampAndOffset::offset).orElse(-1L);
    }

    // ------------------------------------------------------------------------------------------
    // Retention and truncation (in LogTrimming)

    /**
     * Deletes the segments wholly below the log start offset (DeleteRecords moved it), and, for
     * cleanup.policy=delete, the oldest segments past retention.ms (by their newest timestamp) and while the
     * log exceeds retention.bytes, as Kafka does: the active segment too when all its data has
     * expired (a new empty segment is rolled first), never an empty active segment. Files are
     * renamed {@code .deleted} and removed after file.delete.delay.ms, so reads in flight finish.
     * Also forgets producers idle past the producer id expiration. Returns segments deleted.
     */
    public int deleteOldSegments() {
        return trimming.deleteOldSegments();
    }

    /**
     * Deletes every segment that lies wholly below {@code offset} (the segment holding it stays,
     * and the active segment always stays). For owners that know which prefix is obsolete, such
     * as the group coordinator after a snapshot. Returns segments deleted.
     */
    public int deleteSegmentsBelow(long offset) throws IOException {
        return trimming.deleteSegmentsBelow(offset);
    }

    /**
     * Removes every batch at or above offset (a batch straddling it goes entirely); the log end
     * becomes the start of the first removed batch. Producer state is rebuilt. Returns whether
     * anything was removed.
     */
    public boolean truncateTo(long offset) throws IOException {
        return trimming.truncateTo(offset);
    }

    /** Drops every segment and starts empty at offset (log start = log end = offset). */
    public void truncateFullyAndStartAt(long offset) throws IOException {
        trimming.truncateFullyAndStartAt(offset);
    }

    /** The cleaner's view of this log (inactive segments, the swap). */
    LogCompaction compaction() {
        return compaction;
    }

    // ------------------------------------------------------------------------------------------
    // Accessors and lifecycle

    public Path dir() {
        return dir;
    }

    public LogConfig config() {
        return config;
    }

    /** Swaps the config (AlterConfigs); applies to later appends, rolls and retention passes. */
    public void updateConfig(LogConfig newConfig) {
        this.config = newConfig;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    /**
     * Raises the log start offset (DeleteRecords, a checkpointed start at load) without touching
     * segments; {@link LogStartOffsets} checks the offset against the high watermark first.
     */
    boolean maybeIncrementLogStartOffset(long offset) {
        lock.lock();
        try {
            if (closed || offline || offset <= logStartOffset || offset > end.offset()) {
                return false;
            }
            logStartOffset = offset;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The offset the next appended record will get. */
    public long logEndOffset() {
        return end.offset();
    }

    /** Single node: every appended record is committed, so this equals the log end offset. */
    public long highWatermark() {
        return end.offset();
    }

    /**
     * The last stable offset: the first offset of the oldest open transaction (never below the
     * log start), else the high watermark. read_committed consumers read below it.
     */
    public long lastStableOffset() {
        long first = producers.firstUnstableOffset();
        long hw = highWatermark();
        return first >= 0 ? Math.min(Math.max(first, logStartOffset), hw) : hw;
    }

    /**
     * Sets, once, what to run after an append moved the first unstable offset (a transaction
     * opened or a marker ended the oldest one), outside the log's lock: the broker wakes the
     * read_committed fetches parked at the LSO. Later calls are ignored.
     */
    public void setStableOffsetListenerIfAbsent(Runnable listener) {
        if (stableOffsetListener == null) {
            stableOffsetListener = listener;
        }
    }

    /** The aborted transactions whose markers lie in [from, to) (tests, the cleaner). */
    List<AbortedTxn> abortedTransactions(long from, long to) {
        return txnIndexes.all().stream()
                .filter(t -> t.lastOffset() >= from && t.lastOffset() < to)
                .toList();
    }

    /** Offset below which all data has been fsynced (what a checkpoint records). */
    public long recoveryPoint() {
        return flusher.recoveryPoint();
    }

    /** Bytes in all live segments. */
    public long size() {
        long s = 0;
        for (LogSegment seg : segments.values()) {
            s += seg.size();
        }
        return s;
    }

    public int numberOfSegments() {
        return segments.size();
    }

    /** Base offsets of the live segments, oldest first. */
    public List<Long> segmentBaseOffsets() {
        return new ArrayList<>(segments.keySet());
    }

    /** How many group fsyncs the flusher has run (tests, metrics). */
    public long fsyncCount() {
        return flusher.fsyncCount();
    }

    public boolean isOffline() {
        return offline;
    }

    /**
     * What the log knows of a producer (for tests and DescribeProducers): coordinatorEpoch -1 and
     * currentTxnStartOffset -1 when it never ended a transaction here / has none open.
     */
    public record ProducerState(
            long producerId,
            short epoch,
            int lastSequence,
            long lastOffset,
            long lastTimestamp,
            int coordinatorEpoch,
            long currentTxnStartOffset) {}

    public Optional<ProducerState> producerState(long producerId) {
        return activeProducers().stream()
                .filter(p -> p.producerId() == producerId)
                .findFirst();
    }

    /** Every producer the partition tracks (DescribeProducers). */
    public List<ProducerState> activeProducers() {
        lock.lock();
        try {
            return producers.entries().stream().map(TxnReads::describe).toList();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Flushes everything, writes a producer snapshot at the log end, trims the indexes and closes
     * the files. Appends afterwards fail with KAFKA_STORAGE_ERROR.
     */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            IOException failure = null;
            try {
                if (!offline) {
                    flusher.fsyncBelow(Long.MAX_VALUE);
                    txnIndexes.flushAll();
                    producers.takeSnapshot(end.offset());
                    flusher.closedFlushedTo(end.offset());
                }
            } catch (IOException e) {
                failure = e;
            }
            closed = true;
            for (LogSegment seg : segments.values()) {
                try {
                    seg.close();
                } catch (IOException e) {
                    if (failure == null) {
                        failure = e;
                    }
                }
            }
            retention.deleteDue(Long.MAX_VALUE, true);
            flusher.answerWaitersAtClose(failure != null);
            if (failure != null) {
                throw failure;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Closes the log and removes its directory. */
    public void delete() throws IOException {
        close();
        StorageFiles.deleteRecursively(dir);
    }

    @Override
    public String toString() {
        return "Log(" + dir + ", start=" + logStartOffset + ", end=" + end.offset() + ")";
    }
}
