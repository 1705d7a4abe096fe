package io.tributary.client.consumer.internals;

import io.tributary.client.common.Node;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.errors.ApiException;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.consumer.OffsetAndTimestamp;
import io.tributary.client.internals.Cluster;
import io.tributary.client.internals.MetadataManager;
import io.tributary.client.network.DisconnectException;
import io.tributary.client.network.NetworkClient;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.ListOffsetsRequestData;
import io.tributary.protocol.message.ListOffsetsResponseData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ListOffsets (earliest, latest, by timestamp) for the user's offset queries, and the job of
 * giving every assigned partition a position: the committed offset when there is a group, else
 * (or when nothing is committed) auto.offset.reset; with "none" the next poll throws
 * {@link NoOffsetForPartitionException}. Owned by the network thread.
 */
public final class OffsetsManager {
    private static final Logger LOG = LoggerFactory.getLogger(OffsetsManager.class);
    public static final long EARLIEST_TIMESTAMP = -2L;
    public static final long LATEST_TIMESTAMP = -1L;

    private final NetworkClient client;
    private final MetadataManager metadata;
    private final SubscriptionState subscriptions;
    private final CoordinatorManager coordinator;
    private final boolean readCommitted;
    private final long retryBackoffMs;
    private final Consumer<RuntimeException> errors;
    private final Set<TopicPartition> inFlight = new HashSet<>();
    private long nextAttemptMs;

    public OffsetsManager(
            NetworkClient client,
            MetadataManager metadata,
            SubscriptionState subscriptions,
            CoordinatorManager coordinator,
            boolean readCommitted,
            long retryBackoffMs,
            Consumer<RuntimeException> errors) {
        this.client = client;
        this.metadata = metadata;
        this.subscriptions = subscriptions;
        this.coordinator = coordinator;
        this.readCommitted = readCommitted;
        this.retryBackoffMs = retryBackoffMs;
        this.errors = errors;
    }

