package io.tributary.interop;

import static org.assertj.core.api.Assertions.assertThat;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 2 acceptance (B1) with the Apache Java clients: AdminClient creates a 3-partition topic,
 * a default (idempotent, acks=all) KafkaProducer sends 100k keyed records with each codec, and an
 * assign + seekToBeginning KafkaConsumer reads every one back byte-identical, in send order per
 * partition, on the partition Kafka's default partitioner chose.
 */
class ApacheClientRoundTripTest {
    private static final int RECORDS = 100_000;
    private static final int PARTITIONS = 3;
    private static final int VALUE_BYTES = 100;
    /** Fewer distinct keys than records, so each key's records must stay together and ordered. */
    private static final int DISTINCT_KEYS = 5_000;

    static Stream<Arguments> targetsAndCodecs() {
        List<Arguments> arguments = new ArrayList<>();
        for (Target target : Target.values()) {
            for (String codec : List.of("none", "gzip", "snappy", "lz4", "zstd")) {
                arguments.add(Arguments.of(target, codec));
            }
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0} compression={1}")
    @MethodSource("targetsAndCodecs")
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void producesAndConsumesHundredThousandKeyedRecords(Target target, String codec) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("roundtrip-" + codec);
        KafkaClients.createTopic(broker.bootstrapServers(), topic, PARTITIONS);

        // Expected content per partition, in send order: the index of each record.
        List<List<Integer>> expected = new ArrayList<>();
        IntStream.range(0, PARTITIONS).forEach(p -> expected.add(new ArrayList<>()));
        for (int i = 0; i < RECORDS; i++) {
            expected.get(KafkaClients.defaultPartition(key(i), PARTITIONS)).add(i);
        }

        ConcurrentLinkedQueue<String> sendProblems = new ConcurrentLinkedQueue<>();
        Map<String, Object> producerConfig = Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec);
        try (KafkaProducer<byte[], byte[]> producer =
                KafkaClients.producer(broker.bootstrapServers(), producerConfig)) {
            for (int i = 0; i < RECORDS; i++) {
                int index = i;
                int expectedPartition = KafkaClients.defaultPartition(key(i), PARTITIONS);
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, key(i), value(i));
                record.headers().add("index", Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
                producer.send(record, (metadata, exception) -> {
                    if (exception != null) {
                        sendProblems.add("record " + index + ": " + exception);
                    } else if (metadata.partition() != expectedPartition) {
                        sendProblems.add("record " + index + " went to partition " + metadata.partition()
                                + ", default partitioner says " + expectedPartition);
                    }
                });
            }
            producer.flush();
        }
        assertThat(sendProblems).as("send callbacks").isEmpty();

        List<TopicPartition> partitions = IntStream.range(0, PARTITIONS)
                .mapToObj(p -> new TopicPartition(topic, p))
                .toList();
        int[] nextPosition = new int[PARTITIONS];
        int[] consumed = {0};
        try (KafkaConsumer<byte[], byte[]> consumer =
                KafkaClients.assignOnlyConsumer(broker.bootstrapServers(), Map.of())) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await("all " + RECORDS + " records consumed")
                    .atMost(Duration.ofSeconds(120))
                    .pollInSameThread()
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> {
                        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(KafkaClients.pollTimeout())) {
                            int p = record.partition();
                            List<Integer> want = expected.get(p);
                            assertThat(nextPosition[p])
                                    .as("more records than sent on partition %d", p)
                                    .isLessThan(want.size());
                            int index = want.get(nextPosition[p]);
                            assertRecord(record, index);
                            nextPosition[p]++;
                            consumed[0]++;
                        }
                        return consumed[0] >= RECORDS;
                    });

            Map<TopicPartition, Long> endOffsets = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> expectedEnds = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                expectedEnds.put(partitions.get(p), (long) expected.get(p).size());
            }
            assertThat(endOffsets).as("log end offsets").isEqualTo(expectedEnds);
            assertThat(consumer.poll(Duration.ofMillis(100)))
                    .as("nothing beyond what was sent")
                    .isEmpty();
        }
        for (int p = 0; p < PARTITIONS; p++) {
            assertThat(nextPosition[p])
                    .as("records read from partition %d", p)
                    .isEqualTo(expected.get(p).size());
        }
    }

    private static void assertRecord(ConsumerRecord<byte[], byte[]> record, int index) {
        assertThat(record.key())
                .as("key at %s-%d@%d", record.topic(), record.partition(), record.offset())
                .isEqualTo(key(index));
        assertThat(record.value()).as("value of record %d", index).isEqualTo(value(index));
        Header header = record.headers().lastHeader("index");
        assertThat(header).as("index header of record %d", index).isNotNull();
        assertThat(new String(header.value(), StandardCharsets.US_ASCII)).isEqualTo(Integer.toString(index));
    }

    static byte[] key(int index) {
        return ("key-" + (index % DISTINCT_KEYS)).getBytes(StandardCharsets.US_ASCII);
    }

    /** Half text (compressible), half pseudo-random bytes (not), so every codec does real work. */
    static byte[] value(int index) {
        byte[] value = new byte[VALUE_BYTES];
        byte[] text = ("value " + index + " of the interop round trip ").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < VALUE_BYTES / 2; i++) {
            value[i] = text[i % text.length];
        }
        long state = index * 0x9E3779B97F4A7C15L + 1;
        for (int i = VALUE_BYTES / 2; i < VALUE_BYTES; i++) {
            state ^= state << 13;
            state ^= state >>> 7;
            state ^= state << 17;
            value[i] = (byte) state;
        }
        return value;
    }
}
