package io.tributary.client.internals;

import io.tributary.client.common.Node;
import io.tributary.client.common.PartitionInfo;
import io.tributary.client.common.errors.ApiException;
import io.tributary.client.network.NetworkClient;
import io.tributary.client.network.Response;
import io.tributary.protocol.Errors;
import io.tributary.protocol.Uuids;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.MetadataRequestData;
import io.tributary.protocol.message.MetadataResponseData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the metadata of the topics the consumer needs fresh: refreshes every
 * metadata.max.age.ms, or at once when a caller asks ({@link #requestUpdate()}) after a
 * leader or topic error, and answers one-off lookups (listTopics, partitionsFor). Owned by the
 * network thread; {@link #cluster()} may be read from any thread.
 */
public final class MetadataManager {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataManager.class);

    private final NetworkClient client;
    private final long maxAgeMs;
    private final long retryBackoffMs;
    private final boolean allowAutoCreate;
    private final Set<String> topics = new HashSet<>();
    private boolean allTopics;
    private boolean needUpdate = true;
    private boolean inFlight;
    private long lastAttemptMs = -1;
    private volatile Cluster cluster = Cluster.EMPTY;
    private final List<CompletableFuture<Cluster>> waiters = new ArrayList<>();

    public MetadataManager(NetworkClient client, long maxAgeMs, long retryBackoffMs, boolean allowAutoCreate) {
        this.client = client;
        this.maxAgeMs = maxAgeMs;
        this.retryBackoffMs = retryBackoffMs;
        this.allowAutoCreate = allowAutoCreate;
    }

    public Cluster cluster() {
        return cluster;
    }

    /** The topics to keep fresh; a change triggers a refresh. */
    public void setTopics(Collection<String> wanted, boolean all) {
        if (!topics.equals(new HashSet<>(wanted)) || allTopics != all) {
            topics.clear();
            topics.addAll(wanted);
            allTopics = all;
            needUpdate = true;
        }
    }

    public void requestUpdate() {
        needUpdate = true;
    }

    /** Completes with the next successful refresh that starts after this call. */
    public CompletableFuture<Cluster> awaitUpdate() {
        CompletableFuture<Cluster> f = new CompletableFuture<>();
        waiters.add(f);
        needUpdate = true;
        return f;
    }

    /** One-off metadata request (null topics = all topics), not changing what is tracked. */
    public CompletableFuture<Cluster> fetch(Collection<String> wanted, long nowMs) {
        CompletableFuture<Cluster> result = new CompletableFuture<>();
        int node = client.leastLoadedNode(nowMs);
        if (node == NetworkClient.NO_NODE) {
            result.completeExceptionally(new io.tributary.client.network.DisconnectException("No broker available"));
            return result;
        }
        client.send(node, ApiMessageType.METADATA, request(wanted, false), nowMs)
                .whenComplete((resp, err) -> {
                    if (err != null) {
                        result.completeExceptionally(err);
                        return;
                    }
                    Cluster fresh = parse(resp, false);
                    // Keep what we learnt: later lookups of these topics need no extra round trip.
                    Map<String, Cluster.TopicMetadata> merged = new HashMap<>(cluster.topics());
                    fresh.topics().forEach((name, t) -> {
                        if (t.error() == Errors.NONE) {
                            merged.put(name, t);
                        }
                    });
                    cluster = new Cluster(
                            fresh.nodes().isEmpty() ? cluster.nodes() : fresh.nodes(),
                            Map.copyOf(merged),
                            cluster.updatedMs());
                    result.complete(fresh);
                });
        return result;
    }

    /** Called every network-thread loop: starts a refresh when due. */
    public void poll(long nowMs) {
        if (inFlight) {
            return;
        }
        boolean due = needUpdate || nowMs - cluster.updatedMs() >= maxAgeMs;
        if (!due || (lastAttemptMs >= 0 && nowMs - lastAttemptMs < retryBackoffMs)) {
            return;
        }
        int node = client.leastLoadedNode(nowMs);
        if (node == NetworkClient.NO_NODE) {
            return;
        }
        lastAttemptMs = nowMs;
        inFlight = true;
        needUpdate = false;
        List<CompletableFuture<Cluster>> served = new ArrayList<>(waiters);
        waiters.clear();
        client.send(node, ApiMessageType.METADATA, request(allTopics ? null : topics, allowAutoCreate), nowMs)
                .whenComplete((resp, err) -> {
                    inFlight = false;
                    if (err != null) {
                        LOG.debug("Metadata request failed: {}", err.toString());
                        needUpdate = true;
                        waiters.addAll(served);
                        return;
                    }
                    Cluster c = parse(resp, true);
                    cluster = c;
                    served.forEach(f -> f.complete(c));
                });
    }

    /** Milliseconds until the next refresh is due (for the network thread's select timeout). */
    public long timeToNextUpdateMs(long nowMs) {
        if (inFlight) {
            return Long.MAX_VALUE;
        }
        if (needUpdate) {
            return lastAttemptMs < 0 ? 0 : Math.max(0, retryBackoffMs - (nowMs - lastAttemptMs));
        }
        return Math.max(0, maxAgeMs - (nowMs - cluster.updatedMs()));
    }

    private static MetadataRequestData request(Collection<String> wanted, boolean autoCreate) {
        MetadataRequestData req = new MetadataRequestData().setAllowAutoTopicCreation(autoCreate);
        if (wanted == null) {
            req.setTopics(null);
        } else {
            List<MetadataRequestData.MetadataRequestTopic> list = new ArrayList<>();
            wanted.forEach(t -> list.add(new MetadataRequestData.MetadataRequestTopic().setName(t)));
            req.setTopics(list);
        }
        return req;
    }

    private Cluster parse(Response resp, boolean updateBrokers) {
        MetadataResponseData data = resp.data();
        if (data.errorCode != 0) {
            throw new ApiException(Errors.forCode(data.errorCode), "Metadata");
        }
        Map<Integer, Node> nodes = new HashMap<>();
        List<NetworkClient.Endpoint> endpoints = new ArrayList<>();
        for (MetadataResponseData.MetadataResponseBroker b : data.brokers) {
            nodes.put(b.nodeId, new Node(b.nodeId, b.host, b.port, b.rack));
            endpoints.add(new NetworkClient.Endpoint(b.nodeId, b.host, b.port));
        }
        if (updateBrokers || !endpoints.isEmpty()) {
            client.updateBrokers(endpoints);
        }
        Map<String, Cluster.TopicMetadata> topicMap = new HashMap<>();
        for (MetadataResponseData.MetadataResponseTopic t : data.topics) {
            List<PartitionInfo> parts = new ArrayList<>();
            Map<Integer, Integer> epochs = new HashMap<>();
            for (MetadataResponseData.MetadataResponsePartition p : t.partitions) {
                parts.add(new PartitionInfo(
                        t.name,
                        p.partitionIndex,
                        nodes.get(p.leaderId),
                        toNodes(nodes, p.replicaNodes),
                        toNodes(nodes, p.isrNodes),
                        toNodes(nodes, p.offlineReplicas)));
                epochs.put(p.partitionIndex, p.leaderEpoch);
            }
            parts.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
            topicMap.put(
                    t.name,
                    new Cluster.TopicMetadata(
                            t.name,
                            Errors.forCode(t.errorCode),
                            t.isInternal,
                            List.copyOf(parts),
                            epochs,
                            t.topicId == null ? Uuids.ZERO : t.topicId));
        }
        return new Cluster(Map.copyOf(nodes), Map.copyOf(topicMap), System.currentTimeMillis());
    }

    private static List<Node> toNodes(Map<Integer, Node> nodes, List<Integer> ids) {
        List<Node> out = new ArrayList<>();
        for (Integer id : ids) {
            out.add(nodes.getOrDefault(id, new Node(id, "", -1, null)));
        }
        return out;
    }
}
