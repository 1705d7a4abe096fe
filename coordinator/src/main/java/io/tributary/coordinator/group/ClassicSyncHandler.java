package io.tributary.coordinator.group;

import io.tributary.coordinator.RequestContext;
import io.tributary.coordinator.runtime.ShardContext;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.SyncGroupRequestData;
import io.tributary.protocol.message.SyncGroupResponseData;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SyncGroup: the leader's assignment ends CompletingRebalance (persisted, then released to every
 * parked SyncGroup); followers wait for it, or get their assignment at once when Stable.
 *
 * <p>Part of {@link ClassicGroupManager}; the phases it sets off are {@link ClassicRebalancer}'s.
 * Owned by the coordinator thread; every method runs inside a runtime operation.
 */
final class ClassicSyncHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ClassicSyncHandler.class);

    private final ShardContext ctx;
    private final GroupStore store;
    private final ClassicRebalancer rebalancer;

    ClassicSyncHandler(ShardContext ctx, GroupStore store, ClassicRebalancer rebalancer) {
        this.ctx = ctx;
        this.store = store;
        this.rebalancer = rebalancer;
    }

    void syncGroup(RequestContext rc, SyncGroupRequestData req, CompletableFuture<SyncGroupResponseData> out) {
        if (req.groupId == null || req.groupId.isEmpty()) {
            ctx.respond(out, ClassicResponses.syncError(Errors.INVALID_GROUP_ID));
            return;
        }
        ClassicGroup group = store.get(req.groupId);
        if (group == null) {
            ctx.respond(out, ClassicResponses.syncError(Errors.UNKNOWN_MEMBER_ID));
            return;
        }
        Errors error = validateSync(group, req);
        if (error != Errors.NONE) {
            ctx.respond(out, ClassicResponses.syncError(error));
            return;
        }
        String memberId = req.memberId;
        ClassicGroupMember member = group.member(memberId);
        switch (group.state()) {
            case PREPARING_REBALANCE -> ctx.respond(out, ClassicResponses.syncError(Errors.REBALANCE_IN_PROGRESS));
            case COMPLETING_REBALANCE -> {
                CompletableFuture<SyncGroupResponseData> replaced = member.awaitingSync();
                if (replaced != null && replaced != out) {
                    ctx.respond(replaced, ClassicResponses.syncError(Errors.REBALANCE_IN_PROGRESS));
                }
                member.setAwaitingSync(out);
                group.removePendingSyncMember(memberId);
                if (group.isLeader(memberId)) {
                    Map<String, byte[]> assignment = new HashMap<>();
                    for (SyncGroupRequestData.SyncGroupRequestAssignment a : req.assignments) {
                        assignment.put(a.memberId, a.assignment);
                    }
                    LOG.info(
                            "Assignment received from leader {} of group {} for generation {}",
                            memberId,
                            group.groupId(),
                            group.generationId());
                    // Members the leader left out get an empty assignment.
                    for (ClassicGroupMember m : group.allMembers()) {
                        m.setAssignment(assignment.getOrDefault(m.memberId(), ClassicGroupMember.EMPTY_ASSIGNMENT));
                    }
                    group.transitionTo(ClassicGroupState.STABLE, ctx.nowMs());
                    ctx.append(GroupStore.recordOf(group));
                    // Released once the record is durable, like every response.
                    rebalancer.propagateAssignment(group, Errors.NONE);
                }
            }
            case STABLE -> {
                group.removePendingSyncMember(memberId);
                ctx.respond(out, ClassicResponses.syncResponse(group, member, Errors.NONE));
            }
            default -> ctx.respond(out, ClassicResponses.syncError(Errors.UNKNOWN_MEMBER_ID));
        }
    }

    private static Errors validateSync(ClassicGroup group, SyncGroupRequestData req) {
        Errors error = group.validateMemberAndGeneration(req.memberId, req.groupInstanceId, req.generationId);
        if (error != Errors.NONE) {
            return error;
        }
        if (isInconsistent(req.protocolType, group.protocolType())
                || isInconsistent(req.protocolName, group.protocolName())) {
            return Errors.INCONSISTENT_GROUP_PROTOCOL;
        }
        return Errors.NONE;
    }

    private static boolean isInconsistent(String requested, String current) {
        return requested != null && current != null && !current.equals(requested);
    }
}
