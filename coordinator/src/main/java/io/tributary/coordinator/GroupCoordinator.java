package io.tributary.coordinator;

import io.tributary.coordinator.offset.OffsetManager;
import io.tributary.coordinator.offset.TxnOffsetManager;
import io.tributary.coordinator.runtime.CoordinatorEventLoop;
import io.tributary.coordinator.runtime.CoordinatorException;
import io.tributary.coordinator.runtime.CoordinatorLog;
import io.tributary.coordinator.runtime.CoordinatorRuntime;
import io.tributary.coordinator.runtime.ThreadEventLoop;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ConsumerGroupDescribeRequestData;
import io.tributary.protocol.message.ConsumerGroupDescribeResponseData;
import io.tributary.protocol.message.ConsumerGroupHeartbeatRequestData;
import io.tributary.protocol.message.ConsumerGroupHeartbeatResponseData;
import io.tributary.protocol.message.DeleteGroupsRequestData;
import io.tributary.protocol.message.DeleteGroupsResponseData;
import io.tributary.protocol.message.DescribeGroupsRequestData;
import io.tributary.protocol.message.DescribeGroupsResponseData;
import io.tributary.protocol.message.FindCoordinatorRequestData;
import io.tributary.protocol.message.FindCoordinatorResponseData;
import io.tributary.protocol.message.HeartbeatRequestData;
import io.tributary.protocol.message.HeartbeatResponseData;
import io.tributary.protocol.message.JoinGroupRequestData;
import io.tributary.protocol.message.JoinGroupResponseData;
import io.tributary.protocol.message.LeaveGroupRequestData;
import io.tributary.protocol.message.LeaveGroupResponseData;
import io.tributary.protocol.message.ListGroupsRequestData;
import io.tributary.protocol.message.ListGroupsResponseData;
import io.tributary.protocol.message.OffsetCommitRequestData;
import io.tributary.protocol.message.OffsetCommitResponseData;
import io.tributary.protocol.message.OffsetDeleteRequestData;
import io.tributary.protocol.message.OffsetDeleteResponseData;
import io.tributary.protocol.message.OffsetFetchRequestData;
import io.tributary.protocol.message.OffsetFetchResponseData;
import io.tributary.protocol.message.SyncGroupRequestData;
import io.tributary.protocol.message.SyncGroupResponseData;
import io.tributary.protocol.message.TxnOffsetCommitRequestData;
import io.tributary.protocol.message.TxnOffsetCommitResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The group coordinator's public face for the broker: one asynchronous method per API. Each
 * call is queued to the coordinator's event loop; its future completes once the records it
 * produced are durable, and never fails: errors come back as the API's error response (for
 * example NOT_COORDINATOR while closed or after a failed write). Thread-safe; the state behind
 * it is owned by the event loop thread.
 */
public final class GroupCoordinator implements AutoCloseable {
    private final CoordinatorRuntime runtime;
    private final GroupCoordinatorConfig config;
    private final CoordinatorEventLoop ownedLoop;
    private volatile GroupCoordinatorShard shard;
    private volatile TopicMetadata topics = TopicMetadata.EMPTY;
    private volatile PartitionEndOffsets endOffsets = PartitionEndOffsets.UNKNOWN;

    /** A coordinator on the caller's event loop (tests pass a ManualEventLoop); the caller closes the loop. */
    public GroupCoordinator(GroupCoordinatorConfig config, CoordinatorLog log, CoordinatorEventLoop loop) {
        this(config, log, loop, false);
    }

    /** A coordinator on its own thread ("group-coordinator"), stopped by {@link #close()}. */
    public static GroupCoordinator withOwnThread(GroupCoordinatorConfig config, CoordinatorLog log) {
        return new GroupCoordinator(config, log, new ThreadEventLoop("group-coordinator"), true);
    }

    private GroupCoordinator(
            GroupCoordinatorConfig config, CoordinatorLog log, CoordinatorEventLoop loop, boolean ownsLoop) {
        this.config = config;
        this.ownedLoop = ownsLoop ? loop : null;
        this.runtime = new CoordinatorRuntime(
                loop,
                log,
                ctx -> {
                    shard = new GroupCoordinatorShard(ctx, config, () -> topics, () -> endOffsets);
                    return shard;
                },
                config.snapshotMinRecords());
    }

