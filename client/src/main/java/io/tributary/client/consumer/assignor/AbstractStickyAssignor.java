package io.tributary.client.consumer.assignor;

import io.tributary.client.consumer.TopicPartition;
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

/**
 * Sticky assignment shared by {@link StickyAssignor} and {@link CooperativeStickyAssignor}:
 * keep as many previously owned partitions as balance allows, then deal the rest.
 *
 * <p>When every member subscribes to the same topics (the usual case) the result is Kafka's:
 * owned partitions (ordered by partition, then topic) are kept up to the member's quota
 * (floor or ceil of partitions/members, the ceil going to the first members that can keep it),
 * and the remaining partitions, sorted by topic and partition, are dealt round-robin to the
 * members still under quota in member-id order, then one each to members at the floor. Owned
 * partitions are only trusted from members of the highest generation; a partition claimed by
 * two members of one generation is taken from both.
 *
 * <p>Otherwise (members subscribe to different topics) a simpler general algorithm keeps valid
 * owned partitions, deals the rest to the least-loaded eligible member and moves partitions from
 * the most to the least loaded eligible member until no move narrows the gap. It is valid,
 * balanced and sticky but not guaranteed to match Kafka partition for partition. Not rack-aware.
 *
 * <p>Instances keep the member's own last assignment (for its user data); called on the
 * consumer's network thread.
 */
public abstract class AbstractStickyAssignor extends AbstractPartitionAssignor {
    public static final int DEFAULT_GENERATION = -1;

    /** Partition → its new owner, for partitions that move between members (cooperative uses it). */
    protected Map<TopicPartition, String> partitionsTransferringOwnership = new HashMap<>();

    /** Owned partitions and generation as a member reports them. */
    protected record MemberData(List<TopicPartition> partitions, Optional<Integer> generation) {
    }

    protected abstract MemberData memberData(Subscription subscription);

    @Override
    public Map<String, List<TopicPartition>> assign(Map<String, Integer> partitionsPerTopic,
                                                    Map<String, Subscription> subscriptions) {
        Map<String, List<TopicPartition>> owned = new HashMap<>();
        Set<TopicPartition> multiplyClaimed = new HashSet<>();
        if (allSubscriptionsEqual(partitionsPerTopic.keySet(), subscriptions, owned, multiplyClaimed)) {
            partitionsTransferringOwnership = new HashMap<>();
            return constrainedAssign(partitionsPerTopic, owned, multiplyClaimed);
        }
        partitionsTransferringOwnership = null;
        return generalAssign(partitionsPerTopic, subscriptions, owned);
    }

    private boolean allSubscriptionsEqual(Set<String> allTopics, Map<String, Subscription> subscriptions,
                                          Map<String, List<TopicPartition>> owned, Set<TopicPartition> multiplyClaimed) {
        boolean equal = true;
        Set<String> first = null;
        Map<TopicPartition, String> previousOwner = new HashMap<>();
        for (Map.Entry<String, Subscription> e : subscriptions.entrySet()) {
            String member = e.getKey();
            Subscription s = e.getValue();
            Set<String> topics = new HashSet<>(s.topics());
            if (first == null) {
                first = topics;
            } else if (!first.equals(topics)) {
                equal = false;
            }
            MemberData data = memberData(s);
            int generation = data.generation().orElse(DEFAULT_GENERATION);
            List<TopicPartition> mine = new ArrayList<>();
            owned.put(member, mine);
            for (TopicPartition tp : data.partitions()) {
                if (!allTopics.contains(tp.topic())) {
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

    private Map<String, List<TopicPartition>> constrainedAssign(Map<String, Integer> partitionsPerTopic,
                                                                Map<String, List<TopicPartition>> owned,
                                                                Set<TopicPartition> multiplyClaimed) {
        int total = partitionsPerTopic.values().stream().mapToInt(Integer::intValue).sum();
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
        return assignment;
    }

    private static List<TopicPartition> unassignedSorted(Map<String, Integer> partitionsPerTopic,
                                                         List<TopicPartition> assigned) {
        Set<TopicPartition> taken = new HashSet<>(assigned);
        List<String> topics = new ArrayList<>(partitionsPerTopic.keySet());
        Collections.sort(topics);
        List<TopicPartition> out = new ArrayList<>();
        for (String topic : topics) {
            for (int p = 0; p < partitionsPerTopic.get(topic); p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                if (!taken.contains(tp)) {
                    out.add(tp);
                }
            }
        }
        return out;
    }

    private Map<String, List<TopicPartition>> generalAssign(Map<String, Integer> partitionsPerTopic,
                                                            Map<String, Subscription> subscriptions,
                                                            Map<String, List<TopicPartition>> owned) {
        Map<String, List<TopicPartition>> assignment = new HashMap<>();
        Set<TopicPartition> taken = new HashSet<>();
        List<String> memberIds = new ArrayList<>(subscriptions.keySet());
        Collections.sort(memberIds);
        for (String m : memberIds) {
            List<TopicPartition> keep = new ArrayList<>();
            for (TopicPartition tp : owned.getOrDefault(m, List.of())) {
                if (subscriptions.get(m).topics().contains(tp.topic()) && tp.partition() < partitionsPerTopic.getOrDefault(tp.topic(), 0)
                        && taken.add(tp)) {
                    keep.add(tp);
                }
            }
            assignment.put(m, keep);
        }
        // Topics with the fewest eligible members first: they have the least freedom.
        Map<String, List<String>> eligible = new HashMap<>();
        for (String topic : partitionsPerTopic.keySet()) {
            List<String> ms = new ArrayList<>();
            for (String m : memberIds) {
                if (subscriptions.get(m).topics().contains(topic)) {
                    ms.add(m);
                }
            }
            eligible.put(topic, ms);
        }
        List<String> topics = new ArrayList<>(partitionsPerTopic.keySet());
        topics.sort(Comparator.comparingInt((String t) -> eligible.get(t).size()).thenComparing(t -> t));
        for (String topic : topics) {
            for (int p = 0; p < partitionsPerTopic.get(topic); p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                if (taken.contains(tp) || eligible.get(topic).isEmpty()) {
                    continue;
                }
                String best = leastLoaded(eligible.get(topic), assignment);
                assignment.get(best).add(tp);
                taken.add(tp);
            }
        }
        // Move partitions from heavier to lighter eligible members while that narrows the gap.
        boolean moved = true;
        while (moved) {
            moved = false;
            TreeSet<String> byLoad = new TreeSet<>(Comparator.comparingInt((String m) -> assignment.get(m).size())
                    .thenComparing(m -> m));
            byLoad.addAll(memberIds);
            outer:
            for (String heavy : byLoad.descendingSet()) {
                for (TopicPartition tp : new ArrayList<>(assignment.get(heavy))) {
                    for (String light : byLoad) {
                        if (assignment.get(light).size() + 1 >= assignment.get(heavy).size()) {
                            break;
                        }
                        if (eligible.get(tp.topic()).contains(light)) {
                            assignment.get(heavy).remove(tp);
                            assignment.get(light).add(tp);
                            moved = true;
                            break outer;
                        }
                    }
                }
            }
        }
        return assignment;
    }

    private static String leastLoaded(List<String> candidates, Map<String, List<TopicPartition>> assignment) {
        String best = null;
        for (String m : candidates) {
            if (best == null || assignment.get(m).size() < assignment.get(best).size()) {
                best = m;
            }
        }
        return best;
    }
}
