package io.tributary.broker.handler;

import io.tributary.broker.BrokerState;
import io.tributary.broker.auth.RequestAuthorizer;
import io.tributary.broker.fetch.DelayedOperation;
import io.tributary.broker.fetch.FetchContext;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.broker.topic.PartitionLog;
import io.tributary.broker.topic.TopicInfo;
import io.tributary.broker.topic.TopicPartition;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.FetchRequestData;
import io.tributary.protocol.message.FetchResponseData;
import io.tributary.protocol.record.BaseRecords;
import io.tributary.protocol.record.MemoryRecords;
import io.tributary.storage.LogReadResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Fetch v4-11. Fetch sessions (v7+) are {@link FetchContext}'s: it says which partitions to read
 * (an incremental fetch reads all of its session's) and trims the answer; a full response lists
 * exactly the requested partitions in request order.
 * Reads are file slices sent zero-copy. Byte limits: the response is capped by the request's
 * max_bytes (and fetch.max.bytes), each partition by its partition_max_bytes, except that the
 * first batch of the first partition with data is returned whole even when it is larger, so a
 * consumer can always progress. With fewer than min_bytes available the fetch is parked in the
 * purgatory until appends bring enough or max_wait_ms passes. Stateless (sessions live in the cache).
 */
public final class FetchHandler implements ApiHandler {
    private final BrokerState state;

    public FetchHandler(BrokerState state) {
        this.state = state;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        FetchRequestData req = request.body();
        // Fetch sessions (KIP-227, io.tributary.broker.fetch): which partitions to read, and what of the answer to
        // send.
        FetchContext session = FetchContext.create(
                state.fetchSessions(), req, request.apiVersion(), req.replicaId >= 0, System.currentTimeMillis());
        if (session.error() != Errors.NONE) {
            return CompletableFuture.completedFuture(Response.of(request, session.errorResponse()));
        }
        List<FetchRequestData.FetchTopic> fetchTopics = session.topics();
        Set<String> denied = unreadable(request, req, fetchTopics);
        Read first = read(req, fetchTopics, denied);
        if (req.maxWaitMs <= 0 || first.bytes >= req.minBytes || first.hasError || first.partitions == 0) {
            return CompletableFuture.completedFuture(Response.of(request, finish(session, first)));
        }
        CompletableFuture<Response> result = new CompletableFuture<>();
        List<TopicPartition> keys = new ArrayList<>();
        for (FetchRequestData.FetchTopic t : fetchTopics) {
            for (FetchRequestData.FetchPartition p : t.partitions) {
                keys.add(new TopicPartition(t.topic, p.partition));
            }
        }
        // One read per attempt: the read that satisfies the fetch is the one answered with (the
        // records stay file slices); only a forced completion (max_wait_ms, shutdown) reads afresh.
        DelayedOperation<Read> parked = new DelayedOperation<>() {
            @Override
            protected Read attempt() {
                Read now = read(req, fetchTopics, denied);
                return now.bytes >= req.minBytes || now.hasError ? now : null;
            }

            @Override
            protected void onComplete(Read satisfied) {
                try {
                    Read answer = satisfied != null ? satisfied : read(req, fetchTopics, denied);
                    result.complete(Response.of(request, finish(session, answer)));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            }
        };
        state.purgatory().watch(parked, keys, req.maxWaitMs, request.channel().eventLoop());
        return result;
    }

    /**
     * Topics this fetch may not read, decided once per request as Kafka does: READ on each topic for a consumer,
     * CLUSTER_ACTION on the cluster for a follower (replica id >= 0), which then may read nothing if refused.
     */
    private Set<String> unreadable(
            Request request, FetchRequestData req, List<FetchRequestData.FetchTopic> fetchTopics) {
        RequestAuthorizer auth = state.authorizer();
        boolean follower = req.replicaId >= 0;
        boolean followerAllowed = follower && auth.authorizeCluster(request, AclOperation.CLUSTER_ACTION);
        Set<String> denied = new HashSet<>();
        for (FetchRequestData.FetchTopic t : fetchTopics) {
            if (follower
                    ? !followerAllowed
                    : !auth.authorize(request, AclOperation.READ, ResourceType.TOPIC, t.topic)) {
                denied.add(t.topic);
            }
        }
        return denied;
    }

    /** One pass over the requested partitions. */
    private static final class Read {
        FetchResponseData response;
        long bytes;
        boolean hasError;
        int partitions;
    }

    private static FetchResponseData finish(FetchContext session, Read answer) {
        return session.finish(answer.response, System.currentTimeMillis());
    }

    private Read read(FetchRequestData req, List<FetchRequestData.FetchTopic> fetchTopics, Set<String> denied) {
        Read out = new Read();
        long remaining = Math.min(
                req.maxBytes <= 0 ? Integer.MAX_VALUE : req.maxBytes,
                state.config().fetchMaxBytes());
        boolean minOneBatch = true;
        List<FetchResponseData.FetchableTopicResponse> topics = new ArrayList<>(fetchTopics.size());
        for (FetchRequestData.FetchTopic t : fetchTopics) {
            TopicInfo topic = state.topics().topic(t.topic);
            List<FetchResponseData.PartitionData> parts = new ArrayList<>(t.partitions.size());
            for (FetchRequestData.FetchPartition p : t.partitions) {
                out.partitions++;
                FetchResponseData.PartitionData pd = new FetchResponseData.PartitionData()
                        .setPartitionIndex(p.partition)
                        .setHighWatermark(-1)
                        .setLastStableOffset(-1)
                        .setLogStartOffset(-1)
                        .setAbortedTransactions(null)
                        .setPreferredReadReplica(-1)
                        .setRecords(MemoryRecords.EMPTY);
                parts.add(pd);
                PartitionLog log = topic == null ? null : state.topics().log(new TopicPartition(t.topic, p.partition));
                Errors error = Errors.NONE;
                if (denied.contains(t.topic)) {
                    error = Errors.TOPIC_AUTHORIZATION_FAILED;
                } else if (log == null) {
                    error = Errors.UNKNOWN_TOPIC_OR_PARTITION;
                } else if (p.currentLeaderEpoch > MetadataHandler.LEADER_EPOCH) {
                    error = Errors.UNKNOWN_LEADER_EPOCH;
                } else if (p.currentLeaderEpoch >= 0 && p.currentLeaderEpoch < MetadataHandler.LEADER_EPOCH) {
                    error = Errors.FENCED_LEADER_EPOCH;
                } else {
                    int limit = (int) Math.min(Math.max(0, p.partitionMaxBytes), remaining);
                    LogReadResult r = log.read(p.fetchOffset, limit, minOneBatch && p.partitionMaxBytes > 0);
                    error = r.error();
                    pd.setHighWatermark(r.highWatermark())
                            .setLastStableOffset(r.highWatermark())
                            .setLogStartOffset(r.logStartOffset());
                    if (error == Errors.NONE
                            && r.records() != null
                            && r.records().sizeInBytes() > 0) {
                        BaseRecords recs = r.records();
                        pd.setRecords(recs);
                        out.bytes += recs.sizeInBytes();
                        remaining = Math.max(0, remaining - recs.sizeInBytes());
                        minOneBatch = false;
                    }
                }
                if (error != Errors.NONE) {
                    pd.setErrorCode(error.code());
                    out.hasError = true;
                }
            }
            topics.add(new FetchResponseData.FetchableTopicResponse()
                    .setTopic(t.topic)
                    .setPartitions(parts));
        }
        out.response = new FetchResponseData()
                .setErrorCode(Errors.NONE.code())
                .setSessionId(0)
                .setResponses(topics);
        return out;
    }
}
