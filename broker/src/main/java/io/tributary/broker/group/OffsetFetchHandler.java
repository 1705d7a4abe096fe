package io.tributary.broker.group;

import io.tributary.broker.auth.RequestAuthorizer;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.coordinator.GroupCoordinator;
import io.tributary.protocol.Errors;
import io.tributary.protocol.Uuids;
import io.tributary.protocol.message.OffsetFetchRequestData;
import io.tributary.protocol.message.OffsetFetchResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * OffsetFetch v1-9 with Kafka's checks: DESCRIBE on the group (else GROUP_AUTHORIZATION_FAILED, top level from v2,
 * on every requested partition in v1, on the group's own entry from v8), then DESCRIBE on each topic. Named topics
 * the client may not describe are answered TOPIC_AUTHORIZATION_FAILED without asking the coordinator; when all topics
 * are asked for (null list), those it may not describe are silently left out. From v8 a request names several groups,
 * each checked and answered on its own, in request order; the coordinator is asked once for the groups allowed. The
 * v9 member id and epoch are passed on (a classic group ignores them, as Kafka's does). v10 names topics by id: an id
 * no topic has is answered UNKNOWN_TOPIC_ID, the others are looked up under their names and answered with their ids;
 * when all topics are asked for, a committed topic that no longer exists (so has no id) is left out. Stateless.
 */
final class OffsetFetchHandler implements ApiHandler {
    private final Supplier<RequestAuthorizer> authorizer;
    private final KnownPartitions partitions;
    private final GroupCoordinator coordinator;

    OffsetFetchHandler(
            Supplier<RequestAuthorizer> authorizer, KnownPartitions partitions, GroupCoordinator coordinator) {
        this.authorizer = authorizer;
        this.partitions = partitions;
        this.coordinator = coordinator;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        OffsetFetchRequestData req = request.body();
        RequestAuthorizer auth = authorizer.get();
        return request.apiVersion() >= 8 ? handleGroups(request, req, auth) : handleOneGroup(request, req, auth);
    }

    private CompletionStage<Response> handleOneGroup(
            Request request, OffsetFetchRequestData req, RequestAuthorizer auth) {
        if (!auth.authorize(request, AclOperation.DESCRIBE, ResourceType.GROUP, req.groupId)) {
            return CompletableFuture.completedFuture(Response.of(request, groupDenied(request, req)));
        }
        List<OffsetFetchResponseData.OffsetFetchResponseTopic> refused = new ArrayList<>();
        if (req.topics != null) {
            List<OffsetFetchRequestData.OffsetFetchRequestTopic> allowed = new ArrayList<>();
            for (OffsetFetchRequestData.OffsetFetchRequestTopic t : req.topics) {
                if (mayDescribe(auth, request, t.name)) {
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
                        topics.removeIf(t -> !mayDescribe(auth, request, t.name));
                    }
                    topics.addAll(refused);
                    resp.setTopics(topics);
                    return Response.of(request, resp);
                });
    }

    /** What the broker decided about one requested group before the coordinator: null when it is asked. */
    private record Checked(
            OffsetFetchResponseData.OffsetFetchResponseGroup denied,
            List<OffsetFetchResponseData.OffsetFetchResponseTopics> refusedTopics,
            boolean allTopics) {}

    private CompletionStage<Response> handleGroups(
            Request request, OffsetFetchRequestData req, RequestAuthorizer auth) {
        boolean byId = request.apiVersion() >= 10;
        List<Checked> checked = new ArrayList<>(req.groups.size());
        List<OffsetFetchRequestData.OffsetFetchRequestGroup> asked = new ArrayList<>();
        for (OffsetFetchRequestData.OffsetFetchRequestGroup g : req.groups) {
            if (!auth.authorize(request, AclOperation.DESCRIBE, ResourceType.GROUP, g.groupId)) {
                checked.add(new Checked(
                        new OffsetFetchResponseData.OffsetFetchResponseGroup()
                                .setGroupId(g.groupId)
                                .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()),
                        List.of(),
                        false));
                continue;
            }
            List<OffsetFetchResponseData.OffsetFetchResponseTopics> refused = new ArrayList<>();
            if (g.topics != null) {
                List<OffsetFetchRequestData.OffsetFetchRequestTopics> allowed = new ArrayList<>();
                for (OffsetFetchRequestData.OffsetFetchRequestTopics t : g.topics) {
                    String name = byId ? partitions.nameOf(t.topicId) : t.name;
                    if (name == null) {
                        refused.add(refusedTopic(t, Errors.UNKNOWN_TOPIC_ID));
                    } else if (mayDescribe(auth, request, name)) {
                        allowed.add(t.setName(name));
                    } else {
                        refused.add(refusedTopic(t, Errors.TOPIC_AUTHORIZATION_FAILED));
                    }
                }
                g.topics = allowed;
            }
            checked.add(new Checked(null, refused, g.topics == null));
            asked.add(g);
        }
        req.groups = asked;
        CompletionStage<OffsetFetchResponseData> answered = asked.isEmpty()
                ? CompletableFuture.completedFuture(new OffsetFetchResponseData())
                : coordinator.offsetFetch(CoordinatorApiHandler.context(request), req);
        return answered.thenApply(resp -> {
            // The coordinator answers the groups it was asked for, in order: interleave the refused ones.
            List<OffsetFetchResponseData.OffsetFetchResponseGroup> fromCoordinator = resp.groups;
            List<OffsetFetchResponseData.OffsetFetchResponseGroup> groups = new ArrayList<>(checked.size());
            int next = 0;
            for (Checked c : checked) {
                if (c.denied() != null) {
                    groups.add(c.denied());
                    continue;
                }
                OffsetFetchResponseData.OffsetFetchResponseGroup g = fromCoordinator.get(next++);
                if (g.errorCode == Errors.NONE.code()) {
                    List<OffsetFetchResponseData.OffsetFetchResponseTopics> topics = new ArrayList<>(g.topics);
                    if (c.allTopics()) {
                        topics.removeIf(t -> !mayDescribe(auth, request, t.name));
                    }
                    if (byId) {
                        for (OffsetFetchResponseData.OffsetFetchResponseTopics t : topics) {
                            UUID id = partitions.idOf(t.name);
                            t.setTopicId(id == null ? Uuids.ZERO : id);
                        }
                        if (c.allTopics()) {
                            topics.removeIf(t -> t.topicId.equals(Uuids.ZERO));
                        }
                    }
                    topics.addAll(c.refusedTopics());
                    g.setTopics(topics);
                }
                groups.add(g);
            }
            return Response.of(request, new OffsetFetchResponseData().setGroups(groups));
        });
    }

    private static boolean mayDescribe(RequestAuthorizer auth, Request request, String topic) {
        return auth.authorize(request, AclOperation.DESCRIBE, ResourceType.TOPIC, topic);
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

    private static OffsetFetchResponseData.OffsetFetchResponseTopics refusedTopic(
            OffsetFetchRequestData.OffsetFetchRequestTopics t, Errors error) {
        OffsetFetchResponseData.OffsetFetchResponseTopics rt = new OffsetFetchResponseData.OffsetFetchResponseTopics()
                .setName(t.name)
                .setTopicId(t.topicId);
        for (Integer p : t.partitionIndexes) {
            rt.partitions.add(new OffsetFetchResponseData.OffsetFetchResponsePartitions()
                    .setPartitionIndex(p)
                    .setCommittedOffset(-1)
                    .setCommittedLeaderEpoch(-1)
                    .setMetadata("")
                    .setErrorCode(error.code()));
        }
        return rt;
    }
}
