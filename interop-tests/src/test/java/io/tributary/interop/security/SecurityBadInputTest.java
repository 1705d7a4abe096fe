package io.tributary.interop.security;

import static io.tributary.interop.support.SecureBrokers.PLAINTEXT;
import static io.tributary.interop.support.SecureBrokers.PLAIN_PASSWORD;
import static io.tributary.interop.support.SecureBrokers.PLAIN_USER;
import static io.tributary.interop.support.SecureBrokers.SASL_PLAINTEXT;
import static io.tributary.interop.support.SecureBrokers.SASL_SSL;
import static io.tributary.interop.support.SecureBrokers.SCRAM_PASSWORD;
import static io.tributary.interop.support.SecureBrokers.SCRAM_USER;
import static io.tributary.interop.support.SecureBrokers.SSL;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.client.producer.TributaryProducer;
import io.tributary.interop.support.ExternalCommand;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.SecureBrokers;
import io.tributary.interop.support.Target;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9 bad input (S1), on our broker and on Apache Kafka with the same settings: a wrong
 * password, an unknown user (SCRAM and PLAIN), an unsupported mechanism (OAUTHBEARER), a client
 * without SASL on a SASL listener, a plaintext client on a TLS listener, a TLS client on a
 * plaintext listener and a TLS client that does not trust the server's certificate. For each,
 * at once: Apache's AdminClient, consumer (assigned to a partition that holds a record) and
 * producer, and the stock kcat. Each client must report the error Apache Kafka gives it
 * (SaslAuthenticationException, UnsupportedSaslMechanismException, SslAuthenticationException,
 * or — where Kafka only closes the connection — a TimeoutException) within its timeout, kcat must
 * exit non-zero with librdkafka's message for the case, nobody reads or writes anything, and the
 * broker must keep serving correct logins afterwards.
 */
class SecurityBadInputTest {
    /** Client timeouts (request, API, poll window) where the expected outcome is the timeout itself. */
    private static final int TIMEOUT_MS = 5000;

    /**
     * Client timeouts where the broker answers with an error: the answer comes long before, so a wide timeout costs
     * nothing and a loaded CI machine cannot turn the answer into a timeout (seen once: Apache's AdminClient timed
     * out "waiting for a node assignment" after 5 s instead of reporting the unsupported mechanism).
     */
    private static final int ANSWERED_TIMEOUT_MS = 20_000;

    /**
     * How far past its timeout a client may report failure and still count as "fails, does not hang": wide, because
     * on a loaded 2-core box Apache's AdminClient was seen to need more than 10 s past a 5 s timeout.
     */
    private static final long FAIL_SLACK_MS = 25_000;

    /** Bad clients checked at once (each runs four clients, mostly waiting): enough for speed, few enough for 2 cores. */
    private static final int CONCURRENT_CASES = 3;

    private static final String OAUTHBEARER = "OAUTHBEARER";

    private static final int KCAT_METADATA_SECONDS = 4;

    /** What a client gets in each case, the same on both brokers (observed on Apache Kafka 4.3). */
    enum Outcome {
        SASL_FAILURE(SaslAuthenticationException.class, "SASL authentication error: Authentication failed"),
        TLS_FAILURE(SslAuthenticationException.class, "certificate verify failed"),
        /** Kafka closes the connection without an answer: the client retries until its timeout. */
        CLOSED_AFTER_API_VERSIONS(
                TimeoutException.class,
                "Disconnected: verify that security.protocol is correctly configured,"
                        + " broker might require SASL authentication"),
        UNSUPPORTED_MECHANISM(
                UnsupportedSaslMechanismException.class, "Unsupported SASL mechanism: broker's supported mechanisms: "),
        /** The plaintext listener reads the ClientHello as an oversized frame and closes the connection. */
        TLS_ON_PLAINTEXT(TimeoutException.class, "SSL routines::unexpected eof while reading"),
        /** A TLS listener cannot even read the plaintext ApiVersions request. */
        CLOSED_AT_ONCE(TimeoutException.class, "Disconnected while requesting ApiVersion");

        final Class<? extends Exception> apacheError;
        /** What librdkafka 2.0.2 (kcat's stderr) says, the same on both brokers. */
        final String kcatMessage;

