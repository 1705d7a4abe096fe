package io.tributary.interop.support;

import static org.awaitility.Awaitility.await;

import io.tributary.protocol.tls.TestCertificates;
import io.tributary.testkit.EmbeddedBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;

/**
 * Issue 9 (S1): our broker and an Apache Kafka node started with the SAME security settings
 * ({@link #securitySettings}): a PLAINTEXT listener (for set-up only), SASL_PLAINTEXT, SSL and
 * SASL_SSL listeners named after their protocols, the mechanisms PLAIN, SCRAM-SHA-256 and
 * SCRAM-SHA-512, the PLAIN user {@value #PLAIN_USER} from the JAAS config, the SCRAM user
 * {@value #SCRAM_USER} (both mechanisms, added with AdminClient over PLAINTEXT once the broker
 * runs), and one server certificate for localhost/127.0.0.1 signed by a test CA
 * ({@link #certificates()}).
 *
 * <p>Apache's test kit only rewrites the port of its own EXTERNAL listener, so the three secure
 * listeners get fixed free ports on both brokers (also what lets a restarted broker come back on
 * the same addresses). {@link #shared(Target)} hands out one pair per JVM (tests must use their own
 * topics and users and must not restart it); {@link #start(Target)} gives a private one.
 *
 * <p>Thread-safety: the static methods are synchronized; an instance is driven by its test thread.
 */
public final class SecureBrokers implements AutoCloseable {
    public static final String PLAINTEXT = "PLAINTEXT";
    public static final String SASL_PLAINTEXT = "SASL_PLAINTEXT";
    public static final String SSL = "SSL";
    public static final String SASL_SSL = "SASL_SSL";
    /** The listeners clients are tested on; each is named after its security protocol. */
    public static final List<String> SECURE_LISTENERS = List.of(SASL_PLAINTEXT, SSL, SASL_SSL);

    public static final String PLAIN_USER = "carol";
    public static final String PLAIN_PASSWORD = "carol-secret";
    public static final String SCRAM_USER = "alice";
    public static final String SCRAM_PASSWORD = "alice-secret";
    public static final String MECHANISMS = "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512";

    public static final String PLAIN_LOGIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";
    public static final String SCRAM_LOGIN_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";

    private static TestCertificates certificates;
    private static final Map<Target, SecureBrokers> SHARED = new EnumMap<>(Target.class);
    private static final Map<Target, RuntimeException> SHARED_FAILURE = new EnumMap<>(Target.class);

    private final Target target;
    private final EmbeddedBroker ours;
    private final ApacheKafka apache;
    private final Map<String, Integer> ports;

    private SecureBrokers(Target target, EmbeddedBroker ours, ApacheKafka apache, Map<String, Integer> ports) {
        this.target = target;
        this.ours = ours;
        this.apache = apache;
        this.ports = ports;
    }

