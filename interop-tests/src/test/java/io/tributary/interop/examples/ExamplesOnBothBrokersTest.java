package io.tributary.interop.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.client.admin.TopicDescription;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.client.producer.RecordMetadata;
import io.tributary.examples.AdminExample;
import io.tributary.examples.Examples;
import io.tributary.examples.ProducerExample;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 12 acceptance: the examples module's admin, producer and consumer used together, against our broker AND the
 * in-process Apache Kafka. The same example classes a user reads, unchanged, with the same checks on both brokers
 * (these two examples are tested here rather than in the examples module, whose tests use the testkit broker only).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ExamplesOnBothBrokersTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tributary.interop.support.Target#selected")
    void adminExampleCreatesFillsConsumesReportsLagAndResets(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("admin-example");
        String group = topic + "-group";
        try (AdminExample example = new AdminExample(broker.bootstrapServers())) {
            TopicDescription d = example.ensureTopic(topic, 3);
            assertThat(d.partitions()).hasSize(3);
            assertThat(example.ensureTopic(topic, 3).topicId())
                    .as("%s: an existing topic is described, not recreated", target)
                    .isEqualTo(d.topicId());

            example.fill(topic, 3, 10);
            assertThat(example.lag(group, topic, 3).values()).containsOnly(10L);

            int read = example.consume(topic, group, 12);
            assertThat(read).isGreaterThanOrEqualTo(12);
            assertThat(example.lag(group, topic, 3).values().stream()
                            .mapToLong(Long::longValue)
                            .sum())
                    .as("%s: lag after consuming %d of 30 records", target, read)
                    .isEqualTo(30L - read);

            Map<TopicPartition, Long> reset = example.resetToEarliest(group, topic);
            assertThat(reset.values()).containsOnly(0L);
            assertThat(example.lag(group, topic, 3).values()).containsOnly(10L);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tributary.interop.support.Target#selected")
    void producerExampleSendsAreReadBackByOurConsumerWithTransactionsHonoured(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String bootstrap = broker.bootstrapServers();
        String topic = KafkaClients.uniqueTopic("producer-example");
        KafkaClients.createTopic(bootstrap, topic, 2);
        ProducerExample example = new ProducerExample(bootstrap);

        assertThat(example.sendSync(topic, "sync", "hello").offset()).isNotNegative();
        assertThat(example.sendAsync(topic, 10)).as("async sends that failed").isZero();
        String txnId = KafkaClients.uniqueTopic("producer-example-txn");
        assertThat(example.sendTransaction(topic, txnId, List.of("t1", "t2", "t3"), true))
                .extracting(RecordMetadata::offset)
                .allSatisfy(o -> assertThat(o).isNotNegative());
        example.sendTransaction(topic, txnId, List.of("x1", "x2"), false);

        List<String> expected = new ArrayList<>(List.of("hello", "t1", "t2", "t3"));
        for (int i = 0; i < 10; i++) {
            expected.add("async value " + i);
        }
        assertThat(read(bootstrap, topic, "read_committed", 14)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(read(bootstrap, topic, "read_uncommitted", 16)).contains("x1", "x2");
    }

    private static List<String> read(String bootstrap, String topic, String isolation, int count) {
        Properties props = Examples.consumerConfig(bootstrap, null);
        props.put("isolation.level", isolation);
        List<String> values = new ArrayList<>();
        try (TributaryConsumer<String, String> c = new TributaryConsumer<>(props)) {
            c.assign(List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1)));
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInSameThread().until(() -> {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(100))) {
                    values.add(r.value());
                }
                return values.size() >= count;
            });
            // Nothing more: an aborted record leaking into read_committed would show up here.
            assertThat(c.poll(Duration.ofMillis(300)).count()).isZero();
        }
        return values;
    }
}
