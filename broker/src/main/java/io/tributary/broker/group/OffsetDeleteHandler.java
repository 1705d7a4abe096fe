package io.tributary.broker.group;

import io.tributary.broker.auth.RequestAuthorizer;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.coordinator.GroupCoordinator;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.OffsetDeleteRequestData;
import io.tributary.protocol.message.OffsetDeleteResponseData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * OffsetDelete v0. As in Kafka's KafkaApis: partitions of unknown topics get
 * UNKNOWN_TOPIC_OR_PARTITION here; the rest go to the coordinator, which is asked even when none
 * are left so that a missing or non-empty group is still reported (group-level error, no
 * partitions). Stateless.
 */
final class OffsetDeleteHandler implements ApiHandler {
    private final Supplier<RequestAuthorizer> authorizer;
    private final KnownPartitions partitions;
    private final GroupCoordinator coordinator;

    OffsetDeleteHandler(
            Supplier<RequestAuthorizer> authorizer, KnownPartitions partitions, GroupCoordinator coordinator) {
        this.authorizer = authorizer;
        this.partitions = partitions;
        this.coordinator = coordinator;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        OffsetDeleteRequestData req = request.body();
        RequestAuthorizer auth = authorizer.get();
        // Kafka asks for DELETE on the group here, not READ.
        if (!auth.authorize(request, AclOperation.DELETE, ResourceType.GROUP, req.groupId)) {
            return CompletableFuture.completedFuture(Response.of(
                    request, new OffsetDeleteResponseData().setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())));
        }
        Map<String, OffsetDeleteResponseData.OffsetDeleteResponseTopic> unknown = new LinkedHashMap<>();
        List<OffsetDeleteRequestData.OffsetDeleteRequestTopic> readable = new ArrayList<>();
        for (OffsetDeleteRequestData.OffsetDeleteRequestTopic t : req.topics) {
            if (auth.authorize(request, AclOperation.READ, ResourceType.TOPIC, t.name)) {
                readable.add(t);
                continue;
            }
            OffsetDeleteResponseData.OffsetDeleteResponseTopic refused = unknown.computeIfAbsent(
                    t.name, n -> new OffsetDeleteResponseData.OffsetDeleteResponseTopic().setName(n));
            for (OffsetDeleteRequestData.OffsetDeleteRequestPartition p : t.partitions) {
                refused.partitions.add(new OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                        .setPartitionIndex(p.partitionIndex)
                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
            }
        }
        req.topics = partitions.retainKnown(
                readable,
                t -> t.name,
                t -> t.partitions,
                p -> p.partitionIndex,
                (t, known) -> new OffsetDeleteRequestData.OffsetDeleteRequestTopic()
                        .setName(t.name)
                        .setPartitions(known),
                (topic, p) -> unknown.computeIfAbsent(
                                topic, n -> new OffsetDeleteResponseData.OffsetDeleteResponseTopic().setName(n))
                        .partitions
                        .add(new OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                                .setPartitionIndex(p.partitionIndex)
                                .setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())));
        return coordinator
                .offsetDelete(CoordinatorApiHandler.context(request), req)
                .thenApply(resp -> {
                    if (resp.errorCode != Errors.NONE.code()) {
                        return Response.of(request, new OffsetDeleteResponseData().setErrorCode(resp.errorCode));
                    }
                    Map<String, OffsetDeleteResponseData.OffsetDeleteResponseTopic> merged =
                            new LinkedHashMap<>(unknown);
                    for (OffsetDeleteResponseData.OffsetDeleteResponseTopic t : resp.topics) {
                        OffsetDeleteResponseData.OffsetDeleteResponseTopic into = merged.get(t.name);
                        if (into == null) {
                            merged.put(t.name, t);
                        } else {
                            into.partitions.addAll(t.partitions);
                        }
                    }
                    return Response.of(
                            request, new OffsetDeleteResponseData().setTopics(new ArrayList<>(merged.values())));
                });
    }
}
