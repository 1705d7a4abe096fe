package io.tributary.broker.group;

import io.tributary.broker.auth.RequestAuthorizer;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.protocol.ApiMessage;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.DeleteGroupsRequestData;
import io.tributary.protocol.message.DeleteGroupsResponseData;
import io.tributary.protocol.message.DescribeGroupsRequestData;
import io.tributary.protocol.message.DescribeGroupsResponseData;
import io.tributary.protocol.message.FindCoordinatorRequestData;
import io.tributary.protocol.message.FindCoordinatorResponseData;
import io.tributary.protocol.message.HeartbeatRequestData;
import io.tributary.protocol.message.HeartbeatResponseData;
import io.tributary.protocol.message.JoinGroupRequestData;
import io.tributary.protocol.message.JoinGroupResponseData;
import io.tributary.protocol.message.LeaveGroupRequestData;
import io.tributary.protocol.message.LeaveGroupResponseData;
import io.tributary.protocol.message.ListGroupsResponseData;
import io.tributary.protocol.message.SyncGroupRequestData;
import io.tributary.protocol.message.SyncGroupResponseData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The ACL checks Kafka's KafkaApis makes before a group API reaches the coordinator, as wrappers around the plain
 * handlers: READ on the group for JoinGroup, SyncGroup, Heartbeat and LeaveGroup; DESCRIBE on each group for
 * DescribeGroups and FindCoordinator (DESCRIBE on the transactional id for a transaction key); DELETE on each group
 * for DeleteGroups; DESCRIBE on the cluster, else on each group listed, for ListGroups. Refusals are answered
 * without asking the coordinator, in the shape Kafka's {@code getErrorResponse} gives them. The authorizer is read
 * per request because the security extension installs it after these handlers are registered. Stateless.
 */
final class GroupAcls {
    private GroupAcls() {}

    /** READ on the group named by {@code groupId}, else the request's {@code denied} answer. */
    static ApiHandler groupRead(
            Supplier<RequestAuthorizer> authorizer,
            ApiHandler inner,
            Function<ApiMessage, String> groupId,
            Supplier<ApiMessage> denied) {
        return request -> {
            String group = groupId.apply(request.body());
            if (!authorizer.get().authorize(request, AclOperation.READ, ResourceType.GROUP, group)) {
                return done(request, denied.get());
            }
            return inner.handle(request);
        };
    }

