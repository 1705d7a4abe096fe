package io.tributary.broker.handler;

import io.tributary.broker.BrokerState;
import io.tributary.broker.auth.RequestAuthorizer;
import io.tributary.broker.fetch.DelayedOperation;
import io.tributary.broker.fetch.FetchContext;
import io.tributary.broker.fetch.FetchReader;
import io.tributary.broker.fetch.FetchReader.PartitionFetch;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.broker.topic.TopicIdPartition;
import io.tributary.broker.topic.TopicInfo;
import io.tributary.broker.topic.TopicPartition;
import io.tributary.protocol.Errors;
import io.tributary.protocol.Uuids;
import io.tributary.protocol.message.FetchRequestData;
import io.tributary.protocol.message.FetchResponseData;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Fetch v4-18. Fetch sessions (KIP-227, v7+) are {@link FetchContext}'s: it says which partitions to read (an
 * incremental fetch reads all of its session's) and trims the answer; a full response lists exactly the requested
 * partitions in request order. From v13 topics are named by id; an id unknown here is answered UNKNOWN_TOPIC_ID. This
 * class resolves the topics, authorizes once per request, parks the fetch in the purgatory while fewer than min_bytes
 * are available (until appends bring enough or max_wait_ms passes) and assembles the response; the {@link
 * FetchReader} reads. Stateless (sessions live in the cache).
 */
public final class FetchHandler implements ApiHandler {
    /** From v13 a fetch names topics by id. */
    static final short FIRST_TOPIC_ID_VERSION = 13;

    private final BrokerState state;
    private final FetchReader reader;

