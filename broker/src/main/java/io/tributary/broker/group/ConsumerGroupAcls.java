package io.tributary.broker.group;

import io.tributary.broker.auth.RequestAuthorizer;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Response;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ConsumerGroupDescribeRequestData;
import io.tributary.protocol.message.ConsumerGroupDescribeResponseData;
import io.tributary.protocol.message.ConsumerGroupHeartbeatRequestData;
import io.tributary.protocol.message.ConsumerGroupHeartbeatResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Kafka's ACL checks for the KIP-848 APIs: READ on the group and DESCRIBE on every subscribed
 * topic name for ConsumerGroupHeartbeat; DESCRIBE on each group for ConsumerGroupDescribe (the
 * refused ones answered GROUP_AUTHORIZATION_FAILED, the others with their authorized operations
 * when asked). Stateless.
 */
final class ConsumerGroupAcls {
    private ConsumerGroupAcls() {}

    static ApiHandler heartbeat(Supplier<RequestAuthorizer> authorizer, ApiHandler inner) {
        return request -> {
            ConsumerGroupHeartbeatRequestData req = request.body();
            RequestAuthorizer auth = authorizer.get();
            if (!auth.authorize(request, AclOperation.READ, ResourceType.GROUP, req.groupId)) {
                return GroupAcls.done(
                        request,
                        new ConsumerGroupHeartbeatResponseData()
                                .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
            }
            if (req.subscribedTopicNames != null) {
                List<String> refused = new ArrayList<>();
                for (String t : req.subscribedTopicNames) {
                    if (!auth.authorize(request, AclOperation.DESCRIBE, ResourceType.TOPIC, t)) {
                        refused.add(t);
                    }
                }
                if (!refused.isEmpty()) {
                    return GroupAcls.done(
                            request,
                            new ConsumerGroupHeartbeatResponseData()
                                    .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                                    .setErrorMessage(
                                            "The group has subscribed to topics that are not authorized: " + refused));
                }
            }
            return inner.handle(request);
        };
    }

    static ApiHandler describe(Supplier<RequestAuthorizer> authorizer, ApiHandler inner) {
        return request -> {
            ConsumerGroupDescribeRequestData req = request.body();
            RequestAuthorizer auth = authorizer.get();
            List<String> allowed = new ArrayList<>();
            List<String> refused = new ArrayList<>();
            for (String g : req.groupIds) {
                (auth.authorize(request, AclOperation.DESCRIBE, ResourceType.GROUP, g) ? allowed : refused).add(g);
            }
            req.groupIds = allowed;
            CompletionStage<Response> answered = allowed.isEmpty()
                    ? GroupAcls.done(request, new ConsumerGroupDescribeResponseData())
                    : inner.handle(request);
            return answered.thenApply(response -> {
                if (!(response.body() instanceof ConsumerGroupDescribeResponseData body)) {
                    return response;
                }
                List<ConsumerGroupDescribeResponseData.DescribedGroup> groups = new ArrayList<>();
                for (String g : refused) {
                    groups.add(new ConsumerGroupDescribeResponseData.DescribedGroup()
                            .setGroupId(g)
                            .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
                }
                for (ConsumerGroupDescribeResponseData.DescribedGroup g : body.groups) {
                    if (req.includeAuthorizedOperations && g.errorCode == Errors.NONE.code()) {
                        g.setAuthorizedOperations(auth.authorizedOperations(
                                request, ResourceType.GROUP, g.groupId, GroupAcls.GROUP_OPERATIONS));
                    }
                    groups.add(g);
                }
                body.setGroups(groups);
                return response;
            });
        };
    }
}
