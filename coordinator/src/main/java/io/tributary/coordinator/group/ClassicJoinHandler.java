package io.tributary.coordinator.group;

import io.tributary.coordinator.GroupCoordinatorConfig;
import io.tributary.coordinator.RequestContext;
import io.tributary.coordinator.record.Protocol;
import io.tributary.coordinator.runtime.ShardContext;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.JoinGroupRequestData;
import io.tributary.protocol.message.JoinGroupResponseData;
import io.tributary.protocol.message.SyncGroupResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JoinGroup: validation, the two-step join of new members (KIP-394), rejoins of known members in
 * each state, and static members (KIP-345) taking over their slot with a new member id.
 *
 * <p>Part of {@link ClassicGroupManager}; the phases it sets off are {@link ClassicRebalancer}'s.
 * Owned by the coordinator thread; every method runs inside a runtime operation.
 */
final class ClassicJoinHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ClassicJoinHandler.class);

    private final ShardContext ctx;
    private final GroupCoordinatorConfig config;
    private final GroupStore store;
    private final ClassicRebalancer rebalancer;

    ClassicJoinHandler(
            ShardContext ctx, GroupCoordinatorConfig config, GroupStore store, ClassicRebalancer rebalancer) {
        this.ctx = ctx;
        this.config = config;
        this.store = store;
        this.rebalancer = rebalancer;
    }

    private static List<Protocol> protocolsOf(JoinGroupRequestData req) {
        List<Protocol> out = new ArrayList<>(req.protocols.size());
        for (JoinGroupRequestData.JoinGroupRequestProtocol p : req.protocols) {
            out.add(new Protocol(p.name, p.metadata));
        }
        return out;
    }

    void joinGroup(RequestContext rc, JoinGroupRequestData req, CompletableFuture<JoinGroupResponseData> out) {
        String groupId = req.groupId;
        String memberId = req.memberId == null ? "" : req.memberId;
        if (groupId == null || groupId.isEmpty()) {
            ctx.respond(out, ClassicResponses.joinError(memberId, Errors.INVALID_GROUP_ID));
            return;
        }
        if (req.sessionTimeoutMs < config.minSessionTimeoutMs()
                || req.sessionTimeoutMs > config.maxSessionTimeoutMs()) {
            ctx.respond(out, ClassicResponses.joinError(memberId, Errors.INVALID_SESSION_TIMEOUT));
            return;
        }
        // JoinGroup v0 has no rebalance timeout: the session timeout stands in for it.
        int rebalanceTimeoutMs =
                rc.apiVersion() == 0 || req.rebalanceTimeoutMs < 0 ? req.sessionTimeoutMs : req.rebalanceTimeoutMs;
        JoinParams p = new JoinParams(rc, req, protocolsOf(req), rebalanceTimeoutMs, out);

        boolean isUnknownMember = memberId.isEmpty();
        ClassicGroup group = store.get(groupId);
        boolean isNewGroup = group == null;
        if (group == null) {
            if (!isUnknownMember) {
                ctx.respond(out, ClassicResponses.joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
                return;
            }
            group = store.create(groupId, ctx.nowMs());
        }

        if (!acceptJoiningMember(group, memberId)) {
            group.remove(memberId);
            rebalancer.cancelSessionExpiry(group, memberId);
            ctx.respond(out, ClassicResponses.joinError("", Errors.GROUP_MAX_SIZE_REACHED));
        } else if (isUnknownMember) {
            joinNewMember(group, p);
        } else {
            joinExistingMember(group, memberId, p);
        }

        if (isNewGroup
                && group.isEmpty()
                && group.numPendingJoinMembers() == 0
                && group.isInState(ClassicGroupState.EMPTY)) {
            store.dropUnpersisted(group);
        }
    }

    private record JoinParams(
            RequestContext rc,
            JoinGroupRequestData req,
            List<Protocol> protocols,
            int rebalanceTimeoutMs,
            CompletableFuture<JoinGroupResponseData> out) {
        /** JoinGroup v8+ says why the member (re)joins (KIP-800); it goes into the rebalance log line, as in Kafka. */
        String clientReason() {
            return "; client reason: " + (req.reason == null ? "not provided" : req.reason);
        }
    }

    private boolean acceptJoiningMember(ClassicGroup group, String memberId) {
        switch (group.state()) {
            case EMPTY:
            case DEAD:
                return true;
            case PREPARING_REBALANCE: {
                // Members already waiting count; new ones fit up to the limit. The number waiting
                // is used rather than the size because the size still counts members that left.
                ClassicGroupMember m = group.member(memberId);
                return (m != null && m.isAwaitingJoin()) || group.numAwaitingJoinResponse() < config.maxGroupSize();
            }
            default:
                return group.hasMember(memberId) || group.numMembers() < config.maxGroupSize();
        }
    }

    private void joinNewMember(ClassicGroup group, JoinParams p) {
        if (group.isInState(ClassicGroupState.DEAD)) {
            ctx.respond(p.out, ClassicResponses.joinError("", Errors.COORDINATOR_NOT_AVAILABLE));
            return;
        }
        if (!group.supportsProtocols(p.req.protocolType, p.protocols)) {
            ctx.respond(p.out, ClassicResponses.joinError("", Errors.INCONSISTENT_GROUP_PROTOCOL));
            return;
        }
        String instanceId = p.req.groupInstanceId;
        String newMemberId = (instanceId != null ? instanceId : p.rc.clientId()) + "-" + UUID.randomUUID();
        if (instanceId != null) {
            String existing = group.staticMemberId(instanceId);
            if (existing != null) {
                LOG.info(
                        "Static member {} of group {} rejoins with a new member id in state {}; replacing {} by {}",
                        instanceId,
                        group.groupId(),
                        group.state(),
                        existing,
                        newMemberId);
                updateStaticMemberThenRebalanceOrCompleteJoin(group, existing, newMemberId, p);
            } else {
                addMemberThenRebalanceOrCompleteJoin(group, newMemberId, p);
            }
        } else if (p.rc.apiVersion() >= 4) {
            // Two-step join (KIP-394): hand out the id and wait for the member to come back with it,
            // so a client that dies between the steps never becomes a member.
            group.addPendingMember(newMemberId);
            rebalancer.scheduleSessionExpiry(group, newMemberId, p.req.sessionTimeoutMs);
            ctx.respond(p.out, ClassicResponses.joinError(newMemberId, Errors.MEMBER_ID_REQUIRED));
        } else {
            addMemberThenRebalanceOrCompleteJoin(group, newMemberId, p);
        }
    }

    private void joinExistingMember(ClassicGroup group, String memberId, JoinParams p) {
        if (group.isInState(ClassicGroupState.DEAD)) {
            ctx.respond(p.out, ClassicResponses.joinError(memberId, Errors.COORDINATOR_NOT_AVAILABLE));
            return;
        }
        if (!group.supportsProtocols(p.req.protocolType, p.protocols)) {
            ctx.respond(p.out, ClassicResponses.joinError(memberId, Errors.INCONSISTENT_GROUP_PROTOCOL));
            return;
        }
        if (group.isPendingMember(memberId) && p.req.groupInstanceId == null) {
            addMemberThenRebalanceOrCompleteJoin(group, memberId, p);
            return;
        }
        Errors error = group.validateMember(memberId, p.req.groupInstanceId);
        if (error != Errors.NONE) {
            ctx.respond(p.out, ClassicResponses.joinError(memberId, error));
            return;
        }
        ClassicGroupMember member = group.member(memberId);
        switch (group.state()) {
            case PREPARING_REBALANCE ->
                updateMemberThenRebalanceOrCompleteJoin(group, member, p, "member " + memberId + " rejoins");
            case COMPLETING_REBALANCE -> {
                if (member.matches(p.protocols)) {
                    // Same metadata: most likely it lost the first response; resend this generation.
                    ctx.respond(
                            p.out,
                            ClassicResponses.currentGenerationResponse(
                                    group, memberId, group.isLeader(memberId), false));
                } else {
                    updateMemberThenRebalanceOrCompleteJoin(
                            group,
                            member,
                            p,
                            "member " + memberId + " changed its metadata during CompletingRebalance");
                }
            }
            case STABLE -> {
                if (group.isLeader(memberId)) {
                    // The leader rejoins to make the group reassign (topic metadata changed, or a
                    // cooperative follow-up rebalance), even with unchanged metadata.
                    updateMemberThenRebalanceOrCompleteJoin(group, member, p, "leader " + memberId + " rejoins");
                } else if (!member.matches(p.protocols)) {
                    updateMemberThenRebalanceOrCompleteJoin(
                            group, member, p, "member " + memberId + " changed its metadata");
                } else {
                    ctx.respond(p.out, ClassicResponses.currentGenerationResponse(group, memberId, false, false));
                }
            }
            default -> ctx.respond(p.out, ClassicResponses.joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
        }
    }

    private void addMemberThenRebalanceOrCompleteJoin(ClassicGroup group, String memberId, JoinParams p) {
        ClassicGroupMember member = new ClassicGroupMember(
                memberId,
                p.req.groupInstanceId,
                p.rc.clientId(),
                p.rc.clientHost(),
                p.rebalanceTimeoutMs,
                p.req.sessionTimeoutMs,
                p.req.protocolType,
                p.protocols,
                ClassicGroupMember.EMPTY_ASSIGNMENT);
        member.setNew(true);
        // Extends the initial delay: more members may be on their way.
        if (group.isInState(ClassicGroupState.PREPARING_REBALANCE)
                && group.previousState() == ClassicGroupState.EMPTY) {
            group.newMemberAdded = true;
        }
        member.setAwaitingJoin(p.out);
        group.add(member);
        // A new member gets the (long) new-member join timeout instead of its session timeout.
        rebalancer.scheduleSessionExpiry(group, memberId, config.newMemberJoinTimeoutMs());
        rebalancer.maybePrepareRebalanceOrCompleteJoin(group, "new member " + memberId + " joins" + p.clientReason());
    }

    private void updateMemberThenRebalanceOrCompleteJoin(
            ClassicGroup group, ClassicGroupMember member, JoinParams p, String reason) {
        CompletableFuture<JoinGroupResponseData> replaced = member.awaitingJoin();
        if (replaced != null && replaced != p.out) {
            // A second JoinGroup while the first waits: the older request gets an answer so that
            // its connection is not blocked forever.
            ctx.respond(replaced, ClassicResponses.joinError(member.memberId(), Errors.REBALANCE_IN_PROGRESS));
        }
        group.updateMember(member, p.protocols, p.rebalanceTimeoutMs, p.req.sessionTimeoutMs, p.out);
        rebalancer.maybePrepareRebalanceOrCompleteJoin(group, reason + p.clientReason());
    }

    /**
     * The answer to a static member that rejoined a Stable group unchanged (KIP-814). From v9 the
     * leader learns that it leads, gets the members (to keep watching their metadata) and is told
     * to skip the assignment. Older clients cannot be told to skip, so nobody is told it leads:
     * the leader id is the one before the replacement, which matches no current member id, and
     * no assignor runs whose result a Stable group would ignore.
     */
    private static JoinGroupResponseData staticRejoinResponse(
            ClassicGroup group, String newMemberId, String previousLeader, short apiVersion) {
        if (apiVersion >= 9) {
            boolean isLeader = group.isLeader(newMemberId);
            return ClassicResponses.currentGenerationResponse(group, newMemberId, isLeader, isLeader);
        }
        return ClassicResponses.currentGenerationResponse(group, newMemberId, false, false)
                .setLeader(previousLeader == null ? "" : previousLeader);
    }

    private void updateStaticMemberThenRebalanceOrCompleteJoin(
            ClassicGroup group, String oldMemberId, String newMemberId, JoinParams p) {
        ClassicGroupMember old = group.member(oldMemberId);
        String previousLeader = group.leaderId();
        CompletableFuture<JoinGroupResponseData> oldJoin = group.takeJoinFuture(old);
        CompletableFuture<SyncGroupResponseData> oldSync = group.takeSyncFuture(old);
        if (oldJoin != null) {
            ctx.respond(oldJoin, ClassicResponses.joinError(oldMemberId, Errors.FENCED_INSTANCE_ID));
        }
        if (oldSync != null) {
            ctx.respond(oldSync, ClassicResponses.syncError(Errors.FENCED_INSTANCE_ID));
        }
        ClassicGroupMember member = group.replaceStaticMember(p.req.groupInstanceId, oldMemberId, newMemberId);
        rebalancer.cancelSessionExpiry(group, oldMemberId);
        rebalancer.rescheduleHeartbeat(group, member);
        group.updateMember(member, p.protocols, p.rebalanceTimeoutMs, p.req.sessionTimeoutMs, p.out);

        switch (group.state()) {
            case STABLE -> {
                if (group.selectProtocol().equals(group.protocolName())) {
                    // KIP-345: a known static member restarting with the same protocols keeps its
                    // assignment and the group does not rebalance. Persist the new member id.
                    LOG.info(
                            "Static member {} of group {} rejoined with unchanged protocols; no rebalance",
                            p.req.groupInstanceId,
                            group.groupId());
                    ctx.append(GroupStore.recordOf(group));
                    CompletableFuture<JoinGroupResponseData> f = group.takeJoinFuture(member);
                    ctx.respond(f, staticRejoinResponse(group, newMemberId, previousLeader, p.rc.apiVersion()));
                } else {
                    rebalancer.maybePrepareRebalanceOrCompleteJoin(
                            group,
                            "static member " + p.req.groupInstanceId + " rejoins with a change of protocol"
                                    + p.clientReason());
                }
            }
            case COMPLETING_REBALANCE ->
                rebalancer.maybePrepareRebalanceOrCompleteJoin(
                        group,
                        "static member " + p.req.groupInstanceId + " rejoins during CompletingRebalance"
                                + p.clientReason());
            // Waits with the others; it may have been the last one missing.
            case PREPARING_REBALANCE -> rebalancer.maybeCompleteJoinPhase(group);
            default -> throw new IllegalStateException("static member rejoin in state " + group.state());
        }
    }
}
