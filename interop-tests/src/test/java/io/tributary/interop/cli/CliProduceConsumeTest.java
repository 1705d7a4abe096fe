package io.tributary.interop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.Target;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 13 item 1: {@code tributary produce}, {@code consume} and {@code perf} end to end against
 * our broker and Apache Kafka, with the spellings the issue fixes for scripts.
 */
class CliProduceConsumeTest {
    static Stream<Target> targets() {
        return Target.selected();
    }

    @ParameterizedTest
    @MethodSource("targets")
    void produceWithKeysAndHeadersThenConsumeAsJsonToTheEnd(Target target) throws Exception {
        String b = target.shared().bootstrapServers();
        String topic = KafkaClients.uniqueTopic("cli-json");
        KafkaClients.createTopic(b, topic, 1);

        Cli p = Cli.withInput("k1:v1\nk2:v:2\n", "produce", topic, "-b", b, "-k", ":", "-H", "src=cli");
        assertThat(p.exit()).as(p.err()).isZero();

        Cli c = Cli.run("consume", topic, "-b", b, "--from-beginning", "-e", "--format", "json");
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out().lines().toList())
                .containsExactly(
                        "{\"topic\":\"" + topic + "\",\"partition\":0,\"offset\":0,\"timestamp\":"
                                + timestamp(c.out(), 0)
                                + ",\"key\":\"k1\",\"value\":\"v1\",\"headers\":{\"src\":\"cli\"}}",
                        "{\"topic\":\"" + topic + "\",\"partition\":0,\"offset\":1,\"timestamp\":"
                                + timestamp(c.out(), 1)
                                + ",\"key\":\"k2\",\"value\":\"v:2\",\"headers\":{\"src\":\"cli\"}}");

        Cli t = Cli.run("consume", topic, "-b", b, "--offset", "-1", "-e", "-f", "%k=%s@%o\\n");
        assertThat(t.out()).isEqualTo("k2=v:2@1\n");
    }

    @ParameterizedTest
    @MethodSource("targets")
    void aGroupCommitsWhatItPrintedAndTheNextRunContinues(Target target) throws Exception {
        String b = target.shared().bootstrapServers();
        String topic = KafkaClients.uniqueTopic("cli-group");
        String group = KafkaClients.uniqueTopic("cli-g");
        KafkaClients.createTopic(b, topic, 2);
        Cli p = Cli.withInput("a\nb\nc\nd\ne\n", "produce", topic, "-b", b, "-p", "1", "-z", "lz4", "--rate", "1000");
        assertThat(p.exit()).as(p.err()).isZero();

        Cli first = Cli.run("consume", topic, "-b", b, "-g", group, "--from-beginning", "-n", "2");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).isEqualTo("a\nb\n");
        Cli rest = Cli.run("consume", topic, "-b", b, "-g", group, "-e", "--format", "table");
        assertThat(rest.exit()).as(rest.err()).isZero();
        List<String> rows = rest.out().lines().toList();
        assertThat(rows.get(0)).startsWith("TOPIC").contains("PARTITION", "OFFSET", "KEY", "VALUE");
        assertThat(rows.subList(1, rows.size()))
                .extracting(r -> r.substring(r.lastIndexOf(' ') + 1))
                .containsExactly("c", "d", "e");
    }

    @ParameterizedTest
    @MethodSource("targets")
    void consumeFromATimestampStartsAtTheFirstRecordAtOrAfterIt(Target target) throws Exception {
        String b = target.shared().bootstrapServers();
        String topic = KafkaClients.uniqueTopic("cli-time");
        KafkaClients.createTopic(b, topic, 1);
        // Recent, so no retention check on a long-lived shared broker deletes the records mid-test.
        long t = System.currentTimeMillis() - 600_000L;
        try (TributaryProducer<byte[], byte[]> p = KafkaClients.ourProducer(b, Map.of())) {
            for (int i = 0; i < 4; i++) {
                p.send(new ProducerRecord<>(
                                topic, 0, t + i * 60_000L, null, ("m" + i).getBytes(StandardCharsets.UTF_8)))
                        .get();
            }
        }
        // t + 60 s is record m1's timestamp exactly; ISO-8601 for t + 90 s lands between m1 and m2.
        Cli exact = Cli.run("consume", topic, "-b", b, "--from-timestamp", Long.toString(t + 60_000L), "-e");
        assertThat(exact.out()).as(exact.err()).isEqualTo("m1\nm2\nm3\n");
        String iso = Instant.ofEpochMilli(t + 90_000L).toString();
        Cli between = Cli.run("consume", topic, "-b", b, "--from-timestamp", iso, "-e", "-f", "%T %s\n");
        assertThat(between.out()).isEqualTo((t + 120_000L) + " m2\n" + (t + 180_000L) + " m3\n");
    }

    @ParameterizedTest
    @MethodSource("targets")
    void perfProduceAndConsumePrintRatesAndPercentiles(Target target) throws Exception {
        String b = target.shared().bootstrapServers();
        String topic = KafkaClients.uniqueTopic("cli-perf");
        KafkaClients.createTopic(b, topic, 2);
        Cli p = Cli.run("perf", "produce", topic, "-b", b, "--records", "2000", "--record-size", "50");
        assertThat(p.exit()).as(p.err()).isZero();
        assertThat(p.out()).contains("produce: 2,000 records in", "records/s", "MB/s", "p50", "p99");
        Cli c = Cli.run("perf", "consume", topic, "-b", b, "--records", "2000");
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out()).contains("consume: 2,000 records in", "records/s", "p95");
    }

    /** The broker sets LogAppendTime or keeps CreateTime; either way it is what the record carries. */
    private static String timestamp(String jsonLines, int line) {
        String l = jsonLines.lines().toList().get(line);
        int at = l.indexOf("\"timestamp\":") + "\"timestamp\":".length();
        String ts = l.substring(at, l.indexOf(',', at));
        assertThat(Long.parseLong(ts)).isPositive();
        return ts;
    }
}
