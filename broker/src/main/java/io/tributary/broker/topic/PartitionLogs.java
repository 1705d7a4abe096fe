package io.tributary.broker.topic;

import io.tributary.broker.MetaProperties;
import io.tributary.broker.fetch.TopicPartition;
import io.tributary.storage.Log;
import io.tributary.storage.LogConfig;
import io.tributary.storage.Time;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open partition logs, one directory {@code <topic>-<partition>} each under the data
 * directory, as Kafka lays them out. Remembers how far each log is known to be on disk
 * (recovery-point checkpoint, and a clean-shutdown marker) so a restart after a clean stop skips
 * the full recovery scan. Thread-safe: logs are looked up lock-free; open/create/delete are
 * called under the topic manager's monitor; the flush pool fsyncs for all logs.
 */
public final class PartitionLogs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionLogs.class);
    static final String CHECKPOINT_FILE = "recovery-point-offset-checkpoint";
    static final String CLEAN_SHUTDOWN_FILE = ".clean_shutdown";

    private final Path dataDir;
    private final Time time;
    private final long producerIdExpirationMs;
    private final ConcurrentHashMap<TopicPartition, PartitionLog> logs = new ConcurrentHashMap<>();
    private final ExecutorService flusher = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "tributary-log-flusher");
        t.setDaemon(true);
        return t;
    });
    private final boolean cleanShutdown;
    private final Properties recoveryPoints = new Properties();
    private Properties lastCheckpoint;

    public PartitionLogs(Path dataDir, Time time, long producerIdExpirationMs) throws IOException {
        this.dataDir = dataDir;
        this.time = time;
        this.producerIdExpirationMs = producerIdExpirationMs;
        Path marker = dataDir.resolve(CLEAN_SHUTDOWN_FILE);
        this.cleanShutdown = Files.exists(marker);
        Path checkpoint = dataDir.resolve(CHECKPOINT_FILE);
        if (Files.exists(checkpoint)) {
            try (InputStream in = Files.newInputStream(checkpoint)) {
                recoveryPoints.load(in);
            }
        }
        // From now on a crash must not look like a clean shutdown.
        Files.deleteIfExists(marker);
    }

    public static Path dirOf(Path dataDir, TopicPartition tp) {
        return dataDir.resolve(tp.topic() + "-" + tp.partition());
    }

    /** Opens an existing partition at start-up, recovering it as its shutdown state requires. */
    void open(TopicPartition tp, LogConfig config) {
        long recoveryPoint = cleanShutdown ? Long.MAX_VALUE
                : Long.parseLong(recoveryPoints.getProperty(tp.toString(), "0"));
        openLog(tp, config, recoveryPoint);
    }

    /** Creates a new, empty partition log (a stale directory of the same name is removed). */
    void create(TopicPartition tp, LogConfig config) {
        Path dir = dirOf(dataDir, tp);
        if (Files.exists(dir)) {
            try {
                deleteTree(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot clear stale " + dir, e);
            }
        }
        openLog(tp, config, 0L);
    }

    private void openLog(TopicPartition tp, LogConfig config, long recoveryPoint) {
        try {
            Log log = Log.open(dirOf(dataDir, tp), config, time, flusher, recoveryPoint, producerIdExpirationMs);
            logs.put(tp, new PartitionLog(tp, log, time));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open log " + tp, e);
        }
    }

    public PartitionLog get(TopicPartition tp) {
        return logs.get(tp);
    }

    void delete(TopicPartition tp) {
        PartitionLog pl = logs.remove(tp);
        if (pl != null) {
            try {
                pl.log().delete();
            } catch (IOException e) {
                LOG.warn("Could not delete log {}: {}", tp, e.toString());
            }
        }
    }

    /** Time-based flushes (and retention when asked) for every log; run periodically. */
    public void runMaintenance(boolean retention) {
        for (PartitionLog pl : logs.values()) {
            try {
                if (retention) {
                    pl.log().deleteOldSegments();
                }
                pl.log().maybeFlushByTime();
            } catch (RuntimeException e) {
                LOG.warn("Maintenance of {} failed: {}", pl.topicPartition(), e.toString());
            }
        }
        writeCheckpoint();
    }

    private synchronized void writeCheckpoint() {
        Properties p = new Properties();
        for (Map.Entry<TopicPartition, PartitionLog> e : logs.entrySet()) {
            p.setProperty(e.getKey().toString(), Long.toString(e.getValue().log().recoveryPoint()));
        }
        if (p.equals(lastCheckpoint)) {
            return;
        }
        lastCheckpoint = p;
        try {
            MetaProperties.writeAtomically(dataDir, CHECKPOINT_FILE, out -> p.store(out, null));
        } catch (IOException e) {
            LOG.warn("Could not write {}: {}", CHECKPOINT_FILE, e.toString());
        }
    }

    /** Flushes and closes every log, then marks the shutdown clean. */
    @Override
    public void close() {
        boolean allClosed = true;
        for (PartitionLog pl : logs.values()) {
            try {
                pl.log().flushUpTo(Long.MAX_VALUE).join();
                pl.log().close();
            } catch (IOException | RuntimeException e) {
                allClosed = false;
                LOG.warn("Closing log {} failed: {}", pl.topicPartition(), e.toString());
            }
        }
        writeCheckpoint();
        logs.clear();
        flusher.shutdown();
        if (allClosed) {
            try {
                Files.writeString(dataDir.resolve(CLEAN_SHUTDOWN_FILE), "");
            } catch (IOException e) {
                LOG.warn("Could not write the clean shutdown marker: {}", e.toString());
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