    /** Replays the log; completes when the coordinator serves requests (before that they wait). */
    public CompletableFuture<Void> start() {
        return runtime.start();
    }

    public GroupCoordinatorConfig config() {
        return config;
    }

    /** The cluster's topics, for consumer groups (KIP-848); the broker sets it before serving. */
    public void setTopicMetadata(TopicMetadata topics) {
        this.topics = topics == null ? TopicMetadata.EMPTY : topics;
    }

    /** The partitions' end offsets, for the lag-aware assignor (X6); the broker sets it before serving. */
    public void setEndOffsets(PartitionEndOffsets endOffsets) {
        this.endOffsets = endOffsets == null ? PartitionEndOffsets.UNKNOWN : endOffsets;
    }

    // ---- consumer groups (KIP-848)

    public CompletableFuture<ConsumerGroupHeartbeatResponseData> consumerGroupHeartbeat(
            RequestContext ctx, ConsumerGroupHeartbeatRequestData req) {
        return call(
                "ConsumerGroupHeartbeat",
                (CompletableFuture<ConsumerGroupHeartbeatResponseData> out) ->
                        shard.consumerGroupHeartbeat(ctx, req, out),
                e -> new ConsumerGroupHeartbeatResponseData().setErrorCode(e.code()));
    }

    public CompletableFuture<ConsumerGroupDescribeResponseData> consumerGroupDescribe(
            RequestContext ctx, ConsumerGroupDescribeRequestData req) {
        return call(
                "ConsumerGroupDescribe",
                (CompletableFuture<ConsumerGroupDescribeResponseData> out) ->
                        shard.consumerGroupDescribe(ctx, req, out),
                e -> {
                    ConsumerGroupDescribeResponseData resp = new ConsumerGroupDescribeResponseData();
                    for (String g : req.groupIds) {
                        resp.groups.add(new ConsumerGroupDescribeResponseData.DescribedGroup()
                                .setGroupId(g)
                                .setErrorCode(e.code()));
                    }
                    return resp;
                });
    }

    // ---- membership

    public CompletableFuture<JoinGroupResponseData> joinGroup(RequestContext ctx, JoinGroupRequestData req) {
        return call(
                        "JoinGroup",
                        (CompletableFuture<JoinGroupResponseData> out) -> {
                            if (shard.routeToConsumerGroup(req.groupId, true)) {
                                shard.consumerGroups().classicMembers().join(ctx, req, out);
                                return;
                            }
                            shard.membership().joinGroup(ctx, req, out);
                        },
                        e -> new JoinGroupResponseData()
                                .setMemberId(req.memberId)
                                .setErrorCode(e.code()))
                .thenApply(r -> normalizeJoin(ctx, r));
    }

    private static JoinGroupResponseData normalizeJoin(RequestContext ctx, JoinGroupResponseData r) {
        // Before v7 the protocol name is not nullable.
        if (r.protocolName == null && ctx.apiVersion() < 7) {
            r.setProtocolName("");
        }
        if (r.leader == null) {
            r.setLeader("");
        }
        if (r.memberId == null) {
            r.setMemberId("");
        }
        return r;
    }

    public CompletableFuture<SyncGroupResponseData> syncGroup(RequestContext ctx, SyncGroupRequestData req) {
        return call(
                "SyncGroup",
                (CompletableFuture<SyncGroupResponseData> out) -> {
                    if (shard.routeToConsumerGroup(req.groupId, false)) {
                        shard.consumerGroups().classicMembers().sync(ctx, req, out);
                        return;
                    }
                    shard.membership().syncGroup(ctx, req, out);
                },
                e -> new SyncGroupResponseData().setErrorCode(e.code()));
    }

    public CompletableFuture<HeartbeatResponseData> heartbeat(RequestContext ctx, HeartbeatRequestData req) {
        return call(
                "Heartbeat",
                (CompletableFuture<HeartbeatResponseData> out) -> {
                    if (shard.routeToConsumerGroup(req.groupId, false)) {
                        shard.consumerGroups().classicMembers().heartbeat(ctx, req, out);
                        return;
                    }
                    shard.membership().heartbeat(ctx, req, out);
                },
                e -> new HeartbeatResponseData().setErrorCode(e.code()));
    }

