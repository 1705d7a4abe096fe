package io.tributary.interop.transactions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.tributary.client.consumer.ConsumerRecords;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.client.serialization.StringDeserializer;
import io.tributary.interop.support.ExternalCommand;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 11 acceptance, against our broker and Apache Kafka: Apache's transactional
 * {@code KafkaProducer} commits and aborts interleaved across three partitions, and every
 * {@code read_committed} reader — Apache's consumer, librdkafka through python3-confluent-kafka,
 * and our consumer (C10) — sees exactly the committed records in order, while
 * {@code read_uncommitted} sees all of them; an open transaction holds {@code read_committed}
 * readers at the last stable offset; a second producer with the same transactional id fences the
 * first.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TransactionsAcceptanceTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final int PARTITIONS = 3;
    private static final int TRANSACTIONS = 9;
    private static final int PER_PARTITION = 3;

    static Stream<Target> targets() {
        return Target.selected();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void readCommittedReadersSeeExactlyTheCommittedRecordsInOrder(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("txn-interleaved");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, PARTITIONS);

        Map<Integer, List<String>> committed = new HashMap<>();
        Map<Integer, List<String>> all = new HashMap<>();
        try (KafkaProducer<String, String> p = transactionalProducer(broker, KafkaClients.uniqueTopic("txn-id"))) {
            p.initTransactions();
            for (int t = 0; t < TRANSACTIONS; t++) {
                boolean abort = t % 3 == 1;
                p.beginTransaction();
                for (int i = 0; i < PER_PARTITION; i++) {
                    for (int part = 0; part < PARTITIONS; part++) {
                        String value = "t" + t + "-p" + part + "-" + i + (abort ? "-aborted" : "");
                        p.send(new ProducerRecord<>(topic, part, null, value));
                        all.computeIfAbsent(part, k -> new ArrayList<>()).add(value);
                        if (!abort) {
                            committed
                                    .computeIfAbsent(part, k -> new ArrayList<>())
                                    .add(value);
                        }
                    }
                }
                if (abort) {
                    p.flush();
                    p.abortTransaction();
                } else {
                    p.commitTransaction();
                }
            }
        }
        int committedCount = committed.values().stream().mapToInt(List::size).sum();
        int allCount = all.values().stream().mapToInt(List::size).sum();

        assertThat(readWithApache(broker, topic, "read_committed", committedCount))
                .as("Apache KafkaConsumer, read_committed")
                .isEqualTo(committed);
        assertThat(readWithApache(broker, topic, "read_uncommitted", allCount))
                .as("Apache KafkaConsumer, read_uncommitted")
                .isEqualTo(all);
        assertThat(readWithOurs(broker, topic, "read_committed", committedCount))
                .as("our consumer, read_committed")
                .isEqualTo(committed);
        assertThat(readWithLibrdkafka(broker, topic, "read_committed", committedCount))
                .as("librdkafka, read_committed")
                .isEqualTo(committed);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void anOpenTransactionHoldsReadCommittedAtTheLastStableOffset(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("txn-open");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaProducer<String, String> open = transactionalProducer(broker, KafkaClients.uniqueTopic("txn-open"));
                KafkaProducer<String, String> plain = plainProducer(broker)) {
            plain.send(new ProducerRecord<>(topic, 0, null, "before")).get();
            open.initTransactions();
            open.beginTransaction();
            open.send(new ProducerRecord<>(topic, 0, null, "pending")).get();
            plain.send(new ProducerRecord<>(topic, 0, null, "after")).get();
            // Offsets: 0 before, 1 pending (open), 2 after. The LSO is 1 until the transaction ends.
            try (KafkaConsumer<String, String> c = apacheConsumer(broker, "read_committed")) {
                assertThat(c.endOffsets(List.of(tp))).containsEntry(tp, 1L);
            }
            try (KafkaConsumer<String, String> c = apacheConsumer(broker, "read_uncommitted")) {
                assertThat(c.endOffsets(List.of(tp))).containsEntry(tp, 3L);
            }
            open.commitTransaction();
        }
        // After the commit marker (offset 3) everything is stable.
        assertThat(readWithApache(broker, topic, "read_committed", 3))
                .isEqualTo(Map.of(0, List.of("before", "pending", "after")));
        try (KafkaConsumer<String, String> c = apacheConsumer(broker, "read_committed")) {
            assertThat(c.endOffsets(List.of(tp))).containsEntry(tp, 4L);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void aSecondProducerWithTheSameTransactionalIdFencesTheFirst(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("txn-zombie");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
        String transactionalId = KafkaClients.uniqueTopic("txn-zombie-id");
        try (KafkaProducer<String, String> zombie = transactionalProducer(broker, transactionalId);
                KafkaProducer<String, String> successor = transactionalProducer(broker, transactionalId)) {
            zombie.initTransactions();
            zombie.beginTransaction();
            zombie.send(new ProducerRecord<>(topic, 0, null, "zombie")).get();
            // The successor's InitProducerId aborts the zombie's open transaction and bumps the epoch.
            successor.initTransactions();
            successor.beginTransaction();
            successor.send(new ProducerRecord<>(topic, 0, null, "successor")).get();
            successor.commitTransaction();
            // The zombie's next write carries the old epoch: Kafka refuses it (INVALID_PRODUCER_EPOCH on a
            // produce, PRODUCER_FENCED from the coordinator), and the zombie can no longer commit.
            Throwable sendFailure = catchThrowable(() -> zombie.send(new ProducerRecord<>(topic, 0, null, "zombie-2"))
                    .get());
            assertThat(sendFailure).isInstanceOf(ExecutionException.class);
            assertThat(sendFailure.getCause())
                    .isInstanceOfAny(InvalidProducerEpochException.class, ProducerFencedException.class);
            assertThat(catchThrowable(zombie::commitTransaction)).isInstanceOf(KafkaException.class);
        }
        assertThat(readWithApache(broker, topic, "read_committed", 1)).isEqualTo(Map.of(0, List.of("successor")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void kafkaTransactionsToolListsAndDescribesTransactions(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("txn-tool");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
        String transactionalId = KafkaClients.uniqueTopic("txn-tool-id");
        try (KafkaProducer<String, String> p = transactionalProducer(broker, transactionalId)) {
            p.initTransactions();
            p.beginTransaction();
            p.send(new ProducerRecord<>(topic, 0, null, "open")).get();
            await().atMost(20, TimeUnit.SECONDS)
                    .untilAsserted(() -> assertThat(ApacheTransactionsTool.run(broker.bootstrapServers(), "list"))
                            .contains(transactionalId)
                            .contains("Ongoing"));
            String described = ApacheTransactionsTool.run(
                    broker.bootstrapServers(), "describe", "--transactional-id", transactionalId);
            assertThat(described).contains(transactionalId).contains("Ongoing").contains(topic + "-0");
            p.commitTransaction();
        }
        await().atMost(20, TimeUnit.SECONDS)
                .untilAsserted(() -> assertThat(ApacheTransactionsTool.run(
                                broker.bootstrapServers(), "describe", "--transactional-id", transactionalId))
                        .contains("CompleteCommit"));
    }

    static KafkaProducer<String, String> transactionalProducer(RunningBroker broker, String transactionalId) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    static KafkaProducer<String, String> plainProducer(RunningBroker broker) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    static KafkaConsumer<String, String> apacheConsumer(RunningBroker broker, String isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        return new KafkaConsumer<>(
                props,
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.StringDeserializer());
    }

    /** Every partition's values in offset order, read from the beginning until {@code count} arrived. */
    static Map<Integer, List<String>> readWithApache(RunningBroker broker, String topic, String isolation, int count) {
        Map<Integer, List<String>> out = new LinkedHashMap<>();
        try (KafkaConsumer<String, String> c = apacheConsumer(broker, isolation)) {
            List<TopicPartition> tps = IntStream.range(0, c.partitionsFor(topic).size())
                    .mapToObj(p -> new TopicPartition(topic, p))
                    .toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            int[] seen = {0};
            await().atMost(30, TimeUnit.SECONDS).pollInSameThread().until(() -> {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    out.computeIfAbsent(r.partition(), k -> new ArrayList<>()).add(r.value());
                    seen[0]++;
                }
                return seen[0] >= count;
            });
            // Nothing more arrives once the expected records are in (an extra one would be a leak).
            assertThat(c.poll(Duration.ofMillis(300)).count()).isZero();
        }
        return out;
    }

    static Map<Integer, List<String>> readWithOurs(RunningBroker broker, String topic, String isolation, int count) {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("bootstrap.servers", broker.bootstrapServers());
        cfg.put("isolation.level", isolation);
        cfg.put("auto.offset.reset", "earliest");
        cfg.put("fetch.max.wait.ms", "100");
        Map<Integer, List<String>> out = new LinkedHashMap<>();
        try (TributaryConsumer<String, String> c =
                new TributaryConsumer<>(cfg, new StringDeserializer(), new StringDeserializer())) {
            List<io.tributary.client.common.TopicPartition> tps = IntStream.range(0, PARTITIONS)
                    .mapToObj(p -> new io.tributary.client.common.TopicPartition(topic, p))
                    .toList();
            c.assign(tps);
            int[] seen = {0};
            await().atMost(30, TimeUnit.SECONDS).pollInSameThread().until(() -> {
                ConsumerRecords<String, String> rs = c.poll(Duration.ofMillis(200));
                rs.forEach(r -> {
                    out.computeIfAbsent(r.partition(), k -> new ArrayList<>()).add(r.value());
                    seen[0]++;
                });
                return seen[0] >= count;
            });
            assertThat(c.poll(Duration.ofMillis(300)).count()).isZero();
        }
        return out;
    }

    static Map<Integer, List<String>> readWithLibrdkafka(
            RunningBroker broker, String topic, String isolation, int count) throws Exception {
        ExternalCommand.requireExecutable(PYTHON);
        Path script = Path.of("src", "test", "python", "txn_read_committed.py").toAbsolutePath();
        assertThat(Files.isRegularFile(script)).as("%s exists", script).isTrue();
        ExternalCommand.Result result = ExternalCommand.run(
                        List.of(
                                PYTHON,
                                script.toString(),
                                broker.bootstrapServers(),
                                topic,
                                Integer.toString(PARTITIONS),
                                isolation,
                                Integer.toString(count)),
                        new byte[0],
                        Duration.ofSeconds(90))
                .assertSuccess();
        List<String> lines = result.stdout().lines().toList();
        assertThat(lines).as("stderr:%n%s", result.stderr()).isNotEmpty().last().isEqualTo("END");
        Map<Integer, List<String>> out = new LinkedHashMap<>();
        for (String line : lines.subList(0, lines.size() - 1)) {
            String[] parts = line.split("\t", 2);
            out.computeIfAbsent(Integer.parseInt(parts[0]), k -> new ArrayList<>())
                    .add(parts[1]);
        }
        return out;
    }
}
