package io.tributary.client.consumer.assignor;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.assignor.ConsumerPartitionAssignor.Subscription;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Range and round-robin give exactly Apache's assignment on many random groups (F5, G1). */
class EagerAssignorsMatchKafkaTest {

    static Map<String, Integer> randomTopics(Random r) {
        Map<String, Integer> topics = new HashMap<>();
        int n = 1 + r.nextInt(5);
        for (int i = 0; i < n; i++) {
            topics.put("topic-" + (char) ('a' + i), 1 + r.nextInt(12));
        }
        return topics;
    }

    static Map<String, Subscription> randomMembers(Random r, Map<String, Integer> topics, boolean sameTopics) {
        List<String> names = new ArrayList<>(topics.keySet());
        // A topic missing from metadata must be ignored by both.
        names.add("not-yet-created");
        Map<String, Subscription> subs = new HashMap<>();
        int members = 1 + r.nextInt(8);
        List<String> shared = pick(r, names);
        for (int m = 0; m < members; m++) {
            String id = "member-" + Integer.toHexString(r.nextInt());
            Optional<String> instance = r.nextBoolean() ? Optional.of("instance-" + r.nextInt(100)) : Optional.empty();
            subs.put(
                    id,
                    new Subscription(sameTopics ? shared : pick(r, names), (ByteBuffer) null, List.of())
                            .withGroupInstanceId(instance));
        }
        return subs;
    }

    static List<String> pick(Random r, List<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (r.nextInt(3) > 0) {
                out.add(n);
            }
        }
        if (out.isEmpty()) {
            out.add(names.get(0));
        }
        return out;
    }

    @Test
    void rangeMatchesKafka() {
        Random r = new Random(42);
        for (int round = 0; round < 500; round++) {
            Map<String, Integer> topics = randomTopics(r);
            Map<String, Subscription> subs = randomMembers(r, topics, r.nextBoolean());
            Map<String, List<TopicPartition>> ours = ApacheReference.ours(new RangeAssignor(), topics, subs);
            ApacheReference.checkValid(topics, subs, ours);
            assertThat(ours)
                    .as("round %d: %s %s", round, topics, subs)
                    .isEqualTo(ApacheReference.assign(
                            new org.apache.kafka.clients.consumer.RangeAssignor(), topics, subs));
        }
    }

    @Test
    void roundRobinMatchesKafka() {
        Random r = new Random(7);
        for (int round = 0; round < 500; round++) {
            Map<String, Integer> topics = randomTopics(r);
            Map<String, Subscription> subs = randomMembers(r, topics, r.nextBoolean());
            Map<String, List<TopicPartition>> ours = ApacheReference.ours(new RoundRobinAssignor(), topics, subs);
            ApacheReference.checkValid(topics, subs, ours);
            assertThat(ours)
                    .as("round %d: %s %s", round, topics, subs)
                    .isEqualTo(ApacheReference.assign(
                            new org.apache.kafka.clients.consumer.RoundRobinAssignor(), topics, subs));
        }
    }

    @Test
    void rangeTextbookCase() {
        // Two members, two topics of three partitions: the first member gets two of each.
        Map<String, Subscription> subs =
                Map.of("c1", new Subscription(List.of("t1", "t2")), "c2", new Subscription(List.of("t1", "t2")));
        Map<String, List<TopicPartition>> a = ApacheReference.ours(new RangeAssignor(), Map.of("t1", 3, "t2", 3), subs);
        assertThat(a.get("c1"))
                .containsExactly(
                        new TopicPartition("t1", 0),
                        new TopicPartition("t1", 1),
                        new TopicPartition("t2", 0),
                        new TopicPartition("t2", 1));
        assertThat(a.get("c2")).containsExactly(new TopicPartition("t1", 2), new TopicPartition("t2", 2));
    }
}