        Outcome(Class<? extends Exception> apacheError, String kcatMessage) {
            this.apacheError = apacheError;
            this.kcatMessage = kcatMessage;
        }
    }

    /** One bad client: the listener it connects to, the protocol it speaks, its login. */
    record BadClient(
            String name,
            String listener,
            String protocol,
            String mechanism,
            String user,
            String password,
            boolean trustsCa,
            Outcome outcome) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<BadClient> BAD_CLIENTS = List.of(
            new BadClient(
                    "wrong SCRAM password",
                    SASL_PLAINTEXT,
                    SASL_PLAINTEXT,
                    "SCRAM-SHA-256",
                    SCRAM_USER,
                    "not-" + SCRAM_PASSWORD,
                    true,
                    Outcome.SASL_FAILURE),
            new BadClient(
                    "unknown SCRAM user",
                    SASL_PLAINTEXT,
                    SASL_PLAINTEXT,
                    "SCRAM-SHA-512",
                    "mallory",
                    SCRAM_PASSWORD,
                    true,
                    Outcome.SASL_FAILURE),
            new BadClient(
                    "wrong PLAIN password over SASL_SSL",
                    SASL_SSL,
                    SASL_SSL,
                    "PLAIN",
                    PLAIN_USER,
                    "not-" + PLAIN_PASSWORD,
                    true,
                    Outcome.SASL_FAILURE),
            new BadClient(
                    "unknown PLAIN user",
                    SASL_PLAINTEXT,
                    SASL_PLAINTEXT,
                    "PLAIN",
                    "mallory",
                    PLAIN_PASSWORD,
                    true,
                    Outcome.SASL_FAILURE),
            new BadClient(
                    "no SASL on a SASL listener",
                    SASL_PLAINTEXT,
                    PLAINTEXT,
                    null,
                    null,
                    null,
                    true,
                    Outcome.CLOSED_AFTER_API_VERSIONS),
            new BadClient(
                    "plaintext on a TLS listener", SSL, PLAINTEXT, null, null, null, true, Outcome.CLOSED_AT_ONCE),
            new BadClient(
                    "unsupported mechanism",
                    SASL_PLAINTEXT,
                    SASL_PLAINTEXT,
                    OAUTHBEARER,
                    "mallory",
                    null,
                    true,
                    Outcome.UNSUPPORTED_MECHANISM),
            new BadClient(
                    "TLS on a plaintext listener", PLAINTEXT, SSL, null, null, null, true, Outcome.TLS_ON_PLAINTEXT),
            new BadClient("untrusted server certificate", SSL, SSL, null, null, null, false, Outcome.TLS_FAILURE));

