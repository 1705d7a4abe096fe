package io.tributary.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.interop.support.ExternalCommand;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 2 acceptance (B1) with librdkafka 2.0.2, the C client behind most non-Java clients:
 * {@code kcat -P} then {@code kcat -C -e}, and python3-confluent-kafka's Producer plus an
 * assign()ing Consumer, each with every codec, against both brokers. What kcat wrote must also
 * read back identically through the Java consumer.
 */
class LibrdkafkaTest {
    private static final String KCAT = "/usr/bin/kcat";
    /** Debian's confluent_kafka lives in the system interpreter, not in a pyenv one on PATH. */
    private static final String PYTHON = "/usr/bin/python3";

    private static final int PARTITIONS = 3;
    private static final int KCAT_RECORDS = 2_000;
    private static final int PYTHON_RECORDS = 5_000;
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);

    static Stream<Arguments> targetsAndCodecs() {
        List<Arguments> arguments = new ArrayList<>();
        for (Target target : Target.values()) {
            for (String codec : List.of("none", "gzip", "snappy", "lz4", "zstd")) {
                arguments.add(Arguments.of(target, codec));
            }
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0} kcat -z {1}")
    @MethodSource("targetsAndCodecs")
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void kcatProducesThenConsumesToTheEnd(Target target, String codec) throws Exception {
        ExternalCommand.requireExecutable(KCAT);
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("kcat-" + codec);
        KafkaClients.createTopic(broker.bootstrapServers(), topic, PARTITIONS);

        StringBuilder input = new StringBuilder();
        for (int i = 0; i < KCAT_RECORDS; i++) {
            input.append("key-")
                    .append(i % 100)
                    .append(':')
                    .append(kcatValue(i))
                    .append('\n');
        }
        ExternalCommand.run(
                        List.of(
                                KCAT,
                                "-P",
                                "-b",
                                broker.bootstrapServers(),
                                "-t",
                                topic,
                                "-K:",
                                "-z",
                                codec,
                                // Without idempotence librdkafka may reorder batches it retries (seen on
                                // Apache right after topic creation), and per-key order is checked below.
                                "-X",
                                "acks=all",
                                "-X",
                                "enable.idempotence=true"),
                        input.toString().getBytes(StandardCharsets.UTF_8),
                        COMMAND_TIMEOUT)
                .assertSuccess();

        ExternalCommand.Result consumed = ExternalCommand.run(
                        List.of(
                                KCAT,
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
                        COMMAND_TIMEOUT)
                .assertSuccess();

        // Per key: values in production order (one producer, one partition per key).
        Map<String, List<Integer>> byKey = new HashMap<>();
        Map<String, Integer> partitionOfKey = new HashMap<>();
        Map<Integer, Long> lastOffset = new HashMap<>();
        List<String> lines = consumed.stdout().lines().filter(l -> !l.isEmpty()).toList();
        for (String line : lines) {
            String[] fields = line.split("\\|", 4);
            assertThat(fields).as("kcat output line %s", line).hasSize(4);
            int partition = Integer.parseInt(fields[0]);
            long offset = Long.parseLong(fields[1]);
            assertThat(offset)
                    .as("offsets increase within partition %d", partition)
                    .isGreaterThan(lastOffset.getOrDefault(partition, -1L));
            lastOffset.put(partition, offset);
            Integer previous = partitionOfKey.putIfAbsent(fields[2], partition);
            assertThat(previous == null || previous == partition)
                    .as("key %s stays on one partition", fields[2])
                    .isTrue();
            String value = fields[3];
            assertThat(value).startsWith("value-");
            int index = Integer.parseInt(value.substring("value-".length(), value.indexOf('-', "value-".length())));
            assertThat(value).isEqualTo(kcatValue(index));
            byKey.computeIfAbsent(fields[2], k -> new ArrayList<>()).add(index);
        }
        assertThat(lines).as("records kcat -C read back").hasSize(KCAT_RECORDS);
        for (int k = 0; k < 100; k++) {
            List<Integer> expected = new ArrayList<>();
            for (int i = k; i < KCAT_RECORDS; i += 100) {
                expected.add(i);
            }
            assertThat(byKey.get("key-" + k)).as("values of key-%d in order", k).isEqualTo(expected);
        }
        assertJavaConsumerReadsTheSame(broker, topic, lines);
    }

    /**
     * librdkafka-written batches (unframed snappy, its own lz4 framing) must also be readable by
     * the Java consumer: same records at the same partition and offset as kcat saw.
     */
    private static void assertJavaConsumerReadsTheSame(RunningBroker broker, String topic, List<String> kcatLines) {
        List<String> javaLines = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                KafkaClients.assignOnlyConsumer(broker.bootstrapServers(), Map.of())) {
            List<TopicPartition> partitions = IntStream.range(0, PARTITIONS)
                    .mapToObj(p -> new TopicPartition(topic, p))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await("Java consumer reads what kcat wrote")
                    .atMost(Duration.ofSeconds(60))
                    .pollInSameThread()
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> {
                        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(KafkaClients.pollTimeout())) {
                            javaLines.add(
                                    r.partition() + "|" + r.offset() + "|" + new String(r.key(), StandardCharsets.UTF_8)
                                            + "|" + new String(r.value(), StandardCharsets.UTF_8));
                        }
                        return javaLines.size() >= kcatLines.size();
                    });
        }
        assertThat(javaLines).containsExactlyInAnyOrderElementsOf(kcatLines);
    }

    @ParameterizedTest(name = "{0} confluent_kafka compression={1}")
    @MethodSource("targetsAndCodecs")
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void confluentKafkaPythonRoundTrip(Target target, String codec) throws Exception {
        ExternalCommand.requireExecutable(PYTHON);
        Path script = Path.of("src", "test", "python", "confluent_roundtrip.py").toAbsolutePath();
        assertThat(Files.isRegularFile(script)).as("%s exists", script).isTrue();
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("python-" + codec);
        KafkaClients.createTopic(broker.bootstrapServers(), topic, PARTITIONS);

        ExternalCommand.Result result = ExternalCommand.run(
                        List.of(
                                PYTHON,
                                script.toString(),
                                broker.bootstrapServers(),
                                topic,
                                Integer.toString(PARTITIONS),
                                Integer.toString(PYTHON_RECORDS),
                                codec),
                        new byte[0],
                        COMMAND_TIMEOUT)
                .assertSuccess();
        assertThat(result.stdout())
                .as("script summary; stderr:%n%s", result.stderr())
                .contains("OK produced=" + PYTHON_RECORDS + " consumed=" + PYTHON_RECORDS);
    }

    /** Printable, with a varying length so batches are not uniform; no ':' or '|' or newline. */
    private static String kcatValue(int index) {
        return "value-" + index + "-" + "abcdefghij".repeat(1 + index % 7);
    }
}
