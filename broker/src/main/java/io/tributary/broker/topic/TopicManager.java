package io.tributary.broker.topic;

import io.tributary.broker.MetaProperties;
import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.fetch.TopicPartition;
import io.tributary.protocol.Errors;
import io.tributary.storage.LogConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's topics: names, ids, partition counts and config overrides, persisted in
 * {@code topics.properties} (atomic rewrite on every change) so they survive restarts; the
 * partition logs themselves live in {@link PartitionLogs}. Reads are lock-free from any event
 * loop; changes (create, delete, add partitions) are serialised by this object's monitor.
 */
public final class TopicManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicManager.class);
    static final String FILE_NAME = "topics.properties";

    private final BrokerConfig config;
    private final Path dataDir;
    private final Map<String, String> brokerProps;
    private final ConcurrentHashMap<String, TopicInfo> topics = new ConcurrentHashMap<>();
    private final PartitionLogs logs;

    public TopicManager(BrokerConfig config, Path dataDir, PartitionLogs logs) throws IOException {
        this.config = config;
        this.dataDir = dataDir;
        this.brokerProps = config.explicitValues();
        this.logs = logs;
        load();
        for (TopicInfo t : topics.values()) {
            LogConfig lc = logConfig(t);
            for (int p = 0; p < t.partitions(); p++) {
                logs.open(new TopicPartition(t.name(), p), lc);
            }
        }
        LOG.info("Loaded {} topics from {}", topics.size(), dataDir);
    }

    private void load() throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        for (String name : p.stringPropertyNames()) {
            Map<String, String> fields = decode(p.getProperty(name));
            Map<String, String> overrides = new TreeMap<>();
            fields.forEach((k, v) -> {
                if (k.startsWith("config.")) {
                    overrides.put(k.substring("config.".length()), v);
                }
            });
            topics.put(name, new TopicInfo(name, UUID.fromString(fields.get("id")),
                    Integer.parseInt(fields.get("partitions")), overrides));
        }
    }

    private void persist() {
        Properties p = new Properties();
        for (TopicInfo t : topics.values()) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("id", t.topicId().toString());
            fields.put("partitions", String.valueOf(t.partitions()));
            t.configOverrides().forEach((k, v) -> fields.put("config." + k, v));
            p.setProperty(t.name(), encode(fields));
        }
        try {
            MetaProperties.writeAtomically(dataDir, FILE_NAME, out -> p.store(out, "Tributary topics"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot persist topics to " + dataDir.resolve(FILE_NAME), e);
        }
    }

    private static String encode(Map<String, String> fields) {
        StringBuilder sb = new StringBuilder();
        fields.forEach((k, v) -> {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return sb.toString();
    }

    private static Map<String, String> decode(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String kv : s.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    public TopicInfo topic(String name) {
        return name == null ? null : topics.get(name);
    }

    public Collection<TopicInfo> topics() {
        return new ArrayList<>(topics.values());
    }

    /** The effective log config of a topic: its overrides over the broker's log.* settings. */
    public LogConfig logConfig(TopicInfo t) {
        return LogConfig.create(brokerProps, t.configOverrides());
    }

    /** The broker-level defaults a new topic would get. */
    public LogConfig defaultLogConfig() {
        return LogConfig.create(brokerProps, Map.of());
    }

    public PartitionLogs logs() {
        return logs;
    }

    /**
     * Creates a topic with {@code partitions} partitions (-1: num.partitions) and replication
     * factor (-1: default.replication.factor; only 1 is possible on a single node).
     */
    public synchronized TopicResult create(String name, int partitions, int replicationFactor,
                                           Map<String, String> overrides, boolean validateOnly) {
        String invalid = TopicNames.invalidReason(name);
        if (invalid != null) {
            return TopicResult.of(Errors.INVALID_TOPIC_EXCEPTION, invalid);
        }
        if (topics.containsKey(name)) {
            return TopicResult.of(Errors.TOPIC_ALREADY_EXISTS, "Topic '" + name + "' already exists.");
        }
        for (String existing : topics.keySet()) {
            if (TopicNames.collisionKey(existing).equals(TopicNames.collisionKey(name))) {
                return TopicResult.of(Errors.INVALID_TOPIC_EXCEPTION, "Topic '" + name
                        + "' collides with existing topic: " + existing);
            }
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
            return TopicResult.of(Errors.INVALID_REPLICATION_FACTOR, "Unable to replicate the partition " + rf
                    + " time(s): The target replication factor of " + rf + " cannot be reached because only 1 broker(s) are registered.");
        }
        LogConfig lc;
        try {
            LogConfig.validateOverrides(overrides);
            lc = LogConfig.create(brokerProps, overrides);
        } catch (RuntimeException e) {
            return TopicResult.of(Errors.INVALID_CONFIG, e.getMessage());
        }
        if (validateOnly) {
            return TopicResult.OK;
        }
        TopicInfo t = new TopicInfo(name, UUID.randomUUID(), count, new TreeMap<>(overrides));
        for (int p = 0; p < count; p++) {
            logs.create(new TopicPartition(name, p), lc);
        }
        topics.put(name, t);
        persist();
        LOG.info("Created topic {} with {} partitions{}", name, count, overrides.isEmpty() ? "" : " and configs " + overrides);
        return TopicResult.OK;
    }

    public synchronized TopicResult delete(String name) {
        if (!config.deleteTopicEnable()) {
            return TopicResult.of(Errors.TOPIC_DELETION_DISABLED, "Topic deletion is disabled.");
        }
        TopicInfo t = topics.remove(name);
        if (t == null) {
            return TopicResult.of(Errors.UNKNOWN_TOPIC_OR_PARTITION, "This server does not host this topic-partition.");
        }
        persist();
        for (int p = 0; p < t.partitions(); p++) {
            logs.delete(new TopicPartition(name, p));
        }
        LOG.info("Deleted topic {}", name);
        return TopicResult.OK;
    }

    /** Grows a topic to {@code total} partitions. */
    public synchronized TopicResult createPartitions(String name, int total, boolean validateOnly) {
        TopicInfo t = topics.get(name);
        if (t == null) {
            return TopicResult.of(Errors.UNKNOWN_TOPIC_OR_PARTITION, "The topic '" + name + "' does not exist.");
        }
        if (total < t.partitions()) {
            return TopicResult.of(Errors.INVALID_PARTITIONS, "Topic currently has " + t.partitions()
                    + " partitions, which is higher than the requested " + total + ".");
        }
        if (total == t.partitions()) {
            return TopicResult.of(Errors.INVALID_PARTITIONS, "Topic already has " + t.partitions() + " partitions.");
        }
        if (validateOnly) {
            return TopicResult.OK;
        }
        LogConfig lc = logConfig(t);
        for (int p = t.partitions(); p < total; p++) {
            logs.create(new TopicPartition(name, p), lc);
        }
        topics.put(name, t.withPartitions(total));
        persist();
        LOG.info("Topic {} now has {} partitions", name, total);
        return TopicResult.OK;
    }

    /** Partitions of all topics, for shutdown and retention. */
    public List<TopicPartition> partitions() {
        List<TopicPartition> out = new ArrayList<>();
        for (TopicInfo t : topics.values()) {
            for (int p = 0; p < t.partitions(); p++) {
                out.add(new TopicPartition(t.name(), p));
            }
        }
        return out;
    }

    @Override
    public void close() {
        logs.close();
    }
}
