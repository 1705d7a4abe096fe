package io.tributary.interop.cli;

import static org.awaitility.Awaitility.await;

import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.interop.support.KafkaClients;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.tools.consumer.group.ConsumerGroupCommand;

/** Groups for the CLI group tests (issue 13), and Apache's group tool run in this JVM. */
final class GroupFixture {
    private GroupFixture() {}

    /** {@code count} records into {@code partition}, the i-th with timestamp {@code firstTs + i * 1000}. */
    static void produce(String b, String topic, int partition, int count, long firstTs) throws Exception {
        produce(b, topic, partition, count, firstTs, 1000);
    }

    /** {@code count} records into {@code partition}, the i-th with timestamp {@code firstTs + i * stepMs}. */
    static void produce(String b, String topic, int partition, int count, long firstTs, long stepMs) throws Exception {
        try (TributaryProducer<byte[], byte[]> p = KafkaClients.ourProducer(b, Map.of())) {
            for (int i = 0; i < count; i++) {
                p.send(new ProducerRecord<>(
                                topic,
                                partition,
                                firstTs + i * stepMs,
                                null,
                                ("v" + i).getBytes(StandardCharsets.UTF_8)))
                        .get();
            }
        }
    }

    /** A member of {@code group} subscribed to {@code topic} holding all its partitions, with these commits. */
    static KafkaConsumer<byte[], byte[]> member(
            String b, String topic, String group, int partitions, Map<Integer, Long> commits) {
        return member(b, topic, group, partitions, commits, Map.of());
    }

    /** As above, with extra consumer properties (e.g. {@code group.protocol=consumer} for a KIP-848 group). */
    static KafkaConsumer<byte[], byte[]> member(
            String b,
            String topic,
            String group,
            int partitions,
            Map<Integer, Long> commits,
            Map<String, String> overrides) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, b);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "cli-groups-member");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        props.putAll(overrides);
        KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        c.subscribe(List.of(topic));
        await("the member gets all partitions")
                .atMost(Duration.ofSeconds(60))
                .pollInSameThread()
                .pollInterval(Duration.ofMillis(1))
                .until(() -> {
                    c.poll(KafkaClients.pollTimeout());
                    return c.assignment().size() == partitions;
                });
        Map<TopicPartition, OffsetAndMetadata> m = new HashMap<>();
        commits.forEach((p, o) -> m.put(new TopicPartition(topic, p), new OffsetAndMetadata(o)));
        c.commitSync(m);
        return c;
    }

    /** kafka-consumer-groups.sh with these arguments, in this JVM: its stdout. */
    static synchronized String kafkaTool(String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        Exit.setExitProcedure((code, msg) -> {
            throw new IllegalStateException("kafka-consumer-groups exited " + code + ": " + msg);
        });
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            ConsumerGroupCommand.main(args);
        } finally {
            System.setOut(old);
            Exit.resetExitProcedure();
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** The describe table's rows of {@code topic}, by partition, as column name → cell. */
    static Map<Integer, Map<String, String>> kafkaDescribeRows(String out, String group, String topic) {
        List<String> lines = out.lines().toList();
        Map<Integer, Map<String, String>> rows = new HashMap<>();
        String[] header = null;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 0 && f[0].equals("GROUP")) {
                header = f;
            } else if (header != null && f.length == header.length && f[0].equals(group) && f[1].equals(topic)) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < f.length; i++) {
                    row.put(header[i], f[i]);
                }
                rows.put(Integer.parseInt(f[2]), row);
            }
        }
        return rows;
    }

    private static final Pattern FIELD = Pattern.compile("\"([a-z_-]+)\":(\"((?:[^\"\\\\]|\\\\.)*)\"|[^,}]*)");

    /** A flat JSON object's fields as text, JSON null as "-" (the cell Kafka's table prints). */
    static Map<String, String> flatJson(String line) {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher x = FIELD.matcher(line);
        while (x.find()) {
            String v = x.group(3) != null ? x.group(3) : x.group(2);
            m.put(x.group(1), v.equals("null") ? "-" : v);
        }
        return m;
    }
}
