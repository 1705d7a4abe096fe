package io.tributary.interop.security;

import static io.tributary.interop.support.SecureBrokers.PLAIN_PASSWORD;
import static io.tributary.interop.support.SecureBrokers.PLAIN_USER;
import static io.tributary.interop.support.SecureBrokers.SASL_PLAINTEXT;
import static io.tributary.interop.support.SecureBrokers.SASL_SSL;
import static io.tributary.interop.support.SecureBrokers.SCRAM_PASSWORD;
import static io.tributary.interop.support.SecureBrokers.SCRAM_USER;
import static io.tributary.interop.support.SecureBrokers.SSL;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.SecureBrokers;
import io.tributary.interop.support.Target;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9 acceptance (S1): Apache {@code kafka-clients} — AdminClient, producer and a consumer
 * group (subscribe, poll, commitSync) — over SASL_PLAINTEXT with PLAIN, SCRAM-SHA-256 and
 * SCRAM-SHA-512, over SSL and over SASL_SSL, against our broker and against Apache Kafka with the
 * same settings ({@link SecureBrokers}). Each case also checks that the broker advertises the
 * listener the client came in on (otherwise the clients would wander to the PLAINTEXT port) and
 * that the group's commit is stored.
 */
class KafkaClientsSecurityTest {
    private static final int RECORDS = 20;

    /** One way to log in: the listener (named after its protocol), the SASL mechanism and the user. */
    record Login(String listener, String mechanism, String user, String password) {
        @Override
        public String toString() {
            return mechanism == null ? listener : listener + "/" + mechanism;
        }
    }

    static Stream<Arguments> cases() {
        List<Login> logins = List.of(
                new Login(SASL_PLAINTEXT, "PLAIN", PLAIN_USER, PLAIN_PASSWORD),
                new Login(SASL_PLAINTEXT, "SCRAM-SHA-256", SCRAM_USER, SCRAM_PASSWORD),
                new Login(SASL_PLAINTEXT, "SCRAM-SHA-512", SCRAM_USER, SCRAM_PASSWORD),
                new Login(SSL, null, null, null),
                new Login(SASL_SSL, "SCRAM-SHA-512", SCRAM_USER, SCRAM_PASSWORD),
                new Login(SASL_SSL, "PLAIN", PLAIN_USER, PLAIN_PASSWORD));
        return Target.selected().flatMap(t -> logins.stream().map(l -> Arguments.of(t, l)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void adminProducerAndConsumerGroupWork(Target target, Login login) throws Exception {
        SecureBrokers brokers = SecureBrokers.shared(target);
        Map<String, Object> client =
                brokers.client(login.listener(), login.mechanism(), login.user(), login.password());
        String topic = KafkaClients.uniqueTopic("sec-" + login.listener().toLowerCase() + "-"
                + (login.mechanism() == null ? "tls" : login.mechanism().toLowerCase()));
        String group = "g-" + topic;

        try (Admin admin = Admin.create(client)) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
            Collection<Node> nodes = admin.describeCluster().nodes().get(20, TimeUnit.SECONDS);
            assertThat(nodes)
                    .as("nodes advertised on %s", login.listener())
                    .extracting(Node::port)
                    .containsExactly(brokers.port(login.listener()));
        }

        Map<String, Object> p = new HashMap<>(client);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(topic, bytes("k" + i), bytes("v" + i)))
                        .get(30, TimeUnit.SECONDS);
            }
        }

        Map<String, Object> c = new HashMap<>(client);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<String> got = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (got.size() < RECORDS && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    got.add(new String(r.value(), StandardCharsets.UTF_8));
                }
            }
            consumer.commitSync(Duration.ofSeconds(30));
        }
        assertThat(got).hasSize(RECORDS).contains("v0", "v" + (RECORDS - 1)).doesNotHaveDuplicates();

        try (Admin admin = Admin.create(client)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(20, TimeUnit.SECONDS);
            assertThat(committed.values().stream()
                            .mapToLong(OffsetAndMetadata::offset)
                            .sum())
                    .as("committed offsets of %s", group)
                    .isEqualTo(RECORDS);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
