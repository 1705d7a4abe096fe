package io.tributary.storage;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up of one data directory, for {@link LogManager}: removes the {@code -delete} leftovers of
 * deleted topics, opens every committed topic's partition logs (recovering them from the
 * checkpointed recovery points unless the clean-shutdown marker is there), restores the
 * checkpointed log start offsets, removes partition directories no topic file owns, and deletes
 * the clean-shutdown marker. Split out of the log manager for size; used once, under its monitor,
 * before anything else sees the logs.
 */
final class DataDirLoader {
    // Logged under the log manager's name, as before the split.
    private static final Logger LOG = LoggerFactory.getLogger(LogManager.class);

    /** Opens one partition's log (the log manager's flusher pool, clock and producer expiry). */
    @FunctionalInterface
    interface LogOpener {
        Log open(TopicPartitionKey key, LogConfig config, long recoveryPoint) throws IOException;
    }

    private final Path dataDir;
    private final TopicMetadataStore topicFiles;
    private final RecoveryPointCheckpoint checkpoint;
    private final LogStartOffsets logStartOffsets;
    private final LogOpener opener;

    DataDirLoader(
            Path dataDir,
            TopicMetadataStore topicFiles,
            RecoveryPointCheckpoint checkpoint,
            LogStartOffsets logStartOffsets,
            LogOpener opener) {
        this.dataDir = dataDir;
        this.topicFiles = topicFiles;
        this.checkpoint = checkpoint;
        this.logStartOffsets = logStartOffsets;
        this.opener = opener;
    }

    /**
     * Fills {@code topics} and {@code logs} from the directory, recovering each log from its
     * checkpointed recovery point (everything after an unclean shutdown is checked from there),
     * and removes what no committed topic owns. Ends by deleting the clean-shutdown marker.
     */
    void load(Map<String, TopicMetadata> topics, Map<TopicPartitionKey, Log> logs) throws IOException {
        Path cleanMarker = dataDir.resolve(LogManager.CLEAN_SHUTDOWN_FILE);
        boolean clean = Files.exists(cleanMarker);
        Map<TopicPartitionKey, Long> recoveryPoints = checkpoint.read();
        Map<TopicPartitionKey, Long> starts = logStartOffsets.read();
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dataDir, Files::isDirectory)) {
            ds.forEach(children::add);
        }
        for (Path p : children) {
            if (p.getFileName().toString().endsWith(LogManager.DELETE_SUFFIX)) {
                StorageFiles.deleteRecursively(p);
            }
        }
        for (TopicMetadata tm : topicFiles.loadAll()) {
            topics.put(tm.name(), tm);
        }
        for (TopicMetadata tm : topics.values()) {
            for (int p = 0; p < tm.partitions(); p++) {
                TopicPartitionKey key = new TopicPartitionKey(tm.name(), p);
                long rp = clean ? Long.MAX_VALUE : recoveryPoints.getOrDefault(key, 0L);
                Log log = opener.open(key, tm.config(), rp);
                logs.put(key, log);
                if (starts.containsKey(key)) {
                    LogStartOffsets.restore(log, starts.get(key));
                }
            }
        }
        // Drops entries of topics deleted before a crash, so a new topic of that name starts at 0.
        logStartOffsets.write(logs);
        for (Path p : children) {
            String n = p.getFileName().toString();
            TopicPartitionKey key = parsePartitionDir(n);
            if (key != null && !logs.containsKey(key) && Files.exists(p)) {
                // Left by a create that crashed before its topic file was written, or a partition
                // count that was never committed: never acknowledged, so removed.
                LOG.warn("Removing partition directory {} that belongs to no topic", p);
                StorageFiles.deleteRecursively(p);
            }
        }
        // From here on a crash must be treated as unclean.
        Files.deleteIfExists(cleanMarker);
        LOG.info(
                "Loaded {} topics, {} partitions from {} ({})",
                topics.size(),
                logs.size(),
                dataDir,
                clean
                        ? "after a clean shutdown"
                        : topics.isEmpty() ? "new or empty" : "recovered after an unclean shutdown");
    }

    private static TopicPartitionKey parsePartitionDir(String name) {
        int dash = name.lastIndexOf('-');
        if (dash <= 0 || dash == name.length() - 1) {
            return null;
        }
        try {
            int p = Integer.parseInt(name.substring(dash + 1));
            String topic = name.substring(0, dash);
            return p >= 0 && TopicNames.hasLegalCharacters(topic) ? new TopicPartitionKey(topic, p) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
