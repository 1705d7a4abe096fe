package io.tributary.coordinator.group;

import io.tributary.coordinator.GroupCoordinatorConfig;
import io.tributary.coordinator.runtime.ShardContext;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.JoinGroupResponseData;
import io.tributary.protocol.message.SyncGroupResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rebalance phases of a classic group and the timers that drive them: PreparingRebalance
 * (initial delay, rebalance timeout), the join completing into a new generation, the pending-sync
 * timeout, the assignment released to parked SyncGroups, and session expiry with member removal.
 * The per-API handlers ({@link ClassicGroupManager}) call in here; the timer callbacks re-check
 * that their group is still the current one. Timers are keyed {@code join/sync/heartbeat} + group
 * [+ member]; scheduling a key replaces it. Owned by the coordinator thread; every method runs
 * inside a runtime operation.
 */
final class ClassicRebalancer {
    private static final Logger LOG = LoggerFactory.getLogger(ClassicRebalancer.class);

    private final ShardContext ctx;
    private final GroupCoordinatorConfig config;
    private final GroupStore store;

    ClassicRebalancer(ShardContext ctx, GroupCoordinatorConfig config, GroupStore store) {
        this.ctx = ctx;
        this.config = config;
        this.store = store;
    }

    // ---- timer keys (NUL cannot appear in ids sent by clients without breaking them anyway)

    private static String joinKey(String groupId) {
        return "join\u0000" + groupId;
    }

    private static String syncKey(String groupId) {
        return "sync\u0000" + groupId;
    }

    private static String heartbeatKey(String groupId, String memberId) {
        return "heartbeat\u0000" + groupId + "\u0000" + memberId;
    }

    // ---- timers

    /** Cancels every timer of a group that left the store. */
    void cancelTimers(ClassicGroup group) {
        ctx.cancel(joinKey(group.groupId()));
        ctx.cancel(syncKey(group.groupId()));
        for (ClassicGroupMember m : group.allMembers()) {
            ctx.cancel(heartbeatKey(group.groupId(), m.memberId()));
        }
    }

    /** (Re)arms a member's session timer: when it fires, the member is removed unless excused. */
    void scheduleSessionExpiry(ClassicGroup group, String memberId, long timeoutMs) {
        ctx.schedule(heartbeatKey(group.groupId(), memberId), timeoutMs, () -> onHeartbeatExpired(group, memberId));
    }

    void cancelSessionExpiry(ClassicGroup group, String memberId) {
        ctx.cancel(heartbeatKey(group.groupId(), memberId));
    }

    /** Restarts a member's session clock with its own session timeout. */
    void rescheduleHeartbeat(ClassicGroup group, ClassicGroupMember member) {
        scheduleSessionExpiry(group, member.memberId(), member.sessionTimeoutMs());
    }

    private boolean isCurrent(ClassicGroup group) {
        return store.get(group.groupId()) == group;
    }

    // ---- rebalance phases

    void maybePrepareRebalanceOrCompleteJoin(ClassicGroup group, String reason) {
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

    void maybeCompleteJoinPhase(ClassicGroup group) {
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
                ctx.respond(f, ClassicResponses.currentGenerationResponse(group, m.memberId(), isLeader, false));
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
            m.setAssignment(ClassicGroupMember.EMPTY_ASSIGNMENT);
        }
        propagateAssignment(group, error);
    }

    void propagateAssignment(ClassicGroup group, Errors error) {
        for (ClassicGroupMember m : group.allMembers()) {
            CompletableFuture<SyncGroupResponseData> f = group.takeSyncFuture(m);
            if (f != null) {
                ctx.respond(f, ClassicResponses.syncResponse(group, m, error));
                // Its session clock restarts now: expiry was not checked while it waited.
                rescheduleHeartbeat(group, m);
            }
        }
    }

    // ---- session expiry and member removal

    /** Schedules session expiry for every member of a group loaded from the log. */
    void onGroupLoaded(ClassicGroup group) {
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
    void removeMemberFuturesAndTimer(ClassicGroup group, ClassicGroupMember member) {
        cancelSessionExpiry(group, member.memberId());
        CompletableFuture<JoinGroupResponseData> join = group.takeJoinFuture(member);
        if (join != null) {
            ctx.respond(join, ClassicResponses.joinError("", Errors.UNKNOWN_MEMBER_ID));
        }
        CompletableFuture<SyncGroupResponseData> sync = group.takeSyncFuture(member);
        if (sync != null) {
            ctx.respond(sync, ClassicResponses.syncError(Errors.UNKNOWN_MEMBER_ID));
        }
    }
}
