package io.tributary.broker.security.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.tributary.protocol.tls.SslMaterial;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the server TLS context of one SSL or SASL_SSL listener from its {@code ssl.*} keys. OpenSSL (BoringSSL from
 * netty-tcnative) when it loads, because the JDK's AES-GCM is many times slower on some machines of ours; the JDK
 * otherwise. The log says which one runs, once per process.
 */
public final class ListenerSslContext {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerSslContext.class);
    private static final AtomicBoolean PROVIDER_LOGGED = new AtomicBoolean();

    private ListenerSslContext() {}

    /** The provider this JVM uses for TLS listeners. */
    public static SslProvider provider() {
        SslProvider provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        if (PROVIDER_LOGGED.compareAndSet(false, true)) {
            if (provider == SslProvider.OPENSSL) {
                LOG.info("TLS uses OpenSSL ({}) through netty-tcnative", OpenSsl.versionString());
            } else {
                LOG.info(
                        "TLS uses the JDK's provider: OpenSSL did not load ({})",
                        String.valueOf(OpenSsl.unavailabilityCause()));
            }
        }
        return provider;
    }

    /**
     * The server context for {@code listenerName}; a missing key store or a bad setting fails with a message naming
     * the listener and the key.
     */
    public static SslContext build(String listenerName, SslMaterial material) {
        KeyManagerFactory keys;
        try {
            keys = material.keyManagers();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Listener " + listenerName + ": " + e.getMessage(), e);
        }
        if (keys == null) {
            throw new IllegalArgumentException("Listener " + listenerName + " uses TLS but has no key store: set "
                    + SslMaterial.KEYSTORE_LOCATION + " (or " + SslMaterial.KEYSTORE_KEY + " with "
                    + SslMaterial.KEYSTORE_CERTIFICATE_CHAIN + ")");
        }
        try {
            SslContextBuilder builder = SslContextBuilder.forServer(keys)
                    .sslProvider(provider())
                    .clientAuth(clientAuth(material.clientAuth()))
                    .protocols(material.enabledProtocols().toArray(String[]::new));
            if (!material.cipherSuites().isEmpty()) {
                builder.ciphers(material.cipherSuites());
            }
            if (!material.clientAuth().equals("none")) {
                builder.trustManager(material.trustManagers());
            }
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Listener " + listenerName + ": invalid TLS settings (" + SslMaterial.ENABLED_PROTOCOLS + ", "
                            + SslMaterial.CIPHER_SUITES + "?): " + e.getMessage(),
                    e);
        }
    }

    private static ClientAuth clientAuth(String value) {
        return switch (value) {
            case "required" -> ClientAuth.REQUIRE;
            case "requested" -> ClientAuth.OPTIONAL;
            default -> ClientAuth.NONE;
        };
    }
}
