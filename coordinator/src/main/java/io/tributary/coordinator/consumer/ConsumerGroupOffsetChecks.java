package io.tributary.coordinator.consumer;

import io.tributary.protocol.Errors;

/**
 * What OffsetCommit and OffsetFetch ask of the consumer groups (KIP-848): the member and epoch
 * checks Kafka applies to their members, and the session a classic member's commit refreshes.
 * Owned by the coordinator thread.
 */
public final class ConsumerGroupOffsetChecks {
    private final ConsumerGroupManager manager;
    private final ConsumerGroupStore groups;

    ConsumerGroupOffsetChecks(ConsumerGroupManager manager, ConsumerGroupStore groups) {
        this.manager = manager;
        this.groups = groups;
    }

    /**
     * A classic member's accepted OffsetCommit keeps its session alive, as a classic group's does
     * (Kafka: a commit counts as a heartbeat for the old protocol's members).
     */
    public void classicMemberCommitted(String groupId, String memberId) {
        ConsumerGroup g = groups.get(groupId);
        ConsumerMember m = g == null || memberId == null ? null : g.members.get(memberId);
        if (m != null && m.usesClassicProtocol()) {
            manager.scheduleSession(groupId, m);
        }
    }

    public boolean usesClassicProtocol(String groupId, String memberId) {
        ConsumerGroup g = groups.get(groupId);
        ConsumerMember m = g == null || memberId == null ? null : g.members.get(memberId);
        return m != null && m.usesClassicProtocol();
    }

    /**
     * OffsetFetch v9+ from a member (Kafka's validateOffsetFetch): an admin's fetch (no member id,
     * epoch -1) passes; a member must be known and at its current epoch, else STALE_MEMBER_EPOCH.
     */
    public Errors validateOffsetFetch(String groupId, String memberId, int memberEpoch) {
        ConsumerGroup g = groups.get(groupId);
        if (g == null || (memberId == null && memberEpoch < 0)) {
            return null;
        }
        ConsumerMember m = memberId == null ? null : g.members.get(memberId);
        if (m == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        return memberEpoch == m.memberEpoch ? Errors.NONE : Errors.STALE_MEMBER_EPOCH;
    }

    /**
     * The member epoch check of OffsetCommit for a consumer group (Kafka's validateOffsetCommit):
     * a higher epoch than the member's is fenced, a lower one stale. Null when the group is no
     * consumer group.
     */
    public Errors validateOffsetCommit(String groupId, String memberId, int memberEpoch, String instanceId) {
        ConsumerGroup g = groups.get(groupId);
        if (g == null) {
            return null;
        }
        if ((memberId == null || memberId.isEmpty()) && memberEpoch < 0) {
            // An admin or standalone commit: allowed only while nobody consumes.
            return g.isEmpty() ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
        }
        ConsumerMember m = g.members.get(memberId);
        if (m == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (m.usesClassicProtocol()) {
            // A classic member commits with its generation, which is its member epoch.
            return memberEpoch == m.memberEpoch ? Errors.NONE : Errors.ILLEGAL_GENERATION;
        }
        if (memberEpoch > m.memberEpoch) {
            return Errors.FENCED_MEMBER_EPOCH;
        }
        if (memberEpoch < m.memberEpoch) {
            return Errors.STALE_MEMBER_EPOCH;
        }
        return Errors.NONE;
    }
}
