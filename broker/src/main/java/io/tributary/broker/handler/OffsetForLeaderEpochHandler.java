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
import io.tributary.protocol.message.OffsetForLeaderEpochRequestData;
import io.tributary.protocol.message.OffsetForLeaderEpochResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * OffsetForLeaderEpoch v2-4: the consumer's truncation check after a leader change or a seek with an epoch (KIP-320).
 * One node never changes leader, so every batch carries epoch {@link MetadataHandler#LEADER_EPOCH} and the epoch
 * cache Kafka keeps has one entry, starting at the log start. Answered as Kafka's LeaderEpochFileCache answers from it:
 * the current epoch ends at the log end offset; an older epoch (only negatives are older here) ends where the current
 * one starts, the log start; undefined (-1) and newer epochs have no end (-1/-1). A current leader epoch (other than
 * -1) older than ours is FENCED_LEADER_EPOCH, newer UNKNOWN_LEADER_EPOCH. CLUSTER_ACTION on the cluster (followers) or
 * DESCRIBE on the topic (consumers). Stateless.
 */
public final class OffsetForLeaderEpochHandler implements ApiHandler {
    private static final int NO_EPOCH = -1;
    private static final long NO_OFFSET = -1L;

    private final BrokerState state;

    public OffsetForLeaderEpochHandler(BrokerState state) {
        this.state = state;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        OffsetForLeaderEpochRequestData req = request.body();
        boolean clusterAction = state.authorizer().authorizeCluster(request, AclOperation.CLUSTER_ACTION);
        List<OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult> topics = new ArrayList<>();
        for (OffsetForLeaderEpochRequestData.OffsetForLeaderTopic t : req.topics) {
            boolean authorized = clusterAction
                    || state.authorizer().authorize(request, AclOperation.DESCRIBE, ResourceType.TOPIC, t.topic);
            List<OffsetForLeaderEpochResponseData.EpochEndOffset> parts = new ArrayList<>();
            for (OffsetForLeaderEpochRequestData.OffsetForLeaderPartition p : t.partitions) {
                OffsetForLeaderEpochResponseData.EpochEndOffset r =
                        new OffsetForLeaderEpochResponseData.EpochEndOffset()
                                .setPartition(p.partition)
                                .setLeaderEpoch(NO_EPOCH)
                                .setEndOffset(NO_OFFSET);
                PartitionLog log = authorized && state.topics().topic(t.topic) != null
                        ? state.topics().log(new TopicPartition(t.topic, p.partition))
                        : null;
                if (!authorized) {
                    r.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                } else if (log == null) {
                    r.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                } else if (p.currentLeaderEpoch != NO_EPOCH && p.currentLeaderEpoch < MetadataHandler.LEADER_EPOCH) {
                    r.setErrorCode(Errors.FENCED_LEADER_EPOCH.code());
                } else if (p.currentLeaderEpoch > MetadataHandler.LEADER_EPOCH) {
                    r.setErrorCode(Errors.UNKNOWN_LEADER_EPOCH.code());
                } else {
                    r.setErrorCode(Errors.NONE.code());
                    if (p.leaderEpoch == MetadataHandler.LEADER_EPOCH) {
                        r.setLeaderEpoch(p.leaderEpoch).setEndOffset(log.logEndOffset());
                    } else if (p.leaderEpoch < MetadataHandler.LEADER_EPOCH && p.leaderEpoch != NO_EPOCH) {
                        r.setLeaderEpoch(p.leaderEpoch).setEndOffset(log.logStartOffset());
                    }
                }
                parts.add(r);
            }
            topics.add(new OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult()
                    .setTopic(t.topic)
                    .setPartitions(parts));
        }
        return CompletableFuture.completedFuture(
                Response.of(request, new OffsetForLeaderEpochResponseData().setTopics(topics)));
    }
}
