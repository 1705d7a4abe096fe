package io.tributary.coordinator.group;

import io.tributary.coordinator.GroupCoordinatorConfig;
import io.tributary.coordinator.RequestContext;
import io.tributary.coordinator.runtime.ShardContext;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.HeartbeatRequestData;
import io.tributary.protocol.message.HeartbeatResponseData;
import io.tributary.protocol.message.JoinGroupRequestData;
import io.tributary.protocol.message.JoinGroupResponseData;
import io.tributary.protocol.message.LeaveGroupRequestData;
import io.tributary.protocol.message.LeaveGroupResponseData;
import io.tributary.protocol.message.SyncGroupRequestData;
import io.tributary.protocol.message.SyncGroupResponseData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic group membership protocol: JoinGroup, SyncGroup, Heartbeat and LeaveGroup. The
 * rebalance phases and timers they set off live in {@link ClassicRebalancer}. Follows Apache
 * Kafka's classic group coordinator behaviour and error codes. Owned by the coordinator thread;
 * every method runs inside a runtime operation.
 */
public final class ClassicGroupManager {
    private static final Logger LOG = LoggerFactory.getLogger(ClassicGroupManager.class);

    private final ShardContext ctx;
    private final GroupCoordinatorConfig config;
    private final GroupStore store;
    private final ClassicRebalancer rebalancer;
    private final ClassicJoinHandler join;

    public ClassicGroupManager(ShardContext ctx, GroupCoordinatorConfig config, GroupStore store) {
        this.ctx = ctx;
        this.config = config;
        this.store = store;
        this.rebalancer = new ClassicRebalancer(ctx, config, store);
        this.join = new ClassicJoinHandler(ctx, config, store, rebalancer);
    }

    public void joinGroup(RequestContext rc, JoinGroupRequestData req, CompletableFuture<JoinGroupResponseData> out) {
        join.joinGroup(rc, req, out);
    }

    /** Cancels every timer of a group that left the store. */
    public void cancelTimers(ClassicGroup group) {
        rebalancer.cancelTimers(group);
    }

    /** Schedules session expiry for every member of a group loaded from the log. */
    public void onGroupLoaded(ClassicGroup group) {
        rebalancer.onGroupLoaded(group);
    }

    // ================================================================ SyncGroup

    public void syncGroup(RequestContext rc, SyncGroupRequestData req, CompletableFuture<SyncGroupResponseData> out) {
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

    // ================================================================ Heartbeat

    public void heartbeat(RequestContext rc, HeartbeatRequestData req, CompletableFuture<HeartbeatResponseData> out) {
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
    public void onOffsetCommit(ClassicGroup group, String memberId) {
        ClassicGroupMember m = group.member(memberId);
        if (m != null
                && (group.isInState(ClassicGroupState.STABLE)
                        || group.isInState(ClassicGroupState.PREPARING_REBALANCE))) {
            rebalancer.rescheduleHeartbeat(group, m);
        }
    }

    // ================================================================ LeaveGroup

    public void leaveGroup(
            RequestContext rc, LeaveGroupRequestData req, CompletableFuture<LeaveGroupResponseData> out) {
        List<LeaveGroupRequestData.MemberIdentity> identities;
        if (rc.apiVersion() <= 2) {
            identities = List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId(req.memberId));
        } else {
            identities = req.members;
        }
        if (req.groupId == null || req.groupId.isEmpty()) {
            ctx.respond(out, leaveResponse(rc, Errors.INVALID_GROUP_ID, List.of()));
            return;
        }
        ClassicGroup group = store.get(req.groupId);
        if (group == null) {
            List<LeaveGroupResponseData.MemberResponse> responses = new ArrayList<>();
            for (LeaveGroupRequestData.MemberIdentity id : identities) {
                responses.add(memberResponse(id, Errors.UNKNOWN_MEMBER_ID));
            }
            ctx.respond(out, leaveResponse(rc, Errors.NONE, responses));
            return;
        }
        if (group.isInState(ClassicGroupState.DEAD)) {
            ctx.respond(out, leaveResponse(rc, Errors.COORDINATOR_NOT_AVAILABLE, List.of()));
            return;
        }
        List<LeaveGroupResponseData.MemberResponse> responses = new ArrayList<>();
        List<String> left = new ArrayList<>();
        for (LeaveGroupRequestData.MemberIdentity id : identities) {
            String memberId = id.memberId == null ? "" : id.memberId;
            if (memberId.isEmpty()) {
                // Removal by instance id alone (admin "remove members", KIP-345).
                if (id.groupInstanceId != null && group.hasStaticMember(id.groupInstanceId)) {
                    String current = group.staticMemberId(id.groupInstanceId);
                    removeCurrentMember(group, current);
                    left.add(current);
                    responses.add(memberResponse(id, Errors.NONE));
                } else {
                    responses.add(memberResponse(id, Errors.UNKNOWN_MEMBER_ID));
                }
            } else if (group.isPendingMember(memberId)) {
                group.remove(memberId);
                rebalancer.cancelSessionExpiry(group, memberId);
                responses.add(memberResponse(id, Errors.NONE));
            } else {
                Errors error = group.validateMember(memberId, id.groupInstanceId);
                if (error == Errors.NONE) {
                    removeCurrentMember(group, memberId);
                    left.add(memberId);
                }
                responses.add(memberResponse(id, error));
            }
        }
        if (!left.isEmpty()) {
            String reason = "explicit LeaveGroup for " + left;
            switch (group.state()) {
                case STABLE, COMPLETING_REBALANCE -> rebalancer.maybePrepareRebalanceOrCompleteJoin(group, reason);
                case PREPARING_REBALANCE -> rebalancer.maybeCompleteJoinPhase(group);
                default -> {}
            }
        }
        ctx.respond(out, leaveResponse(rc, Errors.NONE, responses));
    }

    private void removeCurrentMember(ClassicGroup group, String memberId) {
        ClassicGroupMember m = group.member(memberId);
        LOG.info("Member {} leaves group {}", memberId, group.groupId());
        rebalancer.removeMemberFuturesAndTimer(group, m);
        group.remove(memberId);
    }

    private static LeaveGroupResponseData.MemberResponse memberResponse(
            LeaveGroupRequestData.MemberIdentity id, Errors error) {
        return new LeaveGroupResponseData.MemberResponse()
                .setMemberId(id.memberId)
                .setGroupInstanceId(id.groupInstanceId)
                .setErrorCode(error.code());
    }

    /** v0-2 have one member and no member list: its error becomes the top-level error. */
    private static LeaveGroupResponseData leaveResponse(
            RequestContext rc, Errors topLevel, List<LeaveGroupResponseData.MemberResponse> members) {
        LeaveGroupResponseData resp = new LeaveGroupResponseData().setErrorCode(topLevel.code());
        if (rc.apiVersion() <= 2) {
            if (topLevel == Errors.NONE) {
                for (LeaveGroupResponseData.MemberResponse m : members) {
                    if (m.errorCode != Errors.NONE.code()) {
                        resp.setErrorCode(m.errorCode);
                        break;
                    }
                }
            }
        } else {
            resp.setMembers(new ArrayList<>(members));
        }
        return resp;
    }
}
