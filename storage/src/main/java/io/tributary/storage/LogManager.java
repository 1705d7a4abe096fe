package io.tributary.storage;

import io.tributary.protocol.Errors;
import io.tributary.protocol.Uuids;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All partition logs of one data directory ({@code log.dirs}): creates, loads, alters and deletes
 * topics and their partitions, marks clean shutdown, and runs retention, flush-by-time and the
 * recovery-point checkpoint on a background thread. The topic files are kept by
 * {@link TopicMetadataStore}, the checkpoint file by {@link RecoveryPointCheckpoint}, DeleteRecords
 * and the log start offsets by {@link LogStartOffsets}; loading the directory at start-up is
 * {@link DataDirLoader}'s. A lock file ({@link DataDirLock}) keeps a second process out of the
 * directory.
 *
 * <p>Threads: topic changes are serialised on this object; lookups ({@link #log}, {@link #topic})
 * are lock-free; the "tributary-log-manager" thread runs retention, flush-by-time and
 * checkpoints; a small pool ("tributary-log-flusher") runs every log's fsyncs; the
 * {@link LogCleaner}'s threads ("tributary-log-cleaner-N") compact the compacted topics.
 */
public final class LogManager implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(LogManager.class);

    public static final String LOCK_FILE = ".lock";
    public static final String CLEAN_SHUTDOWN_FILE = ".tributary_cleanshutdown";
    public static final String RECOVERY_POINT_CHECKPOINT = RecoveryPointCheckpoint.FILE_NAME;
    public static final String LOG_START_OFFSET_CHECKPOINT = LogStartOffsets.FILE_NAME;
    public static final String TOPIC_METADATA_DIR = TopicMetadataStore.DIR_NAME;
    static final String DELETE_SUFFIX = "-delete";
    private static final int JOURNAL_STAGING_BYTES = 1 << 20;

    private final Path dataDir;
    /** Static broker properties with the dynamic broker configs over them; replaced whole by updateBrokerProps. */
    private volatile Map<String, String> brokerProps;

    private final Time time;
    private volatile LogConfig defaultConfig;
    private final long retentionCheckIntervalMs;
    private final long checkpointIntervalMs;
    private final long flushSchedulerIntervalMs;
    private final long producerIdExpirationMs;
    private final int zeroAheadMaxBytes;
    private final long journalFileBytes;
    private final boolean journalDirectIo;
    /** The write-ahead journal acks=all waits on; null when log.journal.file.bytes is 0. */
    private volatile Journal journal;

    private final ExecutorService flusher;
    private final TopicMetadataStore topicFiles;
    private final RecoveryPointCheckpoint checkpoint;
    private final LogStartOffsets logStartOffsets;
    private ScheduledExecutorService scheduler;
    private volatile LogCleaner cleaner;

    private final ConcurrentHashMap<String, TopicMetadata> topics = new ConcurrentHashMap<>();
    /**
     * Topic id to name, for {@link #topicById} (Produce v13, Fetch v13+ and Metadata v12 name topics by id, once per
     * topic of every request): a scan of {@link #topics} cost a comparison per topic on the broker. A topic keeps its
     * id for life, so entries change only on create and delete (under this object's monitor).
     */
    private final ConcurrentHashMap<UUID, String> topicNamesById = new ConcurrentHashMap<>();

    private final ConcurrentHashMap<TopicPartitionKey, Log> logs = new ConcurrentHashMap<>();
    private DataDirLock dirLock;
    private volatile boolean started;
    private volatile boolean shutDown;

    public LogManager(Path dataDir, Map<String, String> brokerProps, Time time) {
        this.dataDir = dataDir;
        this.brokerProps = Map.copyOf(brokerProps);
        this.time = time;
        this.defaultConfig = LogConfig.create(brokerProps, Map.of());
        this.topicFiles = new TopicMetadataStore(dataDir, this.brokerProps);
        this.checkpoint = new RecoveryPointCheckpoint(dataDir);
        this.logStartOffsets = new LogStartOffsets(dataDir);
        this.retentionCheckIntervalMs = longProp(LogConfig.LOG_RETENTION_CHECK_INTERVAL_MS);
        this.checkpointIntervalMs = longProp(LogConfig.LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS);
        this.flushSchedulerIntervalMs = longProp(LogConfig.LOG_FLUSH_SCHEDULER_INTERVAL_MS);
        this.producerIdExpirationMs = longProp(LogConfig.PRODUCER_ID_EXPIRATION_MS);
        this.zeroAheadMaxBytes = (int) longProp(LogConfig.LOG_ZERO_AHEAD_MAX_BYTES);
        this.journalFileBytes = longProp(LogConfig.LOG_JOURNAL_FILE_BYTES);
        this.journalDirectIo = boolProp(LogConfig.LOG_JOURNAL_DIRECT_IO);
        int threads = (int) longProp(LogConfig.LOG_FLUSH_THREADS);
        AtomicInteger n = new AtomicInteger();
        this.flusher = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "tributary-log-flusher-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    private long longProp(String name) {
        String v = brokerProps.getOrDefault(name, LogConfig.brokerDefault(name));
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new StorageException(Errors.INVALID_CONFIG, "Invalid value " + v + " for " + name);
        }
    }

    private boolean boolProp(String name) {
        String v = brokerProps.getOrDefault(name, LogConfig.brokerDefault(name)).trim();
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new StorageException(Errors.INVALID_CONFIG, "Invalid value " + v + " for " + name);
        }
        return Boolean.parseBoolean(v);
    }

    /**
     * Takes the directory lock, deletes leftovers of deleted topics, loads every topic's logs
     * (recovering them; after an unclean shutdown from their checkpointed recovery points) and
     * starts the background thread.
     *
     * @throws StorageException KAFKA_STORAGE_ERROR if another process holds the directory
     */
    public synchronized void startup() throws IOException {
        if (started) {
            return;
        }
        topicFiles.createDirectory();
        dirLock = DataDirLock.acquire(dataDir.resolve(LOCK_FILE), dataDir);
        try {
            new DataDirLoader(dataDir, topicFiles, checkpoint, logStartOffsets, this::openLog).load(topics, logs);
            topics.values().forEach(tm -> topicNamesById.put(tm.topicId(), tm.name()));
            if (journalFileBytes > 0) {
                journal = JournalReplay.recoverAndStart(
                        dataDir, journalFileBytes, journalDirectIo, JOURNAL_STAGING_BYTES, topics, logs);
            }
        } catch (IOException | RuntimeException e) {
            for (Log l : logs.values()) {
                try {
                    l.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            logs.clear();
            releaseLock();
            throw e;
        }
        cleaner = new LogCleaner(dataDir, LogCleaner.Settings.from(brokerProps), time, () -> logs);
        cleaner.startup();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tributary-log-manager");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(
                this::safeRetention, retentionCheckIntervalMs, retentionCheckIntervalMs, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(
                this::safeCheckpoint, checkpointIntervalMs, checkpointIntervalMs, TimeUnit.MILLISECONDS);
        if (flushSchedulerIntervalMs != Long.MAX_VALUE) {
            scheduler.scheduleWithFixedDelay(
                    this::flushByTime, flushSchedulerIntervalMs, flushSchedulerIntervalMs, TimeUnit.MILLISECONDS);
        }
        started = true;
    }

    private Log openLog(TopicPartitionKey key, LogConfig config, long recoveryPoint) throws IOException {
        Log log = Log.open(
                partitionDir(key.topic(), key.partition()),
                config,
                time,
                flusher,
                recoveryPoint,
                producerIdExpirationMs);
        log.zeroAheadMaxBytes = zeroAheadMaxBytes;
        return log;
    }

    /** The journal, or null without one (tests). */
    Journal journal() {
        return journal;
    }

    private Path partitionDir(String topic, int partition) {
        return dataDir.resolve(topic + "-" + partition);
    }

    // ------------------------------------------------------------------------------------------
    // Topic changes

    /** Creates a topic with a new random id. */
    public TopicMetadata createTopic(String topic, int partitions, Map<String, String> configOverrides)
            throws IOException {
        return createTopic(topic, Uuids.random(), partitions, configOverrides);
    }

    /**
     * Creates a topic: validates name, count and configs, makes the partition directories, then
     * commits by writing the topic file (a crash before that leaves nothing behind after restart).
     *
     * @throws StorageException TOPIC_ALREADY_EXISTS, INVALID_TOPIC_EXCEPTION, INVALID_PARTITIONS,
     *     INVALID_CONFIG, KAFKA_STORAGE_ERROR
     */
    public synchronized TopicMetadata createTopic(
            String topic, UUID topicId, int partitions, Map<String, String> configOverrides) throws IOException {
        checkRunning();
        TopicNames.validate(topic);
        if (topics.containsKey(topic)) {
            throw new StorageException(Errors.TOPIC_ALREADY_EXISTS, "Topic '" + topic + "' already exists.");
        }
        String collisionKey = TopicNames.collisionKey(topic);
        for (String existing : topics.keySet()) {
            if (TopicNames.collisionKey(existing).equals(collisionKey)) {
                throw new StorageException(
                        Errors.INVALID_TOPIC_EXCEPTION,
                        "Topic '" + topic + "' collides with existing topic: " + existing);
            }
        }
        if (partitions < 1) {
            throw new StorageException(Errors.INVALID_PARTITIONS, "Number of partitions must be larger than 0.");
        }
        LogConfig config = LogConfig.create(brokerProps, configOverrides);
        TopicMetadata tm = new TopicMetadata(topic, topicId, partitions, config.overrides(), config);
        createLogsAndCommit(tm, 0, "create topic " + topic);
        topics.put(topic, tm);
        topicNamesById.put(topicId, topic);
        LOG.info("Created topic {} ({}) with {} partitions, overrides {}", topic, topicId, partitions, tm.overrides());
        return tm;
    }

    /**
     * Grows a topic to totalCount partitions (CreatePartitions).
     *
     * @throws StorageException UNKNOWN_TOPIC_OR_PARTITION, INVALID_PARTITIONS
     */
    public synchronized TopicMetadata createPartitions(String topic, int totalCount) throws IOException {
        checkRunning();
        TopicMetadata tm = requireTopic(topic);
        if (totalCount <= tm.partitions()) {
            throw new StorageException(
                    Errors.INVALID_PARTITIONS,
                    "Topic currently has " + tm.partitions() + " partitions, which is higher than the requested "
                            + totalCount + ".");
        }
        TopicMetadata updated = new TopicMetadata(topic, tm.topicId(), totalCount, tm.overrides(), tm.config());
        createLogsAndCommit(updated, tm.partitions(), "create partitions for " + topic);
        topics.put(topic, updated);
        return updated;
    }

    /**
     * Opens empty logs for partitions [from, partitions) of committed, then commits them by
     * writing its topic file; a failure before that point removes what was made, so nothing of
     * an unacknowledged change survives a restart. Caller holds this object's monitor.
     */
    private void createLogsAndCommit(TopicMetadata committed, int from, String what) {
        String topic = committed.name();
        List<Log> created = new ArrayList<>();
        try {
            for (int p = from; p < committed.partitions(); p++) {
                Path d = partitionDir(topic, p);
                if (Files.exists(d)) {
                    StorageFiles.deleteRecursively(d); // stale leftover of an uncommitted create
                }
                created.add(openLog(new TopicPartitionKey(topic, p), committed.config(), 0L));
            }
            topicFiles.write(committed);
        } catch (IOException | RuntimeException e) {
            for (Log l : created) {
                try {
                    l.delete();
                } catch (IOException ignored) {
                    // best effort; start-up removes partition directories of no topic anyway
                }
            }
            throw storageError(what, e);
        }
        for (int i = 0; i < created.size(); i++) {
            Journal j = journal;
            if (j != null) {
                created.get(i).attachJournal(j, committed.topicId(), from + i);
            }
            logs.put(new TopicPartitionKey(topic, from + i), created.get(i));
        }
    }

    /**
     * Replaces a topic's config overrides (the full set, as AlterConfigs does) and applies the
     * new config to its logs.
     */
    public synchronized TopicMetadata alterTopicConfig(String topic, Map<String, String> newOverrides)
            throws IOException {
        checkRunning();
        TopicMetadata tm = requireTopic(topic);
        LogConfig config = LogConfig.create(brokerProps, newOverrides);
        TopicMetadata updated = new TopicMetadata(topic, tm.topicId(), tm.partitions(), config.overrides(), config);
        try {
            topicFiles.write(updated);
        } catch (IOException e) {
            throw storageError("alter config of " + topic, e);
        }
        topics.put(topic, updated);
        for (int p = 0; p < tm.partitions(); p++) {
            Log l = logs.get(new TopicPartitionKey(topic, p));
            if (l != null) {
                l.updateConfig(config);
            }
        }
        return updated;
    }

    /**
     * Replaces the broker properties that topics take their defaults from (the static ones with the dynamic broker
     * configs over them). Every topic without its own override of a key picks the new value up at once; a change of
     * a cleaner key restarts the cleaner threads with the new settings, as Kafka's reconfiguration does. Validated
     * first: a bad value changes nothing.
     *
     * @throws StorageException INVALID_CONFIG naming the key of a bad value
     */
    public synchronized void updateBrokerProps(Map<String, String> props) {
        LogConfig newDefault = LogConfig.create(props, Map.of());
        LogCleaner.Settings newCleaner = LogCleaner.Settings.from(props);
        Map<String, TopicMetadata> updated = new HashMap<>();
        for (TopicMetadata tm : topics.values()) {
            LogConfig config = LogConfig.create(props, tm.overrides());
            updated.put(tm.name(), new TopicMetadata(tm.name(), tm.topicId(), tm.partitions(), tm.overrides(), config));
        }
        boolean cleanerChanged = !newCleaner.equals(LogCleaner.Settings.from(brokerProps));
        brokerProps = Map.copyOf(props);
        defaultConfig = newDefault;
        updated.forEach((name, tm) -> {
            topics.put(name, tm);
            for (int p = 0; p < tm.partitions(); p++) {
                Log l = logs.get(new TopicPartitionKey(name, p));
                if (l != null) {
                    l.updateConfig(tm.config());
                }
            }
        });
        if (cleanerChanged && cleaner != null && !shutDown) {
            cleaner.close();
            cleaner = new LogCleaner(dataDir, newCleaner, time, () -> logs);
            cleaner.startup();
            LOG.info("Log cleaner restarted with {}", newCleaner);
        }
    }

    /** Deletes a topic: the topic file first (the commit point), then its partition directories. */
    public synchronized void deleteTopic(String topic) throws IOException {
        checkRunning();
        TopicMetadata tm = requireTopic(topic);
        try {
            topicFiles.delete(topic);
        } catch (IOException e) {
            throw storageError("delete topic " + topic, e);
        }
        topics.remove(topic);
        topicNamesById.remove(tm.topicId());
        String suffix = "." + tm.topicId().toString().replace("-", "") + DELETE_SUFFIX;
        for (int p = 0; p < tm.partitions(); p++) {
            TopicPartitionKey key = new TopicPartitionKey(topic, p);
            cleaner.abortAndPause(key);
            Log l = logs.remove(key);
            cleaner.forget(key);
            if (l == null) {
                continue;
            }
            try {
                l.close();
                Path d = l.dir();
                Path renamed = d.resolveSibling(d.getFileName() + suffix);
                Files.move(d, renamed, StandardCopyOption.ATOMIC_MOVE);
                StorageFiles.deleteRecursively(renamed);
            } catch (IOException e) {
                // The topic is gone; leftovers are removed at the next start-up.
                LOG.warn("Could not remove files of deleted partition {}-{}: {}", topic, p, e.toString());
            }
        }
        try {
            logStartOffsets.write(logs);
        } catch (IOException e) {
            // Start-up rewrites the file without the deleted topic before anything can reuse its name.
            LOG.warn("Could not rewrite the log start offsets after deleting {}: {}", topic, e.toString());
        }
        LOG.info("Deleted topic {} ({})", topic, tm.topicId());
    }

    private TopicMetadata requireTopic(String topic) {
        TopicMetadata tm = topics.get(topic);
        if (tm == null) {
            throw new StorageException(
                    Errors.UNKNOWN_TOPIC_OR_PARTITION, "This server does not host this topic: " + topic);
        }
        return tm;
    }

    private void checkRunning() {
        if (!started || shutDown) {
            throw new StorageException(Errors.KAFKA_STORAGE_ERROR, "log manager is not running");
        }
    }

    private static StorageException storageError(String what, Exception e) {
        if (e instanceof StorageException se) {
            return se;
        }
        return new StorageException(Errors.KAFKA_STORAGE_ERROR, "Could not " + what + ": " + e, e);
    }

    /**
     * DeleteRecords: moves the partition's log start offset to {@code offset} (-1: the high
     * watermark), durably, and deletes the segments wholly below it. Returns the new log start.
     *
     * @throws StorageException UNKNOWN_TOPIC_OR_PARTITION, POLICY_VIOLATION, OFFSET_OUT_OF_RANGE,
     *     KAFKA_STORAGE_ERROR
     */
    public synchronized long deleteRecords(String topic, int partition, long offset) throws IOException {
        checkRunning();
        TopicPartitionKey key = new TopicPartitionKey(topic, partition);
        Log log = logs.get(key);
        if (log == null) {
            throw new StorageException(
                    Errors.UNKNOWN_TOPIC_OR_PARTITION,
                    "This server does not host this topic-partition: " + topic + "-" + partition);
        }
        return logStartOffsets.deleteRecords(key, log, offset, logs);
    }

    // ------------------------------------------------------------------------------------------
    // Lookups

    public Optional<Log> log(String topic, int partition) {
        return Optional.ofNullable(logs.get(new TopicPartitionKey(topic, partition)));
    }

    public Optional<TopicMetadata> topic(String name) {
        return Optional.ofNullable(topics.get(name));
    }

    public Optional<TopicMetadata> topicById(UUID id) {
        String name = topicNamesById.get(id);
        TopicMetadata tm = name == null ? null : topics.get(name);
        // Checked: a lookup racing a delete and re-create of the name must not answer with the new topic.
        return tm != null && tm.topicId().equals(id) ? Optional.of(tm) : Optional.empty();
    }

    /** All topics, sorted by name. */
    public List<TopicMetadata> topics() {
        List<TopicMetadata> all = new ArrayList<>(topics.values());
        all.sort((a, b) -> a.name().compareTo(b.name()));
        return all;
    }

    /** The log cleaner (null before {@link #startup}); tests run its passes directly. */
    public LogCleaner cleaner() {
        return cleaner;
    }

    /** The config a topic without overrides gets. */
    public LogConfig defaultConfig() {
        return defaultConfig;
    }

    public Map<String, String> brokerProps() {
        return brokerProps;
    }

    public Path dataDir() {
        return dataDir;
    }

    // ------------------------------------------------------------------------------------------
    // Background work

    /** One retention pass over every log (the background thread calls this). Returns segments deleted. */
    public int runRetention() {
        int deleted = 0;
        for (Log l : logs.values()) {
            deleted += l.deleteOldSegments();
        }
        return deleted;
    }

    private void safeRetention() {
        try {
            runRetention();
        } catch (RuntimeException e) {
            LOG.error("Retention pass failed", e);
        }
    }

    private void flushByTime() {
        for (Log l : logs.values()) {
            try {
                l.maybeFlushByTime();
            } catch (RuntimeException e) {
                LOG.error("Flush of {} failed", l.dir(), e);
            }
        }
    }

    private void safeCheckpoint() {
        try {
            checkpointRecoveryPoints();
        } catch (IOException | RuntimeException e) {
            LOG.error("Recovery point checkpoint failed", e);
        }
    }

    /** Writes every log's recovery point (Kafka's checkpoint file format). */
    public synchronized void checkpointRecoveryPoints() throws IOException {
        Map<TopicPartitionKey, Long> points = new HashMap<>();
        logs.forEach((key, log) -> points.put(key, log.recoveryPoint()));
        checkpoint.write(points);
        logStartOffsets.write(logs);
    }

    // ------------------------------------------------------------------------------------------
    // Shutdown

    /**
     * Stops the background thread, flushes and closes every log, writes the recovery points and
     * the clean-shutdown marker (so the next start-up skips full recovery), releases the lock.
     */
    @Override
    public synchronized void close() throws IOException {
        if (shutDown || !started) {
            shutDown = true;
            flusher.shutdown();
            return;
        }
        shutDown = true;
        // No interrupts: an interrupted thread inside FileChannel I/O closes the channel for
        // everyone (ClosedByInterruptException), which would take a healthy log offline.
        cleaner.close();
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("Background log work did not finish within 30 s; closing anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean allClean = true;
        for (Log l : logs.values()) {
            try {
                l.close();
            } catch (IOException e) {
                allClean = false;
                LOG.error("Closing {} failed", l.dir(), e);
            }
        }
        if (journal != null) {
            journal.close(allClean);
        }
        try {
            checkpointRecoveryPoints();
            if (allClean) {
                StorageFiles.writeAtomically(
                        dataDir.resolve(CLEAN_SHUTDOWN_FILE), "clean shutdown at " + time.milliseconds() + "\n");
            }
        } finally {
            flusher.shutdown();
            releaseLock();
        }
        LOG.info("Log manager for {} shut down ({})", dataDir, allClean ? "clean" : "with errors");
    }

    private void releaseLock() throws IOException {
        if (dirLock != null) {
            dirLock.close();
            dirLock = null;
        }
    }

    @Override
    public String toString() {
        return "LogManager(" + dataDir + ", " + topics.size() + " topics)";
    }
}
