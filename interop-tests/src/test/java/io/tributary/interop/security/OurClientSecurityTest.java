package io.tributary.interop.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.errors.SaslAuthenticationException;
import io.tributary.client.common.errors.SslAuthenticationException;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.client.serialization.StringDeserializer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.protocol.tls.TestCertificates;
import io.tributary.reference.ApacheKafkaNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our consumer over every security protocol against Apache Kafka (issue 9 item 6, S1). One in-process Apache node
 * serves, besides its PLAINTEXT listener (test set-up: topics, SCRAM users, producing), one listener per protocol:
 * SASL_PLAINTEXT (PLAIN, SCRAM-SHA-256/512; SCRAM-SHA-512 sessions last {@link #REAUTH_MS}, KIP-368), SSL,
 * SASL_SSL (PLAIN and SCRAM-SHA-512 only), and WRONGHOST, an SSL listener whose certificate names another host.
 */
class OurClientSecurityTest {
    private static final String USER = "alice";
    private static final String SECRET = "alice-secret";
    private static final long REAUTH_MS = 2_000;
    private static final String PLAIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";
    private static final String SCRAM_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";

    @TempDir
    static Path dir;

    private static TestCertificates certs;
    private static TestCertificates otherCa;
    private static ApacheKafkaNode kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        certs = TestCertificates.create(Files.createDirectories(dir.resolve("ca")));
        otherCa = TestCertificates.create(Files.createDirectories(dir.resolve("other-ca")));
        Path wrongHost = certs.serverP12For("wronghost", "DNS:broker.invalid");
        Map<String, String> o = new LinkedHashMap<>();
        o.put("group.initial.rebalance.delay.ms", "0");
        o.put(
                "listeners",
                "EXTERNAL://localhost:0,CONTROLLER://localhost:0,SASL_PLAINTEXT://localhost:0,SSL://localhost:0,"
                        + "SASL_SSL://localhost:0,WRONGHOST://localhost:0");
        o.put(
                "listener.security.protocol.map",
                "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL,SASL_SSL:SASL_SSL,"
                        + "WRONGHOST:SSL");
        o.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512");
        o.put("listener.name.sasl_ssl.sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512");
        for (String listener : List.of("sasl_plaintext", "sasl_ssl")) {
            String prefix = "listener.name." + listener + ".";
            o.put(prefix + "plain.sasl.jaas.config", PLAIN_MODULE + " required user_" + USER + "=\"" + SECRET + "\";");
            o.put(prefix + "scram-sha-256.sasl.jaas.config", SCRAM_MODULE + " required;");
            o.put(prefix + "scram-sha-512.sasl.jaas.config", SCRAM_MODULE + " required;");
        }
        o.put("listener.name.sasl_plaintext.scram-sha-512.connections.max.reauth.ms", Long.toString(REAUTH_MS));
        putKeyStore(o, "", certs.serverP12);
        putKeyStore(o, "listener.name.wronghost.", wrongHost);
        kafka = ApacheKafkaNode.start(o);
        createScramUser();
    }

    private static void putKeyStore(Map<String, String> o, String prefix, Path p12) {
        o.put(prefix + "ssl.keystore.location", p12.toString());
        o.put(prefix + "ssl.keystore.type", "PKCS12");
        o.put(prefix + "ssl.keystore.password", TestCertificates.PASSWORD);
        o.put(prefix + "ssl.key.password", TestCertificates.PASSWORD);
    }

    /** Through Apache's Admin on the PLAINTEXT listener, then waits until Apache's own client can log in with it. */
    private static void createScramUser() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            // Apache refuses two changes of one user in one request.
            for (ScramMechanism m : List.of(ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512)) {
                admin.alterUserScramCredentials(List.of(
                                new UserScramCredentialUpsertion(USER, new ScramCredentialInfo(m, 4096), SECRET)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
        }
        for (String mechanism : List.of("SCRAM-SHA-256", "SCRAM-SHA-512")) {
            Map<String, Object> c = new HashMap<>();
            c.put("bootstrap.servers", "localhost:" + kafka.boundPort("SASL_PLAINTEXT"));
            c.put("security.protocol", "SASL_PLAINTEXT");
            c.put("sasl.mechanism", mechanism);
            c.put("sasl.jaas.config", jaas(SCRAM_MODULE, SECRET));
            try (Admin admin = Admin.create(c)) {
                await("Apache's broker knows " + USER + " for " + mechanism)
                        .atMost(Duration.ofSeconds(30))
                        .ignoreExceptions()
                        .until(() -> admin.describeCluster().nodes().get(5, TimeUnit.SECONDS) != null);
            }
        }
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static String jaas(String module, String password) {
        return module + " required username=\"" + USER + "\" password=\"" + password + "\";";
    }

    private static Map<String, Object> base(String listener, String protocol) {
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", "localhost:" + kafka.boundPort(listener));
        c.put("security.protocol", protocol);
        c.put("key.deserializer", StringDeserializer.class.getName());
        c.put("value.deserializer", StringDeserializer.class.getName());
        c.put("fetch.max.wait.ms", "100");
        c.put("auto.offset.reset", "earliest");
        c.put("enable.auto.commit", "false");
        return c;
    }

    private static Map<String, Object> sasl(String listener, String protocol, String mechanism, String password) {
        Map<String, Object> c = base(listener, protocol);
        c.put("sasl.mechanism", mechanism);
        c.put("sasl.jaas.config", jaas(mechanism.equals("PLAIN") ? PLAIN_MODULE : SCRAM_MODULE, password));
        return c;
    }

    private static Map<String, Object> trusting(Map<String, Object> c, TestCertificates ca) {
        c.put("ssl.truststore.location", ca.trustP12.toString());
        c.put("ssl.truststore.type", "PKCS12");
        c.put("ssl.truststore.password", TestCertificates.PASSWORD);
        return c;
    }

    private static String topicWith(int records) throws Exception {
        String topic = KafkaClients.uniqueTopic("security");
        KafkaClients.createTopic(kafka.bootstrapServers(), topic, 1);
        produce(topic, 0, records);
        return topic;
    }

    private static void produce(String topic, int from, int count) {
        try (TributaryProducer<byte[], byte[]> producer =
                KafkaClients.ourProducer(kafka.bootstrapServers(), Map.of())) {
            for (int i = from; i < from + count; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, ("value-" + i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    /** Subscribes in a group, reads {@code n} records, commits them and reads the commit back. */
    private static void consumeAndCommit(Map<String, Object> config, int n) throws Exception {
        String topic = topicWith(n);
        String group = KafkaClients.uniqueTopic("group");
        config.put("group.id", group);
        try (TributaryConsumer<String, String> consumer = new TributaryConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> got = pollUntil(consumer, n);
            assertThat(got)
                    .extracting(ConsumerRecord::value)
                    .startsWith("value-0")
                    .hasSize(n);
            consumer.commitSync();
            TopicPartition tp = new TopicPartition(topic, 0);
            assertThat(consumer.committed(Set.of(tp), Duration.ofSeconds(30)))
                    .containsEntry(tp, new OffsetAndMetadata(n));
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            assertThat(admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata()
                            .get(30, TimeUnit.SECONDS)
                            .get(new org.apache.kafka.common.TopicPartition(topic, 0))
                            .offset())
                    .isEqualTo(n);
        }
    }

    private static List<ConsumerRecord<String, String>> pollUntil(TributaryConsumer<String, String> consumer, int n) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30))
                .pollInSameThread()
                .pollDelay(Duration.ZERO)
                .until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                    return out.size() >= n;
                });
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"})
    void consumesAndCommitsOverSaslPlaintext(String mechanism) throws Exception {
        consumeAndCommit(sasl("SASL_PLAINTEXT", "SASL_PLAINTEXT", mechanism, SECRET), 20);
    }

    @Test
    void consumesAndCommitsOverSsl() throws Exception {
        consumeAndCommit(trusting(base("SSL", "SSL"), certs), 20);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PLAIN", "SCRAM-SHA-512"})
    void consumesAndCommitsOverSaslSslTrustingAPemFile(String mechanism) throws Exception {
        Map<String, Object> c = sasl("SASL_SSL", "SASL_SSL", mechanism, SECRET);
        c.put("ssl.truststore.type", "PEM");
        c.put("ssl.truststore.location", certs.caCert.toString());
        consumeAndCommit(c, 20);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PLAIN", "SCRAM-SHA-256"})
    void aWrongPasswordFailsPollWithTheBrokersReasonAndReadsNothing(String mechanism) throws Exception {
        String topic = topicWith(5);
        Map<String, Object> c = sasl("SASL_PLAINTEXT", "SASL_PLAINTEXT", mechanism, "not-" + SECRET);
        c.put("group.id", KafkaClients.uniqueTopic("group"));
        try (TributaryConsumer<String, String> consumer = new TributaryConsumer<>(c)) {
            consumer.subscribe(List.of(topic));
            long start = System.nanoTime();
            assertThatThrownBy(() -> {
                        // Each poll may return empty before the failure lands; none may return records.
                        while (true) {
                            assertThat(consumer.poll(Duration.ofSeconds(10))).isEmpty();
                        }
                    })
                    .isInstanceOf(SaslAuthenticationException.class)
                    .hasMessageContaining(mechanism)
                    .hasMessageContaining("failed");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
            assertThatThrownBy(
                            () -> consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(1))))
                    .isInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void aMechanismTheListenerDoesNotEnableIsNamedWithTheOnesItDoes() throws Exception {
        String topic = topicWith(1);
        Map<String, Object> c = trusting(sasl("SASL_SSL", "SASL_SSL", "SCRAM-SHA-256", SECRET), certs);
        try (TributaryConsumer<String, String> consumer = new TributaryConsumer<>(c)) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(20)))
                    .isInstanceOf(SaslAuthenticationException.class)
                    .hasMessageContaining("SCRAM-SHA-256")
                    .hasMessageContaining("[PLAIN, SCRAM-SHA-512]");
        }
    }

    @Test
    void anUntrustedCertificateFailsPollWithTheCertificatePathError() throws Exception {
        String topic = topicWith(1);
        Map<String, Object> c = trusting(base("SSL", "SSL"), otherCa);
        try (TributaryConsumer<String, String> consumer = new TributaryConsumer<>(c)) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(20)))
                    .isInstanceOf(SslAuthenticationException.class)
                    .hasMessageContaining("PKIX path");
        }
    }

    @Test
    void aCertificateForAnotherHostFailsWithHttpsIdentificationAndPassesWithout() throws Exception {
        String topic = topicWith(3);
        Map<String, Object> c = trusting(base("WRONGHOST", "SSL"), certs);
        try (TributaryConsumer<String, String> consumer = new TributaryConsumer<>(c)) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(20)))
                    .isInstanceOf(SslAuthenticationException.class)
                    .hasMessageContaining("localhost");
        }
        c.put("ssl.endpoint.identification.algorithm", "");
        try (TributaryConsumer<String, String> consumer = new TributaryConsumer<>(c)) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(List.of(new TopicPartition(topic, 0)));
            assertThat(pollUntil(consumer, 3)).hasSize(3);
        }
    }

    /** Fetch responses far larger than one TLS record (16 KiB) arrive whole, through partial socket reads. */
    @Test
    void readsSeveralMegabytesOverSaslSsl() throws Exception {
        String topic = KafkaClients.uniqueTopic("security-big");
        KafkaClients.createTopic(kafka.bootstrapServers(), topic, 1);
        String pad = "x".repeat(4096);
        int n = 1000;
        try (TributaryProducer<byte[], byte[]> producer =
                KafkaClients.ourProducer(kafka.bootstrapServers(), Map.of())) {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, (i + ":" + pad).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        Map<String, Object> c = trusting(sasl("SASL_SSL", "SASL_SSL", "SCRAM-SHA-512", SECRET), certs);
        try (TributaryConsumer<String, String> consumer = new TributaryConsumer<>(c)) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            List<ConsumerRecord<String, String>> got = pollUntil(consumer, n);
            assertThat(got).hasSize(n);
            for (int i = 0; i < n; i++) {
                assertThat(got.get(i).value()).isEqualTo(i + ":" + pad);
            }
        }
    }

    /**
     * KIP-368: with sessions of {@link #REAUTH_MS}, a consumer that keeps reading for several lifetimes re-authenticates
     * on its connections (Apache counts it) and never fails one (Apache would close it, and count that instead).
     */
    @Test
    void reAuthenticatesBeforeTheSessionExpires() throws Exception {
        String topic = topicWith(0);
        Map<String, String> listener = Map.of("listener", "SASL_PLAINTEXT");
        double reauthsBefore = kafka.metricTotal("successful-reauthentication-total", listener);
        Map<String, Object> c = sasl("SASL_PLAINTEXT", "SASL_PLAINTEXT", "SCRAM-SHA-512", SECRET);
        c.put("group.id", KafkaClients.uniqueTopic("group"));
        try (TributaryConsumer<String, String> consumer = new TributaryConsumer<>(c)) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> got = new ArrayList<>();
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3 * REAUTH_MS);
            int sent = 0;
            while (System.nanoTime() < end) {
                produce(topic, sent++, 1);
                consumer.poll(Duration.ofMillis(200)).forEach(got::add);
            }
            int expected = sent;
            await().atMost(Duration.ofSeconds(30))
                    .pollInSameThread()
                    .pollDelay(Duration.ZERO)
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(got::add);
                        return got.size() >= expected;
                    });
            assertThat(got).extracting(ConsumerRecord::value).hasSize(expected).doesNotHaveDuplicates();
            consumer.commitSync();
        }
        assertThat(kafka.metricTotal("successful-reauthentication-total", listener) - reauthsBefore)
                .isGreaterThanOrEqualTo(2);
        assertThat(kafka.metricTotal("failed-reauthentication-total", listener)).isZero();
    }
}