    static ApiHandler joinGroup(Supplier<RequestAuthorizer> authorizer, ApiHandler inner) {
        return groupRead(
                authorizer,
                inner,
                b -> ((JoinGroupRequestData) b).groupId,
                () -> new JoinGroupResponseData()
                        .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())
                        .setGenerationId(-1)
                        .setProtocolType(null)
                        .setProtocolName("")
                        .setLeader("")
                        .setMemberId("")
                        .setMembers(new ArrayList<>()));
    }

    static ApiHandler syncGroup(Supplier<RequestAuthorizer> authorizer, ApiHandler inner) {
        return groupRead(
                authorizer,
                inner,
                b -> ((SyncGroupRequestData) b).groupId,
                () -> new SyncGroupResponseData()
                        .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())
                        .setProtocolType(null)
                        .setProtocolName(null)
                        .setAssignment(new byte[0]));
    }

    static ApiHandler heartbeat(Supplier<RequestAuthorizer> authorizer, ApiHandler inner) {
        return groupRead(
                authorizer,
                inner,
                b -> ((HeartbeatRequestData) b).groupId,
                () -> new HeartbeatResponseData().setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
    }

    static ApiHandler leaveGroup(Supplier<RequestAuthorizer> authorizer, ApiHandler inner) {
        return groupRead(
                authorizer,
                inner,
                b -> ((LeaveGroupRequestData) b).groupId,
                () -> new LeaveGroupResponseData()
                        .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())
                        .setMembers(new ArrayList<>()));
    }

    /**
     * What Kafka 4's AclEntry.supportedOperations lists for a group (group configs added the two config operations),
     * for the authorized-operations field.
     */
    static final List<AclOperation> GROUP_OPERATIONS = List.of(
            AclOperation.READ,
            AclOperation.DESCRIBE,
            AclOperation.DELETE,
            AclOperation.DESCRIBE_CONFIGS,
            AclOperation.ALTER_CONFIGS);

    /**
     * Only the groups it may describe reach the coordinator; the others follow, refused, as in Kafka. From v3 a
     * client may ask for its authorized operations on each group described without error (else the field keeps
     * Kafka's "not requested" value, Integer.MIN_VALUE).
     */
    static ApiHandler describeGroups(Supplier<RequestAuthorizer> authorizer, ApiHandler inner) {
        return request -> {
            DescribeGroupsRequestData req = request.body();
            RequestAuthorizer auth = authorizer.get();
            boolean withOperations = request.apiVersion() >= 3 && req.includeAuthorizedOperations;
            List<String> allowed = new ArrayList<>();
            List<String> refused = new ArrayList<>();
            for (String g : req.groups) {
                (auth.authorize(request, AclOperation.DESCRIBE, ResourceType.GROUP, g) ? allowed : refused).add(g);
            }
            req.groups = allowed;
            CompletionStage<Response> answered = allowed.isEmpty() && !refused.isEmpty()
                    ? done(request, new DescribeGroupsResponseData())
                    : inner.handle(request);
            return answered.thenApply(response -> {
                if (!(response.body() instanceof DescribeGroupsResponseData body)) {
                    return response;
                }
                List<DescribeGroupsResponseData.DescribedGroup> groups = new ArrayList<>();
                for (String g : refused) {
                    groups.add(new DescribeGroupsResponseData.DescribedGroup()
                            .setGroupId(g)
                            .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())
                            .setGroupState("")
                            .setProtocolType("")
                            .setProtocolData("")
                            .setMembers(new ArrayList<>()));
                }
                for (DescribeGroupsResponseData.DescribedGroup g : body.groups) {
                    if (withOperations && g.errorCode == Errors.NONE.code()) {
                        g.setAuthorizedOperations(
                                auth.authorizedOperations(request, ResourceType.GROUP, g.groupId, GROUP_OPERATIONS));
                    }
                    groups.add(g);
                }
                body.setGroups(groups);
                return response;
            });
        };
    }

    static ApiHandler deleteGroups(Supplier<RequestAuthorizer> authorizer, ApiHandler inner) {
        return request -> {
            DeleteGroupsRequestData req = request.body();
            List<String> allowed = new ArrayList<>();
            List<String> refused = new ArrayList<>();
            for (String g : req.groupsNames) {
                (authorizer.get().authorize(request, AclOperation.DELETE, ResourceType.GROUP, g) ? allowed : refused)
                        .add(g);
            }
            if (refused.isEmpty()) {
                return inner.handle(request);
            }
            req.groupsNames = allowed;
            CompletionStage<Response> answered =
                    allowed.isEmpty() ? done(request, new DeleteGroupsResponseData()) : inner.handle(request);
            return answered.thenApply(response -> {
                DeleteGroupsResponseData body = (DeleteGroupsResponseData) response.body();
                List<DeleteGroupsResponseData.DeletableGroupResult> results = new ArrayList<>(body.results);
                body.setResults(results);
                for (String g : refused) {
                    results.add(new DeleteGroupsResponseData.DeletableGroupResult()
                            .setGroupId(g)
                            .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
                }
                return response;
            });
        };
    }

    /** DESCRIBE on the cluster lists every group; without it only the groups the principal may describe. */
    static ApiHandler listGroups(Supplier<RequestAuthorizer> authorizer, ApiHandler inner) {
        return request -> {
            RequestAuthorizer auth = authorizer.get();
            if (auth.authorizeCluster(request, AclOperation.DESCRIBE)) {
                return inner.handle(request);
            }
            return inner.handle(request).thenApply(response -> {
                if (response.body() instanceof ListGroupsResponseData body) {
                    List<ListGroupsResponseData.ListedGroup> visible = new ArrayList<>(body.groups);
                    visible.removeIf(
                            g -> !auth.authorize(request, AclOperation.DESCRIBE, ResourceType.GROUP, g.groupId));
                    body.setGroups(visible);
                }
                return response;
            });
        };
    }

    /**
     * DESCRIBE on the group (or transactional id) named by the key. From v4 each key of the batch is checked on its
     * own and a refused key gets its error in its own entry, in request order, as Kafka does.
     */
    static ApiHandler findCoordinator(Supplier<RequestAuthorizer> authorizer, ApiHandler inner) {
        return request -> {
            FindCoordinatorRequestData req = request.body();
            if (request.apiVersion() >= 4) {
                return findCoordinatorBatch(authorizer.get(), inner, request, req);
            }
            Errors denied = findCoordinatorDenied(authorizer.get(), request, req.keyType, req.key);
            if (denied == null) {
                return inner.handle(request);
            }
            return done(
                    request,
                    new FindCoordinatorResponseData()
                            .setErrorCode(denied.code())
                            .setErrorMessage(denied.message())
                            .setNodeId(-1)
                            .setHost("")
                            .setPort(-1));
        };
    }

    private static CompletionStage<Response> findCoordinatorBatch(
            RequestAuthorizer auth, ApiHandler inner, Request request, FindCoordinatorRequestData req) {
        List<String> keys = req.coordinatorKeys;
        Map<String, Errors> refused = new HashMap<>();
        List<String> allowed = new ArrayList<>();
        for (String key : keys) {
            Errors denied = findCoordinatorDenied(auth, request, req.keyType, key);
            if (denied == null) {
                allowed.add(key);
            } else {
                refused.put(key, denied);
            }
        }
        if (refused.isEmpty()) {
            return inner.handle(request);
        }
        req.coordinatorKeys = allowed;
        CompletionStage<Response> answered =
                allowed.isEmpty() ? done(request, new FindCoordinatorResponseData()) : inner.handle(request);
        return answered.thenApply(response -> {
            FindCoordinatorResponseData body = (FindCoordinatorResponseData) response.body();
            Map<String, FindCoordinatorResponseData.Coordinator> found = new HashMap<>();
            body.coordinators.forEach(c -> found.put(c.key, c));
            List<FindCoordinatorResponseData.Coordinator> ordered = new ArrayList<>(keys.size());
            for (String key : keys) {
                Errors denied = refused.get(key);
                ordered.add(
                        denied == null
                                ? found.get(key)
                                : new FindCoordinatorResponseData.Coordinator()
                                        .setKey(key)
                                        .setNodeId(-1)
                                        .setHost("")
                                        .setPort(-1)
                                        .setErrorCode(denied.code())
                                        .setErrorMessage(null));
            }
            body.setCoordinators(ordered);
            return response;
        });
    }

    /** The refusal for one coordinator key, or null when the principal may look it up. */
    private static Errors findCoordinatorDenied(RequestAuthorizer auth, Request request, byte keyType, String key) {
        if (keyType == 0 && !auth.authorize(request, AclOperation.DESCRIBE, ResourceType.GROUP, key)) {
            return Errors.GROUP_AUTHORIZATION_FAILED;
        }
        if (keyType == 1 && !auth.authorize(request, AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, key)) {
            return Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
        }
        return null;
    }

    static CompletionStage<Response> done(Request request, ApiMessage body) {
        return CompletableFuture.completedFuture(Response.of(request, body));
    }
}
