package io.tributary.coordinator.group;

import io.tributary.coordinator.GroupCoordinatorConfig;
import io.tributary.coordinator.RequestContext;
import io.tributary.coordinator.record.Protocol;
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
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic group membership protocol: JoinGroup, SyncGroup, Heartbeat and LeaveGroup, and
 * the timers that drive the state machine (initial rebalance delay, rebalance timeout, pending
 * sync timeout, session expiry). Follows Apache Kafka's classic group coordinator behaviour and
 * error codes. Owned by the coordinator thread; every method runs inside a runtime operation.
 */
public final class ClassicGroupManager {
    private static final Logger LOG = LoggerFactory.getLogger(ClassicGroupManager.class);
    private static final byte[] EMPTY_ASSIGNMENT = new byte[0];

    private final ShardContext ctx;
    private final GroupCoordinatorConfig config;
    private final GroupStore store;

    public ClassicGroupManager(ShardContext ctx, GroupCoordinatorConfig config, GroupStore store) {
        this.ctx = ctx;
        this.config = config;
        this.store = store;
    }

    // ---- timer keys (NUL cannot appear in ids sent by clients without breaking them anyway)

    static String joinKey(String groupId) {
        return "join\u0000" + groupId;
    }

    static String syncKey(String groupId) {
        return "sync\u0000" + groupId;
    }

    static String heartbeatKey(String groupId, String memberId) {
        return "heartbeat\u0000" + groupId + "\u0000" + memberId;
    }

    /** Cancels every timer of a group that left the store. */
    public void cancelTimers(ClassicGroup group) {
        ctx.cancel(joinKey(group.groupId()));
        ctx.cancel(syncKey(group.groupId()));
        for (ClassicGroupMember m : group.allMembers()) {
            ctx.cancel(heartbeatKey(group.groupId(), m.memberId()));
        }
    }

    private boolean isCurrent(ClassicGroup group) {
        return store.get(group.groupId()) == group;
    }

    private static List<Protocol> protocolsOf(JoinGroupRequestData req) {
        List<Protocol> out = new ArrayList<>(req.protocols.size());
        for (JoinGroupRequestData.JoinGroupRequestProtocol p : req.protocols) {
            out.add(new Protocol(p.name, p.metadata));
        }
        return out;
    }

    private static JoinGroupResponseData joinError(String memberId, Errors error) {
        return new JoinGroupResponseData().setMemberId(memberId).setErrorCode(error.code());
    }

    // ================================================================ JoinGroup

