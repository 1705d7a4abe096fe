package io.tributary.client.producer;

import static io.tributary.client.common.ConfigDef.NO_DEFAULT;
import static io.tributary.client.common.ConfigDef.atLeast;
import static io.tributary.client.common.ConfigDef.between;
import static io.tributary.client.common.ConfigDef.in;
import static io.tributary.client.common.ConfigDef.nonEmptyList;

import io.tributary.client.common.AbstractConfig;
import io.tributary.client.common.ConfigDef;
import io.tributary.client.common.ConfigDef.Type;
import io.tributary.client.common.ConfigException;
import io.tributary.client.network.ChannelSecurityConfig;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The producer's configuration: Kafka 4's keys and defaults (issue 12), parsed by the same
 * {@link ConfigDef} and {@link ChannelSecurityConfig} as the consumer's. A bad key or value fails
 * with a {@link ConfigException} naming the key.
 */
public final class ProducerConfig extends AbstractConfig {
    public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
    public static final String CLIENT_ID_CONFIG = "client.id";
    public static final String KEY_SERIALIZER_CLASS_CONFIG = "key.serializer";
    public static final String VALUE_SERIALIZER_CLASS_CONFIG = "value.serializer";
    public static final String ACKS_CONFIG = "acks";
    public static final String LINGER_MS_CONFIG = "linger.ms";
    public static final String BATCH_SIZE_CONFIG = "batch.size";
    public static final String BUFFER_MEMORY_CONFIG = "buffer.memory";
    public static final String MAX_BLOCK_MS_CONFIG = "max.block.ms";
    public static final String COMPRESSION_TYPE_CONFIG = "compression.type";
    public static final String COMPRESSION_GZIP_LEVEL_CONFIG = "compression.gzip.level";
    public static final String COMPRESSION_LZ4_LEVEL_CONFIG = "compression.lz4.level";
    public static final String COMPRESSION_ZSTD_LEVEL_CONFIG = "compression.zstd.level";
    public static final String DELIVERY_TIMEOUT_MS_CONFIG = "delivery.timeout.ms";
    public static final String REQUEST_TIMEOUT_MS_CONFIG = "request.timeout.ms";
    public static final String RETRIES_CONFIG = "retries";
    public static final String RETRY_BACKOFF_MS_CONFIG = "retry.backoff.ms";
    public static final String RETRY_BACKOFF_MAX_MS_CONFIG = "retry.backoff.max.ms";
    public static final String MAX_REQUEST_SIZE_CONFIG = "max.request.size";
    public static final String MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION = "max.in.flight.requests.per.connection";
    public static final String ENABLE_IDEMPOTENCE_CONFIG = "enable.idempotence";
    public static final String TRANSACTIONAL_ID_CONFIG = "transactional.id";
    public static final String TRANSACTION_TIMEOUT_CONFIG = "transaction.timeout.ms";
    public static final String PARTITIONER_CLASS_CONFIG = "partitioner.class";
    public static final String PARTITIONER_IGNORE_KEYS_CONFIG = "partitioner.ignore.keys";
    public static final String METADATA_MAX_AGE_CONFIG = "metadata.max.age.ms";
    public static final String RECONNECT_BACKOFF_MS_CONFIG = "reconnect.backoff.ms";
    public static final String RECONNECT_BACKOFF_MAX_MS_CONFIG = "reconnect.backoff.max.ms";
    public static final String SEND_BUFFER_CONFIG = "send.buffer.bytes";
    public static final String RECEIVE_BUFFER_CONFIG = "receive.buffer.bytes";