    /** The JVM's test certificates, made once with openssl and keytool in a temporary directory. */
    public static synchronized TestCertificates certificates() {
        if (certificates == null) {
            try {
                Path dir = Files.createTempDirectory("secure-brokers-certs-");
                certificates = TestCertificates.create(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return certificates;
    }

    /**
     * The security settings both brokers get, with Kafka's keys. Apache needs a JAAS entry per
     * SCRAM mechanism and listener; ours reads only PLAIN's and ignores (and logs) the others.
     */
    public static Map<String, String> securitySettings(TestCertificates certs) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("sasl.enabled.mechanisms", MECHANISMS);
        for (String listener : List.of("sasl_plaintext", "sasl_ssl")) {
            String prefix = "listener.name." + listener + ".";
            s.put(
                    prefix + "plain.sasl.jaas.config",
                    PLAIN_LOGIN_MODULE + " required user_" + PLAIN_USER + "=\"" + PLAIN_PASSWORD + "\";");
            s.put(prefix + "scram-sha-256.sasl.jaas.config", SCRAM_LOGIN_MODULE + " required;");
            s.put(prefix + "scram-sha-512.sasl.jaas.config", SCRAM_LOGIN_MODULE + " required;");
        }
        s.put("ssl.keystore.location", certs.serverP12.toString());
        s.put("ssl.keystore.password", TestCertificates.PASSWORD);
        s.put("ssl.keystore.type", "PKCS12");
        s.put("ssl.client.auth", "none");
        return s;
    }

    /** Free ports for the secure listeners, fixed before either broker starts. */
    public static Map<String, Integer> freePorts(List<String> listeners) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (String listener : listeners) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(socket);
                ports.put(listener, socket.getLocalPort());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // the port is free again either way
                }
            }
        }
        return ports;
    }

    /**
     * Our broker's settings: {@link #securitySettings} and the listeners on {@code ports}, PLAINTEXT
     * first (on port 0 unless {@code ports} names it: a child broker's {@code --override listeners}
     * wins over its {@code --port}, so one restarted on the same ports needs them all fixed).
     */
    public static Map<String, String> tributarySettings(Map<String, Integer> ports) {
        Map<String, String> s = new LinkedHashMap<>(Target.COMMON_SETTINGS);
        StringBuilder listeners = new StringBuilder("PLAINTEXT://127.0.0.1:" + ports.getOrDefault(PLAINTEXT, 0));
        ports.forEach((name, port) -> {
            if (!name.equals(PLAINTEXT)) {
                listeners.append(',').append(name).append("://127.0.0.1:").append(port);
            }
        });
        s.put("listeners", listeners.toString());
        s.putAll(securitySettings(certificates()));
        return s;
    }

    /** The JVM-wide pair member for {@code target}, started on first use and stopped at JVM exit. */
    public static synchronized SecureBrokers shared(Target target) {
        RuntimeException failed = SHARED_FAILURE.get(target);
        if (failed != null) {
            throw new IllegalStateException("the shared secure " + target + " broker failed to start earlier", failed);
        }
        SecureBrokers brokers = SHARED.get(target);
        if (brokers == null) {
            try {
                brokers = start(target);
            } catch (RuntimeException e) {
                SHARED_FAILURE.put(target, e);
                throw e;
            }
            SecureBrokers started = brokers;
            Runtime.getRuntime().addShutdownHook(new Thread(started::closeQuietly, "secure-" + target + "-shutdown"));
            SHARED.put(target, brokers);
        }
        return brokers;
    }

    /** A private broker of kind {@code target} with the security settings and the users; close it. */
    public static SecureBrokers start(Target target) {
        Map<String, Integer> ports = freePorts(SECURE_LISTENERS);
        SecureBrokers brokers;
        if (target == Target.TRIBUTARY) {
            brokers = new SecureBrokers(target, EmbeddedBroker.start(tributarySettings(ports)), null, ports);
        } else {
            brokers = new SecureBrokers(target, null, ApacheKafka.start(apacheSettings(ports)), ports);
        }
        try {
            brokers.upsertScram(SCRAM_USER, SCRAM_PASSWORD);
        } catch (RuntimeException | Error e) {
            brokers.closeQuietly();
            throw e;
        }
        return brokers;
    }

    private static Map<String, String> apacheSettings(Map<String, Integer> ports) {
        Map<String, String> s = new LinkedHashMap<>(Target.COMMON_SETTINGS);
        StringBuilder listeners = new StringBuilder("EXTERNAL://localhost:0");
        StringBuilder advertised = new StringBuilder("EXTERNAL://localhost:0");
        StringBuilder map = new StringBuilder("EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
        ports.forEach((name, port) -> {
            listeners.append(',').append(name).append("://localhost:").append(port);
            advertised.append(',').append(name).append("://localhost:").append(port);
            map.append(',').append(name).append(':').append(name);
        });
        listeners.append(",CONTROLLER://localhost:0");
        s.put("listeners", listeners.toString());
        s.put("advertised.listeners", advertised.toString());
        s.put("listener.security.protocol.map", map.toString());
        s.putAll(securitySettings(certificates()));
        return s;
    }

    public Target target() {
        return target;
    }

    /** {@code host:port} of {@code listener} (PLAINTEXT or one of {@link #SECURE_LISTENERS}). */
    public String bootstrap(String listener) {
        if (listener.equals(PLAINTEXT)) {
            return ours != null ? ours.bootstrapServers(PLAINTEXT) : apache.bootstrapServers();
        }
        Integer port = ports.get(listener);
        if (port == null) {
            throw new IllegalArgumentException("no listener " + listener);
        }
        return (ours != null ? "127.0.0.1:" : "localhost:") + port;
    }

    /** The port of {@code listener}. */
    public int port(String listener) {
        String b = bootstrap(listener);
        return Integer.parseInt(b.substring(b.lastIndexOf(':') + 1));
    }

    /**
     * Apache client settings for {@code listener} (its name is its security protocol): the test
     * CA as trust store on TLS listeners; {@code mechanism}, user and password on SASL ones
     * (ignored otherwise; may be null there).
     */
    public Map<String, Object> client(String listener, String mechanism, String user, String password) {
        Map<String, Object> c = new HashMap<>();
        c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(listener));
        c.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, listener);
        if (listener.contains("SSL")) {
            TestCertificates certs = certificates();
            c.put("ssl.truststore.location", certs.trustP12.toString());
            c.put("ssl.truststore.password", TestCertificates.PASSWORD);
            c.put("ssl.truststore.type", "PKCS12");
        }
        if (listener.startsWith("SASL")) {
            c.put("sasl.mechanism", mechanism);
            c.put("sasl.jaas.config", jaas(mechanism, user, password));
        }
        return c;
    }

    /** A client's JAAS line for {@code mechanism}. */
    public static String jaas(String mechanism, String user, String password) {
        String module = mechanism.equals("PLAIN") ? PLAIN_LOGIN_MODULE : SCRAM_LOGIN_MODULE;
        return module + " required username=\"" + user + "\" password=\"" + password + "\";";
    }

    /** An AdminClient on the PLAINTEXT listener, for set-up and checks. */
    public Admin plaintextAdmin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(PLAINTEXT)));
    }

    /** Adds (or replaces) {@code user} for both SCRAM mechanisms; returns once the broker describes it. */
    public void upsertScram(String user, String password) {
        // One request per mechanism: Apache's controller refuses two alterations of one user in a
        // request (DUPLICATE_RESOURCE, "A user credential cannot be altered twice in the same request").
        for (ScramMechanism mechanism : List.of(ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512)) {
            alterScram(List.of(
                    new UserScramCredentialUpsertion(user, new ScramCredentialInfo(mechanism, 4096), password)));
        }
        awaitScramMechanisms(user, 2);
    }

    /** Describes {@code user}'s SCRAM mechanisms (empty when the user has none). */
    public List<ScramMechanism> scramMechanisms(String user) {
        try (Admin admin = plaintextAdmin()) {
            Map<String, UserScramCredentialsDescription> all =
                    admin.describeUserScramCredentials().all().get(20, TimeUnit.SECONDS);
            UserScramCredentialsDescription d = all.get(user);
            return d == null
                    ? List.of()
                    : d.credentialInfos().stream()
                            .map(ScramCredentialInfo::mechanism)
                            .toList();
        } catch (Exception e) {
            throw new IllegalStateException("DescribeUserScramCredentials failed on " + this, e);
        }
    }

    /** Waits (Apache applies metadata asynchronously) until {@code user} has {@code count} mechanisms. */
    public void awaitScramMechanisms(String user, int count) {
        await(target + " describes " + count + " SCRAM mechanisms for " + user)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> scramMechanisms(user).size() == count);
    }

    private void alterScram(List<UserScramCredentialAlteration> alterations) {
        try (Admin admin = plaintextAdmin()) {
            admin.alterUserScramCredentials(alterations).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("AlterUserScramCredentials failed on " + this, e);
        }
    }

    /** Removes both SCRAM mechanisms of {@code user}. */
    public void deleteScram(String user) {
        for (ScramMechanism mechanism : List.of(ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512)) {
            alterScram(List.of(new UserScramCredentialDeletion(user, mechanism)));
        }
        awaitScramMechanisms(user, 0);
    }

    /** Clean stop and start on the same data and ports (Apache: the broker side of the node). */
    public void restart() throws Exception {
        if (ours != null) {
            ours.restart();
        } else {
            apache.restartBroker();
        }
    }

    @Override
    public void close() {
        if (ours != null) {
            ours.close();
        } else {
            apache.close();
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            // best effort at JVM exit or after a failed start
        }
    }

    @Override
    public String toString() {
        return "secure " + target + " " + ports;
    }
}
