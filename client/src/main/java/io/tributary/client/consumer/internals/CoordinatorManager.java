package io.tributary.client.consumer.internals;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.errors.RebalanceInProgressException;
import io.tributary.client.consumer.CommitFailedException;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.network.DisconnectException;
import io.tributary.client.network.NetworkClient;
import io.tributary.client.network.Response;
import io.tributary.protocol.ApiMessage;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.FindCoordinatorRequestData;
import io.tributary.protocol.message.FindCoordinatorResponseData;
import io.tributary.protocol.message.OffsetCommitRequestData;
import io.tributary.protocol.message.OffsetCommitResponseData;
import io.tributary.protocol.message.OffsetFetchRequestData;
import io.tributary.protocol.message.OffsetFetchResponseData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the group coordinator (FindCoordinator) and talks to it for offsets: OffsetCommit and
 * OffsetFetch. The coordinator gets its own connection id, so its requests never wait behind a
 * long fetch. A coordinator error forgets the coordinator, and the next request looks it up
 * again. Owned by the network thread.
 */
public final class CoordinatorManager implements CoordinatorChannel {
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorManager.class);

    private final NetworkClient client;
    private final String groupId;
    private final String groupInstanceId;
    private final boolean requireStable;
    private final Supplier<Generation> generation;
    private int coordinatorId = -1;
    private CompletableFuture<Integer> lookup;

    public CoordinatorManager(
            NetworkClient client,
            String groupId,
            String groupInstanceId,
            boolean requireStable,
            Supplier<Generation> generation) {
        this.client = client;
        this.groupId = groupId;
        this.groupInstanceId = groupInstanceId;
        this.requireStable = requireStable;
        this.generation = generation;
    }

    public String groupId() {
        return groupId;
    }

    @Override
    public boolean known() {
        return coordinatorId != -1;
    }

    /** The coordinator's connection id, looking it up if unknown (one lookup at a time). */
    @Override
    public CompletableFuture<Integer> coordinator(long nowMs) {
        if (coordinatorId != -1) {
            return CompletableFuture.completedFuture(coordinatorId);
        }
        if (lookup != null && !lookup.isDone()) {
            return lookup;
        }
        CompletableFuture<Integer> f = new CompletableFuture<>();
        lookup = f;
        int node = client.leastLoadedNode(nowMs);
        if (node == NetworkClient.NO_NODE) {
            f.completeExceptionally(new DisconnectException("No broker available to find the coordinator"));
            return f;
        }
        FindCoordinatorRequestData req =
                new FindCoordinatorRequestData().setKey(groupId).setKeyType((byte) 0);
        client.send(node, ApiMessageType.FIND_COORDINATOR, req, nowMs).whenComplete((resp, err) -> {
            if (err != null) {
                f.completeExceptionally(err);
                return;
            }
            FindCoordinatorResponseData data = resp.data();
            Errors error = Errors.forCode(data.errorCode);
            if (error != Errors.NONE) {
                f.completeExceptionally(GroupErrors.exception(error, groupId, "FindCoordinator for group " + groupId));
                return;
            }
            // A separate id gives the coordinator its own socket, as Kafka's client does.
            int id = Integer.MAX_VALUE - data.nodeId;
            client.pin(new NetworkClient.Endpoint(id, data.host, data.port));
            coordinatorId = id;
            LOG.info(
                    "Discovered group coordinator {}:{} (id: {}) for group {}",
                    data.host,
                    data.port,
                    data.nodeId,
                    groupId);
            f.complete(id);
        });
        return f;
    }

    /** Forgets the coordinator after NOT_COORDINATOR / COORDINATOR_NOT_AVAILABLE / a disconnect. */
    @Override
    public void markUnknown(String why) {
        if (coordinatorId != -1) {
            LOG.info("Group coordinator for {} is unavailable or invalid ({}), will rediscover", groupId, why);
            client.disconnect(coordinatorId);
            coordinatorId = -1;
        }
    }

    /** Sends to the coordinator; coordinator-moved errors and disconnects forget it. */
    /** Completes once the latest request was handed to the network client (network thread only). */
    private CompletableFuture<Void> lastHandedOver = CompletableFuture.completedFuture(null);

    @Override
    public CompletableFuture<Response> send(ApiMessageType api, ApiMessage body, long nowMs) {
        return send(api, body, nowMs, -1);
    }

    /** @param timeoutMs the request's own timeout, or -1 for request.timeout.ms */
    @Override
    public CompletableFuture<Response> send(ApiMessageType api, ApiMessage body, long nowMs, long timeoutMs) {
        // Requests leave in the order they were made (commits must never overtake each other).
        // Requests waiting for a coordinator lookup all depend on one future, whose dependents
        // run newest first; so each request is also gated on the previous one being handed over.
        CompletableFuture<Void> previous = lastHandedOver;
        CompletableFuture<Void> handedOver = new CompletableFuture<>();
        lastHandedOver = handedOver;
        CompletableFuture<Response> out = previous.thenCombine(coordinator(nowMs), (v, id) -> id)
                .thenCompose(id -> {
                    CompletableFuture<Response> sent = timeoutMs < 0
                            ? client.send(id, api, body, nowMs)
                            : client.send(id, api, body, nowMs, timeoutMs);
                    handedOver.complete(null);
                    return sent;
                });
        out.whenComplete((r, err) -> handedOver.complete(null));
        return out.whenComplete((r, err) -> {
            if (err != null && Retries.unwrap(err) instanceof DisconnectException) {
                markUnknown(err.getMessage());
            }
        });
    }

    public boolean maybeCoordinatorError(Errors e) {
        if (e == Errors.NOT_COORDINATOR || e == Errors.COORDINATOR_NOT_AVAILABLE) {
            markUnknown(e.name());
            return true;
        }
        return false;
    }

    /** One OffsetCommit attempt; fails with the first partition error. */
    @Override
    public CompletableFuture<Void> commit(Map<TopicPartition, OffsetAndMetadata> offsets, long nowMs) {
        Generation gen = generation.get();
        OffsetCommitRequestData req = new OffsetCommitRequestData()
                .setGroupId(groupId)
                .setGenerationIdOrMemberEpoch(gen.generationId())
                .setMemberId(gen.memberId())
                .setGroupInstanceId(gen.generationId() >= 0 ? groupInstanceId : null);
        Map<String, OffsetCommitRequestData.OffsetCommitRequestTopic> byTopic = new LinkedHashMap<>();
        offsets.forEach((tp, om) -> byTopic.computeIfAbsent(
                        tp.topic(), t -> new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(t))
                .partitions
                .add(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                        .setPartitionIndex(tp.partition())
                        .setCommittedOffset(om.offset())
                        .setCommittedLeaderEpoch(om.leaderEpoch().orElse(-1))
                        .setCommittedMetadata(om.metadata())));
        req.setTopics(new ArrayList<>(byTopic.values()));
        return send(ApiMessageType.OFFSET_COMMIT, req, nowMs).thenApply(resp -> {
            OffsetCommitResponseData data = resp.data();
            for (OffsetCommitResponseData.OffsetCommitResponseTopic t : data.topics) {
                for (OffsetCommitResponseData.OffsetCommitResponsePartition p : t.partitions) {
                    Errors e = Errors.forCode(p.errorCode);
                    if (e == Errors.NONE) {
                        continue;
                    }
                    maybeCoordinatorError(e);
                    if (e == Errors.REBALANCE_IN_PROGRESS) {
                        // As Kafka: the partitions may still be ours; the caller polls (finishing
                        // the rebalance) and retries, rather than treating them as lost.
                        throw new RebalanceInProgressException("Offset commit cannot be completed since the consumer"
                                + " is undergoing a rebalance for auto partition assignment. You can try completing"
                                + " the rebalance by calling poll() and then retry the operation.");
                    }
                    if (e == Errors.STALE_MEMBER_EPOCH) {
                        // KIP-848: the member's epoch moved on; the retry carries the new one.
                        throw new StaleMemberEpochException("OffsetCommit of " + t.name + "-" + p.partitionIndex);
                    }
                    if (e == Errors.UNKNOWN_MEMBER_ID
                            || e == Errors.ILLEGAL_GENERATION
                            || e == Errors.FENCED_MEMBER_EPOCH
                            || e == Errors.FENCED_INSTANCE_ID) {
                        throw new CommitFailedException();
                    }
                    throw GroupErrors.exception(e, groupId, "OffsetCommit of " + t.name + "-" + p.partitionIndex);
                }
            }
            return null;
        });
    }

    /** One OffsetFetch attempt; partitions without a committed offset map to null. */
    public CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> fetchCommitted(
            Set<TopicPartition> partitions, long nowMs) {
        OffsetFetchRequestData req =
                new OffsetFetchRequestData().setGroupId(groupId).setRequireStable(requireStable);
        Map<String, OffsetFetchRequestData.OffsetFetchRequestTopic> byTopic = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            byTopic.computeIfAbsent(tp.topic(), t -> new OffsetFetchRequestData.OffsetFetchRequestTopic().setName(t))
                    .partitionIndexes
                    .add(tp.partition());
        }
        req.setTopics(new ArrayList<>(byTopic.values()));
        return send(ApiMessageType.OFFSET_FETCH, req, nowMs).thenApply(resp -> {
            OffsetFetchResponseData data = resp.data();
            Errors top = Errors.forCode(data.errorCode);
            if (top != Errors.NONE) {
                maybeCoordinatorError(top);
                throw GroupErrors.exception(top, groupId, "OffsetFetch for group " + groupId);
            }
            Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
            for (OffsetFetchResponseData.OffsetFetchResponseTopic t : data.topics) {
                for (OffsetFetchResponseData.OffsetFetchResponsePartition p : t.partitions) {
                    Errors e = Errors.forCode(p.errorCode);
                    TopicPartition tp = new TopicPartition(t.name, p.partitionIndex);
                    if (e == Errors.UNKNOWN_TOPIC_OR_PARTITION) {
                        out.put(tp, null);
                        continue;
                    }
                    if (e != Errors.NONE) {
                        maybeCoordinatorError(e);
                        throw GroupErrors.exception(e, groupId, "OffsetFetch of " + tp);
                    }
                    out.put(
                            tp,
                            p.committedOffset < 0
                                    ? null
                                    : new OffsetAndMetadata(
                                            p.committedOffset,
                                            p.committedLeaderEpoch < 0
                                                    ? Optional.empty()
                                                    : Optional.of(p.committedLeaderEpoch),
                                            p.metadata));
                }
            }
            for (TopicPartition tp : partitions) {
                out.putIfAbsent(tp, null);
            }
            return out;
        });
    }
}
