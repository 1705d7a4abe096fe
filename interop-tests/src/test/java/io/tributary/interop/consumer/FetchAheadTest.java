package io.tributary.interop.consumer;

import static io.tributary.interop.consumer.Fixtures.consumer;
import static io.tributary.interop.consumer.Fixtures.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fetch-ahead (issue 16): with max.partition.fetch.bytes below one batch every fetch ends below
 * the end of the log, so each partition is fetched ahead of what poll still reads. Records still
 * arrive exactly once and in order, and a seek or a pause in the middle is obeyed at once (what
 * was fetched ahead of the old position is dropped), against each broker.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class FetchAheadTest {
    private static final int PER_PARTITION = 1_500;

    static Stream<Target> targets() {
        return Targets.all();
    }

    /** Two partitions of many small batches (a producer and a flush per 150 records). */
    private static String load(RunningBroker broker) throws Exception {
        String topic = KafkaClients.uniqueTopic("fetch-ahead");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 2);
        for (int from = 0; from < PER_PARTITION; from += 150) {
            produce(broker.bootstrapServers(), topic, 0, from, 150, "none");
            produce(broker.bootstrapServers(), topic, 1, from, 150, "lz4");
        }
        return topic;
    }

    private static TributaryConsumer<String, String> smallFetches(RunningBroker broker) {
        return consumer(
                broker.bootstrapServers(),
                Map.of("max.partition.fetch.bytes", "1024", "max.poll.records", "40", "auto.offset.reset", "earliest"));
    }

    /** Polls, appending per partition, until {@code done} holds. */
    private static void pollUntil(
            TributaryConsumer<String, String> c,
            Map<TopicPartition, List<Long>> seen,
            Predicate<Map<TopicPartition, List<Long>>> done) {
        await().atMost(60, TimeUnit.SECONDS)
                .pollInSameThread()
                .pollDelay(Duration.ZERO)
                .until(() -> {
                    for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(100))) {
                        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                        assertThat(r.value()).isEqualTo("value-" + r.offset());
                        seen.computeIfAbsent(tp, k -> new ArrayList<>()).add(r.offset());
                    }
                    return done.test(seen);
                });
    }

    private static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }

    private static int count(Map<TopicPartition, List<Long>> seen, TopicPartition tp) {
        return seen.getOrDefault(tp, List.of()).size();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void everyRecordOnceInOrderWithSeekAndPauseInTheMiddle(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = load(broker);
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        try (TributaryConsumer<String, String> c = smallFetches(broker)) {
            c.assign(List.of(p0, p1));
            Map<TopicPartition, List<Long>> seen = new HashMap<>();
            pollUntil(c, seen, s -> count(s, p0) >= 400 && count(s, p1) >= 400);
            long p0At = c.position(p0);
            assertThat(seen.get(p0)).isEqualTo(range(0, p0At));

            // A seek back while fetches ahead of the old position are buffered or in flight.
            c.seek(p0, 100);
            c.pause(List.of(p1));
            long p1At = c.position(p1);
            Map<TopicPartition, List<Long>> after = new HashMap<>();
            pollUntil(c, after, s -> count(s, p0) >= PER_PARTITION - 100);
            assertThat(after.get(p0)).isEqualTo(range(100, PER_PARTITION));
            assertThat(after).doesNotContainKey(p1);
            assertThat(c.position(p1)).isEqualTo(p1At);

            c.resume(List.of(p1));
            pollUntil(c, after, s -> count(s, p1) >= PER_PARTITION - p1At);
            assertThat(after.get(p1)).isEqualTo(range(p1At, PER_PARTITION));
            assertThat(seen.get(p1)).isEqualTo(range(0, p1At));
            assertThat(c.position(p0)).isEqualTo(PER_PARTITION);
            assertThat(c.position(p1)).isEqualTo(PER_PARTITION);
        }
    }

    /**
     * Issue 16: answers above 64 KiB are read into arrays the consumer reuses once their records
     * are built. Every record kept from the whole read, across a seek back, still holds its own
     * key, value and header after the arrays were refilled many times.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void recordsFromReusedFetchArraysKeepTheirBytes(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("fetch-pooled");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 2);
        int perPartition = 12_000;
        produce(broker.bootstrapServers(), topic, 0, 0, perPartition, "none");
        produce(broker.bootstrapServers(), topic, 1, 0, perPartition, "none");
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        List<ConsumerRecord<String, String>> kept = new ArrayList<>();
        try (TributaryConsumer<String, String> c = consumer(
                broker.bootstrapServers(), Map.of("max.partition.fetch.bytes", "131072", "max.poll.records", "300"))) {
            c.assign(List.of(p0, p1));
            c.seekToBeginning(List.of(p0, p1));
            Map<TopicPartition, List<Long>> seen = new HashMap<>();
            pollKeeping(c, kept, seen, s -> count(s, p0) >= perPartition / 2);
            c.seek(p0, 1_000);
            Map<TopicPartition, List<Long>> after = new HashMap<>();
            pollKeeping(c, kept, after, s -> c.position(p0) == perPartition && c.position(p1) == perPartition);
            assertThat(after.get(p0)).isEqualTo(range(1_000, perPartition));
        }
        assertThat(kept.size()).isGreaterThan(2 * perPartition);
        for (ConsumerRecord<String, String> r : kept) {
            assertThat(r.key()).isEqualTo("key-" + r.offset());
            assertThat(r.value()).isEqualTo("value-" + r.offset());
            assertThat(new String(r.headers().lastHeader("i").value(), StandardCharsets.UTF_8))
                    .isEqualTo(Long.toString(r.offset()));
        }
    }

    private static void pollKeeping(
            TributaryConsumer<String, String> c,
            List<ConsumerRecord<String, String>> kept,
            Map<TopicPartition, List<Long>> seen,
            Predicate<Map<TopicPartition, List<Long>>> done) {
        await().atMost(60, TimeUnit.SECONDS)
                .pollInSameThread()
                .pollDelay(Duration.ZERO)
                .until(() -> {
                    for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(100))) {
                        kept.add(r);
                        seen.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), k -> new ArrayList<>())
                                .add(r.offset());
                    }
                    return done.test(seen);
                });
    }
}