    private static final ConfigDef DEF = ChannelSecurityConfig.define(new ConfigDef())
            .define(BOOTSTRAP_SERVERS_CONFIG, Type.LIST, NO_DEFAULT, nonEmptyList(), "host:port pairs to start from")
            .define(CLIENT_ID_CONFIG, Type.STRING, "", "client id sent in every request header")
            .define(KEY_SERIALIZER_CLASS_CONFIG, Type.CLASS, NO_DEFAULT, "key Serializer class")
            .define(VALUE_SERIALIZER_CLASS_CONFIG, Type.CLASS, NO_DEFAULT, "value Serializer class")
            .define(ACKS_CONFIG, Type.STRING, "all", in("all", "-1", "0", "1"), "acknowledgements the leader waits for")
            .define(LINGER_MS_CONFIG, Type.LONG, 5L, atLeast(0), "wait for more records before sending a batch")
            .define(BATCH_SIZE_CONFIG, Type.INT, 16384, atLeast(0), "batch size in bytes")
            .define(BUFFER_MEMORY_CONFIG, Type.LONG, 33554432L, atLeast(0), "memory for unsent records")
            .define(MAX_BLOCK_MS_CONFIG, Type.LONG, 60000L, atLeast(0), "max time send/partitionsFor block")
            .define(
                    COMPRESSION_TYPE_CONFIG,
                    Type.STRING,
                    "none",
                    in("none", "gzip", "snappy", "lz4", "zstd"),
                    "codec of produced batches")
            .define(COMPRESSION_GZIP_LEVEL_CONFIG, Type.INT, -1, between(-1, 9), "gzip level")
            .define(COMPRESSION_LZ4_LEVEL_CONFIG, Type.INT, 9, between(1, 17), "lz4 level")
            .define(COMPRESSION_ZSTD_LEVEL_CONFIG, Type.INT, 3, between(-131072, 22), "zstd level")
            .define(DELIVERY_TIMEOUT_MS_CONFIG, Type.INT, 120000, atLeast(0), "upper bound on reporting a send")
            .define(REQUEST_TIMEOUT_MS_CONFIG, Type.INT, 30000, atLeast(0), "per-request timeout")
            .define(RETRIES_CONFIG, Type.INT, Integer.MAX_VALUE, between(0, Integer.MAX_VALUE), "resends")
            .define(RETRY_BACKOFF_MS_CONFIG, Type.LONG, 100L, atLeast(0), "first retry backoff")
            .define(RETRY_BACKOFF_MAX_MS_CONFIG, Type.LONG, 1000L, atLeast(0), "max retry backoff")
            .define(MAX_REQUEST_SIZE_CONFIG, Type.INT, 1048576, atLeast(0), "max size of a request")
            .define(MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, Type.INT, 5, atLeast(1), "unacknowledged requests")
            .define(ENABLE_IDEMPOTENCE_CONFIG, Type.BOOLEAN, true, "exactly one copy of each record")
            .define(TRANSACTIONAL_ID_CONFIG, Type.STRING, null, "transactional id")
            .define(TRANSACTION_TIMEOUT_CONFIG, Type.INT, 60000, "transaction timeout")
            .define(PARTITIONER_CLASS_CONFIG, Type.CLASS, null, "custom Partitioner class")
            .define(PARTITIONER_IGNORE_KEYS_CONFIG, Type.BOOLEAN, false, "partition keyed records as unkeyed")
            .define(METADATA_MAX_AGE_CONFIG, Type.LONG, 300000L, atLeast(0), "metadata refresh interval")
            .define(RECONNECT_BACKOFF_MS_CONFIG, Type.LONG, 50L, atLeast(0), "first reconnect backoff")
            .define(RECONNECT_BACKOFF_MAX_MS_CONFIG, Type.LONG, 1000L, atLeast(0), "max reconnect backoff")
            .define(SEND_BUFFER_CONFIG, Type.INT, 131072, atLeast(-1), "SO_SNDBUF, -1 for the OS default")
            .define(RECEIVE_BUFFER_CONFIG, Type.INT, 32768, atLeast(-1), "SO_RCVBUF, -1 for the OS default");

    private final Map<String, Object> originals;
    private final Map<String, Object> values;
    private final ChannelSecurityConfig channelSecurity;

    public ProducerConfig(Properties props) {
        this(propsToMap(props), false, false);
    }

    public ProducerConfig(Map<String, ?> props) {
        this(props, false, false);
    }

