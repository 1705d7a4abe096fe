package io.tributary.interop.security;

import static io.tributary.interop.support.SecureBrokers.PLAIN_PASSWORD;
import static io.tributary.interop.support.SecureBrokers.PLAIN_USER;
import static io.tributary.interop.support.SecureBrokers.SASL_PLAINTEXT;
import static io.tributary.interop.support.SecureBrokers.SASL_SSL;
import static io.tributary.interop.support.SecureBrokers.SCRAM_PASSWORD;
import static io.tributary.interop.support.SecureBrokers.SCRAM_USER;
import static io.tributary.interop.support.SecureBrokers.SSL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.errors.SaslAuthenticationException;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.client.serialization.StringDeserializer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.SecureBrokers;
import io.tributary.interop.support.Target;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9 (S1): our consumer over every security protocol and mechanism, against OUR broker and Apache Kafka
 * configured the same way ({@link SecureBrokers}). {@link OurClientSecurityTest} covers the failure paths (untrusted
 * certificate, wrong host, re-authentication) against Apache; this one proves the two halves of Tributary speak to each
 * other over every protocol: subscribe in a group, read, commit, and read the commit back with Apache's admin.
 */
class OurClientOnBothBrokersSecurityTest {
    static Stream<Arguments> logins() {
        List<Arguments> out = new ArrayList<>();
        Target.selected().forEach(target -> {
            out.add(Arguments.of(target, SSL, "-"));
            for (String listener : List.of(SASL_PLAINTEXT, SASL_SSL)) {
                for (String mechanism : List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")) {
                    out.add(Arguments.of(target, listener, mechanism));
                }
            }
        });
        return out.stream();
    }

    private static Map<String, Object> consumerConfig(SecureBrokers brokers, String listener, String mechanism) {
        boolean plain = mechanism.equals("PLAIN");
        Map<String, Object> c = brokers.client(
                listener, mechanism, plain ? PLAIN_USER : SCRAM_USER, plain ? PLAIN_PASSWORD : SCRAM_PASSWORD);
        c.put("key.deserializer", StringDeserializer.class.getName());
        c.put("value.deserializer", StringDeserializer.class.getName());
        c.put("fetch.max.wait.ms", "100");
        c.put("auto.offset.reset", "earliest");
        c.put("enable.auto.commit", "false");
        return c;
    }

    private static String topicWith(SecureBrokers brokers, int records) throws Exception {
        String topic = KafkaClients.uniqueTopic("our-client-security");
        String bootstrap = brokers.bootstrap(SecureBrokers.PLAINTEXT);
        KafkaClients.createTopic(bootstrap, topic, 1);
        try (TributaryProducer<byte[], byte[]> producer = KafkaClients.ourProducer(bootstrap, Map.of())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, ("value-" + i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        return topic;
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("logins")
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void consumesAndCommitsInAGroup(Target target, String listener, String mechanism) throws Exception {
        SecureBrokers brokers = SecureBrokers.shared(target);
        int n = 20;
        String topic = topicWith(brokers, n);
        String group = KafkaClients.uniqueTopic("our-client-group");
        Map<String, Object> config = consumerConfig(brokers, listener, mechanism);
        config.put("group.id", group);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (TributaryConsumer<String, String> consumer = new TributaryConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            List<String> got = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60))
                    .pollInSameThread()
                    .pollDelay(Duration.ZERO)
                    .until(() -> {
                        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                            got.add(r.value());
                        }
                        return got.size() >= n;
                    });
            assertThat(got).hasSize(n).startsWith("value-0").endsWith("value-" + (n - 1));
            consumer.commitSync();
            assertThat(consumer.committed(Set.of(tp), Duration.ofSeconds(30)))
                    .containsEntry(tp, new OffsetAndMetadata(n));
        }
        try (Admin admin = brokers.plaintextAdmin()) {
            assertThat(admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata()
                            .get(30, TimeUnit.SECONDS)
                            .get(new org.apache.kafka.common.TopicPartition(topic, 0))
                            .offset())
                    .isEqualTo(n);
        }
    }

    static Stream<Arguments> wrongPasswords() {
        List<Arguments> out = new ArrayList<>();
        Target.selected().forEach(target -> {
            for (String mechanism : List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")) {
                out.add(Arguments.of(target, mechanism));
            }
        });
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("wrongPasswords")
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aWrongPasswordFailsPollAndReadsNothing(Target target, String mechanism) throws Exception {
        SecureBrokers brokers = SecureBrokers.shared(target);
        String topic = topicWith(brokers, 3);
        Map<String, Object> config = consumerConfig(brokers, SASL_SSL, mechanism);
        config.put("sasl.jaas.config", SecureBrokers.jaas(mechanism, SCRAM_USER, "not-the-password"));
        try (TributaryConsumer<String, String> consumer = new TributaryConsumer<>(config)) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            assertThatThrownBy(() -> {
                        while (true) {
                            assertThat(consumer.poll(Duration.ofSeconds(10))).isEmpty();
                        }
                    })
                    .isInstanceOf(SaslAuthenticationException.class)
                    .hasMessageContaining(mechanism);
        }
    }
}
