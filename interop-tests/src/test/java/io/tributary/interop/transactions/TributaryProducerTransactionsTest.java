package io.tributary.interop.transactions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.errors.ProducerFencedException;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.RecordMetadata;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.client.serialization.StringDeserializer;
import io.tributary.client.serialization.StringSerializer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 12: our producer's transactions API against our broker AND the in-process Apache Kafka.
 * Commits and aborts interleaved are read exactly by Apache's read_committed consumer; a second
 * producer with the same transactional.id fences the first (ProducerFencedException, fatal) and
 * aborts its open transaction; consume-transform-produce with our consumer and
 * sendOffsetsToTransaction (KIP-447 group metadata) makes the offsets visible only on commit.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TributaryProducerTransactionsTest {
    private static final int PARTITIONS = 3;

    static Stream<Target> targets() {
        return Target.selected();
    }

    static TributaryProducer<String, String> producer(RunningBroker broker, String transactionalId) {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("bootstrap.servers", broker.bootstrapServers());
        cfg.put("max.block.ms", 30_000);
        if (transactionalId != null) {
            cfg.put("transactional.id", transactionalId);
        }
        return new TributaryProducer<>(cfg, new StringSerializer(), new StringSerializer());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void commitsAndAbortsInterleavedAreReadExactlyByReadCommitted(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("ours-txn");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, PARTITIONS);
        Map<Integer, List<String>> committed = new HashMap<>();
        List<Future<RecordMetadata>> committedFutures = new ArrayList<>();
        try (TributaryProducer<String, String> p = producer(broker, KafkaClients.uniqueTopic("ours-txn-id"))) {
            p.initTransactions();
            for (int t = 0; t < 6; t++) {
                boolean commit = t % 2 == 0;
                p.beginTransaction();
                List<Future<RecordMetadata>> futures = new ArrayList<>();
                for (int i = 0; i < 3 * PARTITIONS; i++) {
                    int partition = i % PARTITIONS;
                    String value = (commit ? "commit-" : "abort-") + t + "-" + i;
                    futures.add(p.send(new ProducerRecord<>(topic, partition, null, value)));
                    if (commit) {
                        committed
                                .computeIfAbsent(partition, k -> new ArrayList<>())
                                .add(value);
                    }
                }
                if (commit) {
                    p.commitTransaction();
                    committedFutures.addAll(futures);
                } else {
                    p.flush(); // written, then aborted: read_committed must skip them
                    p.abortTransaction();
                }
            }
        }
        for (Future<RecordMetadata> f : committedFutures) {
            assertThat(f.get(0, TimeUnit.SECONDS).offset()).isNotNegative();
        }
        Map<Integer, List<String>> read =
                TransactionsAcceptanceTest.readWithApache(broker, topic, "read_committed", 9 * PARTITIONS);
        assertThat(read).isEqualTo(committed);
        // The aborted records are in the log: a read_uncommitted reader sees all of them.
        Map<Integer, List<String>> all =
                TransactionsAcceptanceTest.readWithApache(broker, topic, "read_uncommitted", 18 * PARTITIONS);
        assertThat(all.values().stream().mapToInt(List::size).sum()).isEqualTo(18 * PARTITIONS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void abortFailsRecordsNotYetSent(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("ours-txn-unsent");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, PARTITIONS);
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("bootstrap.servers", broker.bootstrapServers());
        cfg.put("transactional.id", KafkaClients.uniqueTopic("ours-txn-id"));
        cfg.put("linger.ms", 60_000); // nothing goes before the abort
        cfg.put("delivery.timeout.ms", 120_000);
        try (TributaryProducer<String, String> p =
                new TributaryProducer<>(cfg, new StringSerializer(), new StringSerializer())) {
            p.initTransactions();
            p.beginTransaction();
            Future<RecordMetadata> f = p.send(new ProducerRecord<>(topic, 0, null, "never"));
            p.abortTransaction();
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(io.tributary.client.common.errors.TransactionAbortedException.class);
            p.beginTransaction();
            p.send(new ProducerRecord<>(topic, 0, null, "kept"));
            p.commitTransaction();
        }
        assertThat(TransactionsAcceptanceTest.readWithApache(broker, topic, "read_uncommitted", 1))
                .isEqualTo(Map.of(0, List.of("kept")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void closeAbortsAnOpenTransactionSoReadCommittedIsNotHeldBack(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("ours-txn-close");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
        try (TributaryProducer<String, String> p = producer(broker, KafkaClients.uniqueTopic("ours-close-id"))) {
            p.initTransactions();
            p.beginTransaction();
            p.send(new ProducerRecord<>(topic, 0, null, "left-open")).get(30, TimeUnit.SECONDS);
        } // close() aborts; else the last stable offset would stay put for transaction.timeout.ms (60 s)
        try (TributaryProducer<String, String> p = producer(broker, KafkaClients.uniqueTopic("ours-close-id"))) {
            p.initTransactions();
            p.beginTransaction();
            p.send(new ProducerRecord<>(topic, 0, null, "after"));
            p.commitTransaction();
        }
        assertThat(TransactionsAcceptanceTest.readWithApache(broker, topic, "read_committed", 1))
                .isEqualTo(Map.of(0, List.of("after")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void aSecondProducerWithTheSameIdFencesTheFirst(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("ours-txn-zombie");
        String id = KafkaClients.uniqueTopic("ours-zombie-id");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, PARTITIONS);
        try (TributaryProducer<String, String> zombie = producer(broker, id)) {
            zombie.initTransactions();
            zombie.beginTransaction();
            zombie.send(new ProducerRecord<>(topic, 0, null, "zombie")).get(30, TimeUnit.SECONDS);
            try (TributaryProducer<String, String> successor = producer(broker, id)) {
                // Fences the zombie and aborts its open transaction.
                successor.initTransactions();
                successor.beginTransaction();
                successor.send(new ProducerRecord<>(topic, 0, null, "successor"));
                successor.commitTransaction();
            }
            assertThatThrownBy(zombie::commitTransaction).isInstanceOf(ProducerFencedException.class);
            // Fatal: every later call fails the same way.
            assertThatThrownBy(zombie::beginTransaction).isInstanceOf(ProducerFencedException.class);
        }
        assertThat(TransactionsAcceptanceTest.readWithApache(broker, topic, "read_committed", 1))
                .isEqualTo(Map.of(0, List.of("successor")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void consumeTransformProduceCommitsOffsetsOnlyWithTheTransaction(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String input = KafkaClients.uniqueTopic("ours-ctp-in");
        String output = KafkaClients.uniqueTopic("ours-ctp-out");
        String group = KafkaClients.uniqueTopic("ours-ctp-group");
        KafkaClients.createTopic(broker.bootstrapServers(), input, PARTITIONS);
        KafkaClients.createTopic(broker.bootstrapServers(), output, PARTITIONS);
        int inputs = 60;
        try (TributaryProducer<String, String> p = producer(broker, null)) {
            for (int i = 0; i < inputs; i++) {
                p.send(new ProducerRecord<>(input, "k" + i, "v" + i));
            }
            p.flush();
        }
        Map<String, Object> cc = new HashMap<>();
        cc.put("bootstrap.servers", broker.bootstrapServers());
        cc.put("group.id", group);
        cc.put("enable.auto.commit", "false");
        cc.put("auto.offset.reset", "earliest");
        cc.put("isolation.level", "read_committed");
        try (TributaryConsumer<String, String> consumer =
                        new TributaryConsumer<>(cc, new StringDeserializer(), new StringDeserializer());
                TributaryProducer<String, String> producer =
                        producer(broker, KafkaClients.uniqueTopic("ours-ctp-txn"))) {
            consumer.subscribe(List.of(input));
            producer.initTransactions();
            // First transaction: everything consumed, transformed, offsets sent, then ABORTED.
            Map<TopicPartition, OffsetAndMetadata> offsets = consumeAll(consumer, producer, output, inputs);
            producer.abortTransaction();
            assertThat(committedOffsets(broker, group))
                    .as("aborted offsets are not committed")
                    .isEmpty();
            // Rewind to the last committed position (none: the beginning) and do it again, committing.
            consumer.seekToBeginning(consumer.assignment());
            Map<TopicPartition, OffsetAndMetadata> again = consumeAll(consumer, producer, output, inputs);
            assertThat(again).isEqualTo(offsets);
            assertThat(committedOffsets(broker, group))
                    .as("not visible before the commit")
                    .isEmpty();
            producer.commitTransaction();
            Map<Integer, Long> expected = offsets.entrySet().stream()
                    .collect(Collectors.toMap(
                            e -> e.getKey().partition(), e -> e.getValue().offset()));
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(
                            () -> assertThat(committedOffsets(broker, group)).isEqualTo(expected));
        }
        Map<Integer, List<String>> out =
                TransactionsAcceptanceTest.readWithApache(broker, output, "read_committed", inputs);
        List<String> values = new ArrayList<>();
        out.values().forEach(values::addAll);
        assertThat(values)
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, inputs).mapToObj(i -> "out-v" + i).toList());
    }

    /** One transaction: polls until every input arrived, sends each result, sends the offsets; returns them. */
    private static Map<TopicPartition, OffsetAndMetadata> consumeAll(
            TributaryConsumer<String, String> consumer,
            TributaryProducer<String, String> producer,
            String output,
            int inputs) {
        producer.beginTransaction();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        int[] seen = {0};
        await().atMost(Duration.ofSeconds(30)).pollInSameThread().until(() -> {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                producer.send(new ProducerRecord<>(output, r.key(), "out-" + r.value()));
                offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                seen[0]++;
            }
            return seen[0] >= inputs;
        });
        assertThat(seen[0]).isEqualTo(inputs);
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        return offsets;
    }

    /** The group's committed offsets as Apache's Admin reads them (stable ones only). */
    private static Map<Integer, Long> committedOffsets(RunningBroker broker, String group) throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            return admin
                    .listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(20, TimeUnit.SECONDS)
                    .entrySet()
                    .stream()
                    .filter(e -> e.getValue() != null)
                    .collect(Collectors.toMap(
                            e -> e.getKey().partition(), e -> e.getValue().offset()));
        }
    }
}
