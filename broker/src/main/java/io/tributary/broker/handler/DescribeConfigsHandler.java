package io.tributary.broker.handler;

import io.tributary.broker.BrokerState;
import io.tributary.broker.auth.RequestAuthorizer;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.broker.topic.TopicResult;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.DescribeConfigsRequestData;
import io.tributary.protocol.message.DescribeConfigsResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * DescribeConfigs v1-4 for topics, brokers and groups (resource types 2, 4, 32): each value with its source,
 * read-only flag, sensitivity, and on request its synonyms (v1+) and type and documentation (v3+), as Kafka 4 answers
 * them; the per-resource work is in the describers. Stateless.
 */
public final class DescribeConfigsHandler implements ApiHandler {
    static final byte RESOURCE_TOPIC = 2;
    static final byte RESOURCE_BROKER = 4;
    static final byte RESOURCE_GROUP = 32;

    private final BrokerState state;
    private final TopicConfigDescriber topics;
    private final BrokerConfigDescriber brokers;
    private final GroupConfigDescriber groups;

    public DescribeConfigsHandler(BrokerState state) {
        this.state = state;
        this.topics = new TopicConfigDescriber(state);
        this.brokers = new BrokerConfigDescriber(state);
        this.groups = new GroupConfigDescriber(state);
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        DescribeConfigsRequestData req = request.body();
        List<DescribeConfigsResponseData.DescribeConfigsResult> results = new ArrayList<>();
        for (DescribeConfigsRequestData.DescribeConfigsResource r : req.resources) {
            DescribeConfigsResponseData.DescribeConfigsResult res =
                    new DescribeConfigsResponseData.DescribeConfigsResult()
                            .setResourceType(r.resourceType)
                            .setResourceName(r.resourceName)
                            .setErrorCode(Errors.NONE.code())
                            .setConfigs(new ArrayList<>());
            results.add(res);
            Errors denied = denied(request, r);
            if (denied != null) {
                res.setErrorCode(denied.code()).setErrorMessage(denied.message());
                continue;
            }
            boolean synonyms = req.includeSynonyms;
            boolean docs = req.includeDocumentation;
            switch (r.resourceType) {
                case RESOURCE_TOPIC -> topics.describe(r, res, synonyms, docs);
                case RESOURCE_BROKER -> {
                    TopicResult bad = brokerNameError(r.resourceName, state.nodeId());
                    if (bad != null) {
                        res.setErrorCode(bad.error().code()).setErrorMessage(bad.message());
                    } else {
                        brokers.describe(r, res, synonyms, docs);
                    }
                }
                case RESOURCE_GROUP -> groups.describe(r, res, synonyms, docs);
                default ->
                    res.setErrorCode(Errors.INVALID_REQUEST.code())
                            .setErrorMessage("Unsupported resource type " + r.resourceType);
            }
        }
        return CompletableFuture.completedFuture(
                Response.of(request, new DescribeConfigsResponseData().setResults(results)));
    }

    /** A broker resource names this broker or ("") the cluster-wide default; null when it does. */
    static TopicResult brokerNameError(String name, int nodeId) {
        if (name == null || name.isEmpty() || name.equals(String.valueOf(nodeId))) {
            return null;
        }
        return TopicResult.of(
                Errors.INVALID_REQUEST,
                "Unexpected broker id, expected " + nodeId + " or empty string, but received " + name);
    }

    /** As Kafka: DESCRIBE_CONFIGS on the topic or group, or on the cluster for a broker; null when allowed. */
    private Errors denied(Request request, DescribeConfigsRequestData.DescribeConfigsResource r) {
        RequestAuthorizer auth = state.authorizer();
        return switch (r.resourceType) {
            case RESOURCE_TOPIC ->
                auth.authorize(request, AclOperation.DESCRIBE_CONFIGS, ResourceType.TOPIC, r.resourceName)
                        ? null
                        : Errors.TOPIC_AUTHORIZATION_FAILED;
            case RESOURCE_GROUP ->
                auth.authorize(request, AclOperation.DESCRIBE_CONFIGS, ResourceType.GROUP, r.resourceName)
                        ? null
                        : Errors.GROUP_AUTHORIZATION_FAILED;
            case RESOURCE_BROKER ->
                auth.authorizeCluster(request, AclOperation.DESCRIBE_CONFIGS)
                        ? null
                        : Errors.CLUSTER_AUTHORIZATION_FAILED;
            default -> null;
        };
    }
}
