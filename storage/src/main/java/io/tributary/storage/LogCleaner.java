package io.tributary.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compaction for the logs of one data directory whose cleanup.policy contains {@code compact}:
 * chooses the dirtiest cleanable log, has a {@link Cleaner} clean it, and records how far in the
 * {@code cleaner-offset-checkpoint} file ({@link CleanerCheckpoint}), as Kafka's LogCleaner and
 * LogCleanerManager do. A log is cleanable when its dirty ratio (bytes of the dirty range over
 * bytes of the clean and dirty ranges) is above min.cleanable.dirty.ratio, or when its oldest
 * dirty record is older than max.compaction.lag.ms; the dirty range runs from the checkpoint to
 * the active segment, cut short at the first segment holding records newer than
 * min.compaction.lag.ms. Retention still applies to {@code compact,delete} logs (the log
 * manager's retention pass).
 *
 * <p>Threads: {@code log.cleaner.threads} background threads ("tributary-log-cleaner-N"), each
 * cleaning logs while any is cleanable and then backing off {@code log.cleaner.backoff.ms}. A
 * log is cleaned by one thread at a time. A failed cleaning (I/O error, full disk) leaves the
 * log as it was and is retried after the backoff. The choice runs under this object's monitor;
 * the cleaning itself does not.
 */
public final class LogCleaner implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(LogCleaner.class);
    private static final int IO_BUFFER_SIZE = 512 * 1024;

    /** The broker's cleaner properties. */
    record Settings(
            boolean enabled,
            int threads,
            long backoffMs,
            double ioMaxBytesPerSecond,
            long dedupeBufferSize,
            double loadFactor) {
        static Settings from(Map<String, String> brokerProps) {
            return new Settings(
                    Boolean.parseBoolean(prop(brokerProps, LogConfig.LOG_CLEANER_ENABLE)),
                    Integer.parseInt(prop(brokerProps, LogConfig.LOG_CLEANER_THREADS)),
                    Long.parseLong(prop(brokerProps, LogConfig.LOG_CLEANER_BACKOFF_MS)),
                    Double.parseDouble(prop(brokerProps, LogConfig.LOG_CLEANER_IO_MAX_BYTES_PER_SECOND)),
                    Long.parseLong(prop(brokerProps, LogConfig.LOG_CLEANER_DEDUPE_BUFFER_SIZE)),
                    Double.parseDouble(prop(brokerProps, LogConfig.LOG_CLEANER_IO_BUFFER_LOAD_FACTOR)));
        }

        private static String prop(Map<String, String> props, String name) {
            return props.getOrDefault(name, LogConfig.brokerDefault(name)).trim();
        }
    }

    /** A log's cleanable state at the moment of the choice. */
    record LogToClean(
            TopicPartitionKey key,
            Log log,
            long firstDirtyOffset,
            long firstUncleanableOffset,
            long cleanBytes,
            long dirtyBytes,
            boolean needCompactionNow,
            boolean deleteHorizonDue) {
        double dirtyRatio() {
            long total = cleanBytes + dirtyBytes;
            return total == 0 ? 0 : (double) dirtyBytes / total;
        }
    }

    private final Settings settings;
    private final Time time;
    private final Supplier<Map<TopicPartitionKey, Log>> logs;
    private final CleanerCheckpoint checkpoint;
    private final Throttler throttler;
    private final Map<TopicPartitionKey, AtomicBoolean> inProgress = new ConcurrentHashMap<>();
    private final Set<TopicPartitionKey> paused = ConcurrentHashMap.newKeySet();
    private final Map<TopicPartitionKey, Long> failedAtMs = new ConcurrentHashMap<>();
    /** Earliest delete horizon of a marker the last cleaning left waiting, per log (in memory, as Kafka). */
    private final Map<TopicPartitionKey, Long> deleteHorizons = new ConcurrentHashMap<>();

    private volatile Cleaner.Hook hook = Cleaner.Hook.NONE;
    private volatile boolean stopping;
    private ScheduledExecutorService pool;

    LogCleaner(Path dataDir, Settings settings, Time time, Supplier<Map<TopicPartitionKey, Log>> logs) {
        this(dataDir, settings, time, Throttler.THREAD_SLEEP, logs);
    }

    LogCleaner(
            Path dataDir,
            Settings settings,
            Time time,
            Throttler.Sleeper sleeper,
            Supplier<Map<TopicPartitionKey, Log>> logs) {
        this.settings = settings;
        this.time = time;
        this.logs = logs;
        this.checkpoint = new CleanerCheckpoint(dataDir);
        this.throttler = new Throttler(settings.ioMaxBytesPerSecond(), time, sleeper);
    }

    /** Starts the background threads (none when disabled or log.cleaner.threads is 0). */
    synchronized void startup() {
        if (!settings.enabled() || settings.threads() <= 0 || pool != null) {
            return;
        }
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newScheduledThreadPool(settings.threads(), r -> {
            Thread t = new Thread(r, "tributary-log-cleaner-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < settings.threads(); i++) {
            pool.scheduleWithFixedDelay(
                    this::cleanWhileCleanable, settings.backoffMs(), settings.backoffMs(), TimeUnit.MILLISECONDS);
        }
        LOG.info("Log cleaner started with {} thread(s)", settings.threads());
    }

    private void cleanWhileCleanable() {
        try {
            while (!stopping && cleanFilthiestLog()) {
                // keep going while there is work; back off once there is none
            }
        } catch (RuntimeException e) {
            LOG.error("Log cleaner pass failed", e);
        }
    }

    /**
     * One cleaning: the dirtiest cleanable log not being cleaned by another thread. Returns
     * whether a log was cleaned; failures are logged and the log is retried after the backoff.
     */
    public boolean cleanFilthiestLog() {
        LogToClean ltc = grabFilthiestLog();
        if (ltc == null) {
            return false;
        }
        AtomicBoolean abort = inProgress.get(ltc.key());
        TopicPartitionKey key = ltc.key();
        try {
            Cleaner cleaner =
                    new Cleaner(ltc.log(), time, throttler, hook, () -> abort.get() || stopping, IO_BUFFER_SIZE);
            long memory = settings.dedupeBufferSize() / Math.max(1, settings.threads());
            long startNs = time.nanoseconds();
            Cleaner.Stats stats = cleaner.clean(
                    ltc.firstDirtyOffset(),
                    ltc.firstUncleanableOffset(),
                    memory,
                    settings.loadFactor(),
                    ltc.deleteHorizonDue());
            if (stats == null && ltc.deleteHorizonDue() && ltc.dirtyBytes() == 0) {
                deleteHorizons.remove(key);
                return false;
            }
            if (stats == null) {
                LOG.warn(
                        "{}: log.cleaner.dedupe.buffer.size {} holds not even one batch of the dirty range; not cleaned",
                        key,
                        settings.dedupeBufferSize());
                failedAtMs.put(key, time.milliseconds());
                return false;
            }
            checkpoint.update(key, stats.endOffset());
            failedAtMs.remove(key);
            if (stats.nextDeleteHorizonMs() >= 0) {
                deleteHorizons.put(key, stats.nextDeleteHorizonMs());
            } else {
                deleteHorizons.remove(key);
            }
            LOG.info(
                    "{}-{}: cleaned up to offset {} (dirty ratio was {}): {} groups, {} bytes read, {} written,"
                            + " {} records kept, {} removed, in {} ms",
                    key.topic(),
                    key.partition(),
                    stats.endOffset(),
                    String.format("%.2f", ltc.dirtyRatio()),
                    stats.groups(),
                    stats.bytesRead(),
                    stats.bytesWritten(),
                    stats.recordsKept(),
                    stats.recordsDropped(),
                    (time.nanoseconds() - startNs) / 1_000_000);
            return true;
        } catch (Cleaner.AbortedException e) {
            LOG.info("{}-{}: cleaning stopped: {}", key.topic(), key.partition(), e.getMessage());
            return false;
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "{}-{}: cleaning failed and left the log as it was; retrying in {} ms: {}",
                    key.topic(),
                    key.partition(),
                    settings.backoffMs(),
                    e.toString());
            failedAtMs.put(key, time.milliseconds());
            return false;
        } finally {
            synchronized (this) {
                inProgress.remove(key);
                notifyAll();
            }
        }
    }

    /** Chooses the dirtiest cleanable log and marks it in progress; null when none. */
    private synchronized LogToClean grabFilthiestLog() {
        if (stopping) {
            return null;
        }
        long now = time.milliseconds();
        LogToClean best = null;
        for (Map.Entry<TopicPartitionKey, Log> e : logs.get().entrySet()) {
            TopicPartitionKey key = e.getKey();
            Long failed = failedAtMs.get(key);
            if (inProgress.containsKey(key)
                    || paused.contains(key)
                    || (failed != null && now - failed < settings.backoffMs())) {
                continue;
            }
            try {
                LogToClean ltc = cleanable(key, e.getValue(), now);
                if (ltc != null && (best == null || ltc.dirtyRatio() > best.dirtyRatio())) {
                    best = ltc;
                }
            } catch (IOException | RuntimeException ex) {
                LOG.warn("{}: could not measure for cleaning: {}", key, ex.toString());
            }
        }
        if (best != null) {
            inProgress.put(best.key(), new AtomicBoolean());
        }
        return best;
    }

    /** The log's cleanable range and its ratio, or null when it is not to be cleaned now. */
    LogToClean cleanable(TopicPartitionKey key, Log log, long now) throws IOException {
        LogConfig cfg = log.config();
        if (!cfg.compact() || log.isOffline()) {
            return null;
        }
        LogCompaction.Inactive inactive = log.compaction().inactiveSegments();
        List<LogSegment> segs = inactive.segments();
        if (segs.isEmpty()) {
            return null;
        }
        long start = log.logStartOffset();
        long cp = checkpoint.get(key);
        // A checkpoint outside the log (retention moved the start, or a truncation) means dirty from the start.
        long firstDirty = cp < start || cp > log.logEndOffset() ? start : cp;
        // Open transactions are never cleaned: the range ends at the last stable offset too.
        long firstUncleanable = Math.min(inactive.activeBaseOffset(), log.lastStableOffset());
        long clean = 0;
        long dirty = 0;
        LogSegment firstDirtySegment = null;
        for (int i = 0; i < segs.size(); i++) {
            LogSegment seg = segs.get(i);
            long next = i + 1 < segs.size() ? segs.get(i + 1).baseOffset() : inactive.activeBaseOffset();
            if (next <= firstDirty) {
                clean += seg.size();
                continue;
            }
            if (seg.baseOffset() >= firstUncleanable) {
                break;
            }
            if (cfg.minCompactionLagMs > 0 && seg.largestTimestamp() > now - cfg.minCompactionLagMs) {
                firstUncleanable = Math.max(firstDirty, seg.baseOffset());
                break;
            }
            if (firstDirtySegment == null) {
                firstDirtySegment = seg;
            }
            dirty += seg.size();
        }
        // A marker's delete horizon passed: clean again even with nothing new (Kafka's KIP-534).
        Long horizon = deleteHorizons.get(key);
        boolean horizonDue = horizon != null && horizon <= now && firstDirty > start;
        if (dirty == 0 || firstUncleanable <= firstDirty) {
            if (!horizonDue) {
                return null;
            }
            return new LogToClean(key, log, firstDirty, firstDirty, clean, 0, false, true);
        }
        boolean needNow = false;
        if (cfg.maxCompactionLagMs < Long.MAX_VALUE) {
            long ts = firstDirtySegment.firstBatchTimestamp();
            if (ts < 0) {
                ts = firstDirtySegment.lastModified();
            }
            needNow = now - ts > cfg.maxCompactionLagMs;
        }
        LogToClean ltc = new LogToClean(key, log, firstDirty, firstUncleanable, clean, dirty, needNow, horizonDue);
        // Strictly above, as Kafka's LogCleanerManager: min.cleanable.dirty.ratio=1 cleans only at
        // max.compaction.lag.ms.
        return needNow || horizonDue || ltc.dirtyRatio() > cfg.minCleanableDirtyRatio ? ltc : null;
    }

    /**
     * Stops any cleaning of the partition, waits for it to end, and keeps the partition from
     * being chosen until {@link #resume} or {@link #forget} (topic deletion).
     */
    void abortAndPause(TopicPartitionKey key) {
        paused.add(key);
        synchronized (this) {
            AtomicBoolean flag = inProgress.get(key);
            if (flag != null) {
                flag.set(true);
            }
            while (inProgress.containsKey(key)) {
                try {
                    wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    void resume(TopicPartitionKey key) {
        paused.remove(key);
    }

    /** Forgets a deleted partition: its checkpoint entry and any pause. */
    void forget(TopicPartitionKey key) {
        try {
            checkpoint.remove(key);
        } catch (IOException e) {
            LOG.warn("Could not update {}: {}", CleanerCheckpoint.FILE_NAME, e.toString());
        }
        failedAtMs.remove(key);
        deleteHorizons.remove(key);
        paused.remove(key);
    }

    /** Where the partition's dirty range starts, as checkpointed; -1 when never cleaned. */
    long checkpointedOffset(TopicPartitionKey key) {
        return checkpoint.get(key);
    }

    /** Tests: called at each step of writing and swapping a cleaned segment. */
    void hook(Cleaner.Hook h) {
        this.hook = h;
    }

    /** Stops the threads after the cleaning in progress notices (no interrupts: they would close channels). */
    @Override
    public void close() {
        stopping = true;
        ScheduledExecutorService p;
        synchronized (this) {
            p = pool;
            pool = null;
        }
        if (p == null) {
            return;
        }
        p.shutdown();
        try {
            if (!p.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("Log cleaner did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
