package io.tributary.broker.topic;

import io.tributary.broker.config.BrokerConfig;
import io.tributary.protocol.Errors;
import io.tributary.storage.LogConfig;
import io.tributary.storage.LogManager;
import io.tributary.storage.StorageException;
import io.tributary.storage.Time;
import io.tributary.storage.TopicMetadata;
import io.tributary.storage.TopicNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's view of topics over storage's {@link LogManager} (which persists topic ids,
 * partition counts and overrides, owns the partition logs, recovery checkpoints, retention and
 * the clean-shutdown marker). Adds what is a broker decision: broker defaults for -1 partitions
 * and replication factor, single-node replication, validate-only, and Kafka's error messages.
 * Lookups are lock-free from any event loop; changes are serialised by the log manager.
 */
public final class TopicManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicManager.class);

    private final BrokerConfig config;
    private final LogManager logManager;
    private final Time time;
    private volatile Consumer<TopicPartition> stableOffsetListener;

    public TopicManager(BrokerConfig config, Path dataDir, Time time) throws IOException {
        this.config = config;
        this.time = time;
        this.logManager = new LogManager(dataDir, config.explicitValues(), time);
        logManager.startup();
        LOG.info("Loaded {} topics from {}", logManager.topics().size(), dataDir);
    }

    public LogManager logManager() {
        return logManager;
    }

    private static TopicInfo info(TopicMetadata tm) {
        return new TopicInfo(tm.name(), tm.topicId(), tm.partitions(), tm.overrides());
    }

    public TopicInfo topic(String name) {
        return name == null
                ? null
                : logManager.topic(name).map(TopicManager::info).orElse(null);
    }

    /** The topic with this id (Metadata v12, Fetch v13+, DeleteTopics v6 name topics by id), or null. */
    public TopicInfo topic(UUID topicId) {
        return topicId == null
                ? null
                : logManager.topicById(topicId).map(TopicManager::info).orElse(null);
    }

    public Collection<TopicInfo> topics() {
        List<TopicInfo> out = new ArrayList<>();
        for (TopicMetadata tm : logManager.topics()) {
            out.add(info(tm));
        }
        return out;
    }

    /** The effective log config of a topic: its overrides over the broker's log.* settings. */
    public LogConfig logConfig(TopicInfo t) {
        return logManager
                .topic(t.name())
                .map(TopicMetadata::config)
                .orElseGet(() -> LogConfig.create(config.explicitValues(), t.configOverrides()));
    }

    /**
     * What to tell when a partition's last stable offset may have moved by a transaction marker
     * (the fetch purgatory, so read_committed fetches parked at the LSO wake up).
     */
    public void setStableOffsetListener(Consumer<TopicPartition> listener) {
        this.stableOffsetListener = listener;
    }

    /** The partition's log, or null when the topic or partition does not exist. */
    public PartitionLog log(TopicPartition tp) {
        return logManager
                .log(tp.topic(), tp.partition())
                .map(l -> {
                    Consumer<TopicPartition> listener = stableOffsetListener;
                    if (listener != null) {
                        l.setStableOffsetListenerIfAbsent(() -> listener.accept(tp));
                    }
                    return new PartitionLog(tp, l, time);
                })
                .orElse(null);
    }

    /**
     * Creates a topic with {@code partitions} partitions (-1: num.partitions) and replication
     * factor (-1: default.replication.factor; only 1 is possible on a single node).
     */
    public synchronized TopicResult create(
            String name, int partitions, int replicationFactor, Map<String, String> overrides, boolean validateOnly) {
        String invalid = TopicNames.invalidReason(name);
        if (invalid != null) {
            return TopicResult.of(Errors.INVALID_TOPIC_EXCEPTION, invalid);
        }
        if (logManager.topic(name).isPresent()) {
            return TopicResult.of(Errors.TOPIC_ALREADY_EXISTS, "Topic '" + name + "' already exists.");
        }
        int count = partitions == -1 ? config.numPartitions() : partitions;
        if (count < 1) {
            return TopicResult.of(Errors.INVALID_PARTITIONS, "Number of partitions must be larger than 0.");
        }
        int rf = replicationFactor == -1 ? config.defaultReplicationFactor() : replicationFactor;
        if (rf < 1) {
            return TopicResult.of(Errors.INVALID_REPLICATION_FACTOR, "Replication factor must be larger than 0.");
        }
        if (rf > 1) {
            return TopicResult.of(
                    Errors.INVALID_REPLICATION_FACTOR,
                    "Unable to replicate the partition " + rf
                            + " time(s): The target replication factor of " + rf
                            + " cannot be reached because only 1 broker(s) are registered.");
        }
        try {
            LogConfig.validateOverrides(overrides);
            LogConfig.create(config.explicitValues(), overrides);
        } catch (RuntimeException e) {
            return TopicResult.of(Errors.INVALID_CONFIG, e.getMessage());
        }
        if (validateOnly) {
            String key = TopicNames.collisionKey(name);
            for (TopicMetadata tm : logManager.topics()) {
                if (TopicNames.collisionKey(tm.name()).equals(key)) {
                    return TopicResult.of(
                            Errors.INVALID_TOPIC_EXCEPTION,
                            "Topic '" + name + "' collides with existing topic: " + tm.name());
                }
            }
            return TopicResult.OK;
        }
        return run(() -> logManager.createTopic(name, count, overrides));
    }

    public TopicResult delete(String name) {
        if (!config.deleteTopicEnable()) {
            return TopicResult.of(Errors.TOPIC_DELETION_DISABLED, "Topic deletion is disabled.");
        }
        return run(() -> logManager.deleteTopic(name));
    }

    /**
     * Replaces a topic's config overrides with {@code overrides} (validated first: an unknown key or a bad value is
     * INVALID_CONFIG naming the key) and applies them to its logs at once; durable before this returns.
     */
    public synchronized TopicResult alterConfig(String name, Map<String, String> overrides, boolean validateOnly) {
        String invalid = TopicNames.invalidReason(name);
        if (invalid != null) {
            return TopicResult.of(Errors.INVALID_TOPIC_EXCEPTION, invalid);
        }
        if (topic(name) == null) {
            return TopicResult.of(Errors.UNKNOWN_TOPIC_OR_PARTITION, "The topic '" + name + "' does not exist.");
        }
        try {
            LogConfig.validateOverrides(overrides);
            LogConfig.create(config.explicitValues(), overrides);
        } catch (RuntimeException e) {
            return TopicResult.of(Errors.INVALID_CONFIG, e.getMessage());
        }
        if (validateOnly) {
            return TopicResult.OK;
        }
        return run(() -> logManager.alterTopicConfig(name, overrides));
    }

    /** Grows a topic to {@code total} partitions. */
    public TopicResult createPartitions(String name, int total, boolean validateOnly) {
        TopicInfo t = topic(name);
        if (t == null) {
            return TopicResult.of(Errors.UNKNOWN_TOPIC_OR_PARTITION, "The topic '" + name + "' does not exist.");
        }
        if (total < t.partitions()) {
            return TopicResult.of(
                    Errors.INVALID_PARTITIONS,
                    "Topic currently has " + t.partitions() + " partitions, which is higher than the requested " + total
                            + ".");
        }
        if (total == t.partitions()) {
            return TopicResult.of(Errors.INVALID_PARTITIONS, "Topic already has " + t.partitions() + " partitions.");
        }
        if (validateOnly) {
            return TopicResult.OK;
        }
        return run(() -> logManager.createPartitions(name, total));
    }

    /** A storage call that reports failures as StorageException (with a Kafka error) or IOException. */
    @FunctionalInterface
    private interface StorageCall {
        void run() throws IOException;
    }

    private static TopicResult run(StorageCall call) {
        try {
            call.run();
            return TopicResult.OK;
        } catch (StorageException e) {
            return TopicResult.of(e.error(), e.getMessage());
        } catch (IOException e) {
            LOG.error("Topic operation failed", e);
            return TopicResult.of(Errors.KAFKA_STORAGE_ERROR, e.toString());
        }
    }

    @Override
    public void close() {
        try {
            logManager.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the logs failed", e);
        }
    }
}
