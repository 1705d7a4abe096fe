package io.tributary.client.consumer.assignor;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.client.common.TopicPartition;
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
 * of rebalances that feed Kafka's own result back as the next prior state. Where Apache throws or
 * returns an invalid assignment, ours must instead be valid (see {@link #compare}).
 */
class StickyGeneralCaseMatchesKafkaTest {
    static {
        // Apache logs every assignment, and every conflicting claim the random groups contain.
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "off");
    }

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
            Subscription sub = subscription(subscribed, mine, generation, cooperative, r.nextInt(5) == 0);
            if (r.nextInt(3) == 0) {
                // A consumer rack alone (metadata carries no partition racks) must change nothing.
                sub = new Subscription(
                        sub.topics(),
                        sub.userData(),
                        sub.ownedPartitions(),
                        sub.groupInstanceId(),
                        sub.generationId(),
                        Optional.of("rack-" + r.nextInt(2)));
            }
            subs.put(id, sub);
        }
        return subs;
    }

    static Subscription subscription(
            List<String> topics,
            List<TopicPartition> owned,
            Optional<Integer> generation,
            boolean cooperative,
            boolean generationOnlyInUserData) {
        if (cooperative) {
            ByteBuffer userData = ByteBuffer.allocate(4).putInt(0, generation.orElse(-1));
            return new Subscription(
                    topics,
                    userData,
                    owned,
                    Optional.empty(),
                    generationOnlyInUserData ? Optional.empty() : generation,
                    Optional.empty());
        }
        return new Subscription(
                topics,
                StickyAssignor.serialize(owned, generation),
                List.of(),
                Optional.empty(),
                generationOnlyInUserData ? Optional.empty() : generation,
                Optional.empty());
    }

    private static boolean heterogeneous(Map<String, Subscription> subs) {
        Set<Set<String>> distinct = new HashSet<>();
        subs.values().forEach(s -> distinct.add(new HashSet<>(s.topics())));
        return distinct.size() > 1;
    }

    /** How Apache's result on an input relates to ours. */
    enum Outcome {
        /** Apache's result is valid; ours is identical. */
        IDENTICAL,
        /** Apache throws; ours is valid (and balanced/sticky where that applies). */
        APACHE_THREW,
        /** Apache's result is invalid; ours is valid (and balanced/sticky where that applies). */
        APACHE_INVALID
    }

    /** Counts of each {@link Outcome}, printed by each test so the categories' sizes stay visible. */
    static final class Tally {
        private final Map<Outcome, Integer> counts = new java.util.EnumMap<>(Outcome.class);

        private int balanceChecked;

        void add(Outcome o) {
            counts.merge(o, 1, Integer::sum);
        }

        /** Also counts the fallback cases whose balance {@link #compare} asserted (one shared subscription). */
        void add(Outcome o, Map<String, Subscription> subs) {
            add(o);
            if (o != Outcome.IDENTICAL
                    && subs.values().stream()
                                    .map(s -> new HashSet<>(s.topics()))
                                    .distinct()
                                    .count()
                            == 1) {
                balanceChecked++;
            }
        }

        int get(Outcome o) {
            return counts.getOrDefault(o, 0);
        }

        void print(String test) {
            System.out.println(test + ": " + counts + ", balance asserted on " + balanceChecked);
        }
    }

    /**
     * Where Apache's result is valid, ours must equal it. Where Apache throws or returns an invalid
     * assignment (stale claims from non-subscribers or non-participants, claims on partitions that do
     * not exist), ours must be valid, balanced when every member subscribes to the same topics, and
     * (sticky) a fixed point: fed back as the prior assignment it moves nothing.
     */
    static Outcome compare(
            String what,
            Map<String, Integer> topics,
            Map<String, Subscription> subs,
            Supplier<ConsumerPartitionAssignor> ours,
            Supplier<org.apache.kafka.clients.consumer.ConsumerPartitionAssignor> apache) {
        boolean cooperative = ours.get() instanceof CooperativeStickyAssignor;
        Map<String, List<TopicPartition>> expected = null;
        Outcome outcome;
        try {
            expected = ApacheReference.assign(apache.get(), topics, subs);
            outcome = ApacheReference.problem(topics, subs, expected, cooperative) == null
                    ? Outcome.IDENTICAL
                    : Outcome.APACHE_INVALID;
        } catch (RuntimeException e) {
            outcome = Outcome.APACHE_THREW;
        }
        Map<String, List<TopicPartition>> actual = ApacheReference.ours(ours.get(), topics, subs);
        String context = String.format("%s (%s): topics %s, subscriptions %s", what, outcome, topics, describe(subs));
        if (outcome == Outcome.IDENTICAL) {
            // Sorted lists, not sets: a repeated partition would show.
            assertThat(sorted(actual)).as(context).isEqualTo(sorted(expected));
            return outcome;
        }
        assertThat(ApacheReference.problem(topics, subs, actual, cooperative))
                .as(context)
                .isNull();
        // Cooperative withholds moving partitions, so balance is checked on the assignment before that.
        Map<String, List<TopicPartition>> full =
                cooperative ? ApacheReference.ours(cooperativeCore(), topics, subs) : actual;
        assertThat(ApacheReference.problem(topics, subs, full, false))
                .as(context)
                .isNull();
        Set<Set<String>> distinct = new HashSet<>();
        subs.values().forEach(s -> distinct.add(new HashSet<>(s.topics())));
        if (distinct.size() == 1) {
            int max = full.values().stream().mapToInt(List::size).max().orElse(0);
            int min = full.values().stream().mapToInt(List::size).min().orElse(0);
            assertThat(max - min).as("balance, " + context).isLessThanOrEqualTo(1);
        }
        if (!cooperative) {
            Map<String, Subscription> again = new HashMap<>();
            subs.forEach((m, s) -> again.put(m, subscription(s.topics(), full.get(m), Optional.of(100), false, false)));
            assertThat(sorted(ApacheReference.ours(new StickyAssignor(), topics, again)))
                    .as("fixed point, " + context)
                    .isEqualTo(sorted(full));
        }
        return outcome;
    }

    /** Ours cooperative-sticky, minus the final removal of partitions that change owner. */
    static AbstractStickyAssignor cooperativeCore() {
        CooperativeStickyAssignor codec = new CooperativeStickyAssignor();
        return new AbstractStickyAssignor() {
            @Override
            protected MemberData memberData(Subscription subscription) {
                return codec.memberData(subscription);
            }

            @Override
            public String name() {
                return "cooperative-core";
            }
        };
    }

    static Map<String, List<TopicPartition>> sorted(Map<String, List<TopicPartition>> a) {
        Map<String, List<TopicPartition>> out = new HashMap<>();
        a.forEach((m, l) -> out.put(m, l.stream().sorted().toList()));
        return out;
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
            b.append("\n  ")
                    .append(m)
                    .append(" topics=")
                    .append(s.topics())
                    .append(" gen=")
                    .append(s.generationId())
                    .append(" owned=")
                    .append(
                            s.ownedPartitions().isEmpty() && ud != null && ud.remaining() > 4
                                    ? StickyAssignor.deserialize(ud)
                                    : s.ownedPartitions());
        });
        return b.toString();
    }

    @Test
    void stickyMatchesKafkaOnHeterogeneousGroups() {
        Random r = new Random(21);
        Tally tally = new Tally();
        int general = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Map<String, Integer> topics = topics(r);
            Map<String, Subscription> subs = group(r, topics, false);
            general += heterogeneous(subs) ? 1 : 0;
            tally.add(
                    compare(
                            "sticky round " + round,
                            topics,
                            subs,
                            StickyAssignor::new,
                            org.apache.kafka.clients.consumer.StickyAssignor::new),
                    subs);
        }
        tally.print("sticky, random groups");
        // Both kinds of Apache fault must stay exercised, and most groups must still be compared exactly.
        assertThat(tally.get(Outcome.APACHE_THREW)).isPositive();
        assertThat(tally.get(Outcome.APACHE_INVALID)).isPositive();
        assertThat(tally.get(Outcome.IDENTICAL)).isGreaterThan(ROUNDS * 3 / 4);
        // The generator must exercise the general algorithm, not only the equal-subscription one.
        assertThat(general).isGreaterThan(ROUNDS * 3 / 4);
    }

    @Test
    void cooperativeStickyMatchesKafkaOnHeterogeneousGroups() {
        Random r = new Random(22);
        Tally tally = new Tally();
        for (int round = 0; round < ROUNDS; round++) {
            Map<String, Integer> topics = topics(r);
            Map<String, Subscription> subs = group(r, topics, true);
            tally.add(
                    compare(
                            "cooperative round " + round,
                            topics,
                            subs,
                            CooperativeStickyAssignor::new,
                            org.apache.kafka.clients.consumer.CooperativeStickyAssignor::new),
                    subs);
        }
        tally.print("cooperative-sticky, random groups");
        assertThat(tally.get(Outcome.IDENTICAL)).isGreaterThan(ROUNDS * 3 / 4);
    }

    /**
     * Successive rebalances as members come, go and change topics and topics grow, each starting
     * from the previous result. Long chains over large topics are what make several partitions
     * move between the same two members, where Kafka's choice of which one to move back depends
     * on its hash order.
     */
    @Test
    void rebalanceChainsMatchKafka() {
        Tally tally = new Tally();
        for (int chain = 0; chain < 150; chain++) {
            Random r = new Random(1000 + chain);
            boolean cooperative = chain % 2 == 1;
            Map<String, Integer> topics = new HashMap<>();
            int topicCount = 1 + r.nextInt(4);
            for (int i = 0; i < topicCount; i++) {
                topics.put("t" + i, 1 + r.nextInt(30));
            }
            List<String> names = new ArrayList<>(topics.keySet());
            names.sort(null);
            Map<String, List<String>> subscribed = new HashMap<>();
            Map<String, List<TopicPartition>> last = new HashMap<>();
            for (int step = 0; step < 25; step++) {
                int op = r.nextInt(4);
                List<String> members = new ArrayList<>(subscribed.keySet());
                members.sort(null);
                if (subscribed.size() < 2 || op == 0) {
                    subscribed.put("m" + step, EagerAssignorsMatchKafkaTest.pick(r, names));
                } else if (op == 1) {
                    subscribed.remove(members.get(r.nextInt(members.size())));
                } else if (op == 2) {
                    subscribed.put(members.get(r.nextInt(members.size())), EagerAssignorsMatchKafkaTest.pick(r, names));
                } else {
                    String t = names.get(r.nextInt(names.size()));
                    topics.put(t, topics.get(t) + r.nextInt(10));
                }
                Map<String, Subscription> subs = new HashMap<>();
                int generation = step;
                subscribed.forEach((m, t) -> subs.put(
                        m,
                        subscription(
                                t,
                                last.getOrDefault(m, List.of()),
                                last.containsKey(m) ? Optional.of(generation) : Optional.empty(),
                                cooperative,
                                false)));
                tally.add(compare(
                        "chain " + chain + " step " + step,
                        topics,
                        subs,
                        cooperative ? CooperativeStickyAssignor::new : StickyAssignor::new,
                        cooperative
                                ? org.apache.kafka.clients.consumer.CooperativeStickyAssignor::new
                                : org.apache.kafka.clients.consumer.StickyAssignor::new));
                last.clear();
                last.putAll(ApacheReference.ours(
                        cooperative ? new CooperativeStickyAssignor() : new StickyAssignor(), topics, subs));
                if (!cooperative) {
                    // Without stale claims from older generations Kafka's result (so ours) is always valid.
                    ApacheReference.checkValid(topics, subs, last);
                }
            }
        }
        tally.print("rebalance chains");
        // Without stale claims from older generations Apache is always valid, so every step compares exactly.
        assertThat(tally.get(Outcome.IDENTICAL)).isEqualTo(150 * 25);
    }

    /**
     * Claims on partitions beyond a topic's count (a topic re-created smaller) are ignored: Apache
     * may then assign a missing partition, assign one twice or throw; ours stays valid, and equal
     * to Apache's wherever Apache's is valid.
     */
    @Test
    void claimsBeyondThePartitionCountAreIgnored() {
        Random r = new Random(24);
        Tally tally = new Tally();
        for (int round = 0; round < 400; round++) {
            boolean cooperative = round % 2 == 1;
            Map<String, Integer> topics = topics(r);
            Map<String, Subscription> subs = new HashMap<>();
            // Half the rounds share one subscription (Kafka's constrained path), where ours must also be balanced.
            (round % 4 < 2
                            ? group(r, topics, cooperative)
                            : StickyAssignorsMatchKafkaTest.sharedSubscriptionGroup(r, topics, cooperative))
                    .forEach((m, s) -> {
                        List<TopicPartition> owned = new ArrayList<>(
                                cooperative
                                        ? s.ownedPartitions()
                                        : StickyAssignor.deserialize(s.userData())
                                                .partitions());
                        String t = s.topics().get(0);
                        owned.add(new TopicPartition(t, topics.getOrDefault(t, 0) + r.nextInt(3)));
                        subs.put(m, subscription(s.topics(), owned, s.generationId(), cooperative, false));
                    });
            tally.add(
                    compare(
                            "round " + round,
                            topics,
                            subs,
                            cooperative ? CooperativeStickyAssignor::new : StickyAssignor::new,
                            cooperative
                                    ? org.apache.kafka.clients.consumer.CooperativeStickyAssignor::new
                                    : org.apache.kafka.clients.consumer.StickyAssignor::new),
                    subs);
        }
        tally.print("claims beyond the partition count");
        assertThat(tally.get(Outcome.APACHE_INVALID) + tally.get(Outcome.APACHE_THREW))
                .isPositive();
        assertThat(tally.balanceChecked).as("equal-subscription fallbacks").isPositive();
    }

    /**
     * Members with no topics next to members sharing one subscription: Kafka's equality test lets
     * an empty subscription restart its reference, so when such a member comes first Kafka takes
     * the group as equal and gives that member partitions. Ours must stay valid.
     */
    @Test
    void membersWithoutTopicsNeverGetPartitions() {
        Random r = new Random(25);
        Tally tally = new Tally();
        for (int round = 0; round < 300; round++) {
            boolean cooperative = round % 2 == 1;
            Map<String, Integer> topics = topics(r);
            Map<String, Subscription> subs = new HashMap<>();
            StickyAssignorsMatchKafkaTest.sharedSubscriptionGroup(r, topics, cooperative)
                    .forEach((m, s) -> {
                        List<TopicPartition> owned = cooperative
                                ? s.ownedPartitions()
                                : StickyAssignor.deserialize(s.userData()).partitions();
                        subs.put(
                                m,
                                subscription(
                                        r.nextInt(3) == 0 ? List.of() : s.topics(),
                                        owned,
                                        s.generationId(),
                                        cooperative,
                                        false));
                    });
            tally.add(
                    compare(
                            "round " + round,
                            topics,
                            subs,
                            cooperative ? CooperativeStickyAssignor::new : StickyAssignor::new,
                            cooperative
                                    ? org.apache.kafka.clients.consumer.CooperativeStickyAssignor::new
                                    : org.apache.kafka.clients.consumer.StickyAssignor::new),
                    subs);
        }
        tally.print("members without topics");
        assertThat(tally.get(Outcome.APACHE_INVALID)).isPositive();
        assertThat(tally.get(Outcome.IDENTICAL)).isPositive();
    }

    private static TopicPartition tp(String topic, int partition) {
        return new TopicPartition(topic, partition);
    }

    /** Checks a hand-written expectation against both Apache's sticky assignor and ours. */
    private static void expect(
            Map<String, Integer> topics, Map<String, Subscription> subs, Map<String, Set<TopicPartition>> expected) {
        assertThat(asSets(ApacheReference.assign(new org.apache.kafka.clients.consumer.StickyAssignor(), topics, subs)))
                .as("Apache")
                .isEqualTo(expected);
        assertThat(asSets(ApacheReference.ours(new StickyAssignor(), topics, subs)))
                .as("ours")
                .isEqualTo(expected);
    }

    @Test
    void topicsWithFewerEligibleMembersAreDealtFirst() {
        // t1 has two candidates, t2 only c2: c2 takes all of t2 and so none of t1.
        Map<String, Subscription> subs = new HashMap<>();
        subs.put("c1", subscription(List.of("t1"), List.of(), Optional.empty(), false, false));
        subs.put("c2", subscription(List.of("t1", "t2"), List.of(), Optional.empty(), false, false));
        expect(
                Map.of("t1", 3, "t2", 3),
                subs,
                Map.of(
                        "c1", Set.of(tp("t1", 0), tp("t1", 1), tp("t1", 2)),
                        "c2", Set.of(tp("t2", 0), tp("t2", 1), tp("t2", 2))));
    }

    @Test
    void joiningMemberTakesOnlyWhatBalanceNeedsAndAMemberWithoutTopicsGetsNothing() {
        // c1 owned everything; c2 joins for t1 only; c3 subscribes to a topic that does not exist.
        Map<String, Subscription> subs = new HashMap<>();
        subs.put(
                "c1",
                subscription(
                        List.of("t1", "t2"),
                        List.of(tp("t1", 0), tp("t1", 1), tp("t1", 2), tp("t1", 3), tp("t2", 0), tp("t2", 1)),
                        Optional.of(5),
                        false,
                        false));
        subs.put("c2", subscription(List.of("t1"), List.of(), Optional.empty(), false, false));
        subs.put("c3", subscription(List.of("t9"), List.of(), Optional.empty(), false, false));
        expect(
                Map.of("t1", 4, "t2", 2),
                subs,
                Map.of(
                        "c1", Set.of(tp("t1", 3), tp("t2", 0), tp("t2", 1)),
                        "c2", Set.of(tp("t1", 0), tp("t1", 1), tp("t1", 2)),
                        "c3", Set.of()));
    }

    @Test
    void olderGenerationClaimsLoseToNewerOnes() {
        // c2 (generation 4) still claims t1-2 and t1-3, which c1 (generation 5) owns: c1 keeps them
        // unless balance forces a move, and then the older claimant gets t1-2 back.
        Map<String, Subscription> subs = new HashMap<>();
        subs.put(
                "c1",
                subscription(
                        List.of("t1", "t2"),
                        List.of(tp("t1", 0), tp("t1", 1), tp("t1", 2), tp("t1", 3), tp("t2", 0), tp("t2", 1)),
                        Optional.of(5),
                        false,
                        false));
        subs.put("c2", subscription(List.of("t1"), List.of(tp("t1", 3), tp("t1", 2)), Optional.of(4), false, false));
        expect(
                Map.of("t1", 4, "t2", 2),
                subs,
                Map.of(
                        "c1", Set.of(tp("t1", 3), tp("t2", 0), tp("t2", 1)),
                        "c2", Set.of(tp("t1", 0), tp("t1", 1), tp("t1", 2))));
    }
}