    /** Starts lookups for partitions without a position. */
    public void poll(long nowMs) {
        if (nowMs < nextAttemptMs) {
            return;
        }
        Map<TopicPartition, SubscriptionState.NeedingPosition> needing = subscriptions.partitionsNeedingPosition();
        needing.keySet().removeAll(inFlight);
        if (needing.isEmpty()) {
            return;
        }
        // The versions of the snapshot, not read again later: a seek in between must win.
        Map<TopicPartition, Integer> versions = new HashMap<>();
        Set<TopicPartition> committedLookup = new HashSet<>();
        Map<TopicPartition, Long> resets = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, SubscriptionState.NeedingPosition> e : needing.entrySet()) {
            TopicPartition tp = e.getKey();
            versions.put(tp, e.getValue().version());
            switch (e.getValue().pending()) {
                case COMMITTED_OR_RESET -> {
                    if (coordinator != null) {
                        committedLookup.add(tp);
                    } else {
                        subscriptions.fallBackToReset(tp, e.getValue().version());
                    }
                }
                case RESET_EARLIEST -> resets.put(tp, EARLIEST_TIMESTAMP);
                case RESET_LATEST -> resets.put(tp, LATEST_TIMESTAMP);
                // NONE: the application thread raises NoOffsetForPartitionException inside poll,
                // so an assign() followed by seek() never sees it.
                default -> {}
            }
        }
        if (!committedLookup.isEmpty()) {
            lookupCommitted(committedLookup, versions, nowMs);
        }
        if (!resets.isEmpty()) {
            reset(resets, versions, nowMs);
        }
    }

    private void lookupCommitted(Set<TopicPartition> partitions, Map<TopicPartition, Integer> versions, long nowMs) {
        inFlight.addAll(partitions);
        coordinator.fetchCommitted(partitions, nowMs).whenComplete((result, err) -> {
            inFlight.removeAll(partitions);
            if (err != null) {
                LOG.debug("Fetching committed offsets failed, will retry: {}", err.toString());
                backoff();
                return;
            }
            result.forEach((tp, om) -> {
                Integer v = versions.get(tp);
                if (v == null) {
                    return;
                }
                if (om != null) {
                    if (subscriptions.seekIfVersion(tp, v, om.offset())) {
                        LOG.info("Setting offset for partition {} to the committed offset {}", tp, om.offset());
                    }
                } else {
                    subscriptions.fallBackToReset(tp, v);
                }
            });
        });
    }

    private void reset(Map<TopicPartition, Long> timestamps, Map<TopicPartition, Integer> versions, long nowMs) {
        inFlight.addAll(timestamps.keySet());
        listOffsets(timestamps, nowMs).whenComplete((result, err) -> {
            inFlight.removeAll(timestamps.keySet());
            if (err != null) {
                LOG.debug("Resetting offsets failed, will retry: {}", err.toString());
                backoff();
                return;
            }
            result.forEach((tp, ot) -> {
                if (ot != null && subscriptions.seekIfVersion(tp, versions.get(tp), ot.offset())) {
                    LOG.info("Resetting offset for partition {} to position {}", tp, ot.offset());
                }
            });
        });
    }

    private void backoff() {
        nextAttemptMs = System.currentTimeMillis() + retryBackoffMs;
    }

    /**
     * One attempt: ListOffsets to each partition's leader. Partitions with a retriable error fail
     * the whole future (callers retry); a partition whose timestamp matches nothing maps to null.
     */
    public CompletableFuture<Map<TopicPartition, OffsetAndTimestamp>> listOffsets(
            Map<TopicPartition, Long> timestamps, long nowMs) {
        Cluster cached = metadata.cluster();
        Set<String> unknown = new HashSet<>();
        timestamps.keySet().forEach(tp -> {
            if (cached.leaderFor(tp) == null) {
                unknown.add(tp.topic());
            }
        });
        if (unknown.isEmpty()) {
            return listOffsets(cached, timestamps, nowMs);
        }
        // Topics the consumer does not read are not in the tracked metadata: look them up once.
        return metadata.fetch(unknown, nowMs).thenCompose(fresh -> listOffsets(fresh, timestamps, nowMs));
    }

    private CompletableFuture<Map<TopicPartition, OffsetAndTimestamp>> listOffsets(
            Cluster cluster, Map<TopicPartition, Long> timestamps, long nowMs) {
        Map<Integer, Map<TopicPartition, Long>> byLeader = new HashMap<>();
        for (Map.Entry<TopicPartition, Long> e : timestamps.entrySet()) {
            Node leader = cluster.leaderFor(e.getKey());
            if (leader == null) {
                metadata.requestUpdate();
                return CompletableFuture.failedFuture(
                        new ApiException(Errors.LEADER_NOT_AVAILABLE, "No leader known for " + e.getKey()));
            }
            byLeader.computeIfAbsent(leader.id(), k -> new LinkedHashMap<>()).put(e.getKey(), e.getValue());
        }
        Map<TopicPartition, OffsetAndTimestamp> out = new HashMap<>();
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        byLeader.forEach((node, ts) ->
                parts.add(listOffsetsFrom(node, ts, cluster, nowMs).thenAccept(out::putAll)));
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]))
                .thenApply(v -> out);
    }

    private CompletableFuture<Map<TopicPartition, OffsetAndTimestamp>> listOffsetsFrom(
            int node, Map<TopicPartition, Long> timestamps, Cluster cluster, long nowMs) {
        ListOffsetsRequestData req =
                new ListOffsetsRequestData().setReplicaId(-1).setIsolationLevel((byte) (readCommitted ? 1 : 0));
        Map<String, ListOffsetsRequestData.ListOffsetsTopic> byTopic = new LinkedHashMap<>();
        timestamps.forEach((tp, ts) -> byTopic.computeIfAbsent(
                        tp.topic(), t -> new ListOffsetsRequestData.ListOffsetsTopic().setName(t))
                .partitions
                .add(new ListOffsetsRequestData.ListOffsetsPartition()
                        .setPartitionIndex(tp.partition())
                        .setTimestamp(ts)
                        .setCurrentLeaderEpoch(cluster.leaderEpochFor(tp))));
        req.setTopics(new ArrayList<>(byTopic.values()));
        return client.send(node, ApiMessageType.LIST_OFFSETS, req, nowMs).thenApply(resp -> {
            ListOffsetsResponseData data = resp.data();
            Map<TopicPartition, OffsetAndTimestamp> out = new HashMap<>();
            for (ListOffsetsResponseData.ListOffsetsTopicResponse t : data.topics) {
                for (ListOffsetsResponseData.ListOffsetsPartitionResponse p : t.partitions) {
                    TopicPartition tp = new TopicPartition(t.name, p.partitionIndex);
                    Errors e = Errors.forCode(p.errorCode);
                    if (e != Errors.NONE) {
                        if (e.retriable() || e == Errors.UNKNOWN_TOPIC_OR_PARTITION) {
                            metadata.requestUpdate();
                        }
                        throw new ApiException(e, "ListOffsets for " + tp);
                    }
                    out.put(
                            tp,
                            p.offset < 0
                                    ? null
                                    : new OffsetAndTimestamp(
                                            p.offset,
                                            p.timestamp,
                                            p.leaderEpoch < 0 ? Optional.empty() : Optional.of(p.leaderEpoch)));
                }
            }
            for (TopicPartition tp : timestamps.keySet()) {
                if (!out.containsKey(tp)) {
                    throw new DisconnectException("ListOffsets response from broker " + node + " misses " + tp);
                }
            }
            return out;
        });
    }

    /** For committed(): the committed offsets, through the coordinator. */
    public CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> committed(
            Set<TopicPartition> partitions, long nowMs) {
        return coordinator.fetchCommitted(partitions, nowMs);
    }
}