    public CompletableFuture<LeaveGroupResponseData> leaveGroup(RequestContext ctx, LeaveGroupRequestData req) {
        return call(
                "LeaveGroup",
                (CompletableFuture<LeaveGroupResponseData> out) -> {
                    if (shard.routeToConsumerGroup(req.groupId, false)) {
                        shard.consumerGroups().classicMembers().leave(ctx, req, out);
                        return;
                    }
                    shard.membership().leaveGroup(ctx, req, out);
                },
                e -> new LeaveGroupResponseData().setErrorCode(e.code()));
    }

    // ---- offsets

    public CompletableFuture<OffsetCommitResponseData> offsetCommit(RequestContext ctx, OffsetCommitRequestData req) {
        return call(
                "OffsetCommit",
                (CompletableFuture<OffsetCommitResponseData> out) ->
                        shard.offsets().commit(ctx, req, out),
                e -> OffsetManager.commitResponse(req, (t, p) -> e));
    }

    public CompletableFuture<OffsetFetchResponseData> offsetFetch(RequestContext ctx, OffsetFetchRequestData req) {
        return call(
                "OffsetFetch",
                (CompletableFuture<OffsetFetchResponseData> out) ->
                        shard.offsets().fetch(ctx, req, out),
                e -> {
                    OffsetFetchResponseData resp = new OffsetFetchResponseData().setErrorCode(e.code());
                    for (OffsetFetchRequestData.OffsetFetchRequestGroup g : req.groups) {
                        resp.groups.add(new OffsetFetchResponseData.OffsetFetchResponseGroup()
                                .setGroupId(g.groupId)
                                .setErrorCode(e.code()));
                    }
                    return resp;
                });
    }

    public CompletableFuture<OffsetDeleteResponseData> offsetDelete(RequestContext ctx, OffsetDeleteRequestData req) {
        return call(
                "OffsetDelete",
                (CompletableFuture<OffsetDeleteResponseData> out) ->
                        shard.offsets().delete(ctx, req, out),
                e -> new OffsetDeleteResponseData().setErrorCode(e.code()));
    }

    // ---- transactional offsets (KIP-98, KIP-447)

    /**
     * TxnOffsetCommit: stores the offsets pending under the request's producer id until
     * {@link #completeTransaction} ends its transaction; OffsetFetch does not return them before.
     */
    public CompletableFuture<TxnOffsetCommitResponseData> txnOffsetCommit(
            RequestContext ctx, TxnOffsetCommitRequestData req) {
        return call(
                "TxnOffsetCommit",
                (CompletableFuture<TxnOffsetCommitResponseData> out) ->
                        shard.txnOffsets().commit(req, out),
                e -> TxnOffsetManager.response(req, (t, p) -> e));
    }

    /**
     * The transaction coordinator's COMMIT or ABORT marker for this coordinator: the offsets the
     * producer committed in the transaction (in any group) become the committed offsets, or are
     * dropped. Completes once the outcome is durable; idempotent (a marker written again after a
     * restart changes nothing). Fails with a {@link CoordinatorException} (NOT_COORDINATOR) if the
     * coordinator is closed or the write failed: the caller retries, as with a marker write.
     */
    public CompletableFuture<Void> completeTransaction(long producerId, short producerEpoch, boolean commit) {
        return runtime.<Void>submit(
                commit ? "CommitTxnOffsets" : "AbortTxnOffsets",
                out -> shard.txnOffsets().complete(producerId, producerEpoch, commit, out));
    }

    // ---- admin

    public CompletableFuture<DescribeGroupsResponseData> describeGroups(
            RequestContext ctx, DescribeGroupsRequestData req) {
        return call(
                "DescribeGroups",
                (CompletableFuture<DescribeGroupsResponseData> out) -> shard.describeGroups(ctx, req, out),
                e -> {
                    DescribeGroupsResponseData resp = new DescribeGroupsResponseData();
                    for (String g : req.groups) {
                        resp.groups.add(new DescribeGroupsResponseData.DescribedGroup()
                                .setGroupId(g)
                                .setErrorCode(e.code()));
                    }
                    return resp;
                });
    }

    public CompletableFuture<ListGroupsResponseData> listGroups(RequestContext ctx, ListGroupsRequestData req) {
        return call(
                "ListGroups",
                (CompletableFuture<ListGroupsResponseData> out) -> shard.listGroups(ctx, req, out),
                e -> new ListGroupsResponseData().setErrorCode(e.code()));
    }

