package io.tributary.interop.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.client.admin.NewTopic;
import io.tributary.client.admin.TributaryAdmin;
import io.tributary.client.common.ConfigException;
import io.tributary.client.common.Header;
import io.tributary.client.common.InvalidRecordException;
import io.tributary.client.common.errors.RecordTooLargeException;
import io.tributary.client.common.errors.TimeoutException;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.RecordMetadata;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.client.serialization.ByteArraySerializer;
import io.tributary.client.serialization.StringSerializer;
import io.tributary.interop.support.ExternalCommand;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import io.tributary.protocol.Errors;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 12 acceptance, first slice: our producer against both brokers. Keyed records land on
 * the partitions Apache's producer picks and Apache's consumer reads them back byte-identical
 * and in order per partition, for every codec; bad input fails the way Kafka's producer does.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProducerInteropTest {
    private static final int PARTITIONS = 6;
    private static final int RECORDS_PER_CODEC = 20_000;

    static Stream<Arguments> targetsAndCodecs() {
        return Target.selected()
                .flatMap(t -> Stream.of("none", "gzip", "snappy", "lz4", "zstd").map(c -> Arguments.of(t, c)));
    }

    private static Map<String, Object> config(RunningBroker broker) {
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", broker.bootstrapServers());
        return c;
    }

    private record Sent(byte[] key, byte[] value, byte[] header) {}

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("targetsAndCodecs")
    void keyedRecordsLandWhereApachePutsThemAndReadBackIdentically(Target target, String codec) throws Exception {
        keyedRecords(target, codec, RECORDS_PER_CODEC);
    }

    /** The long run of the same property: 1M keyed records per codec ({@code -Dgroups=long}). */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("targetsAndCodecs")
    @Tag("long")
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void millionKeyedRecordsLandWhereApachePutsThemAndReadBackIdentically(Target target, String codec)
            throws Exception {
        keyedRecords(target, codec, 1_000_000);
    }

    private static void keyedRecords(Target target, String codec, int records) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("producer-keyed-" + codec);
        KafkaClients.createTopic(broker.bootstrapServers(), topic, PARTITIONS);
        Map<String, Object> cfg = config(broker);
        cfg.put("compression.type", codec);
        Random random = new Random(12);
        Map<Integer, List<Sent>> expected = new HashMap<>();
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        List<Sent> order = new ArrayList<>();
        try (TributaryProducer<byte[], byte[]> producer =
                new TributaryProducer<>(cfg, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                byte[] key = ("key-" + (i % 1009)).getBytes(StandardCharsets.UTF_8);
                byte[] value = new byte[20 + random.nextInt(200)];
                random.nextBytes(value);
                byte[] header = i % 3 == 0 ? Integer.toString(i).getBytes(StandardCharsets.UTF_8) : null;
                List<Header> headers = header == null ? List.of() : List.of(new Header("h", header));
                futures.add(producer.send(new ProducerRecord<>(topic, null, key, value, headers)));
                order.add(new Sent(key, value, header));
            }
            producer.flush();
        }
        for (int i = 0; i < futures.size(); i++) {
            RecordMetadata md = futures.get(i).get(0, TimeUnit.SECONDS);
            Sent s = order.get(i);
            assertThat(md.partition())
                    .as("partition of record %d", i)
                    .isEqualTo(KafkaClients.defaultPartition(s.key(), PARTITIONS));
            List<Sent> inPartition = expected.computeIfAbsent(md.partition(), p -> new ArrayList<>());
            // Offsets acknowledged to an idempotent producer on a fresh topic are 0, 1, 2, ... per partition.
            assertThat(md.offset())
                    .as("offset of record %d in partition %d", i, md.partition())
                    .isEqualTo(inPartition.size());
            inPartition.add(s);
        }
        assertSameAsApacheProducer(broker, topic, order.subList(0, 300));

        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> read = readAll(broker, topic, records + 300);
        for (Map.Entry<Integer, List<Sent>> e : expected.entrySet()) {
            List<ConsumerRecord<byte[], byte[]>> got = read.get(e.getKey());
            List<Sent> want = e.getValue();
            for (int i = 0; i < want.size(); i++) {
                ConsumerRecord<byte[], byte[]> r = got.get(i);
                Sent s = want.get(i);
                assertThat(r.key()).isEqualTo(s.key());
                assertThat(r.value())
                        .as("value at partition %d index %d", e.getKey(), i)
                        .isEqualTo(s.value());
                var h = r.headers().lastHeader("h");
                assertThat(h == null ? null : h.value()).isEqualTo(s.header());
            }
        }
    }

    /**
     * librdkafka reads what our producer wrote (issue 12 acceptance "read back ... by kcat"):
     * every record, at its acknowledged partition and offset, key and value identical. Values
     * are Base64 of random bytes so that kcat's text output carries them exactly.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("targetsAndCodecs")
    void kcatReadsWhatOurProducerWrote(Target target, String codec) throws Exception {
        String kcat = ExternalCommand.requireExecutable("/usr/bin/kcat");
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("producer-kcat-" + codec);
        KafkaClients.createTopic(broker.bootstrapServers(), topic, PARTITIONS);
        Map<String, Object> cfg = config(broker);
        cfg.put("compression.type", codec);
        Random random = new Random(7);
        Map<String, String> expected = new HashMap<>();
        try (TributaryProducer<String, String> producer =
                new TributaryProducer<>(cfg, new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> futures = new ArrayList<>();
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 3_000; i++) {
                byte[] raw = new byte[10 + random.nextInt(100)];
                random.nextBytes(raw);
                String key = "key-" + (i % 101);
                String value = Base64.getEncoder().encodeToString(raw);
                futures.add(producer.send(new ProducerRecord<>(topic, key, value)));
                sent.add(key + "|" + value);
            }
            producer.flush();
            for (int i = 0; i < futures.size(); i++) {
                RecordMetadata md = futures.get(i).get(0, TimeUnit.SECONDS);
                expected.put(md.partition() + "|" + md.offset(), sent.get(i));
            }
        }
        ExternalCommand.Result consumed = ExternalCommand.run(
                        List.of(
                                kcat,
                                "-C",
                                "-b",
                                broker.bootstrapServers(),
                                "-t",
                                topic,
                                "-o",
                                "beginning",
                                "-e",
                                "-q",
                                "-f",
                                "%p|%o|%k|%s\\n"),
                        new byte[0],
                        Duration.ofSeconds(90))
                .assertSuccess();
        Map<String, String> read = new HashMap<>();
        consumed.stdout().lines().filter(l -> !l.isEmpty()).forEach(line -> {
            String[] f = line.split("\\|", 3);
            assertThat(f).as("kcat line %s", line).hasSize(3);
            read.put(f[0] + "|" + f[1], f[2]);
        });
        assertThat(read).isEqualTo(expected);
    }

    /** Apache's producer sends the same keys; every record must land on the partition ours chose. */
    private static void assertSameAsApacheProducer(RunningBroker broker, String topic, List<Sent> sample)
            throws Exception {
        try (KafkaProducer<byte[], byte[]> apache = KafkaClients.producer(broker.bootstrapServers(), Map.of())) {
            for (Sent s : sample) {
                int partition = apache.send(
                                new org.apache.kafka.clients.producer.ProducerRecord<>(topic, s.key(), s.value()))
                        .get(30, TimeUnit.SECONDS)
                        .partition();
                assertThat(partition).isEqualTo(KafkaClients.defaultPartition(s.key(), PARTITIONS));
            }
        }
    }

    private static Map<Integer, List<ConsumerRecord<byte[], byte[]>>> readAll(
            RunningBroker broker, String topic, int total) {
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> out = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                KafkaClients.assignOnlyConsumer(broker.bootstrapServers(), Map.of("auto.offset.reset", "earliest"))) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                tps.add(new TopicPartition(topic, p));
            }
            consumer.assign(tps);
            int count = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60 + total / 10_000);
            while (count < total && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(KafkaClients.pollTimeout())) {
                    out.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r);
                    count++;
                }
            }
            Map<TopicPartition, Long> ends = consumer.endOffsets(tps);
            Map<Integer, Integer> perPartition = new HashMap<>();
            out.forEach((p, l) -> perPartition.put(p, l.size()));
            assertThat(count)
                    .as("records read back; per partition %s, end offsets %s", perPartition, ends)
                    .isEqualTo(total);
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void recordOverMaxRequestSizeFailsWithBothSizes(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("producer-too-large");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
        Map<String, Object> cfg = config(broker);
        cfg.put("max.request.size", 1000);
        try (TributaryProducer<String, String> producer =
                new TributaryProducer<>(cfg, new StringSerializer(), new StringSerializer())) {
            Exception[] fromCallback = new Exception[1];
            Future<RecordMetadata> f =
                    producer.send(new ProducerRecord<>(topic, "k", "x".repeat(2000)), (md, e) -> fromCallback[0] = e);
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(RecordTooLargeException.class)
                    .hasMessageContaining("bytes when serialized which is larger than 1000")
                    .hasMessageContaining("max.request.size");
            assertThat(fromCallback[0]).isInstanceOf(RecordTooLargeException.class);
            // Nothing already acknowledged is affected: a small record still goes through.
            assertThat(producer.send(new ProducerRecord<>(topic, "k", "small"))
                            .get(30, TimeUnit.SECONDS)
                            .offset())
                    .isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void recordWithoutKeyOnCompactedTopicFailsWithKafkasInvalidRecordException(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("producer-compacted");
        try (TributaryAdmin admin = TributaryAdmin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        try (TributaryProducer<String, String> producer =
                new TributaryProducer<>(config(broker), new StringSerializer(), new StringSerializer())) {
            Future<RecordMetadata> f = producer.send(new ProducerRecord<>(topic, null, "no key"));
            // The broker's INVALID_RECORD arrives as Kafka's type, so a ported catch clause still matches.
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(InvalidRecordException.class)
                    .hasMessageContaining("Produce to " + topic + "-0")
                    .hasMessageContaining("INVALID_RECORD")
                    .extracting(e -> ((InvalidRecordException) e).error())
                    .isEqualTo(Errors.INVALID_RECORD);
            // The partition still takes keyed records: nothing acknowledged is lost, offsets go on from 0.
            assertThat(producer.send(new ProducerRecord<>(topic, "k", "v"))
                            .get(30, TimeUnit.SECONDS)
                            .offset())
                    .isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void sendAfterCloseThrowsIllegalState(Target target) {
        RunningBroker broker = target.shared();
        TributaryProducer<String, String> producer =
                new TributaryProducer<>(config(broker), new StringSerializer(), new StringSerializer());
        long start = System.nanoTime();
        producer.close(Duration.ofSeconds(5));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThatThrownBy(() -> producer.send(new ProducerRecord<>("any", "v")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Cannot perform operation after producer has been closed");
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void unknownTopicWithoutAutoCreationTimesOutAfterMaxBlockMs(Target target) throws Exception {
        try (RunningBroker broker = target.startDedicated(Map.of("auto.create.topics.enable", "false"))) {
            Map<String, Object> cfg = config(broker);
            cfg.put("max.block.ms", 1500);
            try (TributaryProducer<String, String> producer =
                    new TributaryProducer<>(cfg, new StringSerializer(), new StringSerializer())) {
                long start = System.nanoTime();
                Future<RecordMetadata> f = producer.send(new ProducerRecord<>("no-such-topic", "v"));
                long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(tookMs).isBetween(1400L, 10_000L);
                assertThatThrownBy(() -> f.get(1, TimeUnit.SECONDS))
                        .cause()
                        .isInstanceOf(TimeoutException.class)
                        .hasMessage("Topic no-such-topic not present in metadata after 1500 ms.");
            }
        }
    }

    @org.junit.jupiter.api.Test
    void badConfigNamesTheKey() {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("bootstrap.servers", "localhost:9092");
        cfg.put("linger.ms", "soon");
        assertThatThrownBy(() -> new TributaryProducer<>(cfg, new StringSerializer(), new StringSerializer()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("linger.ms");
        cfg.put("linger.ms", "5");
        cfg.put("acks", "several");
        assertThatThrownBy(() -> new TributaryProducer<>(cfg, new StringSerializer(), new StringSerializer()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("acks");
        cfg.put("acks", "1");
        cfg.put("enable.idempotence", "true");
        assertThatThrownBy(() -> new TributaryProducer<>(cfg, new StringSerializer(), new StringSerializer()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("acks")
                .hasMessageContaining("idempotent");
    }
}