    /**
     * Every bad client of {@link #BAD_CLIENTS}, {@value #CONCURRENT_CASES} at a time (they mostly wait
     * for timeouts, so one after the other would cost a minute), each failure reported with its case's name;
     * then correct logins on every listener read exactly the one record the set-up wrote.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tributary.interop.support.Target#selected")
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void badClientsAreRefusedAndTheBrokerKeepsServing(Target target) throws Exception {
        SecureBrokers brokers = SecureBrokers.shared(target);
        String topic = KafkaClients.uniqueTopic("bad-input");
        KafkaClients.createTopic(brokers.bootstrap(PLAINTEXT), topic, 1);
        try (TributaryProducer<byte[], byte[]> producer =
                KafkaClients.ourProducer(brokers.bootstrap(PLAINTEXT), Map.of())) {
            producer.send(new io.tributary.client.producer.ProducerRecord<>(
                            topic, "secret".getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
        }

        ExecutorService cases = Executors.newFixedThreadPool(CONCURRENT_CASES);
        ExecutorService pool = Executors.newFixedThreadPool(3 * CONCURRENT_CASES);
        try {
            Map<BadClient, Future<?>> checks = new LinkedHashMap<>();
            for (BadClient bad : BAD_CLIENTS) {
                checks.put(bad, cases.submit(() -> {
                    check(pool, target, brokers, bad, topic);
                    return null;
                }));
            }
            List<String> failures = new ArrayList<>();
            AssertionError all = new AssertionError();
            for (Map.Entry<BadClient, Future<?>> e : checks.entrySet()) {
                try {
                    e.getValue().get(100, TimeUnit.SECONDS);
                } catch (ExecutionException failed) {
                    failures.add(e.getKey() + ": " + failed.getCause().getMessage());
                    all.addSuppressed(failed.getCause());
                }
            }
            if (!failures.isEmpty()) {
                AssertionError error = new AssertionError(
                        target + ": " + failures.size() + " bad-input case(s) failed:\n" + String.join("\n", failures));
                for (Throwable t : all.getSuppressed()) {
                    error.addSuppressed(t);
                }
                throw error;
            }
        } finally {
            cases.shutdownNow();
            pool.shutdownNow();
        }

        // The broker keeps serving: a correct login on every listener reads the record, and only it.
        for (String listener : SecureBrokers.SECURE_LISTENERS) {
            boolean scram = listener.equals(SASL_PLAINTEXT);
            Map<String, Object> good = brokers.client(
                    listener,
                    scram ? "SCRAM-SHA-256" : "PLAIN",
                    scram ? SCRAM_USER : PLAIN_USER,
                    scram ? SCRAM_PASSWORD : PLAIN_PASSWORD);
            try (KafkaConsumer<byte[], byte[]> c =
                    new KafkaConsumer<>(good, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                TopicPartition tp = new TopicPartition(topic, 0);
                c.assign(List.of(tp));
                c.seekToBeginning(List.of(tp));
                List<String> got = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (got.isEmpty() && System.nanoTime() < deadline) {
                    c.poll(Duration.ofMillis(200)).forEach(r -> got.add(new String(r.value(), StandardCharsets.UTF_8)));
                }
                assertThat(got).as("read on %s after the bad clients", listener).containsExactly("secret");
                assertThat(c.position(tp, Duration.ofSeconds(10))).isEqualTo(1);
            }
        }
    }

    private static void check(ExecutorService pool, Target target, SecureBrokers brokers, BadClient bad, String topic)
            throws Exception {
        int timeoutMs = bad.outcome().apacheError == TimeoutException.class ? TIMEOUT_MS : ANSWERED_TIMEOUT_MS;
        Map<String, Object> client = badClient(brokers, bad, timeoutMs);
        Future<Probe> admin = pool.submit(() -> adminProbe(client, timeoutMs));
        Future<Probe> consumer = pool.submit(() -> consumerProbe(client, topic, timeoutMs));
        Future<Probe> producer = pool.submit(() -> producerProbe(client, topic, timeoutMs));
        List<String> kcatSecurity;
        if (bad.protocol().equals(PLAINTEXT)) {
            kcatSecurity = List.of();
        } else if (OAUTHBEARER.equals(bad.mechanism())) {
            kcatSecurity = List.of(
                    "-X", "security.protocol=" + bad.protocol(),
                    "-X", "sasl.mechanism=" + OAUTHBEARER,
                    "-X", "enable.sasl.oauthbearer.unsecure.jwt=true",
                    "-X", "sasl.oauthbearer.config=principal=" + bad.user());
        } else {
            kcatSecurity = Kcat.security(bad.protocol(), bad.mechanism(), bad.user(), bad.password(), bad.trustsCa());
        }
        ExternalCommand.Result kcat =
                Kcat.stock().metadata(brokers.bootstrap(bad.listener()), kcatSecurity, KCAT_METADATA_SECONDS);
        if (kcat.exitCode() != 0 && !kcat.stderr().contains(bad.outcome().kcatMessage)) {
            // Seen once with Apache under load: kcat printed only "Failed to acquire metadata: Broker
            // transport failure", its log line naming the cause not (yet) written. One more run; a broker
            // that never gives the error fails both.
            kcat = Kcat.stock().metadata(brokers.bootstrap(bad.listener()), kcatSecurity, KCAT_METADATA_SECONDS);
        }

        for (Future<Probe> f : List.of(admin, consumer, producer)) {
            Probe probe = f.get(timeoutMs + 60_000L, TimeUnit.MILLISECONDS);
            assertThat(probe.error())
                    .as("%s on %s: %s's error", bad, target, probe.client())
                    .isInstanceOf(bad.outcome().apacheError);
            assertThat(probe.records()).as("%s read by %s", bad, probe.client()).isZero();
            // Fails rather than hangs: the bound leaves room for a loaded CI machine (11.8 s seen on
            // Apache with 5 s client timeouts), far below a hang.
            assertThat(probe.elapsed())
                    .as("%s's time to fail", probe.client())
                    .isLessThan(Duration.ofMillis(timeoutMs + FAIL_SLACK_MS));
        }

        assertThat(kcat.exitCode())
                .as("kcat exit code; stderr:%n%s", kcat.stderr())
                .isNotZero();
        assertThat(kcat.stdout()).as("kcat metadata").doesNotContain(topic);
        assertThat(kcat.stderr()).as("kcat stderr").contains(bad.outcome().kcatMessage);
    }

    private static Map<String, Object> badClient(SecureBrokers brokers, BadClient bad, int timeoutMs) {
        Map<String, Object> c = new HashMap<>();
        c.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, brokers.bootstrap(bad.listener()));
        c.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, bad.protocol());
        if (bad.protocol().contains("SSL") && bad.trustsCa()) {
            Map<String, Object> trusted = brokers.client(SSL, null, null, null);
            trusted.forEach((k, v) -> {
                if (k.startsWith("ssl.")) {
                    c.put(k, v);
                }
            });
        }
        if (bad.protocol().startsWith("SASL")) {
            c.put("sasl.mechanism", bad.mechanism());
            c.put(
                    "sasl.jaas.config",
                    bad.mechanism().equals(OAUTHBEARER)
                            // Kafka's unsecured token, made by the client itself: enough to ask for the mechanism.
                            ? "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required"
                                    + " unsecuredLoginStringClaim_sub=\"" + bad.user() + "\";"
                            : SecureBrokers.jaas(bad.mechanism(), bad.user(), bad.password()));
        }
        c.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        c.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        return c;
    }

    /** What one client did: the error it reported (null if none), the records it read, how long it took. */
    record Probe(String client, Throwable error, int records, Duration elapsed) {}

