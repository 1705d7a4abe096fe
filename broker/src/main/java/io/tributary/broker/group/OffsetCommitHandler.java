package io.tributary.broker.group;

import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.coordinator.GroupCoordinator;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.OffsetCommitRequestData;
import io.tributary.protocol.message.OffsetCommitResponseData;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * OffsetCommit v2-7. As Kafka's KafkaApis does before the coordinator: a partition of a topic
 * that does not exist (or beyond its partition count) gets UNKNOWN_TOPIC_OR_PARTITION and is
 * not committed; when nothing valid is left the coordinator is not asked at all. The answer lists
 * the partitions in request order. Stateless.
 */
final class OffsetCommitHandler implements ApiHandler {
    private final KnownPartitions partitions;
    private final GroupCoordinator coordinator;

    OffsetCommitHandler(KnownPartitions partitions, GroupCoordinator coordinator) {
        this.partitions = partitions;
        this.coordinator = coordinator;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        OffsetCommitRequestData req = request.body();
        List<OffsetCommitRequestData.OffsetCommitRequestTopic> requested = req.topics;
        // Unknown partitions are left out here; merge() answers them UNKNOWN_TOPIC_OR_PARTITION.
        List<OffsetCommitRequestData.OffsetCommitRequestTopic> valid = partitions.retainKnown(
                requested,
                t -> t.name,
                t -> t.partitions,
                p -> p.partitionIndex,
                (t, known) -> new OffsetCommitRequestData.OffsetCommitRequestTopic()
                        .setName(t.name)
                        .setTopicId(t.topicId)
                        .setPartitions(known),
                (topic, p) -> {});
        if (valid.isEmpty()) {
            return CompletableFuture.completedFuture(Response.of(request, merge(requested, Map.of())));
        }
        // The request object belongs to this call; the coordinator sees only the valid part.
        req.topics = valid;
        return coordinator
                .offsetCommit(CoordinatorApiHandler.context(request), req)
                .thenApply(resp -> Response.of(request, merge(requested, errorsByPartition(resp))));
    }

    private static Map<String, Map<Integer, Short>> errorsByPartition(OffsetCommitResponseData resp) {
        Map<String, Map<Integer, Short>> out = new HashMap<>();
        for (OffsetCommitResponseData.OffsetCommitResponseTopic t : resp.topics) {
            Map<Integer, Short> parts = out.computeIfAbsent(t.name, k -> new HashMap<>());
            for (OffsetCommitResponseData.OffsetCommitResponsePartition p : t.partitions) {
                parts.put(p.partitionIndex, p.errorCode);
            }
        }
        return out;
    }

    private static OffsetCommitResponseData merge(
            List<OffsetCommitRequestData.OffsetCommitRequestTopic> requested,
            Map<String, Map<Integer, Short>> coordinatorErrors) {
        OffsetCommitResponseData resp = new OffsetCommitResponseData();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic t : requested) {
            OffsetCommitResponseData.OffsetCommitResponseTopic rt =
                    new OffsetCommitResponseData.OffsetCommitResponseTopic()
                            .setName(t.name)
                            .setTopicId(t.topicId);
            Map<Integer, Short> errors = coordinatorErrors.getOrDefault(t.name, Map.of());
            for (OffsetCommitRequestData.OffsetCommitRequestPartition p : t.partitions) {
                short code = errors.getOrDefault(p.partitionIndex, Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                rt.partitions.add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                        .setPartitionIndex(p.partitionIndex)
                        .setErrorCode(code));
            }
            resp.topics.add(rt);
        }
        return resp;
    }
}
