package io.tributary.client.admin;

import static io.tributary.client.common.ConfigDef.NO_DEFAULT;
import static io.tributary.client.common.ConfigDef.atLeast;
import static io.tributary.client.common.ConfigDef.between;
import static io.tributary.client.common.ConfigDef.nonEmptyList;

import io.tributary.client.common.AbstractConfig;
import io.tributary.client.common.ConfigDef;
import io.tributary.client.common.ConfigDef.Type;
import io.tributary.client.common.ConfigException;
import io.tributary.client.network.ChannelSecurityConfig;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin client's configuration (issue 12): Kafka 4's keys and defaults, parsed by the same
 * {@link ConfigDef} and {@link ChannelSecurityConfig} (security.protocol, sasl.*, ssl.*) as the
 * consumer's and producer's. A bad value fails with a {@link ConfigException} naming the key;
 * unknown keys are logged and ignored, as Kafka does.
 */
public final class AdminClientConfig extends AbstractConfig {
    private static final Logger LOG = LoggerFactory.getLogger(AdminClientConfig.class);

    public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
    public static final String CLIENT_ID_CONFIG = "client.id";
    public static final String REQUEST_TIMEOUT_MS_CONFIG = "request.timeout.ms";
    public static final String DEFAULT_API_TIMEOUT_MS_CONFIG = "default.api.timeout.ms";
    public static final String RETRIES_CONFIG = "retries";
    public static final String RETRY_BACKOFF_MS_CONFIG = "retry.backoff.ms";
    public static final String RETRY_BACKOFF_MAX_MS_CONFIG = "retry.backoff.max.ms";
    public static final String METADATA_MAX_AGE_CONFIG = "metadata.max.age.ms";
    public static final String RECONNECT_BACKOFF_MS_CONFIG = "reconnect.backoff.ms";
    public static final String RECONNECT_BACKOFF_MAX_MS_CONFIG = "reconnect.backoff.max.ms";
    public static final String SEND_BUFFER_CONFIG = "send.buffer.bytes";
    public static final String RECEIVE_BUFFER_CONFIG = "receive.buffer.bytes";
    public static final String CONNECTIONS_MAX_IDLE_MS_CONFIG = "connections.max.idle.ms";
    public static final String SECURITY_PROTOCOL_CONFIG = ChannelSecurityConfig.SECURITY_PROTOCOL_CONFIG;

    /** Keys Kafka applications commonly set that are accepted without effect here. */
    private static final Set<String> IGNORED_KEYS = Set.of(
            "metrics.num.samples",
            "metrics.sample.window.ms",
            "metrics.recording.level",
            "metric.reporters",
            "auto.include.jmx.reporter",
            "enable.metrics.push",
            "socket.connection.setup.timeout.ms",
            "socket.connection.setup.timeout.max.ms",
            "client.dns.lookup",
            "metadata.recovery.strategy",
            "metadata.recovery.rebootstrap.trigger.ms");

    private static final ConfigDef DEF = ChannelSecurityConfig.define(new ConfigDef())
            .define(BOOTSTRAP_SERVERS_CONFIG, Type.LIST, NO_DEFAULT, nonEmptyList(), "host:port pairs to start from")
            .define(CLIENT_ID_CONFIG, Type.STRING, "", "client id sent in every request header")
            .define(REQUEST_TIMEOUT_MS_CONFIG, Type.INT, 30000, atLeast(0), "per-request timeout")
            .define(DEFAULT_API_TIMEOUT_MS_CONFIG, Type.INT, 60000, atLeast(0), "per-call timeout")
            .define(RETRIES_CONFIG, Type.INT, Integer.MAX_VALUE, between(0, Integer.MAX_VALUE), "retries of a call")
            .define(RETRY_BACKOFF_MS_CONFIG, Type.LONG, 100L, atLeast(0), "first retry backoff")
            .define(RETRY_BACKOFF_MAX_MS_CONFIG, Type.LONG, 1000L, atLeast(0), "max retry backoff")
            .define(METADATA_MAX_AGE_CONFIG, Type.LONG, 300000L, atLeast(0), "metadata refresh interval")
            .define(RECONNECT_BACKOFF_MS_CONFIG, Type.LONG, 50L, atLeast(0), "first reconnect backoff")
            .define(RECONNECT_BACKOFF_MAX_MS_CONFIG, Type.LONG, 1000L, atLeast(0), "max reconnect backoff")
            .define(SEND_BUFFER_CONFIG, Type.INT, 131072, atLeast(-1), "SO_SNDBUF, -1 for the OS default")
            .define(RECEIVE_BUFFER_CONFIG, Type.INT, 65536, atLeast(-1), "SO_RCVBUF, -1 for the OS default")
            .define(CONNECTIONS_MAX_IDLE_MS_CONFIG, Type.LONG, 300000L, "accepted; idle connections are kept");

    private final Map<String, Object> values;
    private final ChannelSecurityConfig channelSecurity;

    public AdminClientConfig(Properties props) {
        this(propsToMap(props));
    }

    public AdminClientConfig(Map<String, ?> props) {
        Map<String, Object> in = new HashMap<>(props);
        this.values = Collections.unmodifiableMap(new HashMap<>(DEF.parse(in)));
        this.channelSecurity = ChannelSecurityConfig.from(values);
        for (String k : in.keySet()) {
            if (DEF.key(k) == null && !IGNORED_KEYS.contains(k)) {
                LOG.warn("These configurations '{}' were supplied but are not used yet.", k);
            }
        }
    }

    static Map<String, Object> propsToMap(Properties props) {
        Map<String, Object> m = new HashMap<>();
        props.forEach((k, v) -> m.put(String.valueOf(k), v));
        return m;
    }

    @Override
    protected Map<String, Object> parsedValues() {
        return values;
    }

    public ChannelSecurityConfig channelSecurity() {
        return channelSecurity;
    }
}
