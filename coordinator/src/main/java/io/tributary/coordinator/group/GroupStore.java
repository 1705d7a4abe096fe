package io.tributary.coordinator.group;

import io.tributary.coordinator.record.RecordCodec;
import io.tributary.coordinator.runtime.CoordinatorRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * All groups by id, plus the last group record persisted for each (what a restart would load,
 * and what a log snapshot restates). Applies group records on replay. Owned by the coordinator
 * thread.
 */
public final class GroupStore {
    private final Map<String, ClassicGroup> groups = new TreeMap<>();
    private final Map<String, CoordinatorRecord> persisted = new HashMap<>();
    private GroupRemovalListener removalListener = g -> {};
    private ConsumerGroups consumerGroups = ConsumerGroups.NONE;

    /**
     * The consumer groups of the next-generation protocol (KIP-848), kept elsewhere: an id they
     * hold is no classic group, and their offset commits are checked by member epoch.
     */
    public interface ConsumerGroups {
        ConsumerGroups NONE = new ConsumerGroups() {
            @Override
            public boolean contains(String groupId) {
                return false;
            }

            @Override
            public io.tributary.protocol.Errors validateOffsetCommit(
                    String groupId, String memberId, int memberEpoch, String instanceId) {
                return null;
            }

            @Override
            public io.tributary.protocol.Errors validateOffsetFetch(String groupId, String memberId, int memberEpoch) {
                return null;
            }
        };

        boolean contains(String groupId);

        /** Null when the id names no consumer group. */
        io.tributary.protocol.Errors validateOffsetCommit(
                String groupId, String memberId, int memberEpoch, String instanceId);

        /** The member check of OffsetFetch v9+ for a consumer group; null when the id names none. */
        io.tributary.protocol.Errors validateOffsetFetch(String groupId, String memberId, int memberEpoch);

        /** Whether the member is a classic member of the consumer group (it may commit with any version). */
        default boolean usesClassicProtocol(String groupId, String memberId) {
            return false;
        }

        /** An accepted OffsetCommit (not transactional) from the member. */
        default void committed(String groupId, String memberId) {}
    }

    public void setConsumerGroups(ConsumerGroups groups) {
        this.consumerGroups = groups;
    }

    public ConsumerGroups consumerGroups() {
        return consumerGroups;
    }

    /** Offsets always belong to a group: a standalone consumer's is a "simple" classic one, unless a consumer group holds the id. */
    public void ensureOffsetsOwner(String groupId, long nowMs) {
        if (groups.get(groupId) == null && !consumerGroups.contains(groupId)) {
            create(groupId, nowMs);
        }
    }

    /** Told when a group leaves the store, so its timers can be cancelled. */
    public interface GroupRemovalListener {
        void onRemoved(ClassicGroup group);
    }

    public void setRemovalListener(GroupRemovalListener listener) {
        this.removalListener = listener;
    }

    public ClassicGroup get(String groupId) {
        return groups.get(groupId);
    }

    public Collection<ClassicGroup> all() {
        return groups.values();
    }

    public ClassicGroup create(String groupId, long nowMs) {
        ClassicGroup g = new ClassicGroup(groupId, nowMs);
        groups.put(groupId, g);
        return g;
    }

    /** Drops a group that was never persisted (for example a failed first join). */
    void dropUnpersisted(ClassicGroup group) {
        if (!persisted.containsKey(group.groupId()) && groups.get(group.groupId()) == group) {
            groups.remove(group.groupId());
        }
    }

    public int persistedCount() {
        return persisted.size();
    }

    public List<CoordinatorRecord> persistedRecords() {
        return new ArrayList<>(persisted.values());
    }

    /** The record that persists a group's durable part: generation, protocol, leader, members, assignments. */
    public static CoordinatorRecord recordOf(ClassicGroup g) {
        List<RecordCodec.MemberValue> members = new ArrayList<>(g.numMembers());
        for (ClassicGroupMember m : g.allMembers()) {
            members.add(new RecordCodec.MemberValue(
                    m.memberId(),
                    m.groupInstanceId(),
                    m.clientId(),
                    m.clientHost(),
                    m.rebalanceTimeoutMs(),
                    m.sessionTimeoutMs(),
                    m.protocols(),
                    m.assignment()));
        }
        return RecordCodec.groupMetadata(
                g.groupId(),
                new RecordCodec.GroupValue(
                        g.protocolType(),
                        g.generationId(),
                        g.protocolName(),
                        g.leaderId(),
                        g.currentStateTimestampMs(),
                        members));
    }

    /**
     * Applies a group record. At load it (re)builds the group; live, the group already is in the
     * recorded state (the handler changed it before emitting the record), so only the persisted
     * copy is kept. A tombstone removes the group either way.
     */
    public void replay(String groupId, byte[] value, CoordinatorRecord record, boolean loading, long nowMs) {
        if (value == null) {
            persisted.remove(groupId);
            ClassicGroup g = groups.remove(groupId);
            if (g != null) {
                if (!g.isInState(ClassicGroupState.DEAD)) {
                    g.markDead(nowMs);
                }
                removalListener.onRemoved(g);
            }
            return;
        }
        persisted.put(groupId, record);
        if (loading || !groups.containsKey(groupId)) {
            RecordCodec.GroupValue v = RecordCodec.decodeGroupValue(value);
            List<ClassicGroupMember> members = new ArrayList<>(v.members().size());
            for (RecordCodec.MemberValue m : v.members()) {
                // Records from clients that never set a rebalance timeout (JoinGroup v0) use the session one.
                int rebalanceTimeoutMs = m.rebalanceTimeoutMs() < 0 ? m.sessionTimeoutMs() : m.rebalanceTimeoutMs();
                members.add(new ClassicGroupMember(
                        m.memberId(),
                        m.groupInstanceId(),
                        m.clientId(),
                        m.clientHost(),
                        rebalanceTimeoutMs,
                        m.sessionTimeoutMs(),
                        v.protocolType(),
                        m.protocols(),
                        m.assignment()));
            }
            String protocolType = v.protocolType() == null || v.protocolType().isEmpty() ? null : v.protocolType();
            groups.put(
                    groupId,
                    ClassicGroup.loaded(
                            groupId,
                            v.generationId(),
                            protocolType,
                            v.protocolName(),
                            v.leaderId(),
                            v.currentStateTimestampMs(),
                            members));
        }
    }
}
