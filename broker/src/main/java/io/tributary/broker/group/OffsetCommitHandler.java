package io.tributary.broker.group;

import io.tributary.broker.auth.RequestAuthorizer;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.coordinator.GroupCoordinator;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.OffsetCommitRequestData;
import io.tributary.protocol.message.OffsetCommitResponseData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * OffsetCommit v2-10. As Kafka's KafkaApis does before the coordinator: a partition of a topic
 * that does not exist (or beyond its partition count) gets UNKNOWN_TOPIC_OR_PARTITION and is
 * not committed; when nothing valid is left the coordinator is not asked at all. v10 names topics
 * by id: an id no topic has gets UNKNOWN_TOPIC_ID; the others are committed under their names,
 * which is what the coordinator stores. The answer lists the partitions in request order.
 * Stateless.
 */
final class OffsetCommitHandler implements ApiHandler {
    private final Supplier<RequestAuthorizer> authorizer;
    private final KnownPartitions partitions;
    private final GroupCoordinator coordinator;

    OffsetCommitHandler(
            Supplier<RequestAuthorizer> authorizer, KnownPartitions partitions, GroupCoordinator coordinator) {
        this.authorizer = authorizer;
        this.partitions = partitions;
        this.coordinator = coordinator;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        OffsetCommitRequestData req = request.body();
        List<OffsetCommitRequestData.OffsetCommitRequestTopic> requested = req.topics;
        RequestAuthorizer auth = authorizer.get();
        boolean byId = request.apiVersion() >= 10;
        if (byId) {
            for (OffsetCommitRequestData.OffsetCommitRequestTopic t : requested) {
                String name = partitions.nameOf(t.topicId);
                t.name = name == null ? "" : name;
            }
        }
        if (!auth.authorize(request, AclOperation.READ, ResourceType.GROUP, req.groupId)) {
            return CompletableFuture.completedFuture(
                    Response.of(request, merge(requested, Map.of(), t -> Errors.GROUP_AUTHORIZATION_FAILED)));
        }
        // As Kafka, READ on a topic is checked before its existence, so a refused client learns nothing.
        Set<String> unreadable = new HashSet<>();
        List<OffsetCommitRequestData.OffsetCommitRequestTopic> readable = new ArrayList<>();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic t : requested) {
            if (byId && t.name.isEmpty()) {
                continue; // an unknown id: merge() answers UNKNOWN_TOPIC_ID
            }
            if (auth.authorize(request, AclOperation.READ, ResourceType.TOPIC, t.name)) {
                readable.add(t);
            } else {
                unreadable.add(t.name);
            }
        }
        Function<String, Errors> missing = t -> byId && t.isEmpty()
                ? Errors.UNKNOWN_TOPIC_ID
                : unreadable.contains(t) ? Errors.TOPIC_AUTHORIZATION_FAILED : Errors.UNKNOWN_TOPIC_OR_PARTITION;
        // Unknown partitions are left out here; merge() answers them UNKNOWN_TOPIC_OR_PARTITION.
        List<OffsetCommitRequestData.OffsetCommitRequestTopic> valid = partitions.retainKnown(
                readable,
                t -> t.name,
                t -> t.partitions,
                p -> p.partitionIndex,
                (t, known) -> new OffsetCommitRequestData.OffsetCommitRequestTopic()
                        .setName(t.name)
                        .setTopicId(t.topicId)
                        .setPartitions(known),
                (topic, p) -> {});
        if (valid.isEmpty()) {
            return CompletableFuture.completedFuture(Response.of(request, merge(requested, Map.of(), missing)));
        }
        // The request object belongs to this call; the coordinator sees only the valid part.
        req.topics = valid;
        return coordinator
                .offsetCommit(CoordinatorApiHandler.context(request), req)
                .thenApply(resp -> Response.of(request, merge(requested, errorsByPartition(resp), missing)));
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
            Map<String, Map<Integer, Short>> coordinatorErrors,
            Function<String, Errors> missing) {
        OffsetCommitResponseData resp = new OffsetCommitResponseData();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic t : requested) {
            OffsetCommitResponseData.OffsetCommitResponseTopic rt =
                    new OffsetCommitResponseData.OffsetCommitResponseTopic()
                            .setName(t.name)
                            .setTopicId(t.topicId);
            Map<Integer, Short> errors = coordinatorErrors.getOrDefault(t.name, Map.of());
            for (OffsetCommitRequestData.OffsetCommitRequestPartition p : t.partitions) {
                Short code = errors.get(p.partitionIndex);
                if (code == null) {
                    code = missing.apply(t.name).code();
                }
                rt.partitions.add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                        .setPartitionIndex(p.partitionIndex)
                        .setErrorCode(code));
            }
            resp.topics.add(rt);
        }
        return resp;
    }
}
