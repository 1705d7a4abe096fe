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
import java.util.concurrent.CompletableFuture;

/**
 * The classic group membership protocol's entry points: JoinGroup, SyncGroup, Heartbeat and
 * LeaveGroup, each handed to its own handler ({@link ClassicJoinHandler}, {@link
 * ClassicSyncHandler}, {@link ClassicHeartbeatHandler}, {@link ClassicLeaveHandler}); the rebalance
 * phases and timers they set off live in {@link ClassicRebalancer}. Like the rest of the
 * coordinator, a handler changes the live group and answers through the {@link ShardContext}
 * (records appended, responses released once durable). Follows Apache Kafka's classic group
 * coordinator behaviour and error codes. Owned by the coordinator thread; every method runs
 * inside a runtime operation.
 */
public final class ClassicGroupManager {
    private final ShardContext ctx;
    private final ClassicRebalancer rebalancer;
    private final ClassicJoinHandler join;
    private final ClassicSyncHandler sync;
    private final ClassicHeartbeatHandler heartbeats;
    private final ClassicLeaveHandler leave;

    public ClassicGroupManager(ShardContext ctx, GroupCoordinatorConfig config, GroupStore store) {
        this.ctx = ctx;
        this.rebalancer = new ClassicRebalancer(ctx, config, store);
        this.join = new ClassicJoinHandler(ctx, config, store, rebalancer);
        this.sync = new ClassicSyncHandler(ctx, store, rebalancer);
        this.heartbeats = new ClassicHeartbeatHandler(ctx, store, rebalancer);
        this.leave = new ClassicLeaveHandler(ctx, store, rebalancer);
    }

    public void joinGroup(RequestContext rc, JoinGroupRequestData req, CompletableFuture<JoinGroupResponseData> out) {
        join.joinGroup(rc, req, out);
    }

    public void syncGroup(RequestContext rc, SyncGroupRequestData req, CompletableFuture<SyncGroupResponseData> out) {
        sync.syncGroup(rc, req, out);
    }

    public void heartbeat(RequestContext rc, HeartbeatRequestData req, CompletableFuture<HeartbeatResponseData> out) {
        heartbeats.heartbeat(rc, req, out);
    }

    /** A member's accepted offset commit keeps its session alive (Stable or PreparingRebalance). */
    public void onOffsetCommit(ClassicGroup group, String memberId) {
        heartbeats.onOffsetCommit(group, memberId);
    }

    public void leaveGroup(
            RequestContext rc, LeaveGroupRequestData req, CompletableFuture<LeaveGroupResponseData> out) {
        leave.leaveGroup(rc, req, out);
    }

    /**
     * Before a classic group becomes a consumer group (KIP-848 online upgrade): members waiting in
     * JoinGroup or SyncGroup are told REBALANCE_IN_PROGRESS, so they rejoin the consumer group.
     */
    public void releaseForUpgrade(ClassicGroup group) {
        for (ClassicGroupMember m : group.allMembers()) {
            CompletableFuture<JoinGroupResponseData> join = group.takeJoinFuture(m);
            if (join != null) {
                ctx.respond(join, ClassicResponses.joinError(m.memberId(), Errors.REBALANCE_IN_PROGRESS));
            }
            CompletableFuture<SyncGroupResponseData> sync = group.takeSyncFuture(m);
            if (sync != null) {
                ctx.respond(sync, ClassicResponses.syncError(Errors.REBALANCE_IN_PROGRESS));
            }
        }
    }

    /**
     * A classic group just rebuilt from a consumer group whose last new-protocol member left
     * (online downgrade): sessions start and, unless told otherwise, the group rebalances, as in
     * Kafka.
     */
    public void startAfterDowngrade(ClassicGroup group, boolean rebalance) {
        rebalancer.onGroupLoaded(group);
        if (rebalance) {
            rebalancer.prepareRebalance(group, "downgraded from a consumer group: only classic members remain");
        }
    }

    /** Cancels every timer of a group that left the store. */
    public void cancelTimers(ClassicGroup group) {
        rebalancer.cancelTimers(group);
    }

    /** Schedules session expiry for every member of a group loaded from the log. */
    public void onGroupLoaded(ClassicGroup group) {
        rebalancer.onGroupLoaded(group);
    }
}
