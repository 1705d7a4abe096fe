package io.tributary.client.consumer.assignor;

import io.tributary.client.common.TopicPartition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Sticky assignment shared by {@link StickyAssignor} and {@link CooperativeStickyAssignor}:
 * keep as many previously owned partitions as balance allows, then deal the rest.
 *
 * <p>When every member subscribes to the same topics (the usual case) the result is Kafka's:
 * owned partitions (ordered by partition, then topic) are kept up to the member's quota
 * (floor or ceil of partitions/members, the ceil going to the first members that can keep it),
 * and the remaining partitions, sorted by topic and partition, are dealt round-robin to the
 * members still under quota in member-id order, then one each to members at the floor.
 *
 * <p>Otherwise (members subscribe to different topics) Kafka's general algorithm runs (see
 * {@link GeneralAssignment}); its result is Kafka's too, tie-breaks included, for the same input.
 *
 * <p>Owned partitions: a partition claimed by two members goes to the higher generation, or to
 * nobody when both claim it in the same generation; claims on partitions that do not exist (topic
 * unknown to metadata, or partition beyond its count) are dropped. As in Kafka, the generation of
 * the earlier claimant comes from its subscription's generation field, not its user data.
 *
 * <p>Never throws and never returns an invalid assignment (a leader that throws stalls the group):
 * where Kafka 4.3.1 would (stale claims from members that left the topic or take no part in
 * rebalancing, claims on missing partitions, a member with no topics passing Kafka's equality
 * test) this deviates; on every input where Kafka's result is valid the result is Kafka's.
 *
 * <p>Not rack-aware: {@link ConsumerPartitionAssignor#assign} receives partition counts, not
 * replica racks, so consumer racks ({@code client.rack}) change nothing. Apache's assignors are
 * rack-aware only when both consumer racks and partition replica racks are known and some
 * partition is not on every rack; with no partition racks Apache ignores consumer racks as well,
 * which is the input where the two are compared. A group whose Apache leader sees broker racks
 * can therefore get a different (rack-aligned) assignment than our leader would compute.
 *
 * <p>Instances keep the member's own last assignment (for its user data); called on the
 * consumer's network thread.
 */
public abstract class AbstractStickyAssignor extends AbstractPartitionAssignor {
    public static final int DEFAULT_GENERATION = -1;

    /**
     * Highest generation seen in any rebalance this instance assigned. Like Kafka's it is never
     * reset: members older than it count as previous owners in the general algorithm.
     */
    private int maxGeneration = DEFAULT_GENERATION;

    /** Partition → its new owner, for partitions that move between members (cooperative uses it). */
    protected Map<TopicPartition, String> partitionsTransferringOwnership = new HashMap<>();

    /** Owned partitions and generation as a member reports them. */
    protected record MemberData(List<TopicPartition> partitions, Optional<Integer> generation) {}

    protected abstract MemberData memberData(Subscription subscription);

    @Override
    public Map<String, List<TopicPartition>> assign(
            Map<String, Integer> partitionsPerTopic, Map<String, Subscription> subscriptions) {
        Map<String, List<TopicPartition>> owned = new HashMap<>();
        Set<TopicPartition> multiplyClaimed = new HashSet<>();
        if (allSubscriptionsEqual(partitionsPerTopic, subscriptions, owned, multiplyClaimed)) {
            partitionsTransferringOwnership = new HashMap<>();
            Map<String, List<TopicPartition>> result = constrainedAssign(partitionsPerTopic, owned, multiplyClaimed);
            if (onlySubscribed(result, subscriptions)) {
                return result;
            }
            // Deviation from Kafka: its equality test lets a member with no topics restart the
            // reference, so {A: [], B: [t]} counts as "equal" when A comes first and A gets part of t.
            // Such a group really is heterogeneous: the general path assigns it validly.
        }
        partitionsTransferringOwnership = null;
        return generalAssign(partitionsPerTopic, subscriptions, owned);
    }

    private static boolean onlySubscribed(
            Map<String, List<TopicPartition>> assignment, Map<String, Subscription> subscriptions) {
        for (Map.Entry<String, List<TopicPartition>> e : assignment.entrySet()) {
            List<String> topics = subscriptions.get(e.getKey()).topics();
            for (TopicPartition tp : e.getValue()) {
                if (!topics.contains(tp.topic())) {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean allSubscriptionsEqual(
            Map<String, Integer> partitionsPerTopic,
            Map<String, Subscription> subscriptions,
            Map<String, List<TopicPartition>> owned,
            Set<TopicPartition> multiplyClaimed) {
        Predicate<TopicPartition> exists = tp -> {
            Integer count = partitionsPerTopic.get(tp.topic());
            return count != null && tp.partition() >= 0 && tp.partition() < count;
        };
        boolean equal = true;
        Set<String> first = new HashSet<>();
        Map<TopicPartition, String> previousOwner = new HashMap<>();
        for (Map.Entry<String, Subscription> e : subscriptions.entrySet()) {
            String member = e.getKey();
            Subscription s = e.getValue();
            // As Kafka: compared by size and containment, and a member with no topics restarts the reference.
            if (first.isEmpty()) {
                first.addAll(s.topics());
            } else if (s.topics().size() != first.size() || !first.containsAll(s.topics())) {
                equal = false;
            }
            MemberData data = memberData(s);
            int generation = data.generation().orElse(DEFAULT_GENERATION);
            maxGeneration = Math.max(maxGeneration, generation);
            List<TopicPartition> mine = new ArrayList<>();
            owned.put(member, mine);
            for (TopicPartition tp : data.partitions()) {
                // Deviation from Kafka: a claim on a partition that does not exist (deleted topic, or
                // beyond the count of a topic re-created smaller) is ignored; Kafka keeps it, which can
                // assign it, assign another partition twice, or throw.
                if (!exists.test(tp)) {
                    continue;
                }
                String other = previousOwner.get(tp);
                if (other == null) {
                    mine.add(tp);
                    previousOwner.put(tp, member);
                    continue;
                }
                // As Kafka: the other claimant's generation comes from its subscription itself.
                int otherGeneration = subscriptions.get(other).generationId().orElse(DEFAULT_GENERATION);
                if (generation == otherGeneration) {
                    multiplyClaimed.add(tp);
                    owned.get(other).remove(tp);
                    previousOwner.put(tp, member);
                } else if (generation > otherGeneration) {
                    mine.add(tp);
                    owned.get(other).remove(tp);
                    previousOwner.put(tp, member);
                }
            }
        }
        return equal;
    }

    private Map<String, List<TopicPartition>> constrainedAssign(
            Map<String, Integer> partitionsPerTopic,
            Map<String, List<TopicPartition>> owned,
            Set<TopicPartition> multiplyClaimed) {
        int total =
                partitionsPerTopic.values().stream().mapToInt(Integer::intValue).sum();
        int members = owned.size();
        int minQuota = total / members;
        int maxQuota = (total + members - 1) / members;
        int expectedOverMin = total % members;
        int currentOverMin = 0;
        Set<TopicPartition> revoked = new HashSet<>();
        List<String> underMin = new LinkedList<>();
        LinkedList<String> atMin = new LinkedList<>();
        Map<String, List<TopicPartition>> assignment = new HashMap<>();
        owned.keySet().forEach(m -> assignment.put(m, new ArrayList<>(maxQuota)));
        List<TopicPartition> assigned = new ArrayList<>();

        for (Map.Entry<String, List<TopicPartition>> e : owned.entrySet()) {
            String member = e.getKey();
            List<TopicPartition> mine = new ArrayList<>(e.getValue());
            mine.sort(Comparator.comparingInt(TopicPartition::partition).thenComparing(TopicPartition::topic));
            mine.removeAll(multiplyClaimed);
            List<TopicPartition> target = assignment.get(member);
            if (mine.size() < minQuota) {
                target.addAll(mine);
                assigned.addAll(mine);
                underMin.add(member);
            } else if (mine.size() >= maxQuota && currentOverMin < expectedOverMin) {
                currentOverMin++;
                if (currentOverMin == expectedOverMin) {
                    atMin.clear();
                }
                target.addAll(mine.subList(0, maxQuota));
                assigned.addAll(mine.subList(0, maxQuota));
                revoked.addAll(mine.subList(maxQuota, mine.size()));
            } else {
                target.addAll(mine.subList(0, minQuota));
                assigned.addAll(mine.subList(0, minQuota));
                revoked.addAll(mine.subList(minQuota, mine.size()));
                if (currentOverMin < expectedOverMin) {
                    atMin.add(member);
                }
            }
        }

        List<TopicPartition> unassigned = unassignedSorted(partitionsPerTopic, assigned);
        Collections.sort(underMin);
        Collections.sort(atMin);

        Iterator<String> underIt = underMin.iterator();
        for (TopicPartition tp : unassigned) {
            String member;
            if (underIt.hasNext()) {
                member = underIt.next();
            } else if (underMin.isEmpty() && atMin.isEmpty()) {
                throw new IllegalStateException("No more unfilled consumers to be assigned.");
            } else if (underMin.isEmpty()) {
                member = atMin.poll();
            } else {
                underIt = underMin.iterator();
                member = underIt.next();
            }
            List<TopicPartition> target = assignment.get(member);
            target.add(tp);
            if (revoked.contains(tp) || multiplyClaimed.contains(tp)) {
                partitionsTransferringOwnership.put(tp, member);
            }
            if (target.size() == minQuota) {
                underIt.remove();
                atMin.add(member);
            } else if (target.size() == maxQuota) {
                currentOverMin++;
            }
        }
        // Only reachable with claims on partitions that do not exist; Kafka refuses the same way.
        if (!underMin.isEmpty()) {
            if (currentOverMin != expectedOverMin) {
                throw new IllegalStateException("Members over the minimum quota: " + currentOverMin + ", expected "
                        + expectedOverMin + ", and no partitions left for " + underMin);
            }
            for (String member : underMin) {
                if (assignment.get(member).size() != minQuota) {
                    throw new IllegalStateException("Member " + member + " is below its minimum quota of " + minQuota
                            + " with no partitions left");
                }
            }
        }
        return assignment;
    }

    private static List<TopicPartition> unassignedSorted(
            Map<String, Integer> partitionsPerTopic, List<TopicPartition> assigned) {
        List<String> topics = new ArrayList<>(partitionsPerTopic.keySet());
        Collections.sort(topics);
        List<TopicPartition> all = new ArrayList<>();
        for (String topic : topics) {
            for (int p = 0; p < partitionsPerTopic.get(topic); p++) {
                all.add(new TopicPartition(topic, p));
            }
        }
        return notKept(all, new ArrayList<>(assigned), Comparator.naturalOrder());
    }

    /**
     * {@code all} minus {@code kept}, walking both in {@code order} as Kafka does. Kept partitions
     * must exist (claims on missing ones are dropped on input): one that does not would stall the
     * walk, which is how Kafka fails or double-assigns on such claims.
     */
    private static List<TopicPartition> notKept(
            List<TopicPartition> all, List<TopicPartition> kept, Comparator<TopicPartition> order) {
        if (kept.isEmpty()) {
            return all;
        }
        kept.sort(order);
        List<TopicPartition> out = new ArrayList<>();
        Iterator<TopicPartition> keptIt = kept.iterator();
        TopicPartition next = keptIt.next();
        boolean rest = false;
        for (TopicPartition tp : all) {
            if (rest || !next.equals(tp)) {
                out.add(tp);
            } else if (keptIt.hasNext()) {
                next = keptIt.next();
            } else {
                rest = true;
            }
        }
        return out;
    }

    private Map<String, List<TopicPartition>> generalAssign(
            Map<String, Integer> partitionsPerTopic,
            Map<String, Subscription> subscriptions,
            Map<String, List<TopicPartition>> owned) {
        return new GeneralAssignment(partitionsPerTopic, subscriptions, owned).run();
    }

    /** The latest earlier owner of a partition, from a member of an older generation. */
    private record PreviousOwner(String member, int generation) {}

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
    private final class GeneralAssignment {
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

        GeneralAssignment(
                Map<String, Integer> partitionsPerTopic,
                Map<String, Subscription> subscriptions,
                Map<String, List<TopicPartition>> owned) {
            this.partitionsPerTopic = partitionsPerTopic;
            this.subscriptions = subscriptions;
            this.current = owned;
            this.totalPartitions = partitionsPerTopic.values().stream()
                    .mapToInt(Integer::intValue)
                    .sum();
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
                    Comparator.comparingInt((String m) -> current.get(m).size())
                            .thenComparing(Comparator.naturalOrder()));
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
                MemberData data = memberData(s);
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
            return notKept(sortedPartitions, kept, (x, y) -> {
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
    }

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
