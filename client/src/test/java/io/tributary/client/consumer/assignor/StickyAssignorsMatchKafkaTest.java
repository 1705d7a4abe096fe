package io.tributary.client.consumer.assignor;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.ConsumerGroupMetadata;
import io.tributary.client.consumer.assignor.ConsumerPartitionAssignor.Assignment;
import io.tributary.client.consumer.assignor.ConsumerPartitionAssignor.Subscription;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Sticky and cooperative-sticky (F5, G9): identical to Apache's when members share a
 * subscription (the constrained algorithm), including owned partitions from several
 * generations; valid, balanced and sticky in the general case (whose equality with Apache's is
 * {@link StickyGeneralCaseMatchesKafkaTest}); the user data bytes are Apache's.
 */
class StickyAssignorsMatchKafkaTest {
    static {
        // Apache logs every assignment, and every conflicting claim the random groups contain.
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "off");
    }

    /** A group whose members own a random (possibly overlapping) prior assignment. */
    static Map<String, Subscription> sharedSubscriptionGroup(
            Random r, Map<String, Integer> topics, boolean cooperative) {
        List<String> names = new ArrayList<>(topics.keySet());
        List<TopicPartition> all = new ArrayList<>();
        topics.forEach((t, n) -> {
            for (int p = 0; p < n; p++) {
                all.add(new TopicPartition(t, p));
            }
        });
        Map<String, Subscription> subs = new HashMap<>();
        int members = 1 + r.nextInt(7);
        for (int m = 0; m < members; m++) {
            List<TopicPartition> owned = new ArrayList<>();
            for (TopicPartition tp : all) {
                if (r.nextInt(members + 1) == 0) {
                    owned.add(tp);
                }
            }
            if (r.nextInt(5) == 0) {
                owned.add(new TopicPartition("deleted-topic", 0));
            }
            Optional<Integer> generation = r.nextInt(4) == 0 ? Optional.empty() : Optional.of(5 + r.nextInt(2));
            String id = "consumer-" + Integer.toHexString(r.nextInt());
            ByteBuffer userData = cooperative
                    ? ByteBuffer.allocate(4).putInt(0, generation.orElse(-1))
                    : StickyAssignor.serialize(owned, generation);
            subs.put(
                    id,
                    new Subscription(
                            names,
                            userData,
                            cooperative ? owned : List.of(),
                            Optional.empty(),
                            generation,
                            Optional.empty()));
        }
        return subs;
    }

    @Test
    void stickyMatchesKafkaWhenSubscriptionsAreEqual() {
        Random r = new Random(11);
        StickyGeneralCaseMatchesKafkaTest.Tally tally = new StickyGeneralCaseMatchesKafkaTest.Tally();
        for (int round = 0; round < 400; round++) {
            Map<String, Integer> topics = EagerAssignorsMatchKafkaTest.randomTopics(r);
            Map<String, Subscription> subs = sharedSubscriptionGroup(r, topics, false);
            ApacheReference.checkValid(topics, subs, ApacheReference.ours(new StickyAssignor(), topics, subs));
            tally.add(StickyGeneralCaseMatchesKafkaTest.compare(
                    "round " + round,
                    topics,
                    subs,
                    StickyAssignor::new,
                    org.apache.kafka.clients.consumer.StickyAssignor::new));
        }
        tally.print("sticky, equal subscriptions");
        // Claims on deleted topics and from several generations: Apache's result is always valid here.
        assertThat(tally.get(StickyGeneralCaseMatchesKafkaTest.Outcome.IDENTICAL))
                .isEqualTo(400);
    }

    @Test
    void cooperativeStickyMatchesKafkaWhenSubscriptionsAreEqual() {
        Random r = new Random(12);
        StickyGeneralCaseMatchesKafkaTest.Tally tally = new StickyGeneralCaseMatchesKafkaTest.Tally();
        for (int round = 0; round < 400; round++) {
            Map<String, Integer> topics = EagerAssignorsMatchKafkaTest.randomTopics(r);
            Map<String, Subscription> subs = sharedSubscriptionGroup(r, topics, true);
            tally.add(StickyGeneralCaseMatchesKafkaTest.compare(
                    "round " + round,
                    topics,
                    subs,
                    CooperativeStickyAssignor::new,
                    org.apache.kafka.clients.consumer.CooperativeStickyAssignor::new));
        }
        tally.print("cooperative-sticky, equal subscriptions");
        assertThat(tally.get(StickyGeneralCaseMatchesKafkaTest.Outcome.IDENTICAL))
                .isEqualTo(400);
    }

    @Test
    void generalCaseIsValidBalancedAndSticky() {
        Random r = new Random(13);
        for (int round = 0; round < 300; round++) {
            Map<String, Integer> topics = EagerAssignorsMatchKafkaTest.randomTopics(r);
            Map<String, Subscription> subs = EagerAssignorsMatchKafkaTest.randomMembers(r, topics, false);
            StickyAssignor first = new StickyAssignor();
            Map<String, List<TopicPartition>> a1 = ApacheReference.ours(first, topics, subs);
            ApacheReference.checkValid(topics, subs, a1);
            // Rebalancing the same group with that assignment as prior state moves nothing.
            Map<String, Subscription> again = new HashMap<>();
            subs.forEach((m, s) -> again.put(
                    m, new Subscription(s.topics(), StickyAssignor.serialize(a1.get(m), Optional.of(1)), List.of())));
            Map<String, List<TopicPartition>> a2 = ApacheReference.ours(new StickyAssignor(), topics, again);
            assertThat(sorted(a2)).as("round %d", round).isEqualTo(sorted(a1));
        }
    }

    @Test
    void cooperativeNeverMovesAPartitionDirectly() {
        Map<String, Integer> topics = Map.of("t", 6);
        // c1 owned everything; c2 joins: three partitions must first be revoked, not handed over.
        List<TopicPartition> all = new ArrayList<>();
        for (int p = 0; p < 6; p++) {
            all.add(new TopicPartition("t", p));
        }
        Map<String, Subscription> subs = Map.of(
                "c1",
                        new Subscription(
                                List.of("t"),
                                ByteBuffer.allocate(4).putInt(0, 3),
                                all,
                                Optional.empty(),
                                Optional.of(3),
                                Optional.empty()),
                "c2",
                        new Subscription(
                                List.of("t"),
                                ByteBuffer.allocate(4).putInt(0, -1),
                                List.of(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty()));
        Map<String, List<TopicPartition>> first = ApacheReference.ours(new CooperativeStickyAssignor(), topics, subs);
        assertThat(first.get("c1")).hasSize(3);
        assertThat(first.get("c2")).isEmpty();
        // Follow-up rebalance: c1 now owns three, the other three go to c2.
        Map<String, Subscription> next = Map.of(
                "c1",
                        new Subscription(
                                List.of("t"),
                                null,
                                first.get("c1"),
                                Optional.empty(),
                                Optional.of(4),
                                Optional.empty()),
                "c2",
                        new Subscription(
                                List.of("t"), null, List.of(), Optional.empty(), Optional.of(4), Optional.empty()));
        Map<String, List<TopicPartition>> second = ApacheReference.ours(new CooperativeStickyAssignor(), topics, next);
        assertThat(second.get("c1")).containsExactlyInAnyOrderElementsOf(first.get("c1"));
        assertThat(second.get("c2")).hasSize(3).doesNotContainAnyElementsOf(first.get("c1"));
    }

    @Test
    void userDataBytesAreKafkas() {
        List<TopicPartition> parts =
                List.of(new TopicPartition("a", 0), new TopicPartition("a", 2), new TopicPartition("b", 1));
        StickyAssignor ours = new StickyAssignor();
        ours.onAssignment(new Assignment(parts), new ConsumerGroupMetadata("g", 7, "m", Optional.empty()));
        org.apache.kafka.clients.consumer.StickyAssignor apache =
                new org.apache.kafka.clients.consumer.StickyAssignor();
        apache.onAssignment(
                new org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment(
                        ApacheReference.toApache(parts)),
                kafkaGroupMetadata("g", 7, "m"));
        assertThat(bytes(ours.subscriptionUserData(Set.of("a", "b"))))
                .isEqualTo(bytes(apache.subscriptionUserData(Set.of("a", "b"))));
        // Apache decodes ours back to the same partitions.
        StickyAssignor.MemberData decoded = StickyAssignor.deserialize(apache.subscriptionUserData(Set.of("a", "b")));
        assertThat(decoded.partitions()).containsExactlyInAnyOrderElementsOf(parts);
        assertThat(decoded.generation()).contains(7);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static Map<String, Set<TopicPartition>> sorted(Map<String, List<TopicPartition>> a) {
        Map<String, Set<TopicPartition>> out = new HashMap<>();
        a.forEach((m, l) -> {
            out.put(m, new HashSet<>(l));
            assertThat(l).doesNotHaveDuplicates();
        });
        return Collections.unmodifiableMap(out);
    }

    /**
     * Kafka's metadata at a given generation. Kafka's assignor API takes this type, and Kafka deprecated every
     * constructor of it for applications (its consumer makes it); a comparison with Kafka's own bytes has no
     * other way in, so this one place says so rather than letting the warning stand.
     */
    @SuppressWarnings("removal")
    private static org.apache.kafka.clients.consumer.ConsumerGroupMetadata kafkaGroupMetadata(
            String groupId, int generation, String memberId) {
        return new org.apache.kafka.clients.consumer.ConsumerGroupMetadata(
                groupId, generation, memberId, Optional.empty());
    }
}