    /** Serializers given as instances stand in for the class keys. */
    public ProducerConfig(Map<String, ?> props, boolean keySerializerGiven, boolean valueSerializerGiven) {
        Map<String, Object> in = new HashMap<>();
        props.forEach((k, v) -> in.put(k, v));
        this.originals = Collections.unmodifiableMap(new HashMap<>(in));
        if (keySerializerGiven) {
            in.putIfAbsent(KEY_SERIALIZER_CLASS_CONFIG, Object.class);
        }
        if (valueSerializerGiven) {
            in.putIfAbsent(VALUE_SERIALIZER_CLASS_CONFIG, Object.class);
        }
        Map<String, Object> parsed = new HashMap<>(DEF.parse(in));
        postProcess(parsed, in);
        this.values = Collections.unmodifiableMap(parsed);
        this.channelSecurity = ChannelSecurityConfig.from(values);
    }

    static Map<String, Object> propsToMap(Properties props) {
        Map<String, Object> m = new HashMap<>();
        props.forEach((k, v) -> m.put(String.valueOf(k), v));
        return m;
    }

    private static void postProcess(Map<String, Object> parsed, Map<String, Object> given) {
        String acks = ((String) parsed.get(ACKS_CONFIG)).toLowerCase(Locale.ROOT);
        parsed.put(ACKS_CONFIG, acks.equals("all") ? "-1" : acks);
        boolean idempotent = (Boolean) parsed.get(ENABLE_IDEMPOTENCE_CONFIG);
        boolean idempotenceGiven = given.containsKey(ENABLE_IDEMPOTENCE_CONFIG);
        String txnId = (String) parsed.get(TRANSACTIONAL_ID_CONFIG);
        if (txnId != null && !idempotent && idempotenceGiven) {
            throw new ConfigException(
                    ENABLE_IDEMPOTENCE_CONFIG,
                    false,
                    "Cannot set a transactional.id without also enabling idempotence.");
        }
        int inFlight = (Integer) parsed.get(MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
        int retries = (Integer) parsed.get(RETRIES_CONFIG);
        if (idempotent) {
            // Kafka: an explicit setting that contradicts idempotence is an error; defaults just turn it off.
            String conflict = inFlight > 5
                    ? MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION
                    : !"-1".equals(parsed.get(ACKS_CONFIG)) ? ACKS_CONFIG : retries == 0 ? RETRIES_CONFIG : null;
            if (conflict != null) {
                if (idempotenceGiven || txnId != null) {
                    throw new ConfigException(
                            conflict,
                            given.get(conflict),
                            "Must be set to " + (conflict.equals(ACKS_CONFIG) ? "all" : "a compatible value")
                                    + " in order to use the idempotent producer.");
                }
                parsed.put(ENABLE_IDEMPOTENCE_CONFIG, false);
            }
        }
        int delivery = (Integer) parsed.get(DELIVERY_TIMEOUT_MS_CONFIG);
        long linger = (Long) parsed.get(LINGER_MS_CONFIG);
        int request = (Integer) parsed.get(REQUEST_TIMEOUT_MS_CONFIG);
        if (delivery < linger + request) {
            if (given.containsKey(DELIVERY_TIMEOUT_MS_CONFIG)) {
                throw new ConfigException(
                        DELIVERY_TIMEOUT_MS_CONFIG,
                        delivery,
                        "should be equal to or larger than linger.ms + request.timeout.ms");
            }
            parsed.put(DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, linger + request));
        }
    }

    public Map<String, Object> originals() {
        return originals;
    }

    @Override
    protected Map<String, Object> parsedValues() {
        return values;
    }

    /** A new instance of the class under {@code key}, or null when unset or given as an instance. */
    @SuppressWarnings("unchecked")
    public <T> T newInstance(String key, Class<?> type) {
        Object v = get(key);
        if (v == null || v == Object.class) {
            return null;
        }
        Class<?> c = (Class<?>) v;
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

    public ChannelSecurityConfig channelSecurity() {
        return channelSecurity;
    }

    /** The acks value sent on the wire: -1 (all), 1 or 0 (no answer). */
    public short acks() {
        return Short.parseShort(getString(ACKS_CONFIG));
    }

    public boolean idempotent() {
        return getBoolean(ENABLE_IDEMPOTENCE_CONFIG);
    }
}