    public void joinGroup(RequestContext rc, JoinGroupRequestData req, CompletableFuture<JoinGroupResponseData> out) {
        String groupId = req.groupId;
        String memberId = req.memberId == null ? "" : req.memberId;
        if (groupId == null || groupId.isEmpty()) {
            ctx.respond(out, joinError(memberId, Errors.INVALID_GROUP_ID));
            return;
        }
        if (req.sessionTimeoutMs < config.minSessionTimeoutMs()
                || req.sessionTimeoutMs > config.maxSessionTimeoutMs()) {
            ctx.respond(out, joinError(memberId, Errors.INVALID_SESSION_TIMEOUT));
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
                ctx.respond(out, joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
                return;
            }
            group = store.create(groupId, ctx.nowMs());
        }

        if (!acceptJoiningMember(group, memberId)) {
            group.remove(memberId);
            ctx.cancel(heartbeatKey(groupId, memberId));
            ctx.respond(out, joinError("", Errors.GROUP_MAX_SIZE_REACHED));
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
            CompletableFuture<JoinGroupResponseData> out) {}

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
            ctx.respond(p.out, joinError("", Errors.COORDINATOR_NOT_AVAILABLE));
            return;
        }
        if (!group.supportsProtocols(p.req.protocolType, p.protocols)) {
            ctx.respond(p.out, joinError("", Errors.INCONSISTENT_GROUP_PROTOCOL));
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
            ctx.schedule(
                    heartbeatKey(group.groupId(), newMemberId),
                    p.req.sessionTimeoutMs,
                    () -> onHeartbeatExpired(group, newMemberId));
            ctx.respond(p.out, joinError(newMemberId, Errors.MEMBER_ID_REQUIRED));
        } else {
            addMemberThenRebalanceOrCompleteJoin(group, newMemberId, p);
        }
    }

    private void joinExistingMember(ClassicGroup group, String memberId, JoinParams p) {
        if (group.isInState(ClassicGroupState.DEAD)) {
            ctx.respond(p.out, joinError(memberId, Errors.COORDINATOR_NOT_AVAILABLE));
            return;
        }
        if (!group.supportsProtocols(p.req.protocolType, p.protocols)) {
            ctx.respond(p.out, joinError(memberId, Errors.INCONSISTENT_GROUP_PROTOCOL));
            return;
        }
        if (group.isPendingMember(memberId) && p.req.groupInstanceId == null) {
            addMemberThenRebalanceOrCompleteJoin(group, memberId, p);
            return;
        }
        Errors error = group.validateMember(memberId, p.req.groupInstanceId);
        if (error != Errors.NONE) {
            ctx.respond(p.out, joinError(memberId, error));
            return;
        }
        ClassicGroupMember member = group.member(memberId);
        switch (group.state()) {
            case PREPARING_REBALANCE ->
                updateMemberThenRebalanceOrCompleteJoin(group, member, p, "member " + memberId + " rejoins");
            case COMPLETING_REBALANCE -> {
                if (member.matches(p.protocols)) {
                    // Same metadata: most likely it lost the first response; resend this generation.
                    ctx.respond(p.out, currentGenerationResponse(group, memberId, group.isLeader(memberId), false));
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
                    ctx.respond(p.out, currentGenerationResponse(group, memberId, false, false));
                }
            }
            default -> ctx.respond(p.out, joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
        }
    }

    private JoinGroupResponseData currentGenerationResponse(
            ClassicGroup group, String memberId, boolean withMembers, boolean skipAssignment) {
        return new JoinGroupResponseData()
                .setMembers(withMembers ? group.currentMembersForLeader() : new ArrayList<>())
                .setMemberId(memberId)
                .setGenerationId(group.generationId())
                .setProtocolType(group.protocolType())
                .setProtocolName(group.protocolName())
                .setLeader(group.leaderId() == null ? "" : group.leaderId())
                .setSkipAssignment(skipAssignment);
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
                EMPTY_ASSIGNMENT);
        member.setNew(true);
        // Extends the initial delay: more members may be on their way.
        if (group.isInState(ClassicGroupState.PREPARING_REBALANCE)
                && group.previousState() == ClassicGroupState.EMPTY) {
            group.newMemberAdded = true;
        }
        member.setAwaitingJoin(p.out);
        group.add(member);
        // A new member gets the (long) new-member join timeout instead of its session timeout.
        ctx.schedule(
                heartbeatKey(group.groupId(), memberId),
                config.newMemberJoinTimeoutMs(),
                () -> onHeartbeatExpired(group, memberId));
        maybePrepareRebalanceOrCompleteJoin(group, "new member " + memberId + " joins");
    }

    private void updateMemberThenRebalanceOrCompleteJoin(
            ClassicGroup group, ClassicGroupMember member, JoinParams p, String reason) {
        CompletableFuture<JoinGroupResponseData> replaced = member.awaitingJoin();
        if (replaced != null && replaced != p.out) {
            // A second JoinGroup while the first waits: the older request gets an answer so that
            // its connection is not blocked forever.
            ctx.respond(replaced, joinError(member.memberId(), Errors.REBALANCE_IN_PROGRESS));
        }
        group.updateMember(member, p.protocols, p.rebalanceTimeoutMs, p.req.sessionTimeoutMs, p.out);
        maybePrepareRebalanceOrCompleteJoin(group, reason);
    }

    private void updateStaticMemberThenRebalanceOrCompleteJoin(
            ClassicGroup group, String oldMemberId, String newMemberId, JoinParams p) {
        ClassicGroupMember old = group.member(oldMemberId);
        CompletableFuture<JoinGroupResponseData> oldJoin = group.takeJoinFuture(old);
        CompletableFuture<SyncGroupResponseData> oldSync = group.takeSyncFuture(old);
        if (oldJoin != null) {
            ctx.respond(oldJoin, joinError(oldMemberId, Errors.FENCED_INSTANCE_ID));
        }
        if (oldSync != null) {
            ctx.respond(oldSync, new SyncGroupResponseData().setErrorCode(Errors.FENCED_INSTANCE_ID.code()));
        }
        ClassicGroupMember member = group.replaceStaticMember(p.req.groupInstanceId, oldMemberId, newMemberId);
        ctx.cancel(heartbeatKey(group.groupId(), oldMemberId));
        rescheduleHeartbeat(group, member);
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
                    boolean isLeader = group.isLeader(newMemberId);
                    CompletableFuture<JoinGroupResponseData> f = group.takeJoinFuture(member);
                    ctx.respond(f, currentGenerationResponse(group, newMemberId, isLeader, isLeader));
                } else {
                    maybePrepareRebalanceOrCompleteJoin(
                            group, "static member " + p.req.groupInstanceId + " rejoins with a change of protocol");
                }
            }
            case COMPLETING_REBALANCE ->
                maybePrepareRebalanceOrCompleteJoin(
                        group, "static member " + p.req.groupInstanceId + " rejoins during CompletingRebalance");
            // Waits with the others; it may have been the last one missing.
            case PREPARING_REBALANCE -> maybeCompleteJoinPhase(group);
            default -> throw new IllegalStateException("static member rejoin in state " + group.state());
        }
    }

    // ================================================================ rebalance phases

    private void maybePrepareRebalanceOrCompleteJoin(ClassicGroup group, String reason) {
        if (group.canRebalance()) {
            prepareRebalance(group, reason);
        } else {
            maybeCompleteJoinPhase(group);
        }
    }

    void prepareRebalance(ClassicGroup group, String reason) {
        if (group.isInState(ClassicGroupState.COMPLETING_REBALANCE)) {
            resetAndPropagateAssignmentWithError(group, Errors.REBALANCE_IN_PROGRESS);
        }
        ctx.cancel(syncKey(group.groupId()));
        boolean isInitialRebalance = group.isInState(ClassicGroupState.EMPTY);
        if (isInitialRebalance) {
            // group.initial.rebalance.delay.ms: give the other members of a starting group time to
            // arrive, extended while new ones keep coming, up to the rebalance timeout.
            int delayMs = config.initialRebalanceDelayMs();
            int remainingMs = Math.max(group.rebalanceTimeoutMs() - delayMs, 0);
            ctx.schedule(
                    joinKey(group.groupId()),
                    delayMs,
                    () -> tryCompleteInitialRebalanceElseSchedule(group, delayMs, remainingMs));
        }
        group.transitionTo(ClassicGroupState.PREPARING_REBALANCE, ctx.nowMs());
        LOG.info(
                "Preparing to rebalance group {} in state PreparingRebalance with old generation {}: {}",
                group.groupId(),
                group.generationId(),
                reason);
        if (!isInitialRebalance) {
            maybeCompleteJoinElseSchedule(group);
        }
    }

    private void maybeCompleteJoinElseSchedule(ClassicGroup group) {
        if (group.isInState(ClassicGroupState.PREPARING_REBALANCE) && group.hasAllMembersJoined()) {
            completeJoin(group);
        } else {
            ctx.schedule(joinKey(group.groupId()), group.rebalanceTimeoutMs(), () -> completeJoin(group));
        }
    }

    private void tryCompleteInitialRebalanceElseSchedule(ClassicGroup group, int delayMs, int remainingMs) {
        if (!isCurrent(group)) {
            return;
        }
        if (group.newMemberAdded && remainingMs != 0) {
            group.newMemberAdded = false;
            int newDelayMs = Math.min(config.initialRebalanceDelayMs(), remainingMs);
            int newRemainingMs = Math.max(remainingMs - delayMs, 0);
            ctx.schedule(
                    joinKey(group.groupId()),
                    newDelayMs,
                    () -> tryCompleteInitialRebalanceElseSchedule(group, newDelayMs, newRemainingMs));
        } else {
            completeJoin(group);
        }
    }

    private void maybeCompleteJoinPhase(ClassicGroup group) {
        // The initial rebalance completes only through its delay timer.
        if (group.isInState(ClassicGroupState.PREPARING_REBALANCE)
                && group.previousState() != ClassicGroupState.EMPTY
                && group.hasAllMembersJoined()) {
            completeJoin(group);
        }
    }

    void completeJoin(ClassicGroup group) {
        if (!isCurrent(group)) {
            return;
        }
        ctx.cancel(joinKey(group.groupId()));
        if (!group.isInState(ClassicGroupState.PREPARING_REBALANCE)) {
            return;
        }
        // Dynamic members that did not rejoin within the rebalance timeout are dropped; static
        // members keep their slot until their session expires.
        for (ClassicGroupMember m : group.notYetRejoinedMembers()) {
            if (!m.isStatic()) {
                LOG.info(
                        "Removing member {} of group {}: it did not rejoin within the rebalance timeout",
                        m.memberId(),
                        group.groupId());
                removeMemberFuturesAndTimer(group, m);
                group.remove(m.memberId());
            }
        }
        if (!group.maybeElectNewJoinedLeader() && !group.isEmpty()) {
            // Nobody rejoined: wait another rebalance timeout for session expiry to clear them.
            LOG.warn("Group {} could not complete its rebalance because no members rejoined", group.groupId());
            ctx.schedule(joinKey(group.groupId()), group.rebalanceTimeoutMs(), () -> completeJoin(group));
            return;
        }
        group.initNextGeneration(ctx.nowMs());
        if (group.isInState(ClassicGroupState.EMPTY)) {
            LOG.info("Group {} with generation {} is now empty", group.groupId(), group.generationId());
            ctx.append(GroupStore.recordOf(group));
            return;
        }
        LOG.info(
                "Stabilized group {} generation {} with {} members, protocol {}",
                group.groupId(),
                group.generationId(),
                group.numMembers(),
                group.protocolName());
        for (ClassicGroupMember m : group.allMembers()) {
            boolean isLeader = group.isLeader(m.memberId());
            CompletableFuture<JoinGroupResponseData> f = group.takeJoinFuture(m);
            if (f != null) {
                ctx.respond(f, currentGenerationResponse(group, m.memberId(), isLeader, false));
            }
            rescheduleHeartbeat(group, m);
            m.setNew(false);
            group.addPendingSyncMember(m.memberId());
        }
        int generation = group.generationId();
        ctx.schedule(syncKey(group.groupId()), group.rebalanceTimeoutMs(), () -> expirePendingSync(group, generation));
    }

    private void expirePendingSync(ClassicGroup group, int generationId) {
        if (!isCurrent(group) || generationId != group.generationId()) {
            return;
        }
        if ((group.isInState(ClassicGroupState.COMPLETING_REBALANCE) || group.isInState(ClassicGroupState.STABLE))
                && !group.hasReceivedSyncFromAllMembers()) {
            List<String> missing = new ArrayList<>(group.pendingSyncMembers());
            for (String memberId : missing) {
                ClassicGroupMember m = group.member(memberId);
                if (m != null) {
                    removeMemberFuturesAndTimer(group, m);
                }
                group.remove(memberId);
            }
            prepareRebalance(group, "members " + missing + " did not send SyncGroup in time");
        }
    }

    private void resetAndPropagateAssignmentWithError(ClassicGroup group, Errors error) {
        for (ClassicGroupMember m : group.allMembers()) {
            m.setAssignment(EMPTY_ASSIGNMENT);
        }
        propagateAssignment(group, error);
    }

    private void propagateAssignment(ClassicGroup group, Errors error) {
        for (ClassicGroupMember m : group.allMembers()) {
            CompletableFuture<SyncGroupResponseData> f = group.takeSyncFuture(m);
            if (f != null) {
                ctx.respond(
                        f,
                        new SyncGroupResponseData()
                                .setProtocolType(group.protocolType())
                                .setProtocolName(group.protocolName())
                                .setAssignment(m.assignment())
                                .setErrorCode(error.code()));
                // Its session clock restarts now: expiry was not checked while it waited.
                rescheduleHeartbeat(group, m);
            }
        }
    }

    // ================================================================ SyncGroup

    public void syncGroup(RequestContext rc, SyncGroupRequestData req, CompletableFuture<SyncGroupResponseData> out) {
        if (req.groupId == null || req.groupId.isEmpty()) {
            ctx.respond(out, syncError(Errors.INVALID_GROUP_ID));
            return;
        }
        ClassicGroup group = store.get(req.groupId);
        if (group == null) {
            ctx.respond(out, syncError(Errors.UNKNOWN_MEMBER_ID));
            return;
        }
        Errors error = validateSync(group, req);
        if (error != Errors.NONE) {
            ctx.respond(out, syncError(error));
            return;
        }
        String memberId = req.memberId;
        ClassicGroupMember member = group.member(memberId);
        switch (group.state()) {
            case PREPARING_REBALANCE -> ctx.respond(out, syncError(Errors.REBALANCE_IN_PROGRESS));
            case COMPLETING_REBALANCE -> {
                CompletableFuture<SyncGroupResponseData> replaced = member.awaitingSync();
                if (replaced != null && replaced != out) {
                    ctx.respond(replaced, syncError(Errors.REBALANCE_IN_PROGRESS));
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
                        m.setAssignment(assignment.getOrDefault(m.memberId(), EMPTY_ASSIGNMENT));
                    }
                    group.transitionTo(ClassicGroupState.STABLE, ctx.nowMs());
                    ctx.append(GroupStore.recordOf(group));
                    // Released once the record is durable, like every response.
                    propagateAssignment(group, Errors.NONE);
                }
            }
            case STABLE -> {
                group.removePendingSyncMember(memberId);
                ctx.respond(
                        out,
                        new SyncGroupResponseData()
                                .setProtocolType(group.protocolType())
                                .setProtocolName(group.protocolName())
                                .setAssignment(member.assignment()));
            }
            default -> ctx.respond(out, syncError(Errors.UNKNOWN_MEMBER_ID));
        }
    }

    private static SyncGroupResponseData syncError(Errors error) {
        return new SyncGroupResponseData().setErrorCode(error.code());
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
                rescheduleHeartbeat(group, group.member(req.memberId));
                return Errors.REBALANCE_IN_PROGRESS;
            default:
                // CompletingRebalance included: members heartbeat between JoinGroup and SyncGroup.
                rescheduleHeartbeat(group, group.member(req.memberId));
                return Errors.NONE;
        }
    }

    private void rescheduleHeartbeat(ClassicGroup group, ClassicGroupMember member) {
        String memberId = member.memberId();
        ctx.schedule(
                heartbeatKey(group.groupId(), memberId),
                member.sessionTimeoutMs(),
                () -> onHeartbeatExpired(group, memberId));
    }

    /** A member's accepted offset commit keeps its session alive (Stable or PreparingRebalance). */
    public void onOffsetCommit(ClassicGroup group, String memberId) {
        ClassicGroupMember m = group.member(memberId);
        if (m != null
                && (group.isInState(ClassicGroupState.STABLE)
                        || group.isInState(ClassicGroupState.PREPARING_REBALANCE))) {
            rescheduleHeartbeat(group, m);
        }
    }

    /** Schedules session expiry for every member of a group loaded from the log. */
    public void onGroupLoaded(ClassicGroup group) {
        for (ClassicGroupMember m : group.allMembers()) {
            rescheduleHeartbeat(group, m);
        }
        if (group.numMembers() > config.maxGroupSize()) {
            prepareRebalance(
                    group,
                    "loaded group has " + group.numMembers() + " members, more than group.max.size "
                            + config.maxGroupSize());
        }
    }

    private void onHeartbeatExpired(ClassicGroup group, String memberId) {
        if (!isCurrent(group) || group.isInState(ClassicGroupState.DEAD)) {
            return;
        }
        if (group.isPendingMember(memberId)) {
            LOG.info("Pending member {} of group {} did not rejoin in time", memberId, group.groupId());
            group.remove(memberId);
            if (group.isInState(ClassicGroupState.PREPARING_REBALANCE) && group.hasAllMembersJoined()) {
                completeJoin(group);
            }
            return;
        }
        ClassicGroupMember member = group.member(memberId);
        if (member == null || member.hasSatisfiedHeartbeat()) {
            return;
        }
        LOG.info("Member {} of group {} has failed (session expired), removing it", memberId, group.groupId());
        removeMemberAndUpdateGroup(group, member, "session of member " + memberId + " expired");
    }

    private void removeMemberAndUpdateGroup(ClassicGroup group, ClassicGroupMember member, String reason) {
        removeMemberFuturesAndTimer(group, member);
        group.remove(member.memberId());
        if (group.isInState(ClassicGroupState.STABLE) || group.isInState(ClassicGroupState.COMPLETING_REBALANCE)) {
            prepareRebalance(group, reason);
        } else if (group.isInState(ClassicGroupState.PREPARING_REBALANCE) && group.hasAllMembersJoined()) {
            completeJoin(group);
        }
    }

    /** Answers a leaving member's parked requests with UNKNOWN_MEMBER_ID (so a live client rejoins). */
    private void removeMemberFuturesAndTimer(ClassicGroup group, ClassicGroupMember member) {
        ctx.cancel(heartbeatKey(group.groupId(), member.memberId()));
        CompletableFuture<JoinGroupResponseData> join = group.takeJoinFuture(member);
        if (join != null) {
            ctx.respond(join, joinError("", Errors.UNKNOWN_MEMBER_ID));
        }
        CompletableFuture<SyncGroupResponseData> sync = group.takeSyncFuture(member);
        if (sync != null) {
            ctx.respond(sync, syncError(Errors.UNKNOWN_MEMBER_ID));
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
                ctx.cancel(heartbeatKey(group.groupId(), memberId));
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
                case STABLE, COMPLETING_REBALANCE -> maybePrepareRebalanceOrCompleteJoin(group, reason);
                case PREPARING_REBALANCE -> maybeCompleteJoinPhase(group);
                default -> {}
            }
        }
        ctx.respond(out, leaveResponse(rc, Errors.NONE, responses));
    }

    private void removeCurrentMember(ClassicGroup group, String memberId) {
        ClassicGroupMember m = group.member(memberId);
        LOG.info("Member {} leaves group {}", memberId, group.groupId());
        removeMemberFuturesAndTimer(group, m);
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
