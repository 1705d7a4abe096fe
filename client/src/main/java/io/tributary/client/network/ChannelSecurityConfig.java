package io.tributary.client.network;

import static io.tributary.client.common.ConfigDef.in;

import io.tributary.client.common.ConfigDef;
import io.tributary.client.common.ConfigDef.Type;
import io.tributary.client.common.ConfigException;
import io.tributary.client.common.Password;
import io.tributary.protocol.sasl.JaasConfig;
import io.tributary.protocol.tls.SslMaterial;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;

/**
 * How a client secures its broker connections: Apache Kafka's {@code security.protocol}, {@code sasl.mechanism},
 * {@code sasl.jaas.config} and client {@code ssl.*} keys, with Kafka's defaults. Shared by every client (the consumer
 * today) so each declares the keys with {@link #define} and builds this with {@link #from}. Everything is checked,
 * and the TLS context built, at construction: a bad key is a {@link ConfigException} from the client's constructor,
 * not a failure on first connect. Immutable; secrets are {@link Password}s and never printed.
 */
public final class ChannelSecurityConfig {
    public static final String SECURITY_PROTOCOL_CONFIG = "security.protocol";
    public static final String SASL_MECHANISM_CONFIG = "sasl.mechanism";
    public static final String SASL_JAAS_CONFIG = "sasl.jaas.config";

    /** The mechanisms this client speaks; Kafka's default GSSAPI and OAUTHBEARER are refused by name. */
    public static final List<String> SUPPORTED_MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

    public enum SecurityProtocol {
        PLAINTEXT(false, false),
        SSL(true, false),
        SASL_PLAINTEXT(false, true),
        SASL_SSL(true, true);

        private final boolean tls;
        private final boolean sasl;

        SecurityProtocol(boolean tls, boolean sasl) {
            this.tls = tls;
            this.sasl = sasl;
        }

        public boolean tls() {
            return tls;
        }

        public boolean sasl() {
            return sasl;
        }
    }

    /** Who we log in as over SASL. */
    public record SaslCredentials(String mechanism, String username, Password password) {}

    public static final ChannelSecurityConfig PLAINTEXT =
            new ChannelSecurityConfig(SecurityProtocol.PLAINTEXT, null, null, null);

    private final SecurityProtocol protocol;
    private final SaslCredentials sasl;
    private final SslMaterial ssl;
    private final SSLContext sslContext;

    private ChannelSecurityConfig(
            SecurityProtocol protocol, SaslCredentials sasl, SslMaterial ssl, SSLContext sslContext) {
        this.protocol = protocol;
        this.sasl = sasl;
        this.ssl = ssl;
        this.sslContext = sslContext;
    }

    /** Adds the security keys, with Kafka's types and defaults, to a client's key table. */
    public static ConfigDef define(ConfigDef def) {
        return def.define(
                        SECURITY_PROTOCOL_CONFIG,
                        Type.STRING,
                        "PLAINTEXT",
                        in("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"),
                        "how connections to brokers are secured")
                .define(SASL_MECHANISM_CONFIG, Type.STRING, "GSSAPI", "SASL mechanism (PLAIN, SCRAM-SHA-256/512)")
                .define(SASL_JAAS_CONFIG, Type.PASSWORD, null, "JAAS login module with username and password")
                .define(SslMaterial.PROTOCOL, Type.STRING, "TLSv1.3", "SSLContext protocol")
                .define(SslMaterial.ENABLED_PROTOCOLS, Type.LIST, "TLSv1.2,TLSv1.3", "TLS versions offered")
                .define(SslMaterial.CIPHER_SUITES, Type.LIST, null, "cipher suites; empty for the JDK's")
                .define(SslMaterial.KEYSTORE_TYPE, Type.STRING, "JKS", "JKS, PKCS12 or PEM")
                .define(SslMaterial.KEYSTORE_LOCATION, Type.STRING, null, "client key store (mutual TLS)")
                .define(SslMaterial.KEYSTORE_PASSWORD, Type.PASSWORD, null, "key store password")
                .define(SslMaterial.KEYSTORE_KEY, Type.PASSWORD, null, "inline PEM private key")
                .define(SslMaterial.KEYSTORE_CERTIFICATE_CHAIN, Type.PASSWORD, null, "inline PEM certificate chain")
                .define(SslMaterial.KEY_PASSWORD, Type.PASSWORD, null, "private key password")
                .define(SslMaterial.TRUSTSTORE_TYPE, Type.STRING, "JKS", "JKS, PKCS12 or PEM")
                .define(SslMaterial.TRUSTSTORE_LOCATION, Type.STRING, null, "trust store; the JDK's when unset")
                .define(SslMaterial.TRUSTSTORE_PASSWORD, Type.PASSWORD, null, "trust store password")
                .define(SslMaterial.TRUSTSTORE_CERTIFICATES, Type.PASSWORD, null, "inline PEM trusted certificates")
                .define(
                        SslMaterial.ENDPOINT_IDENTIFICATION_ALGORITHM,
                        Type.STRING,
                        "https",
                        "https checks the broker's host name; empty turns the check off")
                .define(SslMaterial.KEYMANAGER_ALGORITHM, Type.STRING, null, "key manager algorithm")
                .define(SslMaterial.TRUSTMANAGER_ALGORITHM, Type.STRING, null, "trust manager algorithm");
    }