    public CompletableFuture<DeleteGroupsResponseData> deleteGroups(RequestContext ctx, DeleteGroupsRequestData req) {
        return call(
                "DeleteGroups",
                (CompletableFuture<DeleteGroupsResponseData> out) -> shard.deleteGroups(ctx, req, out),
                e -> {
                    DeleteGroupsResponseData resp = new DeleteGroupsResponseData();
                    for (String g : req.groupsNames) {
                        resp.results.add(new DeleteGroupsResponseData.DeletableGroupResult()
                                .setGroupId(g)
                                .setErrorCode(e.code()));
                    }
                    return resp;
                });
    }

    /** Drops the committed offsets of deleted topics (in every group); completes when durable. */
    public CompletableFuture<Void> onTopicsDeleted(Set<String> topics) {
        Set<String> copy = Set.copyOf(topics);
        return runtime.<Void>submit("TopicsDeleted", out -> shard.onTopicsDeleted(copy, out));
    }

    /**
     * FindCoordinator needs no group state: this single node coordinates every group. The broker
     * passes its own node id and the host/port of the listener the request came in on.
     * Key type 0 (group) is served; transactions (1) are not coordinated here
     * (COORDINATOR_NOT_AVAILABLE); other key types are INVALID_REQUEST.
     */
    public static FindCoordinatorResponseData findCoordinator(
            RequestContext ctx, FindCoordinatorRequestData req, int nodeId, String host, int port) {
        return findCoordinator(ctx, req, nodeId, host, port, false);
    }

    /**
     * As above; with {@code transactions} this node also answers key type 1 (a transactional id),
     * because a transaction coordinator runs here too (issue 11).
     */
    public static FindCoordinatorResponseData findCoordinator(
            RequestContext ctx,
            FindCoordinatorRequestData req,
            int nodeId,
            String host,
            int port,
            boolean transactions) {
        FindCoordinatorResponseData resp = new FindCoordinatorResponseData();
        if (ctx.apiVersion() >= 4) {
            for (String key : req.coordinatorKeys) {
                FindCoordinatorResponseData.Coordinator c = new FindCoordinatorResponseData.Coordinator().setKey(key);
                Errors e = findError(req.keyType, key, transactions);
                if (e == Errors.NONE) {
                    c.setNodeId(nodeId).setHost(host).setPort(port).setErrorMessage(null);
                } else {
                    // Kafka leaves a batched key's error message null.
                    c.setNodeId(-1)
                            .setHost("")
                            .setPort(-1)
                            .setErrorCode(e.code())
                            .setErrorMessage(null);
                }
                resp.coordinators.add(c);
            }
            return resp;
        }
        Errors e = findError(ctx.apiVersion() >= 1 ? req.keyType : 0, req.key, transactions);
        if (e == Errors.NONE) {
            return resp.setNodeId(nodeId).setHost(host).setPort(port).setErrorMessage(null);
        }
        return resp.setNodeId(-1).setHost("").setPort(-1).setErrorCode(e.code()).setErrorMessage(e.message());
    }

    private static Errors findError(byte keyType, String key, boolean transactions) {
        return switch (keyType) {
            case 0 -> Errors.NONE;
            case 1 -> transactions ? Errors.NONE : Errors.COORDINATOR_NOT_AVAILABLE;
            default -> Errors.INVALID_REQUEST;
        };
    }

    // ---- plumbing

    private interface Op<T> {
        void run(CompletableFuture<T> out);
    }

    private <T> CompletableFuture<T> call(String name, Op<T> op, Function<Errors, T> errorResponse) {
        return runtime.<T>submit(name, op::run)
                .exceptionally(t -> errorResponse.apply(CoordinatorException.errorOf(t)));
    }

    /** Test hook: the state machine (only touch it on the event loop thread). */
    GroupCoordinatorShard shard() {
        return shard;
    }

    /** Operations that threw instead of answering (should stay 0; for tests and metrics). */
    public long failedOperations() {
        return runtime.failedOperations();
    }

    /** Test hook: live timer keys. */
    List<String> timerKeys() {
        return new ArrayList<>(runtime.timerKeys());
    }

    /** Answers every waiting request with NOT_COORDINATOR and stops (closing the loop only if it owns it). */
    @Override
    public void close() {
        runtime.close();
        if (ownedLoop != null) {
            ownedLoop.close();
        }
    }
}
