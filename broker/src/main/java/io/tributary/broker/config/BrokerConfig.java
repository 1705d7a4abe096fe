package io.tributary.broker.config;

import io.tributary.broker.dynamic.GroupConfigKeys;
import io.tributary.coordinator.GroupCoordinatorConfig;
import io.tributary.coordinator.transaction.TransactionCoordinatorConfig;
import io.tributary.storage.LogConfig;
import io.tributary.storage.StorageException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's static configuration under Apache Kafka's key names and defaults. Built once from
 * a properties file plus overrides, validated eagerly (a bad value fails naming its key; an
 * unknown key is logged and kept), immutable afterwards and so safe to share between threads.
 */
public final class BrokerConfig {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerConfig.class);

    /** Value types, as DescribeConfigs reports them. */
    public enum Type {
        BOOLEAN,
        STRING,
        INT,
        SHORT,
        LONG,
        DOUBLE,
        LIST,
        PASSWORD
    }

    /** One known key: its type, default (null = no default) and smallest accepted number. */
    public record Key(String name, Type type, String defaultValue, long min, boolean readOnly) {}

    private static final Map<String, Key> KEYS = new LinkedHashMap<>();

    public static final String NODE_ID = "node.id";
    public static final String BROKER_ID = "broker.id";
    public static final String LISTENERS = "listeners";
    public static final String ADVERTISED_LISTENERS = "advertised.listeners";
    public static final String LISTENER_SECURITY_PROTOCOL_MAP = "listener.security.protocol.map";
    public static final String CONTROLLER_LISTENER_NAMES = "controller.listener.names";
    public static final String LOG_DIRS = "log.dirs";
    public static final String LOG_DIR = "log.dir";
    public static final String NUM_PARTITIONS = "num.partitions";
    public static final String DEFAULT_REPLICATION_FACTOR = "default.replication.factor";
    public static final String AUTO_CREATE_TOPICS_ENABLE = "auto.create.topics.enable";
    public static final String DELETE_TOPIC_ENABLE = "delete.topic.enable";
    // Storage owns the log keys and their defaults; the broker re-exports the ones it names.
    public static final String LOG_RETENTION_MS = LogConfig.LOG_RETENTION_MS;
    public static final String LOG_RETENTION_MINUTES = LogConfig.LOG_RETENTION_MINUTES;
    public static final String LOG_RETENTION_HOURS = LogConfig.LOG_RETENTION_HOURS;
    public static final String LOG_RETENTION_BYTES = LogConfig.LOG_RETENTION_BYTES;
    public static final String LOG_SEGMENT_BYTES = LogConfig.LOG_SEGMENT_BYTES;
    public static final String LOG_ROLL_MS = LogConfig.LOG_ROLL_MS;
    public static final String LOG_ROLL_HOURS = LogConfig.LOG_ROLL_HOURS;
    public static final String LOG_RETENTION_CHECK_INTERVAL_MS = LogConfig.LOG_RETENTION_CHECK_INTERVAL_MS;
    public static final String LOG_FLUSH_INTERVAL_MESSAGES = LogConfig.LOG_FLUSH_INTERVAL_MESSAGES;
    public static final String LOG_FLUSH_INTERVAL_MS = LogConfig.LOG_FLUSH_INTERVAL_MS;
    public static final String LOG_INDEX_SIZE_MAX_BYTES = LogConfig.LOG_INDEX_SIZE_MAX_BYTES;
    public static final String LOG_INDEX_INTERVAL_BYTES = LogConfig.LOG_INDEX_INTERVAL_BYTES;
    public static final String LOG_CLEANUP_POLICY = LogConfig.LOG_CLEANUP_POLICY;
    public static final String LOG_MESSAGE_TIMESTAMP_TYPE = LogConfig.LOG_MESSAGE_TIMESTAMP_TYPE;
    public static final String LOG_SEGMENT_DELETE_DELAY_MS = LogConfig.LOG_SEGMENT_DELETE_DELAY_MS;
    public static final String COMPRESSION_TYPE = LogConfig.COMPRESSION_TYPE;
    public static final String MIN_INSYNC_REPLICAS = LogConfig.MIN_INSYNC_REPLICAS;
    public static final String MESSAGE_MAX_BYTES = LogConfig.MESSAGE_MAX_BYTES;
    public static final String SOCKET_REQUEST_MAX_BYTES = "socket.request.max.bytes";
    public static final String SOCKET_SEND_BUFFER_BYTES = "socket.send.buffer.bytes";
    public static final String SOCKET_RECEIVE_BUFFER_BYTES = "socket.receive.buffer.bytes";
    public static final String NUM_NETWORK_THREADS = "num.network.threads";
    public static final String NUM_IO_THREADS = "num.io.threads";
    public static final String CONNECTIONS_MAX_IDLE_MS = "connections.max.idle.ms";
    // Connection and request limits (issue 15 item 3): Kafka's keys, defaults and semantics.
    public static final String MAX_CONNECTIONS = "max.connections";
    public static final String MAX_CONNECTIONS_PER_IP = "max.connections.per.ip";
    public static final String MAX_CONNECTIONS_PER_IP_OVERRIDES = "max.connections.per.ip.overrides";
    public static final String QUEUED_MAX_REQUESTS = "queued.max.requests";
    public static final String FETCH_MAX_BYTES = "fetch.max.bytes";
    public static final String MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS = "max.incremental.fetch.session.cache.slots";
    public static final String MIN_INCREMENTAL_FETCH_SESSION_EVICTION_MS = "min.incremental.fetch.session.eviction.ms";
    public static final String PRODUCER_ID_EXPIRATION_MS = LogConfig.PRODUCER_ID_EXPIRATION_MS;
    // The coordinator owns the group keys; the broker re-exports them so its key table is complete.
    public static final String GROUP_MIN_SESSION_TIMEOUT_MS = GroupCoordinatorConfig.GROUP_MIN_SESSION_TIMEOUT_MS;
    public static final String GROUP_MAX_SESSION_TIMEOUT_MS = GroupCoordinatorConfig.GROUP_MAX_SESSION_TIMEOUT_MS;
    public static final String GROUP_INITIAL_REBALANCE_DELAY_MS =
            GroupCoordinatorConfig.GROUP_INITIAL_REBALANCE_DELAY_MS;
    public static final String GROUP_MAX_SIZE = GroupCoordinatorConfig.GROUP_MAX_SIZE;
    public static final String GROUP_CONSUMER_SESSION_TIMEOUT_MS =
            GroupCoordinatorConfig.GROUP_CONSUMER_SESSION_TIMEOUT_MS;
    public static final String GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS =
            GroupCoordinatorConfig.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS;
    public static final String GROUP_CONSUMER_MAX_SIZE = GroupCoordinatorConfig.GROUP_CONSUMER_MAX_SIZE;
    public static final String GROUP_CONSUMER_ASSIGNORS = GroupCoordinatorConfig.GROUP_CONSUMER_ASSIGNORS;
    public static final String GROUP_CONSUMER_MIGRATION_POLICY = GroupCoordinatorConfig.GROUP_CONSUMER_MIGRATION_POLICY;
    /** Which group protocols the coordinator serves; without "consumer" API 68/69 are not advertised. */
    public static final String GROUP_COORDINATOR_REBALANCE_PROTOCOLS = "group.coordinator.rebalance.protocols";

    public static final String OFFSETS_RETENTION_MINUTES = GroupCoordinatorConfig.OFFSETS_RETENTION_MINUTES;
    public static final String OFFSETS_RETENTION_CHECK_INTERVAL_MS =
            GroupCoordinatorConfig.OFFSETS_RETENTION_CHECK_INTERVAL_MS;
    public static final String OFFSET_METADATA_MAX_BYTES = GroupCoordinatorConfig.OFFSET_METADATA_MAX_BYTES;
    public static final String OFFSETS_TOPIC_NUM_PARTITIONS = "offsets.topic.num.partitions";
    public static final String OFFSETS_TOPIC_SEGMENT_BYTES = "offsets.topic.segment.bytes";
    public static final String SHUTDOWN_TIMEOUT_MS = "tributary.shutdown.timeout.ms";
    // Transaction coordinator (issue 11): Kafka's keys and defaults.
    public static final String TRANSACTION_MAX_TIMEOUT_MS = TransactionCoordinatorConfig.TRANSACTION_MAX_TIMEOUT_MS;
    public static final String TRANSACTIONAL_ID_EXPIRATION_MS =
            TransactionCoordinatorConfig.TRANSACTIONAL_ID_EXPIRATION_MS;
    public static final String TRANSACTION_ABORT_TIMED_OUT_CLEANUP_INTERVAL_MS =
            TransactionCoordinatorConfig.ABORT_TIMED_OUT_CLEANUP_INTERVAL_MS;
    public static final String TRANSACTION_REMOVE_EXPIRED_CLEANUP_INTERVAL_MS =
            TransactionCoordinatorConfig.REMOVE_EXPIRED_CLEANUP_INTERVAL_MS;
    public static final String TRANSACTION_STATE_LOG_SEGMENT_BYTES = "transaction.state.log.segment.bytes";
    // Security (issue 9, S1): Kafka's keys; each SASL/SSL key may also be set per listener as
    // listener.name.<listener in lower case>.<key> (see listenerSettings).
    public static final String SASL_ENABLED_MECHANISMS = "sasl.enabled.mechanisms";
    public static final String SASL_JAAS_CONFIG = "sasl.jaas.config";
    public static final String CONNECTION_FAILED_AUTHENTICATION_DELAY_MS = "connection.failed.authentication.delay.ms";
    public static final String CONNECTIONS_MAX_REAUTH_MS = "connections.max.reauth.ms";
    public static final String SASL_SCRAM_LEGACY_NONCE_ENABLE = "tributary.sasl.scram.legacy.nonce.enable";
    public static final String AUTHORIZER_CLASS_NAME = "authorizer.class.name";
    public static final String SUPER_USERS = "super.users";
    public static final String ALLOW_EVERYONE_IF_NO_ACL_FOUND = "allow.everyone.if.no.acl.found";
    public static final String LISTENER_PREFIX = "listener.name.";
    private static final String[] SSL_STRING_KEYS = {
        "ssl.protocol",
        "ssl.enabled.protocols",
        "ssl.cipher.suites",
        "ssl.keystore.type",
        "ssl.keystore.location",
        "ssl.truststore.type",
        "ssl.truststore.location",
        "ssl.client.auth",
        "ssl.endpoint.identification.algorithm",
        "ssl.keymanager.algorithm",
        "ssl.trustmanager.algorithm",
        "ssl.principal.mapping.rules"
    };
    private static final String[] SSL_PASSWORD_KEYS = {
        "ssl.keystore.password",
        "ssl.key.password",
        "ssl.truststore.password",
        "ssl.keystore.key",
        "ssl.keystore.certificate.chain",
        "ssl.truststore.certificates"
    };

    static {
        key(NODE_ID, Type.INT, "0", 0, true);
        key(BROKER_ID, Type.INT, null, 0, true);
        key(LISTENERS, Type.LIST, "PLAINTEXT://:9092", Long.MIN_VALUE, true);
        key(ADVERTISED_LISTENERS, Type.LIST, null, Long.MIN_VALUE, true);
        key(LISTENER_SECURITY_PROTOCOL_MAP, Type.STRING, Listeners.DEFAULT_PROTOCOL_MAP, Long.MIN_VALUE, true);
        key(CONTROLLER_LISTENER_NAMES, Type.LIST, null, Long.MIN_VALUE, true);
        key(LOG_DIRS, Type.LIST, null, Long.MIN_VALUE, true);
        key(LOG_DIR, Type.STRING, "data", Long.MIN_VALUE, true);
        key(NUM_PARTITIONS, Type.INT, "1", 1, false);
        key(DEFAULT_REPLICATION_FACTOR, Type.INT, "1", 1, false);
        key(AUTO_CREATE_TOPICS_ENABLE, Type.BOOLEAN, "true", Long.MIN_VALUE, true);
        key(DELETE_TOPIC_ENABLE, Type.BOOLEAN, "true", Long.MIN_VALUE, true);
        for (LogConfig.BrokerKey k : LogConfig.brokerKeys()) {
            key(k.name(), Type.valueOf(k.type().name()), k.defaultValue(), k.min(), !k.dynamic());
        }
        key(SOCKET_REQUEST_MAX_BYTES, Type.INT, "104857600", 1, true);
        key(SOCKET_SEND_BUFFER_BYTES, Type.INT, "102400", -1, true);
        key(SOCKET_RECEIVE_BUFFER_BYTES, Type.INT, "102400", -1, true);
        key(NUM_NETWORK_THREADS, Type.INT, "3", 1, true);
        key(NUM_IO_THREADS, Type.INT, "8", 1, true);
        key(CONNECTIONS_MAX_IDLE_MS, Type.LONG, "600000", -1, true);
        key(MAX_CONNECTIONS, Type.INT, String.valueOf(Integer.MAX_VALUE), 0, true);
        key(MAX_CONNECTIONS_PER_IP, Type.INT, String.valueOf(Integer.MAX_VALUE), 0, true);
        key(MAX_CONNECTIONS_PER_IP_OVERRIDES, Type.STRING, "", Long.MIN_VALUE, true);
        key(QUEUED_MAX_REQUESTS, Type.INT, "500", 1, true);
        key(FETCH_MAX_BYTES, Type.INT, "57671680", 1024, true);
        key(MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS, Type.INT, "1000", 0, true);
        key(MIN_INCREMENTAL_FETCH_SESSION_EVICTION_MS, Type.INT, "120000", 0, true);
        key(GROUP_MIN_SESSION_TIMEOUT_MS, Type.INT, "6000", 0, true);
        key(GROUP_MAX_SESSION_TIMEOUT_MS, Type.INT, "1800000", 0, true);
        key(GROUP_INITIAL_REBALANCE_DELAY_MS, Type.INT, "3000", 0, true);
        key(GROUP_MAX_SIZE, Type.INT, String.valueOf(Integer.MAX_VALUE), 1, true);
        key(GROUP_CONSUMER_SESSION_TIMEOUT_MS, Type.INT, "45000", 1, true);
        key(GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, Type.INT, "5000", 1, true);
        key("group.consumer.min.session.timeout.ms", Type.INT, "45000", 1, true);
        key("group.consumer.max.session.timeout.ms", Type.INT, "60000", 1, true);
        key("group.consumer.min.heartbeat.interval.ms", Type.INT, "5000", 1, true);
        key("group.consumer.max.heartbeat.interval.ms", Type.INT, "15000", 1, true);
        key(GROUP_CONSUMER_MAX_SIZE, Type.INT, String.valueOf(Integer.MAX_VALUE), 1, true);
        key(GROUP_CONSUMER_ASSIGNORS, Type.LIST, "uniform,range", Long.MIN_VALUE, true);
        key(GROUP_CONSUMER_MIGRATION_POLICY, Type.STRING, "bidirectional", Long.MIN_VALUE, true);
        key(GROUP_COORDINATOR_REBALANCE_PROTOCOLS, Type.LIST, "classic,consumer", Long.MIN_VALUE, true);
        key(OFFSETS_RETENTION_MINUTES, Type.INT, "10080", 1, true);
        key(OFFSETS_RETENTION_CHECK_INTERVAL_MS, Type.LONG, "600000", 1, true);
        key(OFFSET_METADATA_MAX_BYTES, Type.INT, "4096", 0, true);
        key(OFFSETS_TOPIC_NUM_PARTITIONS, Type.INT, "50", 1, true);
        key(OFFSETS_TOPIC_SEGMENT_BYTES, Type.INT, "104857600", 1, true);
        key(SHUTDOWN_TIMEOUT_MS, Type.LONG, "30000", 0, true);
        key(TRANSACTION_MAX_TIMEOUT_MS, Type.INT, "900000", 1, true);
        key(TRANSACTIONAL_ID_EXPIRATION_MS, Type.INT, "604800000", 1, true);
        key(TRANSACTION_ABORT_TIMED_OUT_CLEANUP_INTERVAL_MS, Type.INT, "10000", 1, true);
        key(TRANSACTION_REMOVE_EXPIRED_CLEANUP_INTERVAL_MS, Type.INT, "3600000", 1, true);
        key(TRANSACTION_STATE_LOG_SEGMENT_BYTES, Type.INT, "104857600", 1, true);
        // Kafka's default is GSSAPI, which Tributary does not offer; SCRAM needs no extra file.
        key(SASL_ENABLED_MECHANISMS, Type.LIST, "SCRAM-SHA-256,SCRAM-SHA-512", Long.MIN_VALUE, true);
        key(SASL_JAAS_CONFIG, Type.PASSWORD, null, Long.MIN_VALUE, true);
        key(CONNECTION_FAILED_AUTHENTICATION_DELAY_MS, Type.INT, "100", 0, true);
        key(CONNECTIONS_MAX_REAUTH_MS, Type.LONG, "0", 0, true);
        key(SASL_SCRAM_LEGACY_NONCE_ENABLE, Type.BOOLEAN, "true", Long.MIN_VALUE, true);
        key(AUTHORIZER_CLASS_NAME, Type.STRING, "", Long.MIN_VALUE, true);
        key(SUPER_USERS, Type.STRING, null, Long.MIN_VALUE, true);
        key(ALLOW_EVERYONE_IF_NO_ACL_FOUND, Type.BOOLEAN, "false", Long.MIN_VALUE, true);
        key("sasl.mechanism.inter.broker.protocol", Type.STRING, "GSSAPI", Long.MIN_VALUE, true);
        key("security.inter.broker.protocol", Type.STRING, "PLAINTEXT", Long.MIN_VALUE, true);
        key("inter.broker.listener.name", Type.STRING, null, Long.MIN_VALUE, true);
        for (String k : SSL_STRING_KEYS) {
            key(k, Type.STRING, null, Long.MIN_VALUE, true);
        }
        for (String k : SSL_PASSWORD_KEYS) {
            key(k, Type.PASSWORD, null, Long.MIN_VALUE, true);
        }
        // The defaults and bounds of the per-group configs (issue 10): validated against, not acted on.
        GroupConfigKeys.brokerDefaults().forEach((name, dflt) -> {
            if (GroupConfigKeys.isBrokerKey(name)) {
                key(name, Type.INT, dflt, 0, !GroupConfigKeys.kafkaDynamic(name));
            }
        });
        // Ours, read by the group coordinator: fewest records between two snapshots of its log.
        key("group.coordinator.snapshot.min.records", Type.INT, "10000", 1, true);
    }

    private void checkWithin(String key, String minKey, String maxKey) {
        int v = getInt(key);
        if (v < getInt(minKey) || v > getInt(maxKey)) {
            throw new ConfigException(key, v, "must be between " + minKey + " and " + maxKey);
        }
    }

    private static void key(String name, Type type, String def, long min, boolean readOnly) {
        KEYS.put(name, new Key(name, type, def, min, readOnly));
    }

    private final Map<String, String> explicit;
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final List<Endpoint> listeners;
    private final List<Endpoint> advertisedListeners;
    private final LogConfig logDefaults;

    private BrokerConfig(Map<String, String> explicit) {
        this.explicit = Collections.unmodifiableMap(new LinkedHashMap<>(explicit));
        for (Map.Entry<String, String> e : explicit.entrySet()) {
            if (!KEYS.containsKey(e.getKey()) && !e.getKey().startsWith(LISTENER_PREFIX)) {
                LOG.warn("Unknown configuration key {} (value {}) is ignored", e.getKey(), e.getValue());
            }
        }
        for (Key k : KEYS.values()) {
            String raw = explicit.get(k.name());
            if (raw == null) {
                raw = k.defaultValue();
            }
            values.put(k.name(), raw == null ? null : parse(k, raw.trim()));
        }
        if (explicit.containsKey(BROKER_ID) && !explicit.containsKey(NODE_ID)) {
            values.put(NODE_ID, values.get(BROKER_ID));
        }
        Map<String, SecurityProtocol> protocols =
                Listeners.protocolMap(LISTENER_SECURITY_PROTOCOL_MAP, getString(LISTENER_SECURITY_PROTOCOL_MAP));
        Set<String> controllerListeners = new TreeSet<>();
        String controllers = getString(CONTROLLER_LISTENER_NAMES);
        if (controllers != null) {
            for (String n : controllers.split(",")) {
                if (!n.isBlank()) {
                    controllerListeners.add(n.trim().toUpperCase(java.util.Locale.ROOT));
                }
            }
        }
        if (!controllerListeners.isEmpty()) {
            LOG.info("Not serving the KRaft controller listeners {}: Tributary has no controller", controllerListeners);
        }
        this.listeners = Listeners.parse(LISTENERS, getString(LISTENERS), protocols, controllerListeners);
        if (listeners.isEmpty()) {
            throw new ConfigException(LISTENERS, getString(LISTENERS), "at least one listener is required");
        }
        String adv = getString(ADVERTISED_LISTENERS);
        this.advertisedListeners = adv == null || adv.isBlank()
                ? List.of()
                : Listeners.parse(ADVERTISED_LISTENERS, adv, protocols, controllerListeners);
        Listeners.checkAdvertised(listeners, advertisedListeners);
        if (getInt(GROUP_MIN_SESSION_TIMEOUT_MS) > getInt(GROUP_MAX_SESSION_TIMEOUT_MS)) {
            throw new ConfigException(
                    GROUP_MIN_SESSION_TIMEOUT_MS,
                    getInt(GROUP_MIN_SESSION_TIMEOUT_MS),
                    "must not exceed " + GROUP_MAX_SESSION_TIMEOUT_MS);
        }
        // Kafka's bounds for the consumer protocol's defaults (the broker refuses to start otherwise).
        checkWithin(
                GROUP_CONSUMER_SESSION_TIMEOUT_MS,
                "group.consumer.min.session.timeout.ms",
                "group.consumer.max.session.timeout.ms");
        checkWithin(
                GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS,
                "group.consumer.min.heartbeat.interval.ms",
                "group.consumer.max.heartbeat.interval.ms");
        if (getInt(GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS) >= getInt(GROUP_CONSUMER_SESSION_TIMEOUT_MS)) {
            throw new ConfigException(
                    GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS,
                    getInt(GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS),
                    "must be less than " + GROUP_CONSUMER_SESSION_TIMEOUT_MS);
        }
        try {
            this.logDefaults = LogConfig.create(this.explicit, Map.of());
        } catch (StorageException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static Object parse(Key k, String raw) {
        try {
            Object v = switch (k.type()) {
                case INT -> Integer.parseInt(raw);
                case SHORT -> Short.parseShort(raw);
                case LONG -> Long.parseLong(raw);
                case DOUBLE -> Double.parseDouble(raw);
                case BOOLEAN -> {
                    if (raw.equalsIgnoreCase("true")) {
                        yield Boolean.TRUE;
                    } else if (raw.equalsIgnoreCase("false")) {
                        yield Boolean.FALSE;
                    }
                    throw new ConfigException(k.name(), raw, "expected true or false");
                }
                default -> raw;
            };
            if (v instanceof Number n && n.longValue() < k.min()) {
                throw new ConfigException(k.name(), raw, "value must be at least " + k.min());
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ConfigException(
                    k.name(), raw, "expected a " + k.type().name().toLowerCase() + " number");
        }
    }

    public static BrokerConfig fromMap(Map<String, String> props) {
        return new BrokerConfig(props);
    }

    public static BrokerConfig fromProperties(Properties props) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String name : props.stringPropertyNames()) {
            m.put(name, props.getProperty(name));
        }
        return new BrokerConfig(m);
    }

    /** A copy with some keys replaced (command-line overrides win over the file). */
    public BrokerConfig with(Map<String, String> overrides) {
        Map<String, String> m = new LinkedHashMap<>(explicit);
        m.putAll(overrides);
        return new BrokerConfig(m);
    }

    public static Map<String, Key> keys() {
        return Collections.unmodifiableMap(KEYS);
    }

    /** Keys that were set explicitly, as given. */
    public Map<String, String> explicitValues() {
        return explicit;
    }

    public boolean isExplicit(String key) {
        return explicit.containsKey(key);
    }

    /** The parsed value of a known key, or null when it has no value. */
    public Object value(String key) {
        return values.get(key);
    }

    /** The value as DescribeConfigs shows it, or null. */
    public String valueString(String key) {
        Object v = values.get(key);
        return v == null ? null : v.toString();
    }

    public int getInt(String key) {
        return (Integer) values.get(key);
    }

    public long getLong(String key) {
        return (Long) values.get(key);
    }

    public boolean getBoolean(String key) {
        return (Boolean) values.get(key);
    }

    public String getString(String key) {
        return (String) values.get(key);
    }

    public int nodeId() {
        return getInt(NODE_ID);
    }

    public List<Endpoint> listeners() {
        return listeners;
    }

    /**
     * The settings one listener sees, Kafka's way: every explicit key, then each
     * {@code listener.name.<name in lower case>.<key>} replacing {@code <key>}. Mechanism-scoped SASL keys keep
     * their mechanism prefix ({@code scram-sha-256.sasl.jaas.config}). Contains passwords: never log it.
     */
    public Map<String, String> listenerSettings(String listenerName) {
        String prefix = LISTENER_PREFIX + listenerName.toLowerCase(java.util.Locale.ROOT) + ".";
        Map<String, String> out = new LinkedHashMap<>();
        explicit.forEach((k, v) -> {
            if (!k.startsWith(LISTENER_PREFIX)) {
                out.put(k, v);
            }
        });
        explicit.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    /** Explicit advertised listeners (each names a listener), or empty when they derive from the bound ones. */
    public List<Endpoint> advertisedListeners() {
        return advertisedListeners;
    }

    /** The (single) log directory: the first of log.dirs, else log.dir. */
    public Path logDir() {
        String dirs = getString(LOG_DIRS);
        if (dirs != null && !dirs.isBlank()) {
            String[] parts = dirs.split(",");
            if (parts.length > 1) {
                LOG.warn("Only one log directory is supported; using {} from {}", parts[0].trim(), LOG_DIRS);
            }
            return Path.of(parts[0].trim());
        }
        return Path.of(getString(LOG_DIR));
    }

    public int numPartitions() {
        return getInt(NUM_PARTITIONS);
    }

    public int defaultReplicationFactor() {
        return getInt(DEFAULT_REPLICATION_FACTOR);
    }

    public boolean autoCreateTopicsEnable() {
        return getBoolean(AUTO_CREATE_TOPICS_ENABLE);
    }

    public boolean deleteTopicEnable() {
        return getBoolean(DELETE_TOPIC_ENABLE);
    }

    /** Effective retention: log.retention.ms, else minutes, else hours; -1 means unlimited. */
    public long retentionMs() {
        return logDefaults.retentionMs;
    }

    public long retentionBytes() {
        return getLong(LOG_RETENTION_BYTES);
    }

    public int segmentBytes() {
        return getInt(LOG_SEGMENT_BYTES);
    }

    /** Effective segment age before a roll: log.roll.ms, else log.roll.hours. */
    public long segmentMs() {
        return logDefaults.segmentMs;
    }

    /** log.flush.interval.ms, which defaults to Long.MAX_VALUE (flush by the OS) when unset. */
    public long flushIntervalMs() {
        Object ms = values.get(LOG_FLUSH_INTERVAL_MS);
        return ms != null ? (Long) ms : Long.MAX_VALUE;
    }

    public long flushIntervalMessages() {
        return getLong(LOG_FLUSH_INTERVAL_MESSAGES);
    }

    public int messageMaxBytes() {
        return getInt(MESSAGE_MAX_BYTES);
    }

    public int socketRequestMaxBytes() {
        return getInt(SOCKET_REQUEST_MAX_BYTES);
    }

    public int fetchMaxBytes() {
        return getInt(FETCH_MAX_BYTES);
    }

    public int numNetworkThreads() {
        return getInt(NUM_NETWORK_THREADS);
    }

    public long retentionCheckIntervalMs() {
        return getLong(LOG_RETENTION_CHECK_INTERVAL_MS);
    }

    public long shutdownTimeoutMs() {
        return getLong(SHUTDOWN_TIMEOUT_MS);
    }

    /** Names of all known keys, sorted (for DescribeConfigs of the broker). */
    public static Set<String> knownNames() {
        return new TreeSet<>(KEYS.keySet());
    }

    /** A listener as name://host:port with its security protocol; an empty host means every interface. */
    public record Endpoint(String listenerName, String host, int port, SecurityProtocol securityProtocol) {
        public Endpoint(String listenerName, String host, int port) {
            this(listenerName, host, port, SecurityProtocol.PLAINTEXT);
        }

        @Override
        public String toString() {
            return listenerName + "://" + host + ":" + port;
        }
    }
}
