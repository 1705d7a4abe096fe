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
 * {@link GeneralStickyAssignment}); its result is Kafka's too, tie-breaks included, for the same input.
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
    static List<TopicPartition> notKept(
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
        return new GeneralStickyAssignment(partitionsPerTopic, subscriptions, owned, maxGeneration, this::memberData)
                .run();
    }
}
