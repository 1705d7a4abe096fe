package io.tributary.coordinator;

import io.tributary.coordinator.consumer.ClassicSnapshot;
import io.tributary.coordinator.group.ClassicGroup;
import io.tributary.coordinator.group.ClassicGroupManager;
import io.tributary.coordinator.group.ClassicGroupMember;
import io.tributary.coordinator.group.ClassicGroupState;
import io.tributary.coordinator.group.GroupStore;
import io.tributary.coordinator.record.RecordCodec;
import io.tributary.coordinator.runtime.ShardContext;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic side of KIP-848's online migration, for the consumer group manager: a classic group
 * with members is ended (tombstone) and handed over as a snapshot when a member joins with
 * ConsumerGroupHeartbeat, and rebuilt from a snapshot (group record, then a rebalance) when the
 * last new-protocol member of a consumer group leaves. Both obey group.consumer.migration.policy.
 * Owned by the coordinator thread.
 */
final class GroupConversions implements ClassicSnapshot.ClassicSide {
    private static final Logger LOG = LoggerFactory.getLogger(GroupConversions.class);

    private final ShardContext ctx;
    private final GroupCoordinatorConfig config;
    private final GroupStore groups;
    private final ClassicGroupManager membership;

    GroupConversions(
            ShardContext ctx, GroupCoordinatorConfig config, GroupStore groups, ClassicGroupManager membership) {
        this.ctx = ctx;
        this.config = config;
        this.groups = groups;
        this.membership = membership;
    }

    @Override
    public boolean inUse(String groupId) {
        ClassicGroup g = groups.get(groupId);
        return g != null && !(g.isInState(ClassicGroupState.EMPTY) && g.numPendingJoinMembers() == 0);
    }

    @Override
    public void takeOverEmpty(String groupId) {
        if (groups.get(groupId) != null && !inUse(groupId)) {
            ctx.append(RecordCodec.groupTombstone(groupId));
        }
    }

    @Override
    public ClassicSnapshot upgrade(String groupId, java.util.function.Predicate<ClassicSnapshot> convertible) {
        ClassicGroup g = groups.get(groupId);
        if (g == null
                || !config.migrationUpgradeEnabled()
                || !ClassicGroup.CONSUMER_PROTOCOL_TYPE.equals(g.protocolType())
                || g.numMembers() > config.consumerMaxSize()) {
            return null;
        }
        List<ClassicSnapshot.Member> members = new ArrayList<>();
        for (ClassicGroupMember m : g.allMembers()) {
            members.add(new ClassicSnapshot.Member(
                    m.memberId(),
                    m.groupInstanceId(),
                    m.clientId(),
                    m.clientHost(),
                    m.rebalanceTimeoutMs(),
                    m.sessionTimeoutMs(),
                    m.protocols(),
                    m.assignment()));
        }
        LOG.info(
                "Classic group {} (generation {}, {} members) becomes a consumer group",
                groupId,
                g.generationId(),
                members.size());
        ClassicSnapshot snapshot = new ClassicSnapshot(g.generationId(), g.protocolName(), members);
        if (!convertible.test(snapshot)) {
            LOG.info("Classic group {} stays classic: a member's embedded consumer protocol is malformed", groupId);
            return null;
        }
        membership.releaseForUpgrade(g);
        ctx.append(RecordCodec.groupTombstone(groupId));
        return snapshot;
    }

    @Override
    public void downgrade(String groupId, ClassicSnapshot snapshot, boolean rebalance) {
        List<RecordCodec.MemberValue> members = new ArrayList<>();
        for (ClassicSnapshot.Member m : snapshot.members()) {
            members.add(new RecordCodec.MemberValue(
                    m.memberId(),
                    m.instanceId(),
                    m.clientId(),
                    m.clientHost(),
                    m.rebalanceTimeoutMs(),
                    m.sessionTimeoutMs(),
                    m.protocols(),
                    m.assignment()));
        }
        ctx.append(RecordCodec.groupMetadata(
                groupId,
                new RecordCodec.GroupValue(
                        ClassicGroup.CONSUMER_PROTOCOL_TYPE,
                        snapshot.generationId(),
                        snapshot.protocolName(),
                        members.get(0).memberId(),
                        ctx.nowMs(),
                        members)));
        membership.startAfterDowngrade(groups.get(groupId), rebalance);
    }
}
