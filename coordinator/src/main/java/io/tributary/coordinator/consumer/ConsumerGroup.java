package io.tributary.coordinator.consumer;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A consumer group of the next-generation protocol (KIP-848): the group epoch (bumped when a
 * member joins or leaves, a subscription changes or a subscribed topic changes), the target
 * assignment computed for that epoch, and the members reconciling towards it. Mutable; owned by
 * the coordinator thread.
 */
public final class ConsumerGroup {
    /** Kafka's state names (ConsumerGroup.ConsumerGroupState). */
    public static final String EMPTY = "Empty";

    public static final String RECONCILING = "Reconciling";
    public static final String STABLE = "Stable";

    final String groupId;
    int groupEpoch;
    int assignmentEpoch;
    String assignorName;
    /** The subscribed topics' ids and partition counts the target was computed from. */
    String metadataFingerprint = "";

    final TreeMap<String, ConsumerMember> members = new TreeMap<>();
    final TreeMap<String, TreeMap<UUID, TreeSet<Integer>>> target = new TreeMap<>();

    ConsumerGroup(String groupId) {
        this.groupId = groupId;
    }

    public String groupId() {
        return groupId;
    }

    public int groupEpoch() {
        return groupEpoch;
    }

    public int assignmentEpoch() {
        return assignmentEpoch;
    }

    public int numMembers() {
        return members.size();
    }

    public boolean isEmpty() {
        return members.isEmpty();
    }

    public String state() {
        if (members.isEmpty()) {
            return EMPTY;
        }
        for (ConsumerMember m : members.values()) {
            if (m.memberEpoch != assignmentEpoch && m.memberEpoch != ConsumerMember.TEMPORARILY_LEFT
                    || !m.revoking.isEmpty()
                    || !Partitions.same(m.assigned, targetOf(m.memberId))) {
                return RECONCILING;
            }
        }
        return STABLE;
    }

    TreeMap<UUID, TreeSet<Integer>> targetOf(String memberId) {
        TreeMap<UUID, TreeSet<Integer>> t = target.get(memberId);
        return t == null ? Partitions.empty() : t;
    }

    /** Whether a member subscribes to the topic, by name or by regular expression. */
    public boolean isSubscribedToTopic(String topic) {
        for (ConsumerMember m : members.values()) {
            if (m.subscribedTopicNames.contains(topic)
                    || m.subscribedTopicRegex != null && TopicRegex.matches(m.subscribedTopicRegex, topic)) {
                return true;
            }
        }
        return false;
    }

    ConsumerMember memberByInstanceId(String instanceId) {
        for (ConsumerMember m : members.values()) {
            if (instanceId.equals(m.instanceId)) {
                return m;
            }
        }
        return null;
    }

    /** Whether a member other than {@code except} still owns the partition. */
    boolean ownedByOther(String except, UUID topic, int partition) {
        for (Map.Entry<String, ConsumerMember> e : members.entrySet()) {
            if (!e.getKey().equals(except) && e.getValue().owns(topic, partition)) {
                return true;
            }
        }
        return false;
    }

    /** Read-only facts for tests and tools. */
    public int memberEpoch(String memberId) {
        ConsumerMember m = members.get(memberId);
        return m == null ? -1 : m.memberEpoch;
    }

    public Map<UUID, ? extends java.util.Set<Integer>> assignedPartitions(String memberId) {
        ConsumerMember m = members.get(memberId);
        return m == null ? Map.of() : Partitions.copy(m.assigned);
    }

    public java.util.Set<String> memberIds() {
        return java.util.Set.copyOf(members.keySet());
    }
}
