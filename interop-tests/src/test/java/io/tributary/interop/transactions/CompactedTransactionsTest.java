package io.tributary.interop.transactions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.client.producer.ProducerConfig;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.client.serialization.StringDeserializer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 11 item 3 acceptance (the cleaner and transactions), against our broker AND the in-process
 * Apache Kafka with the same assertions: our transactional producer writes committed and
 * aborted transactions over a few repeated keys into a compacted topic, the last of them aborted
 * over every key (so before cleaning a read_uncommitted reader's latest values are aborted ones).
 * Once the cleaner has run, a read_uncommitted reader sees exactly one record per key, the latest
 * committed value, and no aborted value at all, as Apache's cleaner leaves it; read_committed
 * readers (Apache's consumer and ours) build the same key-to-value map. Both brokers are held to
 * the same expected map, so they agree with each other.
 *
 * <p>A cleaner never touches the active segment, so while waiting the test keeps the log moving
 * with a non-transactional filler key ({@value #FILLER}); with segment.ms=100 each filler write
 * rolls a segment and makes the previous one cleanable.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CompactedTransactionsTest {
    private static final int KEYS = 10;
    private static final int TRANSACTIONS = 30;
    private static final String FILLER = "zz-filler";
    /** Apache's cleaner thread and each probe's fresh consumer are slow on a loaded 2-core box (45 s ran out once). */
    private static final Duration DEADLINE = Duration.ofSeconds(100);

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tributary.interop.support.Target#selected")
    void cleaningLeavesTheLatestCommittedValuePerKeyAndNoAbortedData(Target target) throws Exception {
        try (RunningBroker broker = target.startDedicated(Map.of("log.cleaner.backoff.ms", "100"))) {
            String bootstrap = broker.bootstrapServers();
            String topic = KafkaClients.uniqueTopic("compacted-txn");
            createCompactedTopic(bootstrap, topic);
            Map<String, String> expected = writeTransactions(bootstrap, topic);

            try (TributaryProducer<byte[], byte[]> filler = KafkaClients.ourProducer(bootstrap, Map.of())) {
                await(target + ": the cleaner leaves one committed record per key")
                        .atMost(DEADLINE)
                        .pollInterval(Duration.ofMillis(200))
                        .ignoreExceptions()
                        .until(() -> {
                            filler.send(record(topic, FILLER, "f" + System.nanoTime()))
                                    .get(10, TimeUnit.SECONDS);
                            List<String[]> all = withoutFiller(readWithApache(bootstrap, topic, "read_uncommitted"));
                            return all.size() == KEYS && latest(all).equals(expected);
                        });
            }
            List<String[]> uncommitted = withoutFiller(readWithApache(bootstrap, topic, "read_uncommitted"));
            assertThat(uncommitted).extracting(kv -> kv[1]).noneMatch(v -> v.startsWith("abort-"));
            assertThat(latest(uncommitted)).isEqualTo(expected);
            assertThat(latest(withoutFiller(readWithApache(bootstrap, topic, "read_committed"))))
                    .isEqualTo(expected);
            assertThat(latest(withoutFiller(readWithOurs(bootstrap, topic, "read_committed"))))
                    .isEqualTo(expected);
            assertThat(latest(withoutFiller(readWithOurs(bootstrap, topic, "read_uncommitted"))))
                    .isEqualTo(expected);
        }
    }

    private static void createCompactedTopic(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                            .configs(Map.of(
                                    "cleanup.policy", "compact",
                                    "segment.ms", "100",
                                    "min.cleanable.dirty.ratio", "0.001",
                                    "delete.retention.ms", "100"))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Transactions over every key: every third aborted, and the last one aborted too. Returns the
     * latest committed value of each key.
     */
    private static Map<String, String> writeTransactions(String bootstrap, String topic) {
        Map<String, String> committed = new TreeMap<>();
        try (TributaryProducer<byte[], byte[]> producer = KafkaClients.ourProducer(
                bootstrap,
                Map.of(
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        KafkaClients.uniqueTopic("compacted-txn-id"),
                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                        30_000))) {
            producer.initTransactions();
            for (int t = 0; t < TRANSACTIONS; t++) {
                boolean abort = t % 3 == 1 || t == TRANSACTIONS - 1;
                String outcome = abort ? "abort" : "commit";
                Map<String, String> written = new HashMap<>();
                producer.beginTransaction();
                // Not every key in every transaction, so latest values come from different ones.
                for (int k = 0; k < KEYS; k++) {
                    if (t == TRANSACTIONS - 1 || (t + k) % 2 == 0) {
                        String value = outcome + "-" + t + "-" + key(k);
                        producer.send(record(topic, key(k), value));
                        written.put(key(k), value);
                    }
                }
                // Flushed first, or the producer would drop the unsent records of an abort itself.
                producer.flush();
                if (abort) {
                    producer.abortTransaction();
                } else {
                    producer.commitTransaction();
                    committed.putAll(written);
                }
            }
        }
        assertThat(committed).hasSize(KEYS);
        return committed;
    }

    private static Map<String, String> latest(List<String[]> records) {
        Map<String, String> m = new TreeMap<>();
        for (String[] kv : records) {
            m.put(kv[0], kv[1]);
        }
        return m;
    }

    private static List<String[]> withoutFiller(List<String[]> records) {
        return records.stream().filter(kv -> !kv[0].equals(FILLER)).toList();
    }

    /** Every record from the log start up to the end (the LSO for read_committed), in log order. */
    private static List<String[]> readWithApache(String bootstrap, String topic, String isolation) {
        TopicPartition tp = new TopicPartition(topic, 0);
        List<String[]> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                KafkaClients.assignOnlyConsumer(bootstrap, Map.of("isolation.level", isolation))) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (c.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(KafkaClients.pollTimeout())) {
                    out.add(new String[] {
                        new String(r.key(), StandardCharsets.UTF_8), new String(r.value(), StandardCharsets.UTF_8)
                    });
                }
            }
            assertThat(c.position(tp)).as("read to the end").isGreaterThanOrEqualTo(end);
        }
        return out;
    }

    /** The same read with our consumer (io.tributary.client). */
    private static List<String[]> readWithOurs(String bootstrap, String topic, String isolation) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("bootstrap.servers", bootstrap);
        config.put("isolation.level", isolation);
        config.put("key.deserializer", StringDeserializer.class.getName());
        config.put("value.deserializer", StringDeserializer.class.getName());
        io.tributary.client.common.TopicPartition tp = new io.tributary.client.common.TopicPartition(topic, 0);
        List<String[]> out = new ArrayList<>();
        try (TributaryConsumer<String, String> c = new TributaryConsumer<>(config)) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (c.position(tp) < end && System.nanoTime() < deadline) {
                for (io.tributary.client.consumer.ConsumerRecord<String, String> r :
                        c.poll(KafkaClients.pollTimeout())) {
                    out.add(new String[] {r.key(), r.value()});
                }
            }
            assertThat(c.position(tp)).as("read to the end").isGreaterThanOrEqualTo(end);
        }
        return out;
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String key, String value) {
        return new ProducerRecord<>(
                topic, 0, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    private static String key(int k) {
        return String.format("key-%02d", k);
    }
}