    private static Probe adminProbe(Map<String, Object> client, int timeoutMs) {
        long start = System.nanoTime();
        Map<String, Object> c = new HashMap<>(client);
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        Throwable error = null;
        int seen = 0;
        Duration elapsed;
        Admin admin = Admin.create(c);
        try {
            seen = admin.listTopics()
                    .names()
                    .get(timeoutMs + FAIL_SLACK_MS, TimeUnit.MILLISECONDS)
                    .size();
        } catch (ExecutionException e) {
            error = e.getCause();
        } catch (Exception e) {
            error = e;
        } finally {
            elapsed = since(start);
            admin.close(Duration.ofSeconds(5));
        }
        return new Probe("AdminClient", error, seen, elapsed);
    }

    private static Probe consumerProbe(Map<String, Object> client, String topic, int timeoutMs) {
        long start = System.nanoTime();
        Map<String, Object> c = new HashMap<>(client);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Throwable error = null;
        int read = 0;
        Duration elapsed;
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = start + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (System.nanoTime() < deadline) {
                read += consumer.poll(Duration.ofMillis(200)).count();
            }
            // Kafka's consumer reports no error for a connection that only closes: position() times out.
            consumer.position(tp, Duration.ofMillis(500));
        } catch (Exception e) {
            error = e;
        } finally {
            elapsed = since(start);
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
        }
        return new Probe("KafkaConsumer", error, read, elapsed);
    }

    private static Probe producerProbe(Map<String, Object> client, String topic, int timeoutMs) {
        long start = System.nanoTime();
        Map<String, Object> c = new HashMap<>(client);
        c.remove(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG);
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        Throwable error = null;
        Duration elapsed;
        KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
        try {
            producer.send(new ProducerRecord<>(topic, "intruder".getBytes(StandardCharsets.UTF_8)))
                    .get(timeoutMs + FAIL_SLACK_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            error = e.getCause();
        } catch (Exception e) {
            error = e;
        } finally {
            elapsed = since(start);
            producer.close(Duration.ofSeconds(5));
        }
        return new Probe("KafkaProducer", error, 0, elapsed);
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
