package io.tributary.interop.transactions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 11 acceptance, the coordinator's part, against our broker AND the in-process Apache
 * Kafka with the same assertions: Apache KafkaProducer transactions committed and aborted
 * interleaved across 3 partitions (each transaction leaves one control batch per partition,
 * which read_uncommitted consumers skip while the offsets advance), zombie fencing by a second
 * producer with the same transactional id, and Apache Admin listing and describing them.
 * (read_committed needs the storage side of issue 11 and is not asserted here.)
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ApacheProducerTransactionsTest {

    static java.util.stream.Stream<Target> targets() {
        return Target.selected();
    }

    private static KafkaProducer<byte[], byte[]> producer(RunningBroker broker, String transactionalId) {
        return KafkaClients.producer(
                broker.bootstrapServers(),
                Map.of(
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        transactionalId,
                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                        30_000));
    }

    private static Admin admin(RunningBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private static Map<Integer, Long> endOffsets(RunningBroker broker, String topic, int partitions) throws Exception {
        try (Admin admin = admin(broker)) {
            Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                specs.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(specs).all().get(20, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(
                            e -> e.getKey().partition(), e -> e.getValue().offset()));
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> readUncommitted(
            RunningBroker broker, String topic, int partitions, int expected) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(topic, p));
        }
        try (KafkaConsumer<byte[], byte[]> c = KafkaClients.assignOnlyConsumer(
                broker.bootstrapServers(), Map.of("isolation.level", "read_uncommitted"))) {
            c.assign(tps);
            c.seekToBeginning(tps);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                c.poll(Duration.ofMillis(50)).forEach(out::add);
                return out.size() >= expected;
            });
        }
        return out;
    }

    private static String value(ConsumerRecord<byte[], byte[]> r) {
        return new String(r.value(), StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void commitAndAbortInterleavedAcrossThreePartitions(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("txn-interleaved");
        String txnId = KafkaClients.uniqueTopic("txn-id");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 3);
        String[] outcomes = {"commit", "abort", "commit", "abort"};
        try (KafkaProducer<byte[], byte[]> producer = producer(broker, txnId)) {
            producer.initTransactions();
            for (int t = 0; t < outcomes.length; t++) {
                producer.beginTransaction();
                for (int p = 0; p < 3; p++) {
                    producer.send(new ProducerRecord<>(
                            topic, p, null, (outcomes[t] + "-" + t + "-" + p).getBytes(StandardCharsets.UTF_8)));
                }
                if (outcomes[t].equals("commit")) {
                    producer.commitTransaction();
                } else {
                    producer.flush();
                    producer.abortTransaction();
                }
            }
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(endOffsets(broker, topic, 3)).isEqualTo(Map.of(0, 8L, 1, 8L, 2, 8L)));
        List<ConsumerRecord<byte[], byte[]>> all = readUncommitted(broker, topic, 3, 12);
        assertThat(all).hasSize(12);
        for (int p = 0; p < 3; p++) {
            int partition = p;
            List<ConsumerRecord<byte[], byte[]>> mine =
                    all.stream().filter(r -> r.partition() == partition).toList();
            assertThat(mine).extracting(ConsumerRecord::offset).containsExactly(0L, 2L, 4L, 6L);
            assertThat(mine)
                    .extracting(ApacheProducerTransactionsTest::value)
                    .containsExactly("commit-0-" + p, "abort-1-" + p, "commit-2-" + p, "abort-3-" + p);
        }
        try (Admin admin = admin(broker)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                TransactionDescription d = admin.describeTransactions(Set.of(txnId))
                        .description(txnId)
                        .get(20, TimeUnit.SECONDS);
                assertThat(d.state()).isEqualTo(TransactionState.COMPLETE_ABORT);
                assertThat(d.topicPartitions()).isEmpty();
            });
            List<TransactionListing> listed = new ArrayList<>(admin.listTransactions(
                            new ListTransactionsOptions().filterStates(List.of(TransactionState.COMPLETE_ABORT)))
                    .all()
                    .get(20, TimeUnit.SECONDS));
            assertThat(listed).extracting(TransactionListing::transactionalId).contains(txnId);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void aSecondProducerWithTheSameTransactionalIdFencesTheFirst(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("txn-zombie");
        String txnId = KafkaClients.uniqueTopic("txn-zombie-id");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
        try (KafkaProducer<byte[], byte[]> zombie = producer(broker, txnId);
                KafkaProducer<byte[], byte[]> successor = producer(broker, txnId)) {
            zombie.initTransactions();
            zombie.beginTransaction();
            zombie.send(new ProducerRecord<>(topic, 0, null, "zombie".getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
            try (Admin admin = admin(broker)) {
                TransactionDescription d = admin.describeTransactions(Set.of(txnId))
                        .description(txnId)
                        .get(20, TimeUnit.SECONDS);
                assertThat(d.state()).isEqualTo(TransactionState.ONGOING);
                assertThat(d.topicPartitions()).containsExactly(new TopicPartition(topic, 0));
            }
            successor.initTransactions();
            assertThatThrownBy(zombie::commitTransaction)
                    .isInstanceOfAny(ProducerFencedException.class, InvalidProducerEpochException.class);
            successor.beginTransaction();
            successor.send(new ProducerRecord<>(topic, 0, null, "successor".getBytes(StandardCharsets.UTF_8)));
            successor.commitTransaction();
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(endOffsets(broker, topic, 1)).isEqualTo(Map.of(0, 4L)));
        assertThat(readUncommitted(broker, topic, 1, 2))
                .extracting(ConsumerRecord::offset, ApacheProducerTransactionsTest::value)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0L, "zombie"),
                        org.assertj.core.groups.Tuple.tuple(2L, "successor"));
    }
}
