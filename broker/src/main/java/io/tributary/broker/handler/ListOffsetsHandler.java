package io.tributary.broker.handler;

import io.tributary.broker.BrokerState;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.broker.topic.PartitionLog;
import io.tributary.broker.topic.TopicPartition;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ListOffsetsRequestData;
import io.tributary.protocol.message.ListOffsetsResponseData;
import io.tributary.storage.TimestampAndOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * ListOffsets v1-11: -2 = log start offset, -1 = log end offset (the high watermark, single node), -3 (v7+, KIP-734)
 * = the record with the largest timestamp, -4 (v8+) = the local log start, which is the log start on a node without
 * tiered storage, -5 (v9+, last tiered) and -6 (v11+, earliest pending upload) = -1 as Kafka answers without tiered
 * storage; otherwise the first offset whose timestamp is at or after the given one (-1/-1 if none). Stateless.
 */
public final class ListOffsetsHandler implements ApiHandler {
    static final long EARLIEST = -2L;
    static final long LATEST = -1L;
    static final long MAX_TIMESTAMP = -3L;
    static final long EARLIEST_LOCAL = -4L;
    static final long LATEST_TIERED = -5L;
    static final long EARLIEST_PENDING_UPLOAD = -6L;

    private final BrokerState state;

    public ListOffsetsHandler(BrokerState state) {
        this.state = state;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        ListOffsetsRequestData req = request.body();
        // isolation_level 1 (v2+): LATEST is the last stable offset, lookups stop below it.
        boolean committed = req.isolationLevel == 1;
        List<ListOffsetsResponseData.ListOffsetsTopicResponse> topics = new ArrayList<>();
        for (ListOffsetsRequestData.ListOffsetsTopic t : req.topics) {
            List<ListOffsetsResponseData.ListOffsetsPartitionResponse> parts = new ArrayList<>();
            boolean describable =
                    state.authorizer().authorize(request, AclOperation.DESCRIBE, ResourceType.TOPIC, t.name);
            for (ListOffsetsRequestData.ListOffsetsPartition p : t.partitions) {
                ListOffsetsResponseData.ListOffsetsPartitionResponse pr =
                        new ListOffsetsResponseData.ListOffsetsPartitionResponse()
                                .setPartitionIndex(p.partitionIndex)
                                .setTimestamp(-1)
                                .setOffset(-1)
                                .setLeaderEpoch(-1);
                PartitionLog log = state.topics().topic(t.name) == null
                        ? null
                        : state.topics().log(new TopicPartition(t.name, p.partitionIndex));
                if (!describable) {
                    pr.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                } else if (log == null) {
                    pr.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                } else if (p.timestamp == EARLIEST) {
                    pr.setOffset(log.logStartOffset()).setLeaderEpoch(MetadataHandler.LEADER_EPOCH);
                } else if (p.timestamp == LATEST) {
                    pr.setOffset(committed ? log.lastStableOffset() : log.logEndOffset())
                            .setLeaderEpoch(MetadataHandler.LEADER_EPOCH);
                } else if (p.timestamp == EARLIEST_LOCAL && request.apiVersion() >= 8) {
                    pr.setOffset(log.logStartOffset()).setLeaderEpoch(MetadataHandler.LEADER_EPOCH);
                } else if ((p.timestamp == LATEST_TIERED && request.apiVersion() >= 9)
                        || (p.timestamp == EARLIEST_PENDING_UPLOAD && request.apiVersion() >= 11)) {
                    pr.setLeaderEpoch(MetadataHandler.LEADER_EPOCH);
                } else if (p.timestamp == MAX_TIMESTAMP && request.apiVersion() >= 7) {
                    TimestampAndOffset found = log.offsetForTimestamp(p.timestamp, committed);
                    if (found != null && found.offset() >= 0) {
                        pr.setTimestamp(found.timestamp())
                                .setOffset(found.offset())
                                .setLeaderEpoch(MetadataHandler.LEADER_EPOCH);
                    }
                } else if (p.timestamp < 0) {
                    pr.setErrorCode(Errors.UNSUPPORTED_VERSION.code());
                } else {
                    TimestampAndOffset found = log.offsetForTimestamp(p.timestamp, committed);
                    if (found != null) {
                        pr.setTimestamp(found.timestamp())
                                .setOffset(found.offset())
                                .setLeaderEpoch(MetadataHandler.LEADER_EPOCH);
                    }
                }
                parts.add(pr);
            }
            topics.add(new ListOffsetsResponseData.ListOffsetsTopicResponse()
                    .setName(t.name)
                    .setPartitions(parts));
        }
        return CompletableFuture.completedFuture(Response.of(request, new ListOffsetsResponseData().setTopics(topics)));
    }
}
