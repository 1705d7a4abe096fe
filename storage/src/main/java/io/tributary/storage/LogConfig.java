package io.tributary.storage;

import io.tributary.protocol.Errors;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The effective configuration of one partition log: Kafka's topic-level config names and
 * defaults, resolved from topic overrides over broker defaults ({@code log.*} names). Immutable;
 * a config change makes a new instance that the owner swaps in.
 *
 * <p>Also the one owner of the broker properties storage reads ({@link #brokerKeys()}): their
 * names, types, defaults and minimums. The broker's key table takes them from here, so a log
 * default is written once. Static tables; any thread.
 */
public final class LogConfig {
    /** Where a value came from, in the terms DescribeConfigs uses. */
    public enum Source {
        TOPIC_CONFIG,
        STATIC_BROKER_CONFIG,
        DEFAULT_CONFIG
    }

    /** How a value is parsed. */
    public enum Type {
        INT,
        LONG,
        STRING,
        BOOLEAN,
        DOUBLE
    }

    /** One topic config: its name, the broker names that set its default (first wins), type, default, minimum. */
    private record Def(
            String name,
            List<String> brokerNames,
            List<Long> brokerScale,
            Type type,
            String dflt,
            long min,
            Set<String> allowed) {}

    private static final long HOUR_MS = 3_600_000L;
    private static final Map<String, Def> DEFS = new LinkedHashMap<>();

    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String SEGMENT_MS = "segment.ms";
    public static final String SEGMENT_JITTER_MS = "segment.jitter.ms";
    public static final String RETENTION_MS = "retention.ms";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String INDEX_INTERVAL_BYTES = "index.interval.bytes";
    public static final String SEGMENT_INDEX_BYTES = "segment.index.bytes";
    public static final String FLUSH_MESSAGES = "flush.messages";
    public static final String FLUSH_MS = "flush.ms";
    public static final String FILE_DELETE_DELAY_MS = "file.delete.delay.ms";
    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    public static final String MESSAGE_TIMESTAMP_BEFORE_MAX_MS = "message.timestamp.before.max.ms";
    public static final String MESSAGE_TIMESTAMP_AFTER_MAX_MS = "message.timestamp.after.max.ms";
    public static final String COMPRESSION_TYPE = "compression.type";
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
    public static final String DELETE_RETENTION_MS = "delete.retention.ms";
    public static final String MIN_COMPACTION_LAG_MS = "min.compaction.lag.ms";
    public static final String MAX_COMPACTION_LAG_MS = "max.compaction.lag.ms";
    public static final String MIN_CLEANABLE_DIRTY_RATIO = "min.cleanable.dirty.ratio";

    // Broker properties (Kafka's names) that set the topic configs' defaults.
    public static final String LOG_SEGMENT_BYTES = "log.segment.bytes";
    public static final String LOG_ROLL_MS = "log.roll.ms";
    public static final String LOG_ROLL_HOURS = "log.roll.hours";
    public static final String LOG_ROLL_JITTER_MS = "log.roll.jitter.ms";
    public static final String LOG_ROLL_JITTER_HOURS = "log.roll.jitter.hours";
    public static final String LOG_RETENTION_MS = "log.retention.ms";
    public static final String LOG_RETENTION_MINUTES = "log.retention.minutes";
    public static final String LOG_RETENTION_HOURS = "log.retention.hours";
    public static final String LOG_RETENTION_BYTES = "log.retention.bytes";
    public static final String MESSAGE_MAX_BYTES = "message.max.bytes";
    public static final String LOG_INDEX_INTERVAL_BYTES = "log.index.interval.bytes";
    public static final String LOG_INDEX_SIZE_MAX_BYTES = "log.index.size.max.bytes";
    public static final String LOG_FLUSH_INTERVAL_MESSAGES = "log.flush.interval.messages";
    public static final String LOG_FLUSH_INTERVAL_MS = "log.flush.interval.ms";
    public static final String LOG_SEGMENT_DELETE_DELAY_MS = "log.segment.delete.delay.ms";
    public static final String LOG_CLEANUP_POLICY = "log.cleanup.policy";
    public static final String LOG_MESSAGE_TIMESTAMP_TYPE = "log.message.timestamp.type";
    // Broker properties that only the log manager reads (no topic-level counterpart).
    public static final String LOG_RETENTION_CHECK_INTERVAL_MS = "log.retention.check.interval.ms";
    public static final String LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS = "log.flush.offset.checkpoint.interval.ms";
    public static final String LOG_FLUSH_SCHEDULER_INTERVAL_MS = "log.flush.scheduler.interval.ms";
    public static final String PRODUCER_ID_EXPIRATION_MS = "producer.id.expiration.ms";
    /** Tributary's own: threads that run fsyncs for all logs. */
    public static final String LOG_FLUSH_THREADS = "log.flush.threads";
    /** Tributary's own: the most zeros written ahead of an fsynced active segment; 0 writes none. */
    public static final String LOG_ZERO_AHEAD_MAX_BYTES = "log.zero.ahead.max.bytes";
    /** Tributary's own: the size of one write-ahead journal file; 0 = no journal (acks=all fsyncs each log). */
    public static final String LOG_JOURNAL_FILE_BYTES = "log.journal.file.bytes";
    /** false: the journal writes through the page cache and fdatasyncs (file systems where O_DIRECT is slow). */
    public static final String LOG_JOURNAL_DIRECT_IO = "log.journal.direct.io";
    // The log cleaner's own broker properties (Kafka's names and defaults).
    public static final String LOG_CLEANER_ENABLE = "log.cleaner.enable";
    public static final String LOG_CLEANER_THREADS = "log.cleaner.threads";
    public static final String LOG_CLEANER_BACKOFF_MS = "log.cleaner.backoff.ms";
    public static final String LOG_CLEANER_IO_MAX_BYTES_PER_SECOND = "log.cleaner.io.max.bytes.per.second";
    public static final String LOG_CLEANER_DEDUPE_BUFFER_SIZE = "log.cleaner.dedupe.buffer.size";
    public static final String LOG_CLEANER_IO_BUFFER_LOAD_FACTOR = "log.cleaner.io.buffer.load.factor";

    static {
        def(SEGMENT_BYTES, Type.INT, "1073741824", 14, LOG_SEGMENT_BYTES);
        defScaled(
                SEGMENT_MS,
                Type.LONG,
                String.valueOf(168 * HOUR_MS),
                1,
                List.of(LOG_ROLL_MS, LOG_ROLL_HOURS),
                List.of(1L, HOUR_MS));
        defScaled(
                SEGMENT_JITTER_MS,
                Type.LONG,
                "0",
                0,
                List.of(LOG_ROLL_JITTER_MS, LOG_ROLL_JITTER_HOURS),
                List.of(1L, HOUR_MS));
        defScaled(
                RETENTION_MS,
                Type.LONG,
                String.valueOf(168 * HOUR_MS),
                -1,
                List.of(LOG_RETENTION_MS, LOG_RETENTION_MINUTES, LOG_RETENTION_HOURS),
                List.of(1L, 60_000L, HOUR_MS));
        def(RETENTION_BYTES, Type.LONG, "-1", Long.MIN_VALUE, LOG_RETENTION_BYTES);
        def(MAX_MESSAGE_BYTES, Type.INT, "1048588", 0, MESSAGE_MAX_BYTES);
        def(INDEX_INTERVAL_BYTES, Type.INT, "4096", 0, LOG_INDEX_INTERVAL_BYTES);
        def(SEGMENT_INDEX_BYTES, Type.INT, "10485760", 12, LOG_INDEX_SIZE_MAX_BYTES);
        def(FLUSH_MESSAGES, Type.LONG, String.valueOf(Long.MAX_VALUE), 1, LOG_FLUSH_INTERVAL_MESSAGES);
        def(
                FLUSH_MS,
                Type.LONG,
                String.valueOf(Long.MAX_VALUE),
                0,
                LOG_FLUSH_INTERVAL_MS,
                LOG_FLUSH_SCHEDULER_INTERVAL_MS);
        def(FILE_DELETE_DELAY_MS, Type.LONG, "60000", 0, LOG_SEGMENT_DELETE_DELAY_MS);
        defEnum(
                CLEANUP_POLICY,
                "delete",
                Set.of("delete", "compact", "compact,delete", "delete,compact", ""),
                LOG_CLEANUP_POLICY);
        defEnum(
                MESSAGE_TIMESTAMP_TYPE,
                "CreateTime",
                Set.of("CreateTime", "LogAppendTime"),
                LOG_MESSAGE_TIMESTAMP_TYPE);
        def(
                MESSAGE_TIMESTAMP_BEFORE_MAX_MS,
                Type.LONG,
                String.valueOf(Long.MAX_VALUE),
                0,
                "log.message.timestamp.before.max.ms");
        def(MESSAGE_TIMESTAMP_AFTER_MAX_MS, Type.LONG, "3600000", 0, "log.message.timestamp.after.max.ms");
        defEnum(
                COMPRESSION_TYPE,
                "producer",
                Set.of("producer", "uncompressed", "gzip", "snappy", "lz4", "zstd"),
                COMPRESSION_TYPE);
        def(MIN_INSYNC_REPLICAS, Type.INT, "1", 1, MIN_INSYNC_REPLICAS);
        // Accepted so clients that set them are not refused; they have no effect on a single node.
        def("compression.gzip.level", Type.INT, "-1", -1, "compression.gzip.level");
        def("compression.lz4.level", Type.INT, "9", 1, "compression.lz4.level");
        def("compression.zstd.level", Type.INT, "3", -131072, "compression.zstd.level");
        def(DELETE_RETENTION_MS, Type.LONG, "86400000", 0, "log.cleaner.delete.retention.ms");
        def(MIN_COMPACTION_LAG_MS, Type.LONG, "0", 0, "log.cleaner.min.compaction.lag.ms");
        def(MAX_COMPACTION_LAG_MS, Type.LONG, String.valueOf(Long.MAX_VALUE), 1, "log.cleaner.max.compaction.lag.ms");
        DEFS.put(
                MIN_CLEANABLE_DIRTY_RATIO,
                new Def(
                        MIN_CLEANABLE_DIRTY_RATIO,
                        List.of("log.cleaner.min.cleanable.ratio"),
                        List.of(1L),
                        Type.DOUBLE,
                        "0.5",
                        0,
                        null));
        def("preallocate", Type.BOOLEAN, "false", 0, "log.preallocate");
        def("unclean.leader.election.enable", Type.BOOLEAN, "false", 0, "unclean.leader.election.enable");
        def("local.retention.ms", Type.LONG, "-2", -2, "log.local.retention.ms");
        def("local.retention.bytes", Type.LONG, "-2", -2, "log.local.retention.bytes");
        def("remote.storage.enable", Type.BOOLEAN, "false", 0);
        def("leader.replication.throttled.replicas", Type.STRING, "", 0);
        def("follower.replication.throttled.replicas", Type.STRING, "", 0);
    }

    /** Every topic-level config name, in a stable order (for DescribeConfigs). */
    public static final Set<String> TOPIC_CONFIG_NAMES = Collections.unmodifiableSet(DEFS.keySet());

    public static final LogConfig DEFAULT = create(Map.of(), Map.of());

    /**
     * A broker property storage reads: its type, default (null: none, a finer synonym falls back
     * to a coarser one), smallest accepted number, and whether Kafka lets it change at run time.
     */
    public record BrokerKey(String name, Type type, String defaultValue, long min, boolean dynamic) {}

    private static final List<BrokerKey> BROKER_KEYS = brokerKeyTable();

    /**
     * Every broker property storage reads, topic-config synonyms first (in topic-config order),
     * then the log manager's own. A topic config's default belongs to its last (coarsest) broker
     * synonym, scaled to its unit; only the first (finest) synonym is dynamic, as in Kafka.
     */
    public static List<BrokerKey> brokerKeys() {
        return BROKER_KEYS;
    }

    /** The default of a broker property from {@link #brokerKeys()}; null when it has none. */
    static String brokerDefault(String name) {
        for (BrokerKey k : BROKER_KEYS) {
            if (k.name().equals(name)) {
                return k.defaultValue();
            }
        }
        throw new IllegalArgumentException("not a broker property storage reads: " + name);
    }

    private static List<BrokerKey> brokerKeyTable() {
        Map<String, BrokerKey> own = new LinkedHashMap<>();
        // The log manager's own schedules, pool size and producer expiry.
        own.put(
                LOG_RETENTION_CHECK_INTERVAL_MS,
                new BrokerKey(LOG_RETENTION_CHECK_INTERVAL_MS, Type.LONG, "300000", 1, false));
        own.put(
                LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS,
                new BrokerKey(LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS, Type.INT, "60000", 0, false));
        own.put(
                LOG_FLUSH_SCHEDULER_INTERVAL_MS,
                new BrokerKey(LOG_FLUSH_SCHEDULER_INTERVAL_MS, Type.LONG, String.valueOf(Long.MAX_VALUE), 1, false));
        own.put(LOG_FLUSH_THREADS, new BrokerKey(LOG_FLUSH_THREADS, Type.INT, "2", 1, false));
        own.put(
                LOG_JOURNAL_FILE_BYTES,
                new BrokerKey(LOG_JOURNAL_FILE_BYTES, Type.LONG, String.valueOf(64L << 20), 0, false));
        own.put(LOG_JOURNAL_DIRECT_IO, new BrokerKey(LOG_JOURNAL_DIRECT_IO, Type.BOOLEAN, "true", 0, false));
        own.put(
                LOG_ZERO_AHEAD_MAX_BYTES,
                new BrokerKey(
                        LOG_ZERO_AHEAD_MAX_BYTES,
                        Type.INT,
                        String.valueOf(Log.DEFAULT_ZERO_AHEAD_MAX_BYTES),
                        0,
                        false));
        own.put(
                PRODUCER_ID_EXPIRATION_MS,
                new BrokerKey(
                        PRODUCER_ID_EXPIRATION_MS,
                        Type.INT,
                        String.valueOf(Log.DEFAULT_PRODUCER_ID_EXPIRATION_MS),
                        1,
                        true));
        // The log cleaner's: all but enable can change at run time (LogManager.updateBrokerProps restarts it).
        own.put(LOG_CLEANER_ENABLE, new BrokerKey(LOG_CLEANER_ENABLE, Type.BOOLEAN, "true", 0, false));
        own.put(LOG_CLEANER_THREADS, new BrokerKey(LOG_CLEANER_THREADS, Type.INT, "1", 0, true));
        own.put(LOG_CLEANER_BACKOFF_MS, new BrokerKey(LOG_CLEANER_BACKOFF_MS, Type.LONG, "15000", 0, true));
        own.put(
                LOG_CLEANER_IO_MAX_BYTES_PER_SECOND,
                new BrokerKey(
                        LOG_CLEANER_IO_MAX_BYTES_PER_SECOND, Type.DOUBLE, String.valueOf(Double.MAX_VALUE), 0, true));
        own.put(
                LOG_CLEANER_DEDUPE_BUFFER_SIZE,
                new BrokerKey(LOG_CLEANER_DEDUPE_BUFFER_SIZE, Type.LONG, "134217728", 0, true));
        own.put(
                LOG_CLEANER_IO_BUFFER_LOAD_FACTOR,
                new BrokerKey(LOG_CLEANER_IO_BUFFER_LOAD_FACTOR, Type.DOUBLE, "0.9", 0, true));
        Map<String, BrokerKey> keys = new LinkedHashMap<>();
        for (Def d : DEFS.values()) {
            int last = d.brokerNames.size() - 1;
            for (int i = 0; i <= last; i++) {
                String name = d.brokerNames.get(i);
                if (own.containsKey(name)) {
                    continue;
                }
                String dflt = i < last ? null : scaledDown(d, d.brokerScale.get(i));
                keys.put(name, new BrokerKey(name, d.type, dflt, d.min, i == 0));
            }
        }
        keys.putAll(own);
        return List.copyOf(keys.values());
    }

    private static String scaledDown(Def d, long scale) {
        return scale == 1 ? d.dflt : String.valueOf(Long.parseLong(d.dflt) / scale);
    }

    private final Map<String, String> values;
    private final Map<String, Source> sources;
    private final Map<String, String> overrides;

    public final int segmentBytes;
    public final long segmentMs;
    public final long segmentJitterMs;
    public final long retentionMs;
    public final long retentionBytes;
    public final int maxMessageBytes;
    public final int indexIntervalBytes;
    public final int segmentIndexBytes;
    public final long flushMessages;
    public final long flushMs;
    public final long fileDeleteDelayMs;
    public final String cleanupPolicy;
    public final String messageTimestampType;
    public final long messageTimestampBeforeMaxMs;
    public final long messageTimestampAfterMaxMs;
    public final String compressionType;
    public final long deleteRetentionMs;
    public final long minCompactionLagMs;
    public final long maxCompactionLagMs;
    public final double minCleanableDirtyRatio;

    private LogConfig(Map<String, String> values, Map<String, Source> sources, Map<String, String> overrides) {
        this.values = Collections.unmodifiableMap(values);
        this.sources = Collections.unmodifiableMap(sources);
        this.overrides = Collections.unmodifiableMap(overrides);
        segmentBytes = Integer.parseInt(values.get(SEGMENT_BYTES));
        segmentMs = Long.parseLong(values.get(SEGMENT_MS));
        segmentJitterMs = Long.parseLong(values.get(SEGMENT_JITTER_MS));
        retentionMs = Long.parseLong(values.get(RETENTION_MS));
        retentionBytes = Long.parseLong(values.get(RETENTION_BYTES));
        maxMessageBytes = Integer.parseInt(values.get(MAX_MESSAGE_BYTES));
        indexIntervalBytes = Integer.parseInt(values.get(INDEX_INTERVAL_BYTES));
        segmentIndexBytes = Integer.parseInt(values.get(SEGMENT_INDEX_BYTES));
        flushMessages = Long.parseLong(values.get(FLUSH_MESSAGES));
        flushMs = Long.parseLong(values.get(FLUSH_MS));
        fileDeleteDelayMs = Long.parseLong(values.get(FILE_DELETE_DELAY_MS));
        cleanupPolicy = values.get(CLEANUP_POLICY);
        messageTimestampType = values.get(MESSAGE_TIMESTAMP_TYPE);
        messageTimestampBeforeMaxMs = Long.parseLong(values.get(MESSAGE_TIMESTAMP_BEFORE_MAX_MS));
        messageTimestampAfterMaxMs = Long.parseLong(values.get(MESSAGE_TIMESTAMP_AFTER_MAX_MS));
        compressionType = values.get(COMPRESSION_TYPE);
        deleteRetentionMs = Long.parseLong(values.get(DELETE_RETENTION_MS));
        minCompactionLagMs = Long.parseLong(values.get(MIN_COMPACTION_LAG_MS));
        maxCompactionLagMs = Long.parseLong(values.get(MAX_COMPACTION_LAG_MS));
        minCleanableDirtyRatio = Double.parseDouble(values.get(MIN_CLEANABLE_DIRTY_RATIO));
    }

    /**
     * Resolves a topic's config: each topic override wins, else the broker property (e.g.
     * {@code log.retention.hours}), else Kafka's default.
     *
     * @param brokerProps broker properties; unrelated keys are ignored
     * @param topicOverrides topic-level overrides by topic config name; unknown names are refused
     * @throws StorageException with {@link Errors#INVALID_CONFIG} for unknown names or bad values
     */
    public static LogConfig create(Map<String, String> brokerProps, Map<String, String> topicOverrides) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Source> sources = new LinkedHashMap<>();
        Map<String, String> overrides = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : topicOverrides.entrySet()) {
            if (!DEFS.containsKey(e.getKey())) {
                throw new StorageException(Errors.INVALID_CONFIG, "Unknown topic config name: " + e.getKey());
            }
        }
        for (Def d : DEFS.values()) {
            String topicValue = topicOverrides.get(d.name);
            if (topicValue != null) {
                values.put(d.name, normalise(d, topicValue, d.name));
                sources.put(d.name, Source.TOPIC_CONFIG);
                overrides.put(d.name, values.get(d.name));
                continue;
            }
            String resolved = null;
            for (int i = 0; i < d.brokerNames.size() && resolved == null; i++) {
                String v = brokerProps.get(d.brokerNames.get(i));
                if (v != null) {
                    String n = normalise(d, v, d.brokerNames.get(i));
                    long scale = d.brokerScale.get(i);
                    resolved =
                            scale == 1 || d.type != Type.LONG ? n : String.valueOf(scaleMs(Long.parseLong(n), scale));
                }
            }
            values.put(d.name, resolved != null ? resolved : d.dflt);
            sources.put(d.name, resolved != null ? Source.STATIC_BROKER_CONFIG : Source.DEFAULT_CONFIG);
        }
        return new LogConfig(values, sources, overrides);
    }

    /** Checks topic overrides (for CreateTopics / AlterConfigs validation) without keeping them. */
    public static void validateOverrides(Map<String, String> topicOverrides) {
        create(Map.of(), topicOverrides);
    }

    private static long scaleMs(long v, long scale) {
        if (v < 0) {
            return -1; // -1 means unlimited in every unit
        }
        return v > Long.MAX_VALUE / scale ? Long.MAX_VALUE : v * scale;
    }

    private static String normalise(Def d, String raw, String key) {
        String v = raw.trim();
        try {
            switch (d.type) {
                case INT -> {
                    long n = Integer.parseInt(v);
                    checkMin(d, n, key);
                    return String.valueOf(n);
                }
                case LONG -> {
                    long n = Long.parseLong(v);
                    checkMin(d, n, key);
                    return String.valueOf(n);
                }
                case DOUBLE -> {
                    return String.valueOf(Double.parseDouble(v));
                }
                case BOOLEAN -> {
                    String b = v.toLowerCase(Locale.ROOT);
                    if (!b.equals("true") && !b.equals("false")) {
                        throw new NumberFormatException(v);
                    }
                    return b;
                }
                default -> {
                    if (d.allowed != null) {
                        String canon = d.name.equals(CLEANUP_POLICY)
                                ? v.replace(" ", "").toLowerCase(Locale.ROOT)
                                : v;
                        if (!d.allowed.contains(canon)) {
                            throw new StorageException(
                                    Errors.INVALID_CONFIG,
                                    "Invalid value " + raw + " for configuration " + key + ": String must be one of: "
                                            + shownChoices(d));
                        }
                        return canon;
                    }
                    return v;
                }
            }
        } catch (NumberFormatException e) {
            throw new StorageException(
                    Errors.INVALID_CONFIG,
                    "Invalid value " + raw + " for configuration " + key
                            + (d.type == Type.BOOLEAN
                                    ? ": Expected value to be either true or false"
                                    : ": Not a number of type " + d.type.name()));
        }
    }

    /** The accepted values as Kafka lists them in its error message. */
    private static String shownChoices(Def d) {
        return switch (d.name) {
            case CLEANUP_POLICY -> "compact, delete";
            case COMPRESSION_TYPE -> "uncompressed, zstd, lz4, snappy, gzip, producer";
            case MESSAGE_TIMESTAMP_TYPE -> "CreateTime, LogAppendTime";
            default -> String.join(", ", new java.util.TreeSet<>(d.allowed));
        };
    }

    /**
     * The broker properties that set a topic config's default, finest first (retention.ms: log.retention.ms,
     * log.retention.minutes, log.retention.hours), as Kafka lists a topic config's synonyms; empty for a topic config
     * no broker property sets, or an unknown name.
     */
    public static List<String> brokerSynonyms(String topicConfigName) {
        Def d = DEFS.get(topicConfigName);
        return d == null ? List.of() : d.brokerNames;
    }

    /**
     * The broker property's synonyms, finest first, itself among them (log.roll.hours: log.roll.ms,
     * log.roll.hours); just itself when it is the only broker name of its topic config or sets none.
     */
    public static List<String> brokerKeySynonyms(String brokerKey) {
        for (Def d : DEFS.values()) {
            if (d.brokerNames.contains(brokerKey)) {
                return d.brokerNames;
            }
        }
        return List.of(brokerKey);
    }

    /** The value type of a topic config; null for an unknown name. */
    public static Type type(String topicConfigName) {
        Def d = DEFS.get(topicConfigName);
        return d == null ? null : d.type;
    }

    /**
     * Checks one value of a broker property storage reads, with Kafka's message naming the key (its type, minimum and
     * accepted values are those of the topic config it sets the default of, or its own).
     *
     * @throws StorageException INVALID_CONFIG naming the key
     */
    public static void validateBrokerValue(String brokerKey, String value) {
        for (Def d : DEFS.values()) {
            if (d.brokerNames.contains(brokerKey)) {
                normalise(d, value, brokerKey);
                return;
            }
        }
        for (BrokerKey k : BROKER_KEYS) {
            if (k.name().equals(brokerKey)) {
                normalise(
                        new Def(brokerKey, List.of(), List.of(), k.type(), k.defaultValue(), k.min(), null),
                        value,
                        brokerKey);
                return;
            }
        }
        throw new StorageException(Errors.INVALID_CONFIG, "Unknown broker config name: " + brokerKey);
    }

    private static void checkMin(Def d, long n, String key) {
        if (n < d.min) {
            throw new StorageException(
                    Errors.INVALID_CONFIG,
                    "Invalid value " + n + " for configuration " + key + ": Value must be at least " + d.min);
        }
    }

    private static void def(String name, Type type, String dflt, long min, String... brokerNames) {
        List<Long> scales = java.util.Arrays.stream(brokerNames).map(b -> 1L).toList();
        DEFS.put(name, new Def(name, List.of(brokerNames), scales, type, dflt, min, null));
    }

    private static void defScaled(
            String name, Type type, String dflt, long min, List<String> brokerNames, List<Long> scales) {
        DEFS.put(name, new Def(name, brokerNames, scales, type, dflt, min, null));
    }

    private static void defEnum(String name, String dflt, Set<String> allowed, String... brokerNames) {
        List<Long> scales = java.util.Arrays.stream(brokerNames).map(b -> 1L).toList();
        DEFS.put(name, new Def(name, List.of(brokerNames), scales, Type.STRING, dflt, 0, allowed));
    }

    /** The effective value of a topic config, as a string; null for an unknown name. */
    public String get(String topicConfigName) {
        return values.get(topicConfigName);
    }

    /** Where the effective value came from; null for an unknown name. */
    public Source source(String topicConfigName) {
        return sources.get(topicConfigName);
    }

    /** Every topic config's effective value, keyed by topic config name. */
    public Map<String, String> values() {
        return values;
    }

    /** The topic-level overrides this config was built with (normalised). */
    public Map<String, String> overrides() {
        return overrides;
    }

    public boolean deleteRetention() {
        return cleanupPolicy.contains("delete");
    }

    /** cleanup.policy contains compact: the log cleaner keeps the latest record per key. */
    public boolean compact() {
        return cleanupPolicy.contains("compact");
    }

    /**
     * How old the active segment may get before a roll: segment.ms, or for a compacted log
     * max.compaction.lag.ms if smaller, so that no record waits in the active segment (which is
     * never cleaned) longer than the lag allows (Kafka's rule, KIP-354).
     */
    public long maxSegmentMs() {
        return compact() ? Math.min(segmentMs, maxCompactionLagMs) : segmentMs;
    }

    public boolean logAppendTime() {
        return messageTimestampType.equals("LogAppendTime");
    }

    @Override
    public String toString() {
        return "LogConfig" + overrides;
    }
}
