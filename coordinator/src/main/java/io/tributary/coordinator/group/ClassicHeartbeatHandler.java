package io.tributary.coordinator.group;

import io.tributary.coordinator.RequestContext;
import io.tributary.coordinator.runtime.ShardContext;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.HeartbeatRequestData;
import io.tributary.protocol.message.HeartbeatResponseData;
import java.util.concurrent.CompletableFuture;

/**
 * Heartbeat (and an accepted OffsetCommit, which counts as one): restarts the member's session
 * clock and tells it whether a rebalance is under way.
 *
 * <p>Part of {@link ClassicGroupManager}; the phases it sets off are {@link ClassicRebalancer}'s.
 * Owned by the coordinator thread; every method runs inside a runtime operation.
 */
final class ClassicHeartbeatHandler {
    private final ShardContext ctx;
    private final GroupStore store;
    private final ClassicRebalancer rebalancer;

    ClassicHeartbeatHandler(ShardContext ctx, GroupStore store, ClassicRebalancer rebalancer) {
        this.ctx = ctx;
        this.store = store;
        this.rebalancer = rebalancer;
    }

    void heartbeat(RequestContext rc, HeartbeatRequestData req, CompletableFuture<HeartbeatResponseData> out) {
        ctx.respond(out, new HeartbeatResponseData().setErrorCode(heartbeat(req).code()));
    }

    private Errors heartbeat(HeartbeatRequestData req) {
        if (req.groupId == null || req.groupId.isEmpty()) {
            return Errors.INVALID_GROUP_ID;
        }
        ClassicGroup group = store.get(req.groupId);
        if (group == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        Errors error = group.validateMemberAndGeneration(req.memberId, req.groupInstanceId, req.generationId);
        if (error != Errors.NONE) {
            return error;
        }
        switch (group.state()) {
            case EMPTY:
                return Errors.UNKNOWN_MEMBER_ID;
            case PREPARING_REBALANCE:
                rebalancer.rescheduleHeartbeat(group, group.member(req.memberId));
                return Errors.REBALANCE_IN_PROGRESS;
            default:
                // CompletingRebalance included: members heartbeat between JoinGroup and SyncGroup.
                rebalancer.rescheduleHeartbeat(group, group.member(req.memberId));
                return Errors.NONE;
        }
    }

    /** A member's accepted offset commit keeps its session alive (Stable or PreparingRebalance). */
    void onOffsetCommit(ClassicGroup group, String memberId) {
        ClassicGroupMember m = group.member(memberId);
        if (m != null
                && (group.isInState(ClassicGroupState.STABLE)
                        || group.isInState(ClassicGroupState.PREPARING_REBALANCE))) {
            rebalancer.rescheduleHeartbeat(group, m);
        }
    }
}
