package io.tributary.client.consumer.assignor;

import static io.tributary.client.consumer.assignor.AbstractStickyAssignor.DEFAULT_GENERATION;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.assignor.AbstractStickyAssignor.MemberData;
import io.tributary.client.consumer.assignor.ConsumerPartitionAssignor.Subscription;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The general case (members subscribe to different topics), following KIP-54's algorithm as
 * Kafka implements it: keep valid owned partitions, give each unassigned partition (topics with
 * the fewest eligible members first) to the least-loaded eligible member, then repeatedly move
 * partitions from a member holding two or more than an eligible one towards the least-loaded
 * eligible member (preferring a partition's previous owner from an older generation), undoing
 * a move that would reverse an earlier one, and keeping the result only if it is more balanced.
 * Kafka's tie-breaks depend on hash iteration order, so this mirrors its collections: member
 * maps are HashMaps filled in subscription order and the moved-partition sets hash partitions
 * as Kafka's TopicPartition does.
 */
final class GeneralStickyAssignment {
    private final int maxGeneration;
    private final Function<Subscription, MemberData> memberData;

    private final Map<String, Integer> partitionsPerTopic;
    private final Map<String, Subscription> subscriptions;
    private final Map<String, List<TopicPartition>> current;
    private final Map<String, List<String>> topicMembers;
    private final Map<String, List<String>> memberTopics;
    private final Map<TopicPartition, String> partitionOwner = new HashMap<>();
    private final List<TopicPartition> sortedPartitions = new ArrayList<>();
    private final TreeSet<String> byLoad;
    private final Movements movements = new Movements();
    private final int totalPartitions;
    private boolean revocationRequired;

    GeneralStickyAssignment(
            Map<String, Integer> partitionsPerTopic,
            Map<String, Subscription> subscriptions,
            Map<String, List<TopicPartition>> owned,
            int maxGeneration,
            Function<Subscription, MemberData> memberData) {
        this.maxGeneration = maxGeneration;
        this.memberData = memberData;
        this.partitionsPerTopic = partitionsPerTopic;
        this.subscriptions = subscriptions;
        this.current = owned;
        this.totalPartitions =
                partitionsPerTopic.values().stream().mapToInt(Integer::intValue).sum();
        topicMembers = new HashMap<>(partitionsPerTopic.size());
        memberTopics = new HashMap<>(subscriptions.size());
        partitionsPerTopic.keySet().forEach(t -> topicMembers.put(t, new ArrayList<>()));
        subscriptions.forEach((member, s) -> {
            List<String> topics = new ArrayList<>(s.topics().size());
            memberTopics.put(member, topics);
            for (String t : s.topics()) {
                if (partitionsPerTopic.get(t) != null) {
                    topics.add(t);
                    topicMembers.get(t).add(member);
                }
            }
            current.computeIfAbsent(member, m -> new ArrayList<>());
        });
        current.forEach((member, parts) -> parts.forEach(tp -> partitionOwner.put(tp, member)));
        List<String> topics = new ArrayList<>(topicMembers.keySet());
        topics.sort(byEligibleMembers());
        for (String t : topics) {
            for (int p = 0; p < partitionsPerTopic.get(t); p++) {
                sortedPartitions.add(new TopicPartition(t, p));
            }
        }
        byLoad = new TreeSet<>(
                Comparator.comparingInt((String m) -> current.get(m).size()).thenComparing(Comparator.naturalOrder()));
    }

    private Comparator<String> byEligibleMembers() {
        return Comparator.comparingInt((String t) -> topicMembers.get(t).size())
                .thenComparing(Comparator.naturalOrder());
    }

    Map<String, List<TopicPartition>> run() {
        Map<TopicPartition, PreviousOwner> previous = previousOwners();
        List<TopicPartition> kept = keepOwned();
        List<TopicPartition> unassigned = unassigned(kept);
        byLoad.addAll(current.keySet());
        balance(previous, unassigned);
        return current;
    }

    /** Partitions reported by members older than the newest generation, newest claim first. */
    private Map<TopicPartition, PreviousOwner> previousOwners() {
        Map<TopicPartition, PreviousOwner> previous = new HashMap<>();
        subscriptions.forEach((member, s) -> {
            MemberData data = memberData.apply(s);
            int generation;
            if (data.generation().isPresent() && data.generation().get() < maxGeneration) {
                generation = data.generation().get();
            } else if (data.generation().isEmpty() && maxGeneration > DEFAULT_GENERATION) {
                generation = DEFAULT_GENERATION;
            } else {
                return;
            }
            for (TopicPartition tp : data.partitions()) {
                PreviousOwner known = previous.get(tp);
                if (known == null || generation > known.generation()) {
                    previous.put(tp, new PreviousOwner(member, generation));
                }
            }
        });
        return previous;
    }

    private List<TopicPartition> keepOwned() {
        List<TopicPartition> kept = new ArrayList<>();
        for (Map.Entry<String, List<TopicPartition>> e : current.entrySet()) {
            Subscription s = subscriptions.get(e.getKey());
            for (Iterator<TopicPartition> it = e.getValue().iterator(); it.hasNext(); ) {
                TopicPartition tp = it.next();
                if (!topicMembers.containsKey(tp.topic())) {
                    it.remove();
                    partitionOwner.remove(tp);
                } else if (!s.topics().contains(tp.topic())) {
                    // The owner stays recorded until someone else takes it, as in Kafka.
                    it.remove();
                    revocationRequired = true;
                } else {
                    kept.add(tp);
                }
            }
        }
        return kept;
    }

    private List<TopicPartition> unassigned(List<TopicPartition> kept) {
        Comparator<String> topicOrder = byEligibleMembers();
        return AbstractStickyAssignor.notKept(sortedPartitions, kept, (x, y) -> {
            int c = topicOrder.compare(x.topic(), y.topic());
            return c != 0 ? c : Integer.compare(x.partition(), y.partition());
        });
    }

    private void balance(Map<TopicPartition, PreviousOwner> previous, List<TopicPartition> unassigned) {
        boolean initializing = current.get(byLoad.last()).isEmpty();
        for (TopicPartition tp : unassigned) {
            if (topicMembers.get(tp.topic()).isEmpty()) {
                continue;
            }
            for (String member : byLoad) {
                if (memberTopics.get(member).contains(tp.topic())) {
                    byLoad.remove(member);
                    current.get(member).add(tp);
                    partitionOwner.put(tp, member);
                    byLoad.add(member);
                    break;
                }
            }
        }
        // Partitions of topics with a single eligible member, and members that can neither gain
        // nor lose anything, take no part in rebalancing.
        Set<TopicPartition> fixedPartitions = new HashSet<>();
        for (String topic : topicMembers.keySet()) {
            if (!movable(topic)) {
                for (int p = 0; p < partitionsPerTopic.get(topic); p++) {
                    fixedPartitions.add(new TopicPartition(topic, p));
                }
            }
        }
        sortedPartitions.removeAll(fixedPartitions);
        unassigned.removeAll(fixedPartitions);
        Map<String, List<TopicPartition>> fixedMembers = new HashMap<>();
        for (String member : memberTopics.keySet()) {
            if (!canChange(member)) {
                byLoad.remove(member);
                fixedMembers.put(member, current.remove(member));
            }
        }
        Map<String, List<TopicPartition>> before = copy(current);
        Map<TopicPartition, String> ownersBefore = new HashMap<>(partitionOwner);
        // Without forced revocations, first try to balance by moving only the new partitions.
        if (!revocationRequired) {
            reassign(unassigned, previous);
        }
        boolean changed = reassign(sortedPartitions, previous);
        if (!initializing && changed && balanceScore(current) >= balanceScore(before)) {
            current.clear();
            current.putAll(copy(before));
            partitionOwner.clear();
            partitionOwner.putAll(ownersBefore);
        }
        current.putAll(fixedMembers);
    }

    private boolean movable(String topic) {
        return topicMembers.get(topic).size() >= 2;
    }

    private boolean canChange(String member) {
        List<TopicPartition> mine = current.get(member);
        if (mine.size() < maxSize(memberTopics.get(member))) {
            return true;
        }
        for (TopicPartition tp : mine) {
            if (movable(tp.topic())) {
                return true;
            }
        }
        return false;
    }

    private int maxSize(List<String> topics) {
        if (topics.size() == partitionsPerTopic.size()) {
            return totalPartitions;
        }
        int n = 0;
        for (String t : topics) {
            n += partitionsPerTopic.get(t);
        }
        return n;
    }

    private boolean reassign(List<TopicPartition> candidates, Map<TopicPartition, PreviousOwner> previous) {
        boolean changed = false;
        boolean modified;
        do {
            modified = false;
            for (Iterator<TopicPartition> it = candidates.iterator(); it.hasNext() && !balanced(); ) {
                TopicPartition tp = it.next();
                String owner = partitionOwner.get(tp);
                int ownerLoad = current.get(owner).size();
                PreviousOwner prev = previous.get(tp);
                // Deviation from Kafka: the older-generation owner is preferred only if it still
                // subscribes to the topic and takes part in rebalancing. Kafka prefers it regardless,
                // giving a non-subscriber the partition or throwing NullPointerException.
                if (prev != null
                        && current.containsKey(prev.member())
                        && memberTopics.get(prev.member()).contains(tp.topic())
                        && ownerLoad > current.get(prev.member()).size() + 1) {
                    move(tp, prev.member());
                    changed = modified = true;
                    continue;
                }
                for (String other : topicMembers.get(tp.topic())) {
                    if (ownerLoad > current.get(other).size() + 1) {
                        move(tp, leastLoadedEligible(tp.topic()));
                        changed = modified = true;
                        break;
                    }
                }
            }
        } while (modified);
        return changed;
    }

    private String leastLoadedEligible(String topic) {
        for (String member : byLoad) {
            if (memberTopics.get(member).contains(topic)) {
                return member;
            }
        }
        throw new IllegalStateException("No member subscribes to " + topic);
    }

    /** True when loads differ by at most one, or no partition could move to a lighter member. */
    private boolean balanced() {
        int min = current.get(byLoad.first()).size();
        int max = current.get(byLoad.last()).size();
        if (min >= max - 1) {
            return true;
        }
        Map<TopicPartition, String> owners = new HashMap<>();
        current.forEach((member, parts) -> parts.forEach(tp -> owners.put(tp, member)));
        for (String member : byLoad) {
            List<TopicPartition> mine = current.get(member);
            if (mine.size() == maxSize(memberTopics.get(member))) {
                continue;
            }
            for (String topic : memberTopics.get(member)) {
                for (int p = 0; p < partitionsPerTopic.get(topic); p++) {
                    TopicPartition tp = new TopicPartition(topic, p);
                    if (!mine.contains(tp)
                            && mine.size() + 1 < current.get(owners.get(tp)).size()) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private void move(TopicPartition tp, String to) {
        TopicPartition actual = movements.partitionToMove(tp, partitionOwner.get(tp), to);
        String from = partitionOwner.get(actual);
        byLoad.remove(from);
        byLoad.remove(to);
        movements.record(actual, from, to);
        current.get(from).remove(actual);
        current.get(to).add(actual);
        partitionOwner.put(actual, to);
        byLoad.add(to);
        byLoad.add(from);
    }
    /** The latest earlier owner of a partition, from a member of an older generation. */
    private record PreviousOwner(String member, int generation) {}

    private static Map<String, List<TopicPartition>> copy(Map<String, List<TopicPartition>> a) {
        Map<String, List<TopicPartition>> out = new HashMap<>();
        a.forEach((m, l) -> out.put(m, new ArrayList<>(l)));
        return out;
    }

    /** Sum over all member pairs of the difference in partition counts; 0 is perfectly even. */
    private static int balanceScore(Map<String, List<TopicPartition>> a) {
        List<Integer> sizes = new ArrayList<>();
        a.values().forEach(l -> sizes.add(l.size()));
        int score = 0;
        for (int i = 0; i < sizes.size(); i++) {
            for (int j = i + 1; j < sizes.size(); j++) {
                score += Math.abs(sizes.get(i) - sizes.get(j));
            }
        }
        return score;
    }

    private record Move(String from, String to) {}

    /**
     * A partition keyed as Kafka's TopicPartition hashes, so a set of them iterates in Kafka's order
     * (which partition of a reverse move is picked depends on it).
     */
    private record KafkaKey(TopicPartition tp) {
        @Override
        public int hashCode() {
            return 31 * (31 + tp.partition()) + tp.topic().hashCode();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof KafkaKey k && k.tp.equals(tp);
        }
    }

    /**
     * Net partition moves of one rebalance, per topic and member pair. Stickiness: rather than
     * moving a partition from A to B while another partition of the topic already moved from B to
     * A, that earlier partition goes back.
     */
    private static final class Movements {
        private final Map<String, Map<Move, Set<KafkaKey>>> byTopic = new HashMap<>();
        private final Map<TopicPartition, Move> moves = new HashMap<>();

        TopicPartition partitionToMove(TopicPartition tp, String from, String to) {
            Map<Move, Set<KafkaKey>> topicMoves = byTopic.get(tp.topic());
            if (topicMoves == null) {
                return tp;
            }
            Move earlier = moves.get(tp);
            String origin = earlier != null ? earlier.from() : from;
            Set<KafkaKey> reverse = topicMoves.get(new Move(to, origin));
            return reverse == null ? tp : reverse.iterator().next().tp();
        }

        void record(TopicPartition tp, String from, String to) {
            Move earlier = moves.remove(tp);
            if (earlier == null) {
                add(tp, new Move(from, to));
                return;
            }
            Map<Move, Set<KafkaKey>> topicMoves = byTopic.get(tp.topic());
            Set<KafkaKey> set = topicMoves.get(earlier);
            set.remove(new KafkaKey(tp));
            if (set.isEmpty()) {
                topicMoves.remove(earlier);
            }
            if (topicMoves.isEmpty()) {
                byTopic.remove(tp.topic());
            }
            if (!earlier.from().equals(to)) {
                add(tp, new Move(earlier.from(), to));
            }
        }

        private void add(TopicPartition tp, Move move) {
            moves.put(tp, move);
            byTopic.computeIfAbsent(tp.topic(), t -> new HashMap<>())
                    .computeIfAbsent(move, m -> new HashSet<>())
                    .add(new KafkaKey(tp));
        }
    }
}