    /** Builds the settings from values parsed by a table that went through {@link #define}. */
    public static ChannelSecurityConfig from(Map<String, Object> values) {
        SecurityProtocol protocol =
                SecurityProtocol.valueOf(((String) values.get(SECURITY_PROTOCOL_CONFIG)).toUpperCase(Locale.ROOT));
        SaslCredentials sasl = protocol.sasl() ? sasl(values, protocol) : null;
        SslMaterial ssl = null;
        SSLContext context = null;
        if (protocol.tls()) {
            try {
                ssl = SslMaterial.from(sslValues(values));
                context = ssl.jdkContext();
            } catch (IllegalArgumentException e) {
                // SslMaterial's messages name the key and never a password.
                throw new ConfigException(e.getMessage());
            }
        }
        return new ChannelSecurityConfig(protocol, sasl, ssl, context);
    }

    private static SaslCredentials sasl(Map<String, Object> values, SecurityProtocol protocol) {
        String mechanism = ((String) values.get(SASL_MECHANISM_CONFIG)).toUpperCase(Locale.ROOT);
        if (!SUPPORTED_MECHANISMS.contains(mechanism)) {
            throw new ConfigException(
                    SASL_MECHANISM_CONFIG,
                    mechanism,
                    "this client supports " + String.join(", ", SUPPORTED_MECHANISMS)
                            + (mechanism.equals("GSSAPI")
                                    ? " (GSSAPI is Kafka's default: set sasl.mechanism for " + protocol + ")"
                                    : ""));
        }
        Password jaasText = (Password) values.get(SASL_JAAS_CONFIG);
        if (jaasText == null) {
            throw new ConfigException(
                    SASL_JAAS_CONFIG,
                    null,
                    "required for " + protocol + " with " + mechanism
                            + " (this client does not read JAAS files named by java.security.auth.login.config)");
        }
        JaasConfig jaas;
        try {
            jaas = JaasConfig.parse(SASL_JAAS_CONFIG, jaasText.value());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        if (!jaas.loginModule().equals(JaasConfig.PLAIN_LOGIN_MODULE)
                && !jaas.loginModule().equals(JaasConfig.SCRAM_LOGIN_MODULE)) {
            throw new ConfigException(
                    SASL_JAAS_CONFIG,
                    Password.HIDDEN,
                    "unsupported login module "
                            + jaas.loginModule() + ", expected " + JaasConfig.PLAIN_LOGIN_MODULE + " or "
                            + JaasConfig.SCRAM_LOGIN_MODULE);
        }
        String username = jaas.option("username");
        String password = jaas.option("password");
        if (username == null || username.isEmpty() || password == null) {
            throw new ConfigException(
                    SASL_JAAS_CONFIG, Password.HIDDEN, "the login module needs the options username and password");
        }
        return new SaslCredentials(mechanism, username, new Password(password));
    }

    private static Map<String, String> sslValues(Map<String, Object> values) {
        Map<String, String> out = new TreeMap<>();
        values.forEach((k, v) -> {
            if (!k.startsWith("ssl.") || v == null) {
                return;
            }
            if (v instanceof Password p) {
                out.put(k, p.value());
            } else if (v instanceof List<?> l) {
                out.put(k, String.join(",", l.stream().map(Object::toString).toList()));
            } else {
                out.put(k, v.toString());
            }
        });
        return out;
    }

    public SecurityProtocol protocol() {
        return protocol;
    }

    /** The SASL login, or null without SASL. */
    public SaslCredentials sasl() {
        return sasl;
    }

    /** The JDK TLS context, or null without TLS. */
    public SSLContext sslContext() {
        return sslContext;
    }

    /** The {@code ssl.*} settings, or null without TLS. */
    public SslMaterial ssl() {
        return ssl;
    }

    @Override
    public String toString() {
        return "ChannelSecurityConfig(" + protocol
                + (sasl == null ? "" : ", " + sasl.mechanism() + " as " + sasl.username())
                + (ssl == null ? "" : ", " + ssl) + ")";
    }
}
