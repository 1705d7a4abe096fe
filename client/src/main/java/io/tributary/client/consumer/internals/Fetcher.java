package io.tributary.client.consumer.internals;

import io.tributary.client.common.Node;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.errors.ApiException;
import io.tributary.client.consumer.OffsetOutOfRangeException;
import io.tributary.client.internals.Cluster;
import io.tributary.client.internals.MetadataManager;
import io.tributary.client.network.NetworkClient;
import io.tributary.client.network.Response;
import io.tributary.client.network.ResponseBufferPool;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.FetchRequestData;
import io.tributary.protocol.message.FetchResponseData;
import io.tributary.protocol.record.MemoryRecords;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetch-ahead: keeps one Fetch in flight per leader for every positioned, unpaused partition that
 * has no data buffered, and puts each partition's answer in the {@link FetchBuffer}. Each leader
 * has a {@link FetchSession} (KIP-227): after a full fetch, a request names only the partitions
 * whose fetch state changed and the ones to forget. Errors: out of range resets by auto.offset.reset (or reports it with
 * "none"); leadership errors refresh metadata. With enable.partition.eof an empty answer at the
 * end of the log is buffered too, as the carrier of the end-of-partition event. Owned by the
 * network thread. A partition with one fetch buffered is also fetched ahead of it (see
 * {@link #fetchAhead}).
 */
public final class Fetcher {
    private static final Logger LOG = LoggerFactory.getLogger(Fetcher.class);

    private final NetworkClient client;
    private final MetadataManager metadata;
    private final SubscriptionState subscriptions;
    private final FetchBuffer buffer;
    private final Consumer<RuntimeException> errors;
    private final int maxWaitMs;
    private final int minBytes;
    private final int maxBytes;
    private final int partitionMaxBytes;
    private final boolean readCommitted;
    private final boolean checkCrcs;
    private final String rackId;
    private final boolean partitionEof;
    private final Set<Integer> nodesWithFetch = new HashSet<>();
    private final Map<Integer, FetchSession> sessions = new HashMap<>();
    /** Partitions whose last fetch-ahead brought nothing usable: fetched from their position next. */
    private final Set<TopicPartition> aheadStalled = new HashSet<>();

    public Fetcher(
            NetworkClient client,
            MetadataManager metadata,
            SubscriptionState subscriptions,
            FetchBuffer buffer,
            Consumer<RuntimeException> errors,
            int maxWaitMs,
            int minBytes,
            int maxBytes,
            int partitionMaxBytes,
            boolean readCommitted,
            boolean checkCrcs,
            String rackId,
            boolean partitionEof) {
        this.client = client;
        this.metadata = metadata;
        this.subscriptions = subscriptions;
        this.buffer = buffer;
        this.errors = errors;
        this.maxWaitMs = maxWaitMs;
        this.minBytes = minBytes;
        this.maxBytes = maxBytes;
        this.partitionMaxBytes = partitionMaxBytes;
        this.readCommitted = readCommitted;
        this.checkCrcs = checkCrcs;
        this.rackId = rackId;
        this.partitionEof = partitionEof;
    }

    public void poll(long nowMs) {
        FetchBuffer.Contents buffered = buffer.contents();
        Map<TopicPartition, Long> fetchable =
                subscriptions.fetchablePartitions(buffered.tails().keySet());
        Set<TopicPartition> ahead = fetchAhead(buffered, fetchable);
        if (fetchable.isEmpty()) {
            return;
        }
        if (!buffered.tails().isEmpty()
                && ahead.isEmpty()
                && fetchable.keySet().stream().allMatch(subscriptions::isCaughtUp)) {
            // Only one fetch per broker is in flight, and one for caught-up partitions alone would
            // park for fetch.max.wait.ms while the buffered partitions drain and wait behind it.
            // The application is busy with buffered data: fetch everything together once it
            // drains (the buffer's take listener wakes this thread).
            return;
        }
        Cluster cluster = metadata.cluster();
        Map<Integer, Map<TopicPartition, Long>> byNode = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, Long> e : fetchable.entrySet()) {
            Node leader = cluster.leaderFor(e.getKey());
            if (leader == null) {
                metadata.requestUpdate();
                continue;
            }
            if (nodesWithFetch.contains(leader.id()) || client.isBlackedOut(leader.id(), nowMs)) {
                continue;
            }
            byNode.computeIfAbsent(leader.id(), k -> new LinkedHashMap<>()).put(e.getKey(), e.getValue());
        }
        byNode.forEach((node, partitions) -> send(node, partitions, ahead, cluster, nowMs));
    }

    /**
     * Fetch-ahead (issue 16): a partition with exactly one fetch buffered, of its current
     * version and ending below the end of the log that fetch reported, is fetched again from
     * where that fetch ends, so the next data is on its way while the application still reads
     * the buffered one, instead of a round trip after it (the broker answers at once: there is
     * data past that offset). At most two fetches per partition are buffered, all of them within
     * fetch.max.bytes. Adds them to {@code fetchable}; returns which they are.
     */
    private Set<TopicPartition> fetchAhead(FetchBuffer.Contents buffered, Map<TopicPartition, Long> fetchable) {
        if (buffered.tails().isEmpty() || buffered.bytes() >= maxBytes) {
            return Set.of();
        }
        Set<TopicPartition> ahead = new HashSet<>();
        buffered.tails().forEach((tp, tail) -> {
            CompletedFetch last = tail.last();
            long from = last.aheadOffset();
            if (tail.count() == 1
                    && from > last.fetchOffset
                    && from < last.endOffset
                    && !aheadStalled.contains(tp)
                    && subscriptions.mayFetchAhead(tp, last.version)) {
                fetchable.put(tp, from);
                ahead.add(tp);
            }
        });
        return ahead;
    }

    private void send(
            int node, Map<TopicPartition, Long> partitions, Set<TopicPartition> ahead, Cluster cluster, long nowMs) {
        Map<TopicPartition, FetchSession.PartitionState> wanted = new LinkedHashMap<>();
        partitions.forEach((tp, offset) ->
                wanted.put(tp, new FetchSession.PartitionState(offset, cluster.leaderEpochFor(tp), partitionMaxBytes)));
        FetchSession session = sessions.computeIfAbsent(node, FetchSession::new);
        FetchSession.Request sr = session.build(wanted);
        FetchRequestData req = request(sr);
        Map<TopicPartition, Integer> versions = new HashMap<>();
        partitions.keySet().forEach(tp -> {
            versions.put(tp, subscriptions.version(tp));
            subscriptions.markFetchInFlight(tp, true);
            if (!ahead.contains(tp)) {
                aheadStalled.remove(tp);
            }
        });
        nodesWithFetch.add(node);
        client.send(node, ApiMessageType.FETCH, req, nowMs).whenComplete((resp, err) -> {
            nodesWithFetch.remove(node);
            partitions.keySet().forEach(tp -> subscriptions.markFetchInFlight(tp, false));
            if (err != null) {
                LOG.debug("Fetch from node {} failed: {}", node, err.toString());
                session.handleError();
                metadata.requestUpdate();
                return;
            }
            try {
                handleResponse(resp, sr, session, node, partitions, versions, ahead);
            } finally {
                // The buffered fetches took their own references to a pooled answer's array.
                resp.releaseFrame();
            }
        });
    }

    private void handleResponse(
            Response resp,
            FetchSession.Request sr,
            FetchSession session,
            int node,
            Map<TopicPartition, Long> partitions,
            Map<TopicPartition, Integer> versions,
            Set<TopicPartition> ahead) {
        FetchResponseData data = resp.data();
        if (!session.handleResponse(sr, data)) {
            // A session error: the answer holds nothing usable; the next fetch is full.
            LOG.info(
                    "Fetch from node {} (session {}, epoch {}) failed with {}",
                    node,
                    sr.sessionId(),
                    sr.epoch(),
                    Errors.forCode(data.errorCode));
            return;
        }
        for (FetchResponseData.FetchableTopicResponse t : data.responses) {
            for (FetchResponseData.PartitionData p : t.partitions) {
                TopicPartition tp = new TopicPartition(t.topic, p.partitionIndex);
                Long offset = partitions.get(tp);
                if (offset == null) {
                    continue;
                }
                if (ahead.contains(tp)) {
                    handleAhead(tp, offset, versions.get(tp), p, resp.frame());
                } else {
                    handlePartition(tp, offset, versions.get(tp), p, resp.frame());
                }
            }
        }
    }

    /** The Fetch for a session request: only its changed partitions and its forgotten ones. */
    private FetchRequestData request(FetchSession.Request sr) {
        FetchRequestData req = new FetchRequestData()
                .setReplicaId(-1)
                .setMaxWaitMs(sr.epoch() == FetchSession.FINAL_EPOCH ? 0 : maxWaitMs)
                .setMinBytes(sr.epoch() == FetchSession.FINAL_EPOCH ? 0 : minBytes)
                .setMaxBytes(maxBytes)
                .setIsolationLevel((byte) (readCommitted ? 1 : 0))
                .setSessionId(sr.sessionId())
                .setSessionEpoch(sr.epoch())
                .setRackId(rackId);
        Map<String, FetchRequestData.FetchTopic> byTopic = new LinkedHashMap<>();
        sr.toSend()
                .forEach((tp, st) -> byTopic.computeIfAbsent(
                                tp.topic(), t -> new FetchRequestData.FetchTopic().setTopic(t))
                        .partitions
                        .add(new FetchRequestData.FetchPartition()
                                .setPartition(tp.partition())
                                .setFetchOffset(st.fetchOffset())
                                .setCurrentLeaderEpoch(st.currentLeaderEpoch())
                                .setLogStartOffset(-1)
                                .setPartitionMaxBytes(st.partitionMaxBytes())));
        req.setTopics(new ArrayList<>(byTopic.values()));
        Map<String, FetchRequestData.ForgottenTopic> forgotten = new LinkedHashMap<>();
        for (TopicPartition tp : sr.toForget()) {
            forgotten
                    .computeIfAbsent(tp.topic(), t -> new FetchRequestData.ForgottenTopic().setTopic(t))
                    .partitions
                    .add(tp.partition());
        }
        req.setForgottenTopicsData(new ArrayList<>(forgotten.values()));
        return req;
    }

    /**
     * Ends this consumer's fetch sessions (epoch -1, as Kafka's consumer does on close) on the
     * brokers still connected, so they free the slots at once rather than on eviction. Completes
     * when every broker without a fetch in flight has answered or failed; each request waits at
     * most {@code timeoutMs}.
     */
    public CompletableFuture<Void> closeSessions(long nowMs, long timeoutMs) {
        List<CompletableFuture<?>> sent = new ArrayList<>();
        sessions.forEach((node, session) -> {
            FetchSession.Request close = session.close();
            if (close == null || !client.isReady(node)) {
                return;
            }
            CompletableFuture<?> answer = client.send(
                            node, ApiMessageType.FETCH, request(close), nowMs, Math.max(1, timeoutMs))
                    .handle((r, e) -> {
                        if (r != null) {
                            r.releaseFrame();
                        }
                        return null;
                    });
            if (!nodesWithFetch.contains(node)) {
                // Behind a parked fetch the answer would come only after fetch.max.wait.ms:
                // such a close is sent but not waited for.
                sent.add(answer);
            }
        });
        sessions.clear();
        return CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0]));
    }

    /**
     * The answer for a partition fetched ahead: buffered behind the fetch it follows when it holds
     * records. An error or an answer without a whole batch is dropped, and the partition is not
     * fetched ahead again until it is fetched from its position, which handles what the broker
     * reports (an error there resets or refreshes as usual).
     */
    private void handleAhead(
            TopicPartition tp,
            long fetchOffset,
            int version,
            FetchResponseData.PartitionData p,
            ResponseBufferPool.Frame frame) {
        if (p.errorCode != Errors.NONE.code()) {
            aheadStalled.add(tp);
            return;
        }
        subscriptions.updateWatermarks(tp, p.highWatermark, p.logStartOffset, p.lastStableOffset);
        MemoryRecords records = p.records instanceof MemoryRecords m ? m : MemoryRecords.EMPTY;
        long end = readCommitted ? p.lastStableOffset : p.highWatermark;
        CompletedFetch f = new CompletedFetch(
                tp, fetchOffset, version, end, records, p.abortedTransactions, checkCrcs, readCommitted);
        if (f.aheadOffset() <= fetchOffset) {
            aheadStalled.add(tp);
            return;
        }
        buffer.add(f, frame);
    }

    private void handlePartition(
            TopicPartition tp,
            long fetchOffset,
            int version,
            FetchResponseData.PartitionData p,
            ResponseBufferPool.Frame frame) {
        Errors e = Errors.forCode(p.errorCode);
        switch (e) {
            case NONE -> {
                subscriptions.updateWatermarks(tp, p.highWatermark, p.logStartOffset, p.lastStableOffset);
                MemoryRecords records = p.records instanceof MemoryRecords m ? m : MemoryRecords.EMPTY;
                long end = readCommitted ? p.lastStableOffset : p.highWatermark;
                if (records.sizeInBytes() > 0) {
                    buffer.add(
                            new CompletedFetch(
                                    tp,
                                    fetchOffset,
                                    version,
                                    end,
                                    records,
                                    p.abortedTransactions,
                                    checkCrcs,
                                    readCommitted),
                            frame);
                } else if (partitionEof && fetchOffset == end && subscriptions.eofDue(tp, version, end)) {
                    // An empty fetch at the end carries the event to poll, which decides (in order
                    // with the partition's records and seeks) whether to report it.
                    buffer.add(new CompletedFetch(
                            tp, fetchOffset, version, end, MemoryRecords.EMPTY, List.of(), checkCrcs, readCommitted));
                }
            }
            case OFFSET_OUT_OF_RANGE -> {
                if (subscriptions.version(tp) != version) {
                    return; // the user already moved the partition
                }
                String policy = subscriptions.defaultResetStrategy();
                if ("none".equals(policy)) {
                    errors.accept(new OffsetOutOfRangeException(Map.of(tp, fetchOffset)));
                } else {
                    LOG.info("Fetch position {} is out of range for partition {}, resetting offset", fetchOffset, tp);
                    subscriptions.requestReset(tp, policy);
                }
            }
            case NOT_LEADER_OR_FOLLOWER,
                    LEADER_NOT_AVAILABLE,
                    UNKNOWN_TOPIC_OR_PARTITION,
                    FENCED_LEADER_EPOCH,
                    UNKNOWN_LEADER_EPOCH,
                    KAFKA_STORAGE_ERROR,
                    OFFSET_NOT_AVAILABLE,
                    REPLICA_NOT_AVAILABLE,
                    UNKNOWN_TOPIC_ID,
                    INCONSISTENT_TOPIC_ID -> {
                LOG.debug("Fetch of {} got {}, refreshing metadata", tp, e);
                metadata.requestUpdate();
            }
            case TOPIC_AUTHORIZATION_FAILED, CORRUPT_MESSAGE -> errors.accept(new ApiException(e, "Fetch of " + tp));
            default -> {
                LOG.warn("Unexpected error {} fetching {}", e, tp);
                metadata.requestUpdate();
            }
        }
    }
}
