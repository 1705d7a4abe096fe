package io.tributary.client.consumer.assignor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.client.consumer.TopicPartition;
import io.tributary.client.consumer.assignor.ConsumerPartitionAssignor.Subscription;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Sticky and cooperative-sticky give exactly Apache Kafka's assignment when members subscribe to
 * different topics (Kafka's general algorithm, F5/G9): random groups with random prior owners of
 * mixed generations, conflicting claims, stale topics and members sharing no topic, plus chains
 * of rebalances that feed Kafka's own result back as the next prior state.
 */
class StickyGeneralCaseMatchesKafkaTest {
    private static final int ROUNDS = 1000;

    static Map<String, Integer> topics(Random r) {
        Map<String, Integer> topics = new HashMap<>();
        int n = 1 + r.nextInt(6);
        for (int i = 0; i < n; i++) {
            topics.put("topic-" + (char) ('a' + i), 1 + r.nextInt(12));
        }
        return topics;
    }

    /** Heterogeneous subscriptions; every member reports a random prior assignment and generation. */
    static Map<String, Subscription> group(Random r, Map<String, Integer> topics, boolean cooperative) {
        List<String> names = new ArrayList<>(topics.keySet());
        names.sort(null);
        names.add("not-yet-created");
        int members = 1 + r.nextInt(8);
        List<String> ids = new ArrayList<>();
        Map<String, List<TopicPartition>> owned = new HashMap<>();
        for (int m = 0; m < members; m++) {
            String id = "consumer-" + Integer.toHexString(r.nextInt());
            ids.add(id);
            owned.put(id, new ArrayList<>());
        }
        topics.forEach((t, n) -> {
            for (int p = 0; p < n; p++) {
                int claims = r.nextInt(10) == 0 ? 2 : r.nextInt(3) == 0 ? 0 : 1;
                for (int c = 0; c < claims; c++) {
                    List<TopicPartition> l = owned.get(ids.get(r.nextInt(members)));
                    TopicPartition tp = new TopicPartition(t, p);
                    if (!l.contains(tp)) {
                        l.add(tp);
                    }
                }
            }
        });
        Map<String, Subscription> subs = new HashMap<>();
        for (String id : ids) {
            List<String> subscribed = EagerAssignorsMatchKafkaTest.pick(r, names);
            if (r.nextInt(10) == 0) {
                subscribed = List.of("not-yet-created");
            }
            List<TopicPartition> mine = owned.get(id);
            if (r.nextInt(6) == 0) {
                mine.add(new TopicPartition("deleted-topic", r.nextInt(3)));
            }
            Optional<Integer> generation = r.nextInt(4) == 0 ? Optional.empty() : Optional.of(3 + r.nextInt(3));
            subs.put(id, subscription(subscribed, mine, generation, cooperative, r.nextInt(5) == 0));
        }
        return subs;
    }

    static Subscription subscription(List<String> topics, List<TopicPartition> owned, Optional<Integer> generation,
                                     boolean cooperative, boolean generationOnlyInUserData) {
        if (cooperative) {
            ByteBuffer userData = ByteBuffer.allocate(4).putInt(0, generation.orElse(-1));
            return new Subscription(topics, userData, owned, Optional.empty(),
                    generationOnlyInUserData ? Optional.empty() : generation, Optional.empty());
        }
        return new Subscription(topics, StickyAssignor.serialize(owned, generation), List.of(), Optional.empty(),
                generationOnlyInUserData ? Optional.empty() : generation, Optional.empty());
    }

    private static boolean heterogeneous(Map<String, Subscription> subs) {
        Set<Set<String>> distinct = new HashSet<>();
        subs.values().forEach(s -> distinct.add(new HashSet<>(s.topics())));
        return distinct.size() > 1;
    }

    /** Ours equals Apache's on the same input, or both refuse it with the same exception type. */
    static void compare(String what, Map<String, Integer> topics, Map<String, Subscription> subs,
                        Supplier<ConsumerPartitionAssignor> ours,
                        Supplier<org.apache.kafka.clients.consumer.ConsumerPartitionAssignor> apache) {
        Map<String, List<TopicPartition>> expected;
        try {
            expected = ApacheReference.assign(apache.get(), topics, subs);
        } catch (RuntimeException e) {
            assertThatThrownBy(() -> ApacheReference.ours(ours.get(), topics, subs)).as(what).isInstanceOf(e.getClass());
            return;
        }
        Map<String, List<TopicPartition>> actual = ApacheReference.ours(ours.get(), topics, subs);
        assertThat(asSets(actual)).as("%s: topics %s, subscriptions %s", what, topics, describe(subs))
                .isEqualTo(asSets(expected));
    }

    static Map<String, Set<TopicPartition>> asSets(Map<String, List<TopicPartition>> a) {
        Map<String, Set<TopicPartition>> out = new HashMap<>();
        a.forEach((m, l) -> {
            out.put(m, new HashSet<>(l));
            assertThat(l).doesNotHaveDuplicates();
        });
        return out;
    }

    private static String describe(Map<String, Subscription> subs) {
        StringBuilder b = new StringBuilder();
        subs.forEach((m, s) -> {
            ByteBuffer ud = s.userData();
            b.append("\n  ").append(m).append(" topics=").append(s.topics()).append(" gen=").append(s.generationId())
                    .append(" owned=").append(s.ownedPartitions().isEmpty() && ud != null && ud.remaining() > 4
                            ? StickyAssignor.deserialize(ud) : s.ownedPartitions());
        });
        return b.toString();
    }

    @Test
    void stickyMatchesKafkaOnHeterogeneousGroups() {
        Random r = new Random(21);
        int general = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Map<String, Integer> topics = topics(r);
            Map<String, Subscription> subs = group(r, topics, false);
            general += heterogeneous(subs) ? 1 : 0;
            compare("sticky round " + round, topics, subs, StickyAssignor::new,
                    org.apache.kafka.clients.consumer.StickyAssignor::new);
        }
        // The generator must exercise the general algorithm, not only the equal-subscription one.
        assertThat(general).isGreaterThan(ROUNDS * 3 / 4);
    }

    @Test
    void cooperativeStickyMatchesKafkaOnHeterogeneousGroups() {
        Random r = new Random(22);
        for (int round = 0; round < ROUNDS; round++) {
            Map<String, Integer> topics = topics(r);
            Map<String, Subscription> subs = group(r, topics, true);
            compare("cooperative round " + round, topics, subs, CooperativeStickyAssignor::new,
                    org.apache.kafka.clients.consumer.CooperativeStickyAssignor::new);
        }
    }

    /** Successive rebalances as members come, go and change topics, each starting from Kafka's last result. */
    @Test
    void rebalanceChainsMatchKafka() {
        Random r = new Random(23);
        for (int chain = 0; chain < 60; chain++) {
            boolean cooperative = chain % 2 == 1;
            Map<String, Integer> topics = topics(r);
            List<String> names = new ArrayList<>(topics.keySet());
            Map<String, List<String>> subscribed = new HashMap<>();
            Map<String, List<TopicPartition>> last = new HashMap<>();
            int generation = 1;
            for (int step = 0; step < 8; step++) {
                if (subscribed.isEmpty() || r.nextInt(3) == 0) {
                    subscribed.put("member-" + chain + "-" + step, EagerAssignorsMatchKafkaTest.pick(r, names));
                } else if (r.nextBoolean() && subscribed.size() > 1) {
                    subscribed.remove(new ArrayList<>(subscribed.keySet()).get(r.nextInt(subscribed.size())));
                } else {
                    subscribed.put(new ArrayList<>(subscribed.keySet()).get(r.nextInt(subscribed.size())),
                            EagerAssignorsMatchKafkaTest.pick(r, names));
                }
                Map<String, Subscription> subs = new HashMap<>();
                int gen = generation;
                subscribed.forEach((m, t) -> subs.put(m, subscription(t, last.getOrDefault(m, List.of()),
                        last.containsKey(m) ? Optional.of(gen) : Optional.empty(), cooperative, false)));
                compare("chain " + chain + " step " + step, topics, subs,
                        cooperative ? CooperativeStickyAssignor::new : StickyAssignor::new,
                        cooperative ? org.apache.kafka.clients.consumer.CooperativeStickyAssignor::new
                                : org.apache.kafka.clients.consumer.StickyAssignor::new);
                last.clear();
                last.putAll(ApacheReference.ours(cooperative ? new CooperativeStickyAssignor() : new StickyAssignor(),
                        topics, subs));
                generation++;
            }
        }
    }
}
