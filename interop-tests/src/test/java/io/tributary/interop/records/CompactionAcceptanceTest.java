package io.tributary.interop.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.client.serialization.StringDeserializer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import io.tributary.interop.support.TributaryProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 10 acceptance (log compaction): a {@code cleanup.policy=compact} topic written (by our producer, issue 12
 * item 5) with 100k updates over 1k keys, then tombstones for every tenth key, ends after cleaning with exactly
 * the latest value of each live key, at the offset it was written at, and no deleted key and no tombstone, read by
 * Apache's consumer and ours.
 *
 * <p>Both brokers start with the cleaner's I/O throttled ({@code log.cleaner.io.max.bytes.per.second}, 256 KiB/s) so
 * that it lags the writes and a cleaning lasts seconds. Ours runs as a child process and is SIGKILLed while a cleaned
 * segment is being written (a {@code .cleaned} file exists), then started again; the in-process Apache Kafka gets a
 * clean restart at the same point instead. Right after, every key's latest value must be readable; then the throttle
 * is lifted as a dynamic cluster-wide broker config and cleaning must complete.
 *
 * <p>Kafka removes a tombstone only in a cleaning after the one that first had it in the cleaned range (KIP-534's
 * delete horizon; ours: the legacy horizon, the last clean segment's modification time minus delete.retention.ms),
 * and a later cleaning needs new dirty segments: neither broker cleans an idle log again. So while waiting, the test
 * keeps a changelog live by updating one more key ({@value #FILLER}) about twice a second; with segment.ms=500 each
 * update rolls a segment, which makes the previous one cleanable.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CompactionAcceptanceTest {
    private static final int KEYS = 1_000;
    private static final int UPDATES = 100_000;
    private static final String FILLER = "zz-filler";
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /** Slower than the writes need (each dirty byte is read twice), so cleaning is still under way when they end. */
    private static final String THROTTLE = String.valueOf(256 * 1024);
    /**
     * Kafka's smallest segment (1 MiB): the ~3 MiB of updates roll segments by size, so there is something to clean
     * however fast they were written (segment.ms alone rolls only on an append after 500 ms: a producer that wrote
     * everything sooner left one active segment, which no cleaner touches, and no .cleaned file ever appeared).
     */
    private static final String SEGMENT_BYTES = String.valueOf(1024 * 1024);

    @TempDir
    Path dir;

    private record Rec(long offset, String key, String value) {}

    private static RunningBroker start(Target target, Path dataDir) throws Exception {
        Map<String, String> settings =
                Map.of("log.cleaner.backoff.ms", "100", "log.cleaner.io.max.bytes.per.second", THROTTLE);
        if (target == Target.TRIBUTARY) {
            return TributaryProcess.start(dataDir, settings);
        }
        return target.startDedicated(settings);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tributary.interop.support.Target#selected")
    void compactedTopicEndsWithTheLatestValueOfEachLiveKey(Target target) throws Exception {
        Path dataDir = dir.resolve("data");
        try (RunningBroker broker = start(target, dataDir)) {
            String topic = KafkaClients.uniqueTopic("changelog");
            createCompactedTopic(broker.bootstrapServers(), topic);
            List<Rec> expected = write(broker.bootstrapServers(), topic);

            if (broker instanceof TributaryProcess process) {
                await(target + ": the cleaner writes a cleaned segment")
                        .atMost(DEADLINE)
                        .pollInterval(Duration.ofMillis(5))
                        .until(() -> cleanedFileIn(dataDir));
                process.kill();
                process.startAgain();
            } else {
                broker.restart();
            }

            String bootstrap = broker.bootstrapServers();
            assertLatestValuesSurvived(target, bootstrap, topic, expected);
            setClusterWide(bootstrap, "log.cleaner.io.max.bytes.per.second", "1000000000000");
            AtomicReference<Rec> lastFiller = new AtomicReference<>();
            try (TributaryProducer<byte[], byte[]> producer = KafkaClients.ourProducer(bootstrap, Map.of())) {
                await(target + ": the log holds exactly the latest value of each live key")
                        .atMost(DEADLINE)
                        .pollInterval(Duration.ofMillis(500))
                        .ignoreExceptions()
                        .until(() -> {
                            String value = "f" + System.nanoTime();
                            long offset = producer.send(record(topic, FILLER, value))
                                    .get(10, TimeUnit.SECONDS)
                                    .offset();
                            lastFiller.set(new Rec(offset, FILLER, value));
                            return withoutFiller(readWithApache(bootstrap, topic))
                                    .equals(expected);
                        });
            }
            List<Rec> read = readWithOurs(bootstrap, topic);
            assertThat(withoutFiller(read)).isEqualTo(expected);
            assertThat(read.get(read.size() - 1)).isEqualTo(lastFiller.get());
        }
    }

    /**
     * Right after the kill or restart, whatever cleaning has done so far: offsets strictly increase (no old segment
     * overlaps a new one) and the last record of each key is its latest acknowledged value, or a tombstone.
     */
    private static void assertLatestValuesSurvived(Target target, String bootstrap, String topic, List<Rec> expected) {
        List<Rec> read = await(target + ": the restarted broker serves the log")
                .atMost(DEADLINE)
                .ignoreExceptions()
                .until(() -> readWithApache(bootstrap, topic), r -> !r.isEmpty());
        Map<String, Rec> last = new HashMap<>();
        long previous = -1;
        for (Rec r : read) {
            assertThat(r.offset()).as("offsets after the restart").isGreaterThan(previous);
            previous = r.offset();
            last.put(r.key(), r);
        }
        for (Rec e : expected) {
            assertThat(last.get(e.key())).as("latest value of " + e.key()).isEqualTo(e);
        }
        for (int k = 0; k < KEYS; k += 10) {
            Rec r = last.get(key(k));
            assertThat(r == null || r.value() == null)
                    .as("deleted " + key(k) + " is a tombstone or gone: " + r)
                    .isTrue();
        }
        assertThat(last).hasSizeLessThanOrEqualTo(KEYS);
    }

    private static void setClusterWide(String bootstrap, String key, String value) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            ConfigResource allBrokers = new ConfigResource(ConfigResource.Type.BROKER, "");
            AlterConfigOp op = new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET);
            admin.incrementalAlterConfigs(Map.of(allBrokers, List.of(op))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static void createCompactedTopic(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                            .configs(Map.of(
                                    "cleanup.policy", "compact",
                                    "segment.ms", "500",
                                    "segment.bytes", SEGMENT_BYTES,
                                    "min.cleanable.dirty.ratio", "0.001",
                                    "delete.retention.ms", "0"))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /** The updates, then the tombstones; returns the latest acknowledged write of each live key, by offset. */
    private static List<Rec> write(String bootstrap, String topic) throws Exception {
        Map<String, Rec> latest = new ConcurrentHashMap<>();
        Map<String, Object> overrides = new HashMap<>();
        overrides.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (TributaryProducer<byte[], byte[]> producer = KafkaClients.ourProducer(bootstrap, overrides)) {
            for (int i = 0; i < UPDATES; i++) {
                String key = key(i % KEYS);
                String value = "v" + i + "-" + key;
                producer.send(record(topic, key, value), (md, e) -> {
                    if (e == null) {
                        latest.merge(key, new Rec(md.offset(), key, value), (a, b) -> a.offset > b.offset ? a : b);
                    }
                });
            }
            producer.flush();
            assertThat(latest).hasSize(KEYS);
            List<Long> tombstoneOffsets = new ArrayList<>();
            for (int k = 0; k < KEYS; k += 10) {
                producer.send(record(topic, key(k), null), (md, e) -> {
                    if (e == null) {
                        synchronized (tombstoneOffsets) {
                            tombstoneOffsets.add(md.offset());
                        }
                    }
                });
                latest.remove(key(k));
            }
            producer.flush();
            assertThat(tombstoneOffsets).hasSize(KEYS / 10);
        }
        return latest.values().stream()
                .sorted(Comparator.comparingLong(Rec::offset))
                .toList();
    }

    private static boolean cleanedFileIn(Path dataDir) throws IOException {
        try (Stream<Path> files = Files.walk(dataDir)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".cleaned"));
        }
    }

    private static List<Rec> withoutFiller(List<Rec> records) {
        return records.stream().filter(r -> !r.key().equals(FILLER)).toList();
    }

    /** Every record from the log start to the end offset, in log order, as Apache's consumer reads them. */
    private static List<Rec> readWithApache(String bootstrap, String topic) {
        TopicPartition tp = new TopicPartition(topic, 0);
        List<Rec> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = KafkaClients.assignOnlyConsumer(bootstrap, Map.of())) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (c.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(KafkaClients.pollTimeout())) {
                    out.add(new Rec(
                            r.offset(),
                            new String(r.key(), StandardCharsets.UTF_8),
                            r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8)));
                }
            }
        }
        return out;
    }

    /** The same read with our consumer (io.tributary.client). */
    private static List<Rec> readWithOurs(String bootstrap, String topic) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrap);
        config.put("key.deserializer", StringDeserializer.class.getName());
        config.put("value.deserializer", StringDeserializer.class.getName());
        io.tributary.client.common.TopicPartition tp = new io.tributary.client.common.TopicPartition(topic, 0);
        List<Rec> out = new ArrayList<>();
        try (TributaryConsumer<String, String> c = new TributaryConsumer<>(config)) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (c.position(tp) < end && System.nanoTime() < deadline) {
                for (io.tributary.client.consumer.ConsumerRecord<String, String> r :
                        c.poll(KafkaClients.pollTimeout())) {
                    out.add(new Rec(r.offset(), r.key(), r.value()));
                }
            }
        }
        return out;
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String key, String value) {
        return new ProducerRecord<>(
                topic,
                0,
                key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static String key(int k) {
        return String.format("key-%04d", k);
    }
}
