package io.tributary.broker.security;

import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.config.ConfigException;
import io.tributary.broker.metadata.MetadataImage;
import io.tributary.protocol.sasl.JaasConfig;
import io.tributary.protocol.sasl.ScramMechanism;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The SASL settings of one SASL_PLAINTEXT or SASL_SSL listener, read and checked once at start-up with Kafka's keys
 * (each may be prefixed {@code listener.name.<listener>.}): {@code sasl.enabled.mechanisms}, PLAIN's users from
 * {@code plain.sasl.jaas.config} ({@code user_<name>="<password>"}), {@code connections.max.reauth.ms},
 * {@code connection.failed.authentication.delay.ms}, {@code sasl.server.max.receive.size} and our
 * {@code tributary.sasl.scram.legacy.nonce.enable}. SCRAM users come from the metadata store's current image, so a
 * user added with kafka-configs.sh can log in at once. Immutable; shared by the listener's connections.
 */
public final class ListenerSasl {
    public static final String SASL_SERVER_MAX_RECEIVE_SIZE = "sasl.server.max.receive.size";
    private static final int DEFAULT_MAX_RECEIVE_SIZE = 524288;
    private static final List<String> SUPPORTED = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String listenerName;
    private final List<String> mechanisms;
    private final Map<String, String> plainUsers;
    private final boolean legacyNonce;
    private final long maxReauthMs;
    private final int failureDelayMs;
    private final int maxReceiveSize;
    private final Supplier<MetadataImage> image;

    private ListenerSasl(
            String listenerName,
            List<String> mechanisms,
            Map<String, String> plainUsers,
            boolean legacyNonce,
            long maxReauthMs,
            int failureDelayMs,
            int maxReceiveSize,
            Supplier<MetadataImage> image) {
        this.listenerName = listenerName;
        this.mechanisms = List.copyOf(mechanisms);
        this.plainUsers = Map.copyOf(plainUsers);
        this.legacyNonce = legacyNonce;
        this.maxReauthMs = maxReauthMs;
        this.failureDelayMs = failureDelayMs;
        this.maxReceiveSize = maxReceiveSize;
        this.image = image;
    }

    /** Reads the listener's settings; a bad one fails with a ConfigException naming the (prefixed) key. */
    public static ListenerSasl from(String listenerName, BrokerConfig config, Supplier<MetadataImage> image) {
        Map<String, String> s = config.listenerSettings(listenerName);
        String prefix = BrokerConfig.LISTENER_PREFIX + listenerName.toLowerCase(Locale.ROOT) + ".";
        String mechanismsValue = s.getOrDefault(
                BrokerConfig.SASL_ENABLED_MECHANISMS, config.getString(BrokerConfig.SASL_ENABLED_MECHANISMS));
        List<String> mechanisms = new ArrayList<>();
        for (String m : mechanismsValue.split(",")) {
            String name = m.trim().toUpperCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (!SUPPORTED.contains(name)) {
                throw new ConfigException(
                        BrokerConfig.SASL_ENABLED_MECHANISMS,
                        mechanismsValue,
                        "listener " + listenerName + ": mechanism " + name + " is not supported (Tributary offers "
                                + String.join(", ", SUPPORTED) + ")");
            }
            mechanisms.add(name);
        }
        if (mechanisms.isEmpty()) {
            throw new ConfigException(
                    BrokerConfig.SASL_ENABLED_MECHANISMS,
                    mechanismsValue,
                    "listener " + listenerName + " is a SASL listener but enables no mechanism");
        }
        Map<String, String> plainUsers = mechanisms.contains("PLAIN") ? plainUsers(listenerName, prefix, s) : Map.of();
        return new ListenerSasl(
                listenerName,
                mechanisms,
                plainUsers,
                bool(s, BrokerConfig.SASL_SCRAM_LEGACY_NONCE_ENABLE, config),
                number(
                        s,
                        BrokerConfig.CONNECTIONS_MAX_REAUTH_MS,
                        config.getLong(BrokerConfig.CONNECTIONS_MAX_REAUTH_MS)),
                (int) number(
                        s,
                        BrokerConfig.CONNECTION_FAILED_AUTHENTICATION_DELAY_MS,
                        config.getInt(BrokerConfig.CONNECTION_FAILED_AUTHENTICATION_DELAY_MS)),
                (int) number(s, SASL_SERVER_MAX_RECEIVE_SIZE, DEFAULT_MAX_RECEIVE_SIZE),
                image);
    }

    /** PLAIN's users: {@code user_<name>} options of the PlainLoginModule in the listener's JAAS config. */
    private static Map<String, String> plainUsers(String listenerName, String prefix, Map<String, String> s) {
        String key = "plain." + BrokerConfig.SASL_JAAS_CONFIG;
        String text = s.get(key);
        String shownKey = prefix + key;
        if (text == null) {
            text = s.get(BrokerConfig.SASL_JAAS_CONFIG);
            shownKey = BrokerConfig.SASL_JAAS_CONFIG;
        }
        if (text == null) {
            throw new ConfigException(
                    prefix + key,
                    null,
                    "listener " + listenerName + " enables PLAIN, which needs its users as user_<name>=\"<password>\""
                            + " options of " + JaasConfig.PLAIN_LOGIN_MODULE);
        }
        JaasConfig jaas;
        try {
            jaas = JaasConfig.parse(shownKey, text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        if (!jaas.loginModule().equals(JaasConfig.PLAIN_LOGIN_MODULE)) {
            throw new ConfigException(
                    shownKey,
                    "(hidden)",
                    "PLAIN needs " + JaasConfig.PLAIN_LOGIN_MODULE + ", not " + jaas.loginModule());
        }
        Map<String, String> users = new LinkedHashMap<>();
        jaas.options().forEach((k, v) -> {
            if (k.startsWith("user_") && k.length() > 5) {
                users.put(k.substring(5), v);
            }
        });
        if (users.isEmpty()) {
            throw new ConfigException(shownKey, "(hidden)", "no user_<name>=\"<password>\" option for PLAIN");
        }
        return users;
    }

    private static boolean bool(Map<String, String> s, String key, BrokerConfig config) {
        String v = s.get(key);
        if (v == null) {
            return config.getBoolean(key);
        }
        if (!v.trim().equalsIgnoreCase("true") && !v.trim().equalsIgnoreCase("false")) {
            throw new ConfigException(key, v, "expected true or false");
        }
        return Boolean.parseBoolean(v.trim());
    }

    private static long number(Map<String, String> s, String key, long fallback) {
        String v = s.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0) {
                throw new ConfigException(key, v, "must not be negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(key, v, "expected a number");
        }
    }

    /** A fresh exchange for one connection. */
    public SaslSession newSession() {
        return new SaslSession(mechanisms, this::server, maxReauthMs);
    }

    private SaslServerMechanism server(String mechanism) {
        if (mechanism.equals("PLAIN")) {
            return new PlainSaslServer(plainUsers);
        }
        ScramMechanism scram = ScramMechanism.forName(mechanism).orElseThrow();
        return new ScramSaslServer(
                scram, (user, m) -> image.get().scramCredential(user, m), legacyNonce, ListenerSasl::nonce);
    }

    private static String nonce() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public String listenerName() {
        return listenerName;
    }

    public List<String> mechanisms() {
        return mechanisms;
    }

    public int failureDelayMs() {
        return failureDelayMs;
    }

    public int maxReceiveSize() {
        return maxReceiveSize;
    }
}