    public FetchHandler(BrokerState state) {
        this.state = state;
        this.reader = new FetchReader(state);
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        FetchRequestData req = request.body();
        short version = request.apiVersion();
        if (version >= FIRST_TOPIC_ID_VERSION) {
            nameTopicsById(req);
        }
        int replicaId = version >= 15 ? req.replicaState.replicaId : req.replicaId;
        FetchContext session =
                FetchContext.create(state.fetchSessions(), req, version, replicaId >= 0, System.currentTimeMillis());
        if (session.error() != Errors.NONE) {
            return CompletableFuture.completedFuture(Response.of(request, session.errorResponse()));
        }
        List<FetchRequestData.FetchTopic> fetchTopics = session.topics();
        List<PartitionFetch> parts = partitions(fetchTopics, version);
        Set<String> denied = unreadable(request, req, parts);
        // isolation_level 1 (v4+): read_committed, bounded by the last stable offset.
        boolean committed = req.isolationLevel == 1;
        FetchReader.Pass first = reader.read(parts, req.maxBytes, denied, committed);
        if (req.maxWaitMs <= 0 || first.bytes() >= req.minBytes || first.answerNow() || parts.isEmpty()) {
            return CompletableFuture.completedFuture(respond(request, session, fetchTopics, first));
        }
        CompletableFuture<Response> result = new CompletableFuture<>();
        Set<TopicPartition> keys = new LinkedHashSet<>();
        for (PartitionFetch pf : parts) {
            keys.add(pf.partition().topicPartition());
        }
        // One read per attempt: the read that satisfies the fetch is the one answered with (the
        // records stay file slices); only a forced completion (max_wait_ms, shutdown) reads afresh.
        DelayedOperation<FetchReader.Pass> parked = new DelayedOperation<>() {
            @Override
            protected FetchReader.Pass attempt() {
                FetchReader.Pass now = reader.read(parts, req.maxBytes, denied, committed);
                return now.bytes() >= req.minBytes || now.answerNow() ? now : null;
            }

            @Override
            protected void onComplete(FetchReader.Pass satisfied) {
                try {
                    FetchReader.Pass answer =
                            satisfied != null ? satisfied : reader.read(parts, req.maxBytes, denied, committed);
                    result.complete(respond(request, session, fetchTopics, answer));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            }
        };
        state.purgatory().watch(parked, keys, req.maxWaitMs, request.channel().eventLoop());
        return result;
    }

    /**
     * The requested partitions in request order, each with its topic's id and name: by name before
     * v13 (id ZERO for a topic that does not exist), by id from v13 (name null for an unknown id).
     */
    private List<PartitionFetch> partitions(List<FetchRequestData.FetchTopic> fetchTopics, short version) {
        boolean byId = version >= FIRST_TOPIC_ID_VERSION;
        List<PartitionFetch> parts = new ArrayList<>();
        for (FetchRequestData.FetchTopic t : fetchTopics) {
            TopicIdPartition topic = byId ? resolve(t.topicId) : resolve(t.topic);
            for (FetchRequestData.FetchPartition p : t.partitions) {
                parts.add(new PartitionFetch(new TopicIdPartition(topic.topicId(), topic.topic(), p.partition), p));
            }
        }
        return parts;
    }

    /** Fills in the names of topics sent by id (null if unknown), so that sessions and logs can name them. */
    private void nameTopicsById(FetchRequestData req) {
        for (FetchRequestData.FetchTopic t : req.topics) {
            t.setTopic(resolve(t.topicId).topic());
        }
        for (FetchRequestData.ForgottenTopic t : req.forgottenTopicsData) {
            t.setTopic(resolve(t.topicId).topic());
        }
    }

    private TopicIdPartition resolve(UUID topicId) {
        TopicInfo t = state.topics().topic(topicId);
        return new TopicIdPartition(topicId, t == null ? null : t.name(), -1);
    }

    private TopicIdPartition resolve(String name) {
        TopicInfo t = state.topics().topic(name);
        return new TopicIdPartition(t == null ? Uuids.ZERO : t.topicId(), name, -1);
    }

    /**
     * Topics this fetch may not read, decided once per request as Kafka does: READ on each topic for a consumer,
     * CLUSTER_ACTION on the cluster for a follower (replica id >= 0, in ReplicaState from v15), which then may read
     * nothing if refused. Unknown topic ids are answered before authorization, as Kafka does.
     */
    private Set<String> unreadable(Request request, FetchRequestData req, List<PartitionFetch> parts) {
        RequestAuthorizer auth = state.authorizer();
        int replicaId = request.apiVersion() >= 15 ? req.replicaState.replicaId : req.replicaId;
        boolean follower = replicaId >= 0;
        boolean followerAllowed = follower && auth.authorizeCluster(request, AclOperation.CLUSTER_ACTION);
        Set<String> checked = new HashSet<>();
        Set<String> denied = new HashSet<>();
        for (PartitionFetch pf : parts) {
            String topic = pf.partition().topic();
            if (topic != null && checked.add(topic)) {
                if (follower
                        ? !followerAllowed
                        : !auth.authorize(request, AclOperation.READ, ResourceType.TOPIC, topic)) {
                    denied.add(topic);
                }
            }
        }
        return denied;
    }

    /**
     * The response for one pass, topics as the request listed them. From v16, as Kafka does, a partition
     * refused for a stale leader epoch names the current leader, and the response carries its endpoint.
     */
    private Response respond(
            Request request,
            FetchContext session,
            List<FetchRequestData.FetchTopic> fetchTopics,
            FetchReader.Pass pass) {
        List<FetchResponseData.FetchableTopicResponse> topics = new ArrayList<>(fetchTopics.size());
        boolean leaderNamed = false;
        int i = 0;
        for (FetchRequestData.FetchTopic t : fetchTopics) {
            List<FetchResponseData.PartitionData> parts = new ArrayList<>(t.partitions.size());
            for (int n = 0; n < t.partitions.size(); n++) {
                FetchResponseData.PartitionData pd = pass.partitions().get(i++);
                if (request.apiVersion() >= 16 && pd.errorCode == Errors.FENCED_LEADER_EPOCH.code()) {
                    pd.setCurrentLeader(new FetchResponseData.LeaderIdAndEpoch()
                            .setLeaderId(state.nodeId())
                            .setLeaderEpoch(TopicInfo.LEADER_EPOCH));
                    leaderNamed = true;
                }
                parts.add(pd);
            }
            // Only the field of the request's version is written: the name before v13, the id from v13.
            topics.add(new FetchResponseData.FetchableTopicResponse()
                    .setTopic(t.topic)
                    .setTopicId(t.topicId)
                    .setPartitions(parts));
        }
        FetchResponseData resp = new FetchResponseData()
                .setErrorCode(Errors.NONE.code())
                .setSessionId(0)
                .setResponses(topics);
        if (leaderNamed) {
            List<FetchResponseData.NodeEndpoint> endpoints = new ArrayList<>();
            endpoints.add(new FetchResponseData.NodeEndpoint()
                    .setNodeId(state.nodeId())
                    .setHost(request.connection().listener().advertisedHost())
                    .setPort(request.connection().listener().advertisedPort())
                    .setRack(null));
            resp.setNodeEndpoints(endpoints);
        }
        return Response.of(request, session.finish(resp, System.currentTimeMillis()));
    }
}
