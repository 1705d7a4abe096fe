package io.tributary.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.OffsetAndMetadata;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two copies of RebalanceListenerExample in one group: when the second joins, the first one's
 * onPartitionsRevoked commits what it processed, the partitions split, and the newcomer starts
 * exactly after the commit (C8, O5, O6, G8).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RebalanceListenerExampleTest {
    @Test
    void revokeCommitsAndTheNewMemberContinuesWhereTheOldOneStopped() throws Exception {
        ExampleFixtures.Scenario scenario = ExampleFixtures.scenario("rebalance", 4, 10);
        String topic = scenario.topic();
        String group = scenario.group();
        Properties cfg = Examples.consumerConfig(ExampleFixtures.bootstrap(), group);
        cfg.put("heartbeat.interval.ms", "300");

        List<ConsumerRecord<String, String>> seenA = new CopyOnWriteArrayList<>();
        RebalanceListenerExample a = new RebalanceListenerExample(cfg);
        ExampleFixtures.Loop loopA = new ExampleFixtures.Loop("member-a", () -> a.run(topic, seenA::add));
        await().atMost(Duration.ofSeconds(20)).until(() -> seenA.size() >= 40 || !loopA.isAlive());
        assertThat(seenA).hasSize(40);
        assertThat(a.assignment()).hasSize(4);
        assertThat(a.revocations()).isEmpty();

        List<ConsumerRecord<String, String>> seenB = new CopyOnWriteArrayList<>();
        RebalanceListenerExample b = new RebalanceListenerExample(cfg);
        ExampleFixtures.Loop loopB = new ExampleFixtures.Loop("member-b", () -> b.run(topic, seenB::add));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> a.assignment().size() == 2 && b.assignment().size() == 2
                        || !loopA.isAlive()
                        || !loopB.isAlive());
        assertThat(a.assignment()).hasSize(2);
        assertThat(b.assignment()).hasSize(2).doesNotContainAnyElementsOf(a.assignment());

        // Eager rebalancing (range is the default's first choice, G8): A gave up all four
        // partitions and its listener committed the next offset, 10, for each.
        RebalanceListenerExample.Revocation first = a.revocations().get(0);
        assertThat(first.partitions()).hasSize(4);
        assertThat(first.committed()).isEqualTo(next(topic, 4, 10));
        assertThat(ExampleFixtures.committed(ExampleFixtures.bootstrap(), group, topic, 4))
                .isEqualTo(ExampleFixtures.offsets(topic, 4, 10));

        ExampleFixtures.produce(ExampleFixtures.bootstrap(), topic, 4, 10);
        await().atMost(Duration.ofSeconds(20)).until(() -> seenA.size() + seenB.size() >= 80);
        Set<TopicPartition> ownedByA = a.assignment();
        Set<TopicPartition> ownedByB = b.assignment();
        a.shutdown();
        b.shutdown();
        loopA.join(Duration.ofSeconds(15));
        loopB.join(Duration.ofSeconds(15));

        assertThat(seenA.size() + seenB.size()).isEqualTo(80);
        // Nothing A processed was read again by B, and each member read only its own partitions.
        assertThat(seenB).allSatisfy(r -> assertThat(r.offset()).isGreaterThanOrEqualTo(10));
        assertThat(partitions(seenB)).isEqualTo(ownedByB);
        assertThat(partitions(seenA.subList(40, seenA.size()))).isEqualTo(ownedByA);
        // Leaving through close() revoked what each still owned.
        assertThat(a.assignment()).isEmpty();
        assertThat(b.revocations())
                .last()
                .satisfies(r -> assertThat(r.partitions()).isEqualTo(ownedByB));
        // Closing revokes too, so each member's listener committed its last records.
        assertThat(ExampleFixtures.committed(ExampleFixtures.bootstrap(), group, topic, 4))
                .isEqualTo(ExampleFixtures.offsets(topic, 4, 20));
    }

    private static Map<TopicPartition, OffsetAndMetadata> next(String topic, int partitions, long offset) {
        return ExampleFixtures.offsets(topic, partitions, offset).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue())));
    }

    private static Set<TopicPartition> partitions(List<ConsumerRecord<String, String>> records) {
        Set<TopicPartition> s = new HashSet<>();
        records.forEach(r -> s.add(new TopicPartition(r.topic(), r.partition())));
        return s;
    }
}
