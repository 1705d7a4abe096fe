package io.tributary.client.consumer;

import static io.tributary.client.common.ConfigDef.NO_DEFAULT;
import static io.tributary.client.common.ConfigDef.atLeast;
import static io.tributary.client.common.ConfigDef.in;
import static io.tributary.client.common.ConfigDef.nonEmptyList;

import io.tributary.client.common.AbstractConfig;
import io.tributary.client.common.ConfigDef;
import io.tributary.client.common.ConfigDef.Type;
import io.tributary.client.common.ConfigException;
import io.tributary.client.network.ChannelSecurityConfig;
import io.tributary.client.serialization.Deserializer;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer's configuration: Apache Kafka's keys and defaults, parsed and checked once at
 * construction. A missing required key or a bad value throws {@link ConfigException} naming the
 * key; keys the consumer does not know are logged and passed on to deserializers. Immutable.
 */
public final class ConsumerConfig extends AbstractConfig {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerConfig.class);

    public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
    public static final String KEY_DESERIALIZER_CLASS_CONFIG = "key.deserializer";
    public static final String VALUE_DESERIALIZER_CLASS_CONFIG = "value.deserializer";
    public static final String GROUP_ID_CONFIG = "group.id";
    public static final String GROUP_INSTANCE_ID_CONFIG = "group.instance.id";
    public static final String GROUP_PROTOCOL_CONFIG = "group.protocol";
    /** The broker-side assignor a consumer-protocol member asks for (KIP-848); null: the broker's default. */
    public static final String GROUP_REMOTE_ASSIGNOR_CONFIG = "group.remote.assignor";

    public static final String CLIENT_ID_CONFIG = "client.id";
    public static final String CLIENT_RACK_CONFIG = "client.rack";
    public static final String SESSION_TIMEOUT_MS_CONFIG = "session.timeout.ms";
    public static final String HEARTBEAT_INTERVAL_MS_CONFIG = "heartbeat.interval.ms";
    public static final String MAX_POLL_INTERVAL_MS_CONFIG = "max.poll.interval.ms";
    public static final String MAX_POLL_RECORDS_CONFIG = "max.poll.records";
    public static final String PARTITION_ASSIGNMENT_STRATEGY_CONFIG = "partition.assignment.strategy";
    public static final String ENABLE_AUTO_COMMIT_CONFIG = "enable.auto.commit";
    public static final String AUTO_COMMIT_INTERVAL_MS_CONFIG = "auto.commit.interval.ms";
    public static final String AUTO_OFFSET_RESET_CONFIG = "auto.offset.reset";
    public static final String FETCH_MIN_BYTES_CONFIG = "fetch.min.bytes";
    public static final String FETCH_MAX_BYTES_CONFIG = "fetch.max.bytes";
    public static final String FETCH_MAX_WAIT_MS_CONFIG = "fetch.max.wait.ms";
    public static final String MAX_PARTITION_FETCH_BYTES_CONFIG = "max.partition.fetch.bytes";
    public static final String DEFAULT_API_TIMEOUT_MS_CONFIG = "default.api.timeout.ms";
    public static final String REQUEST_TIMEOUT_MS_CONFIG = "request.timeout.ms";
    public static final String RECEIVE_BUFFER_CONFIG = "receive.buffer.bytes";
    public static final String SEND_BUFFER_CONFIG = "send.buffer.bytes";
    public static final String ISOLATION_LEVEL_CONFIG = "isolation.level";
    public static final String CHECK_CRCS_CONFIG = "check.crcs";
    public static final String ALLOW_AUTO_CREATE_TOPICS_CONFIG = "allow.auto.create.topics";
    public static final String EXCLUDE_INTERNAL_TOPICS_CONFIG = "exclude.internal.topics";
    public static final String METADATA_MAX_AGE_CONFIG = "metadata.max.age.ms";
    public static final String RECONNECT_BACKOFF_MS_CONFIG = "reconnect.backoff.ms";
    public static final String RECONNECT_BACKOFF_MAX_MS_CONFIG = "reconnect.backoff.max.ms";
    public static final String RETRY_BACKOFF_MS_CONFIG = "retry.backoff.ms";
    public static final String RETRY_BACKOFF_MAX_MS_CONFIG = "retry.backoff.max.ms";
    public static final String CONNECTIONS_MAX_IDLE_MS_CONFIG = "connections.max.idle.ms";
    public static final String SECURITY_PROTOCOL_CONFIG = ChannelSecurityConfig.SECURITY_PROTOCOL_CONFIG;
    public static final String CLIENT_DNS_LOOKUP_CONFIG = "client.dns.lookup";
    /**
     * librdkafka's end-of-partition events (C4; not a Java Kafka key), default false. When true,
     * poll reports each partition that caught up with the end of its log in
     * {@link ConsumerRecords#partitionEofs()}, once per catch-up.
     */
    public static final String ENABLE_PARTITION_EOF_CONFIG = "enable.partition.eof";
    /**
     * Ours (O4): how often commitAsync retries a retriable failure itself; 0 (the default) is
     * Kafka's contract, no retry. A retry is sent only if no newer commit was sent since, so it
     * never moves a committed offset backwards.
     */
    public static final String ASYNC_COMMIT_RETRIES_CONFIG = "tributary.async.commit.retries";

    public static final String DEFAULT_ASSIGNMENT_STRATEGY =
            "org.apache.kafka.clients.consumer.RangeAssignor,org.apache.kafka.clients.consumer.CooperativeStickyAssignor";

    /** Keys that built-in deserializers read, so they are not reported as unknown. */
    private static final Set<String> DESERIALIZER_KEYS = deserializerKeys();

    private static Set<String> deserializerKeys() {
        Set<String> keys = new java.util.HashSet<>(Set.of(
                "key.deserializer.encoding",
                "value.deserializer.encoding",
                "deserializer.encoding",
                "json.key.type",
                "json.value.type"));
        keys.addAll(io.tributary.client.serialization.AvroDeserializer.CONFIG_KEYS);
        return Set.copyOf(keys);
    }

    /** Keys a Kafka application commonly sets that we accept and ignore (no effect here). */
    private static final Set<String> IGNORED_KEYS = Set.of(
            "enable.metrics.push",
            "metrics.num.samples",
            "metrics.sample.window.ms",
            "metrics.recording.level",
            "metric.reporters",
            "auto.include.jmx.reporter",
            "interceptor.classes",
            "socket.connection.setup.timeout.ms",
            "socket.connection.setup.timeout.max.ms",
            "metadata.recovery.strategy",
            "metadata.recovery.rebootstrap.trigger.ms");

    private static final ConfigDef DEF = ChannelSecurityConfig.define(new ConfigDef())
            .define(BOOTSTRAP_SERVERS_CONFIG, Type.LIST, NO_DEFAULT, nonEmptyList(), "host:port pairs to start from")
            .define(KEY_DESERIALIZER_CLASS_CONFIG, Type.CLASS, NO_DEFAULT, "key Deserializer class")
            .define(VALUE_DESERIALIZER_CLASS_CONFIG, Type.CLASS, NO_DEFAULT, "value Deserializer class")
            .define(GROUP_ID_CONFIG, Type.STRING, null, "consumer group")
            .define(
                    GROUP_INSTANCE_ID_CONFIG,
                    Type.STRING,
                    null,
                    ConsumerConfig::validateInstanceId,
                    "static membership id")
            .define(GROUP_PROTOCOL_CONFIG, Type.STRING, "classic", in("classic", "consumer"), "group protocol")
            .define(GROUP_REMOTE_ASSIGNOR_CONFIG, Type.STRING, null, "server-side assignor (consumer protocol)")
            .define(CLIENT_ID_CONFIG, Type.STRING, "", "client id sent in every request header")
            .define(CLIENT_RACK_CONFIG, Type.STRING, "", "rack of this client (Fetch v11)")
            .define(SESSION_TIMEOUT_MS_CONFIG, Type.INT, 45000, "group session timeout")
            .define(HEARTBEAT_INTERVAL_MS_CONFIG, Type.INT, 3000, "heartbeat interval")
            .define(MAX_POLL_INTERVAL_MS_CONFIG, Type.INT, 300000, atLeast(1), "max time between polls")
            .define(MAX_POLL_RECORDS_CONFIG, Type.INT, 500, atLeast(1), "max records per poll")
            .define(
                    PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                    Type.LIST,
                    DEFAULT_ASSIGNMENT_STRATEGY,
                    nonEmptyList(),
                    "assignors, in order of preference")
            .define(ENABLE_AUTO_COMMIT_CONFIG, Type.BOOLEAN, true, "commit in the background")
            .define(AUTO_COMMIT_INTERVAL_MS_CONFIG, Type.INT, 5000, atLeast(0), "auto-commit interval")
            .define(
                    AUTO_OFFSET_RESET_CONFIG,
                    Type.STRING,
                    "latest",
                    in("latest", "earliest", "none", "smallest", "largest", "beginning", "end", "error"),
                    "where to start without a valid offset")
            .define(FETCH_MIN_BYTES_CONFIG, Type.INT, 1, atLeast(0), "min bytes per fetch response")
            .define(FETCH_MAX_BYTES_CONFIG, Type.INT, 52428800, atLeast(0), "max bytes per fetch response")
            .define(FETCH_MAX_WAIT_MS_CONFIG, Type.INT, 500, atLeast(0), "max broker wait per fetch")
            .define(MAX_PARTITION_FETCH_BYTES_CONFIG, Type.INT, 1048576, atLeast(0), "max bytes per partition")
            .define(DEFAULT_API_TIMEOUT_MS_CONFIG, Type.INT, 60000, atLeast(0), "default timeout of blocking calls")
            .define(REQUEST_TIMEOUT_MS_CONFIG, Type.INT, 30000, atLeast(0), "per-request timeout")
            .define(RECEIVE_BUFFER_CONFIG, Type.INT, 65536, atLeast(-1), "SO_RCVBUF, -1 for the OS default")
            .define(SEND_BUFFER_CONFIG, Type.INT, 131072, atLeast(-1), "SO_SNDBUF, -1 for the OS default")
            .define(
                    ISOLATION_LEVEL_CONFIG,
                    Type.STRING,
                    "read_uncommitted",
                    in("read_uncommitted", "read_committed"),
                    "transactional visibility")
            .define(CHECK_CRCS_CONFIG, Type.BOOLEAN, true, "verify batch CRCs")
            .define(ALLOW_AUTO_CREATE_TOPICS_CONFIG, Type.BOOLEAN, true, "let metadata requests create topics")
            .define(EXCLUDE_INTERNAL_TOPICS_CONFIG, Type.BOOLEAN, true, "patterns never match internal topics")
            .define(METADATA_MAX_AGE_CONFIG, Type.LONG, 300000L, atLeast(0), "metadata refresh interval")
            .define(RECONNECT_BACKOFF_MS_CONFIG, Type.LONG, 50L, atLeast(0), "first reconnect backoff")
            .define(RECONNECT_BACKOFF_MAX_MS_CONFIG, Type.LONG, 1000L, atLeast(0), "max reconnect backoff")
            .define(RETRY_BACKOFF_MS_CONFIG, Type.LONG, 100L, atLeast(0), "first retry backoff")
            .define(RETRY_BACKOFF_MAX_MS_CONFIG, Type.LONG, 1000L, atLeast(0), "max retry backoff")
            .define(CONNECTIONS_MAX_IDLE_MS_CONFIG, Type.LONG, 540000L, "idle connection close")
            .define(
                    CLIENT_DNS_LOOKUP_CONFIG,
                    Type.STRING,
                    "use_all_dns_ips",
                    in("use_all_dns_ips", "resolve_canonical_bootstrap_servers_only"),
                    "DNS lookup")
            .define(ENABLE_PARTITION_EOF_CONFIG, Type.BOOLEAN, false, "report end of partition")
            .define(ASYNC_COMMIT_RETRIES_CONFIG, Type.INT, 0, atLeast(0), "safe retries of async commits");

    private final Map<String, Object> originals;
    private final Map<String, Object> values;
    private final ChannelSecurityConfig channelSecurity;

    public ConsumerConfig(Properties props) {
        this(toMap(props));
    }

    public ConsumerConfig(Map<String, ?> props) {
        this(props, false, false);
    }

    /**
     * @param keyDeserializerGiven     a key deserializer instance was passed in code, so the key is optional
     * @param valueDeserializerGiven   likewise for values
     */
    public ConsumerConfig(Map<String, ?> props, boolean keyDeserializerGiven, boolean valueDeserializerGiven) {
        Map<String, Object> in = new HashMap<>();
        for (Map.Entry<String, ?> e : props.entrySet()) {
            if (!(e.getKey() instanceof String)) {
                throw new ConfigException("Key " + e.getKey() + " is not a string");
            }
            in.put(e.getKey(), e.getValue());
        }
        this.originals = Collections.unmodifiableMap(new HashMap<>(in));
        // A deserializer given as an instance stands in for the class key.
        if (keyDeserializerGiven) {
            in.putIfAbsent(KEY_DESERIALIZER_CLASS_CONFIG, Object.class);
        }
        if (valueDeserializerGiven) {
            in.putIfAbsent(VALUE_DESERIALIZER_CLASS_CONFIG, Object.class);
        }
        Map<String, Object> parsed = new HashMap<>(DEF.parse(in));
        postProcess(parsed, in);
        this.values = Collections.unmodifiableMap(parsed);
        this.channelSecurity = ChannelSecurityConfig.from(values);
        logUnknown();
    }

    /** The properties as a map, with values that are not strings (classes, numbers) kept. */
    public static Map<String, Object> toMap(Properties props) {
        Map<String, Object> m = new HashMap<>();
        for (String name : props.stringPropertyNames()) {
            m.put(name, props.getProperty(name));
        }
        // Non-string values (Class objects, Integers) do not appear in stringPropertyNames.
        props.forEach((k, v) -> m.putIfAbsent(String.valueOf(k), v));
        return m;
    }

    private static void postProcess(Map<String, Object> parsed, Map<String, Object> given) {
        for (Object server : (List<?>) parsed.get(BOOTSTRAP_SERVERS_CONFIG)) {
            String s = server.toString();
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || colon == s.length() - 1) {
                throw new ConfigException(BOOTSTRAP_SERVERS_CONFIG, s, "Invalid url, expected host:port");
            }
            try {
                int port = Integer.parseInt(s.substring(colon + 1));
                if (port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new ConfigException(BOOTSTRAP_SERVERS_CONFIG, s, "Invalid port");
            }
        }
        String groupId = (String) parsed.get(GROUP_ID_CONFIG);
        boolean hasGroup = groupId != null && !groupId.isEmpty();
        if (!hasGroup) {
            if (given.containsKey(ENABLE_AUTO_COMMIT_CONFIG) && (Boolean) parsed.get(ENABLE_AUTO_COMMIT_CONFIG)) {
                throw new ConfigException(
                        ENABLE_AUTO_COMMIT_CONFIG,
                        true,
                        "enable.auto.commit cannot be set to true when group.id is not set; auto-commit needs a group");
            }
            // Kafka turns the default off without a group rather than failing.
            parsed.put(ENABLE_AUTO_COMMIT_CONFIG, false);
        }
        String reset = ((String) parsed.get(AUTO_OFFSET_RESET_CONFIG)).toLowerCase(Locale.ROOT);
        parsed.put(
                AUTO_OFFSET_RESET_CONFIG,
                switch (reset) {
                    case "smallest", "beginning" -> "earliest";
                    case "largest", "end" -> "latest";
                    case "error" -> "none";
                    default -> reset;
                });
        parsed.put(ISOLATION_LEVEL_CONFIG, ((String) parsed.get(ISOLATION_LEVEL_CONFIG)).toLowerCase(Locale.ROOT));
        parsed.put(GROUP_PROTOCOL_CONFIG, ((String) parsed.get(GROUP_PROTOCOL_CONFIG)).toLowerCase(Locale.ROOT));
        boolean consumerProtocol = "consumer".equals(parsed.get(GROUP_PROTOCOL_CONFIG));
        rejectOtherProtocolKeys(
                given,
                consumerProtocol ? "CONSUMER" : "CLASSIC",
                consumerProtocol
                        ? List.of(
                                PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                                HEARTBEAT_INTERVAL_MS_CONFIG,
                                SESSION_TIMEOUT_MS_CONFIG)
                        : List.of(GROUP_REMOTE_ASSIGNOR_CONFIG));
        int session = (Integer) parsed.get(SESSION_TIMEOUT_MS_CONFIG);
        int heartbeat = (Integer) parsed.get(HEARTBEAT_INTERVAL_MS_CONFIG);
        if (hasGroup && !consumerProtocol && heartbeat >= session) {
            throw new ConfigException(
                    HEARTBEAT_INTERVAL_MS_CONFIG,
                    heartbeat,
                    "heartbeat.interval.ms must be lower than session.timeout.ms (" + session + ")");
        }
    }

    /**
     * As Kafka 4: a key that only the other group protocol reads is an error when set (the broker
     * owns session, heartbeat and assignment under the consumer protocol), naming every such key.
     */
    private static void rejectOtherProtocolKeys(Map<String, Object> given, String protocol, List<String> keys) {
        List<String> set = keys.stream().filter(k -> given.get(k) != null).toList();
        if (!set.isEmpty()) {
            throw new ConfigException(
                    String.join(", ", set) + " cannot be set when " + GROUP_PROTOCOL_CONFIG + "=" + protocol);
        }
    }

    /** True with group.protocol=consumer (KIP-848's ConsumerGroupHeartbeat membership). */
    public boolean consumerProtocol() {
        return "consumer".equals(getString(GROUP_PROTOCOL_CONFIG));
    }

    private static void validateInstanceId(String key, Object value) {
        if (value == null) {
            return;
        }
        String id = value.toString();
        if (id.isEmpty()) {
            throw new ConfigException(key, "\"\"", "Group instance id must be non-empty string");
        }
        if (id.length() > 249) {
            throw new ConfigException(key, id, "Group instance id can't be longer than 249 characters");
        }
        for (char c : id.toCharArray()) {
            if (!(Character.isLetterOrDigit(c) && c < 128) && c != '.' && c != '_' && c != '-') {
                throw new ConfigException(
                        key,
                        id,
                        "Group instance id contains the illegal character '" + c
                                + "'; only ASCII alphanumerics, '.', '_' and '-' are allowed");
            }
        }
    }

    private void logUnknown() {
        for (String k : originals.keySet()) {
            if (!DEF.names().contains(k) && !DESERIALIZER_KEYS.contains(k) && !IGNORED_KEYS.contains(k)) {
                LOG.warn("The configuration '{}' was supplied but isn't a known config.", k);
            }
        }
    }

    public static Set<String> configNames() {
        return DEF.names();
    }

    /** Everything the user passed, including keys only deserializers understand. */
    public Map<String, Object> originals() {
        return originals;
    }

    @Override
    protected Map<String, Object> parsedValues() {
        return values;
    }

    public Class<?> getClass(String key) {
        Object v = get(key);
        return v == Object.class ? null : (Class<?>) v;
    }

    /**
     * A new instance of the class configured under {@code key}, which must implement {@code type}
     * and have a public no-argument constructor; otherwise a {@link ConfigException} naming the key.
     */
    @SuppressWarnings("unchecked")
    public <T> T newInstance(String key, Class<?> type) {
        Class<?> c = getClass(key);
        if (!type.isAssignableFrom(c)) {
            throw new ConfigException(
                    key, c.getName(), "Class " + c.getName() + " does not implement " + type.getName());
        }
        try {
            return (T) c.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new ConfigException(key, c.getName(), "Could not instantiate class " + c.getName() + ": " + e);
        }
    }

    /**
     * The key (or value) deserializer: {@code given} when the application passed one, else a new
     * instance of the configured class; either way configured with the originals.
     */
    public <T> Deserializer<T> deserializer(Deserializer<T> given, boolean isKey) {
        Deserializer<T> d = given != null
                ? given
                : newInstance(
                        isKey ? KEY_DESERIALIZER_CLASS_CONFIG : VALUE_DESERIALIZER_CLASS_CONFIG, Deserializer.class);
        d.configure(originals(), isKey);
        return d;
    }

    public String groupId() {
        String g = getString(GROUP_ID_CONFIG);
        return g == null || g.isEmpty() ? null : g;
    }

    public String groupInstanceId() {
        return getString(GROUP_INSTANCE_ID_CONFIG);
    }

    /** earliest, latest or none (aliases already folded). */
    public String autoOffsetReset() {
        return getString(AUTO_OFFSET_RESET_CONFIG);
    }

    /** security.protocol, SASL login and TLS context, checked and built when this configuration was. */
    public ChannelSecurityConfig channelSecurity() {
        return channelSecurity;
    }

    public boolean readCommitted() {
        return "read_committed".equals(getString(ISOLATION_LEVEL_CONFIG));
    }

    @Override
    public String toString() {
        return "ConsumerConfig" + new java.util.TreeMap<>(values);
    }
}
