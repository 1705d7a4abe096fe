package io.tributary.broker.handler;

import io.tributary.broker.BrokerState;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.DeleteRecordsRequestData;
import io.tributary.protocol.message.DeleteRecordsResponseData;
import io.tributary.storage.StorageException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DeleteRecords v0-2 ({@code kafka-delete-records.sh}): moves each partition's log start offset to the given offset
 * (-1: the high watermark) and answers the new log start as the low watermark. As Kafka: DELETE on the topic, else
 * TOPIC_AUTHORIZATION_FAILED; an unknown topic or partition is UNKNOWN_TOPIC_OR_PARTITION; an offset past the high
 * watermark (or negative) OFFSET_OUT_OF_RANGE; a topic whose cleanup.policy lacks delete POLICY_VIOLATION; every error
 * with low watermark -1. A single node has no replicas to wait for, so the timeout is never needed. Stateless.
 */
public final class DeleteRecordsHandler implements ApiHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeleteRecordsHandler.class);

    /** Kafka's DeleteRecordsResponse.INVALID_LOW_WATERMARK. */
    static final long INVALID_LOW_WATERMARK = -1L;

    private final BrokerState state;

    public DeleteRecordsHandler(BrokerState state) {
        this.state = state;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        DeleteRecordsRequestData req = request.body();
        List<DeleteRecordsResponseData.DeleteRecordsTopicResult> topics = new ArrayList<>();
        for (DeleteRecordsRequestData.DeleteRecordsTopic t : req.topics) {
            boolean authorized = state.authorizer().authorize(request, AclOperation.DELETE, ResourceType.TOPIC, t.name);
            List<DeleteRecordsResponseData.DeleteRecordsPartitionResult> parts = new ArrayList<>();
            for (DeleteRecordsRequestData.DeleteRecordsPartition p : t.partitions) {
                DeleteRecordsResponseData.DeleteRecordsPartitionResult r =
                        new DeleteRecordsResponseData.DeleteRecordsPartitionResult()
                                .setPartitionIndex(p.partitionIndex)
                                .setLowWatermark(INVALID_LOW_WATERMARK);
                if (!authorized) {
                    r.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                } else {
                    deleteRecords(t.name, p, r);
                }
                parts.add(r);
            }
            topics.add(new DeleteRecordsResponseData.DeleteRecordsTopicResult()
                    .setName(t.name)
                    .setPartitions(parts));
        }
        return CompletableFuture.completedFuture(
                Response.of(request, new DeleteRecordsResponseData().setTopics(topics)));
    }

    private void deleteRecords(
            String topic,
            DeleteRecordsRequestData.DeleteRecordsPartition p,
            DeleteRecordsResponseData.DeleteRecordsPartitionResult r) {
        try {
            long lowWatermark = state.topics().logManager().deleteRecords(topic, p.partitionIndex, p.offset);
            r.setLowWatermark(lowWatermark).setErrorCode(Errors.NONE.code());
        } catch (StorageException e) {
            LOG.debug("DeleteRecords {}-{} to {}: {}", topic, p.partitionIndex, p.offset, e.getMessage());
            r.setErrorCode(e.error().code());
        } catch (IOException e) {
            LOG.warn("DeleteRecords {}-{} to {} failed: {}", topic, p.partitionIndex, p.offset, e.toString());
            r.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
        }
    }
}
