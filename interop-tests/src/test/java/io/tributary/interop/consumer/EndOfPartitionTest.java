package io.tributary.interop.consumer;

import static io.tributary.interop.consumer.Fixtures.consumer;
import static io.tributary.interop.consumer.Fixtures.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.ConsumerRecords;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * End-of-partition events (C4, {@code enable.partition.eof}): reported once per catch-up, after
 * the partition's records, again only after new records were returned; a poll with only such
 * events returns at once; off by default. Against each broker.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class EndOfPartitionTest {

    static Stream<Target> targets() {
        return Targets.all();
    }

    /** What one consumer saw, in poll order. */
    private static final class Seen {
        final Map<TopicPartition, Integer> records = new HashMap<>();
        /** Each EOF event with the number of records of that partition returned before it. */
        final List<Eof> eofs = new ArrayList<>();

        void add(ConsumerRecords<String, String> rs) {
            for (ConsumerRecord<String, String> r : rs) {
                records.merge(new TopicPartition(r.topic(), r.partition()), 1, Integer::sum);
            }
            // Records of this poll count as before its EOF events (they come first).
            rs.partitionEofs().forEach((tp, offset) -> eofs.add(new Eof(tp, offset, records.getOrDefault(tp, 0))));
        }

        long eofCount(TopicPartition tp) {
            return eofs.stream().filter(e -> e.tp.equals(tp)).count();
        }
    }

    private record Eof(TopicPartition tp, long offset, int recordsBefore) {}

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void eachPartitionReportsItsEndOncePerCatchUp(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("eof");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 3);
        produce(broker.bootstrapServers(), topic, 0, 0, 5, "none");
        produce(broker.bootstrapServers(), topic, 1, 0, 3, "none");
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        TopicPartition p2 = new TopicPartition(topic, 2);

        try (TributaryConsumer<String, String> c = consumer(
                broker.bootstrapServers(),
                Map.of("auto.offset.reset", "earliest", "enable.partition.eof", "true", "max.poll.records", "2"))) {
            c.assign(List.of(p0, p1, p2));
            Seen seen = new Seen();
            await().atMost(30, TimeUnit.SECONDS)
                    .pollInSameThread()
                    .pollDelay(Duration.ZERO)
                    .until(() -> {
                        seen.add(c.poll(Duration.ofMillis(200)));
                        return seen.eofCount(p0) > 0 && seen.eofCount(p1) > 0 && seen.eofCount(p2) > 0;
                    });
            // A partition that stays at its end is not reported again (several fetch rounds).
            long until = System.currentTimeMillis() + 1_500;
            while (System.currentTimeMillis() < until) {
                seen.add(c.poll(Duration.ofMillis(300)));
            }
            assertThat(seen.eofs).containsExactlyInAnyOrder(new Eof(p0, 5, 5), new Eof(p1, 3, 3), new Eof(p2, 0, 0));

            produce(broker.bootstrapServers(), topic, 1, 3, 4, "none");
            await().atMost(30, TimeUnit.SECONDS)
                    .pollInSameThread()
                    .pollDelay(Duration.ZERO)
                    .until(() -> {
                        seen.add(c.poll(Duration.ofMillis(200)));
                        return seen.eofCount(p1) == 2;
                    });
            // The new end comes after its records were returned, and only for the partition that grew.
            assertThat(seen.eofs.get(seen.eofs.size() - 1)).isEqualTo(new Eof(p1, 7, 7));
            assertThat(seen.eofCount(p0)).isEqualTo(1);
            assertThat(seen.eofCount(p2)).isEqualTo(1);

            // A seek re-arms the event: reading p0 again ends with a new EOF at the same offset.
            c.seek(p0, 3);
            await().atMost(30, TimeUnit.SECONDS)
                    .pollInSameThread()
                    .pollDelay(Duration.ZERO)
                    .until(() -> {
                        seen.add(c.poll(Duration.ofMillis(200)));
                        return seen.eofCount(p0) == 2;
                    });
            assertThat(seen.eofs.get(seen.eofs.size() - 1)).isEqualTo(new Eof(p0, 5, 7));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void aPollWithOnlyAnEndOfPartitionReturnsPromptly(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("eof-empty");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);

        try (TributaryConsumer<String, String> c = consumer(
                broker.bootstrapServers(), Map.of("auto.offset.reset", "earliest", "enable.partition.eof", "true"))) {
            c.assign(List.of(tp));
            long start = System.nanoTime();
            ConsumerRecords<String, String> rs = c.poll(Duration.ofSeconds(60));
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(rs.isEmpty()).isTrue();
            assertThat(rs.partitionEofs()).containsExactly(Map.entry(tp, 0L));
            assertThat(tookMs).as("poll must not wait out its 60 s timeout").isLessThan(15_000);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void offByDefault(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("eof-off");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
        produce(broker.bootstrapServers(), topic, 0, 0, 3, "none");
        TopicPartition tp = new TopicPartition(topic, 0);

        try (TributaryConsumer<String, String> c =
                consumer(broker.bootstrapServers(), Map.of("auto.offset.reset", "earliest"))) {
            c.assign(List.of(tp));
            Seen seen = new Seen();
            await().atMost(30, TimeUnit.SECONDS)
                    .pollInSameThread()
                    .pollDelay(Duration.ZERO)
                    .until(() -> {
                        seen.add(c.poll(Duration.ofMillis(200)));
                        return seen.records.getOrDefault(tp, 0) == 3;
                    });
            // Caught up for a few more fetch rounds: still no event without the setting.
            seen.add(c.poll(Duration.ofMillis(700)));
            assertThat(seen.eofs).isEmpty();
        }
    }
}
