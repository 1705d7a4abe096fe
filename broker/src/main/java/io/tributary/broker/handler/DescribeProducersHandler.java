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
import io.tributary.protocol.message.DescribeProducersRequestData;
import io.tributary.protocol.message.DescribeProducersResponseData;
import io.tributary.storage.Log;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * DescribeProducers v0 (KIP-664; what {@code kafka-transactions.sh describe-producers} and
 * Admin#describeProducers send): each partition's active producers from its producer state, with
 * the open transaction's first offset (-1 when none). READ on the topic, else
 * TOPIC_AUTHORIZATION_FAILED for each of its partitions, as Kafka; a partition that does not exist
 * is UNKNOWN_TOPIC_OR_PARTITION. Stateless.
 */
public final class DescribeProducersHandler implements ApiHandler {
    private final BrokerState state;

    public DescribeProducersHandler(BrokerState state) {
        this.state = state;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        DescribeProducersRequestData req = request.body();
        List<DescribeProducersResponseData.TopicResponse> topics = new ArrayList<>(req.topics.size());
        for (DescribeProducersRequestData.TopicRequest t : req.topics) {
            boolean readable = state.authorizer().authorize(request, AclOperation.READ, ResourceType.TOPIC, t.name);
            List<DescribeProducersResponseData.PartitionResponse> parts = new ArrayList<>(t.partitionIndexes.size());
            for (int p : t.partitionIndexes) {
                parts.add(describe(t.name, p, readable));
            }
            topics.add(new DescribeProducersResponseData.TopicResponse()
                    .setName(t.name)
                    .setPartitions(parts));
        }
        return CompletableFuture.completedFuture(
                Response.of(request, new DescribeProducersResponseData().setTopics(topics)));
    }

    private DescribeProducersResponseData.PartitionResponse describe(String topic, int partition, boolean readable) {
        DescribeProducersResponseData.PartitionResponse pr =
                new DescribeProducersResponseData.PartitionResponse().setPartitionIndex(partition);
        if (!readable) {
            return pr.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        }
        PartitionLog log =
                state.topics().topic(topic) == null ? null : state.topics().log(new TopicPartition(topic, partition));
        if (log == null) {
            return pr.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
        List<DescribeProducersResponseData.ProducerState> producers = new ArrayList<>();
        for (Log.ProducerState s : log.log().activeProducers()) {
            producers.add(new DescribeProducersResponseData.ProducerState()
                    .setProducerId(s.producerId())
                    .setProducerEpoch(s.epoch())
                    .setLastSequence(s.lastSequence())
                    .setLastTimestamp(s.lastTimestamp())
                    .setCoordinatorEpoch(s.coordinatorEpoch())
                    .setCurrentTxnStartOffset(s.currentTxnStartOffset()));
        }
        return pr.setErrorCode(Errors.NONE.code()).setActiveProducers(producers);
    }
}
