package io.tributary.coordinator.group;

import io.tributary.coordinator.RequestContext;
import io.tributary.coordinator.runtime.ShardContext;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.LeaveGroupRequestData;
import io.tributary.protocol.message.LeaveGroupResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LeaveGroup: members leaving by member id (v0-2: one, top-level error) or by instance id alone
 * (admin removal, KIP-345); their parked requests are answered and the group rebalances.
 *
 * <p>Part of {@link ClassicGroupManager}; the phases it sets off are {@link ClassicRebalancer}'s.
 * Owned by the coordinator thread; every method runs inside a runtime operation.
 */
final class ClassicLeaveHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ClassicLeaveHandler.class);

    private final ShardContext ctx;
    private final GroupStore store;
    private final ClassicRebalancer rebalancer;

    ClassicLeaveHandler(ShardContext ctx, GroupStore store, ClassicRebalancer rebalancer) {
        this.ctx = ctx;
        this.store = store;
        this.rebalancer = rebalancer;
    }

    void leaveGroup(RequestContext rc, LeaveGroupRequestData req, CompletableFuture<LeaveGroupResponseData> out) {
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
        List<String> reasons = new ArrayList<>();
        for (LeaveGroupRequestData.MemberIdentity id : identities) {
            String memberId = id.memberId == null ? "" : id.memberId;
            // v5 carries each member's reason (KIP-800); Kafka logs it with the rebalance.
            reasons.add(id.reason == null ? "not provided" : id.reason);
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
            String reason = "explicit LeaveGroup for " + left + "; client reasons: " + reasons;
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
