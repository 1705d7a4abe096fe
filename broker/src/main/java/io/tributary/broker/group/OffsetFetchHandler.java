package io.tributary.broker.group;

import io.tributary.broker.auth.RequestAuthorizer;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.coordinator.GroupCoordinator;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.OffsetFetchRequestData;
import io.tributary.protocol.message.OffsetFetchResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * OffsetFetch v1-7 with Kafka's checks: READ on the group (else GROUP_AUTHORIZATION_FAILED, top level from v2, on
 * every requested partition in v1), then READ on each topic. Named topics the client may not read are answered
 * TOPIC_AUTHORIZATION_FAILED without asking the coordinator; when all topics are asked for (null list), those it may
 * not read are silently left out. Stateless.
 */
final class OffsetFetchHandler implements ApiHandler {
    private final Supplier<RequestAuthorizer> authorizer;
    private final GroupCoordinator coordinator;

    OffsetFetchHandler(Supplier<RequestAuthorizer> authorizer, GroupCoordinator coordinator) {
        this.authorizer = authorizer;
        this.coordinator = coordinator;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        OffsetFetchRequestData req = request.body();
        RequestAuthorizer auth = authorizer.get();
        if (!auth.authorize(request, AclOperation.READ, ResourceType.GROUP, req.groupId)) {
            return CompletableFuture.completedFuture(Response.of(request, groupDenied(request, req)));
        }
        List<OffsetFetchResponseData.OffsetFetchResponseTopic> refused = new ArrayList<>();
        if (req.topics != null) {
            List<OffsetFetchRequestData.OffsetFetchRequestTopic> allowed = new ArrayList<>();
            for (OffsetFetchRequestData.OffsetFetchRequestTopic t : req.topics) {
                if (auth.authorize(request, AclOperation.READ, ResourceType.TOPIC, t.name)) {
                    allowed.add(t);
                } else {
                    refused.add(topic(t, Errors.TOPIC_AUTHORIZATION_FAILED));
                }
            }
            req.topics = allowed;
        }
        return coordinator
                .offsetFetch(CoordinatorApiHandler.context(request), req)
                .thenApply(resp -> {
                    List<OffsetFetchResponseData.OffsetFetchResponseTopic> topics = new ArrayList<>(resp.topics);
                    if (req.topics == null) {
                        topics.removeIf(t -> !auth.authorize(request, AclOperation.READ, ResourceType.TOPIC, t.name));
                    }
                    topics.addAll(refused);
                    resp.setTopics(topics);
                    return Response.of(request, resp);
                });
    }

    private static OffsetFetchResponseData groupDenied(Request request, OffsetFetchRequestData req) {
        OffsetFetchResponseData resp = new OffsetFetchResponseData();
        if (request.apiVersion() >= 2) {
            return resp.setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code());
        }
        if (req.topics != null) {
            for (OffsetFetchRequestData.OffsetFetchRequestTopic t : req.topics) {
                resp.topics.add(topic(t, Errors.GROUP_AUTHORIZATION_FAILED));
            }
        }
        return resp;
    }

    private static OffsetFetchResponseData.OffsetFetchResponseTopic topic(
            OffsetFetchRequestData.OffsetFetchRequestTopic t, Errors error) {
        OffsetFetchResponseData.OffsetFetchResponseTopic rt =
                new OffsetFetchResponseData.OffsetFetchResponseTopic().setName(t.name);
        for (Integer p : t.partitionIndexes) {
            rt.partitions.add(new OffsetFetchResponseData.OffsetFetchResponsePartition()
                    .setPartitionIndex(p)
                    .setCommittedOffset(-1)
                    .setCommittedLeaderEpoch(-1)
                    .setMetadata("")
                    .setErrorCode(error.code()));
        }
        return rt;
    }
}
