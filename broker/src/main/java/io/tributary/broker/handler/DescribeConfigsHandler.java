package io.tributary.broker.handler;

import io.tributary.broker.BrokerState;
import io.tributary.broker.auth.RequestAuthorizer;
import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.broker.topic.TopicInfo;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.DescribeConfigsRequestData;
import io.tributary.protocol.message.DescribeConfigsResponseData;
import io.tributary.storage.LogConfig;
import io.tributary.storage.TopicNames;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * DescribeConfigs v1 for topics (every topic-level key with its effective value and source:
 * topic override, broker setting or default) and for this broker (every known broker key).
 * Stateless.
 */
public final class DescribeConfigsHandler implements ApiHandler {
    static final byte RESOURCE_TOPIC = 2;
    static final byte RESOURCE_BROKER = 4;
    static final byte SOURCE_DYNAMIC_TOPIC = 1;
    static final byte SOURCE_STATIC_BROKER = 4;
    static final byte SOURCE_DEFAULT = 5;

    private final BrokerState state;

    public DescribeConfigsHandler(BrokerState state) {
        this.state = state;
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
            Errors denied = denied(request, r);
            if (denied != null) {
                res.setErrorCode(denied.code()).setErrorMessage(denied.message());
                results.add(res);
                continue;
            }
            switch (r.resourceType) {
                case RESOURCE_TOPIC -> describeTopic(r, res, req.includeSynonyms);
                case RESOURCE_BROKER -> describeBroker(r, res, req.includeSynonyms);
                default ->
                    res.setErrorCode(Errors.INVALID_REQUEST.code())
                            .setErrorMessage("Unsupported resource type " + r.resourceType);
            }
            results.add(res);
        }
        return CompletableFuture.completedFuture(
                Response.of(request, new DescribeConfigsResponseData().setResults(results)));
    }

    /** As Kafka: DESCRIBE_CONFIGS on the topic, or on the cluster for a broker; null when allowed. */
    private Errors denied(Request request, DescribeConfigsRequestData.DescribeConfigsResource r) {
        RequestAuthorizer auth = state.authorizer();
        return switch (r.resourceType) {
            case RESOURCE_TOPIC ->
                auth.authorize(request, AclOperation.DESCRIBE_CONFIGS, ResourceType.TOPIC, r.resourceName)
                        ? null
                        : Errors.TOPIC_AUTHORIZATION_FAILED;
            case RESOURCE_BROKER ->
                auth.authorizeCluster(request, AclOperation.DESCRIBE_CONFIGS)
                        ? null
                        : Errors.CLUSTER_AUTHORIZATION_FAILED;
            default -> null;
        };
    }

    private void describeTopic(
            DescribeConfigsRequestData.DescribeConfigsResource r,
            DescribeConfigsResponseData.DescribeConfigsResult res,
            boolean synonyms) {
        String invalid = TopicNames.invalidReason(r.resourceName);
        if (invalid != null) {
            res.setErrorCode(Errors.INVALID_TOPIC_EXCEPTION.code()).setErrorMessage(invalid);
            return;
        }
        TopicInfo t = state.topics().topic(r.resourceName);
        if (t == null) {
            res.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                    .setErrorMessage("The topic '" + r.resourceName + "' does not exist.");
            return;
        }
        LogConfig lc = state.topics().logConfig(t);
        for (String name : LogConfig.TOPIC_CONFIG_NAMES) {
            if (r.configurationKeys != null && !r.configurationKeys.isEmpty() && !r.configurationKeys.contains(name)) {
                continue;
            }
            byte source = switch (lc.source(name)) {
                case TOPIC_CONFIG -> SOURCE_DYNAMIC_TOPIC;
                case STATIC_BROKER_CONFIG -> SOURCE_STATIC_BROKER;
                case DEFAULT_CONFIG -> SOURCE_DEFAULT;
            };
            res.configs.add(entry(name, lc.get(name), false, source, synonyms));
        }
    }

    private void describeBroker(
            DescribeConfigsRequestData.DescribeConfigsResource r,
            DescribeConfigsResponseData.DescribeConfigsResult res,
            boolean synonyms) {
        String name = r.resourceName == null ? "" : r.resourceName;
        if (!name.isEmpty() && !name.equals(String.valueOf(state.nodeId()))) {
            res.setErrorCode(Errors.INVALID_REQUEST.code())
                    .setErrorMessage("Unexpected broker id, expected " + state.nodeId()
                            + " or empty string, but received " + name);
            return;
        }
        BrokerConfig cfg = state.config();
        for (BrokerConfig.Key k : BrokerConfig.keys().values()) {
            if (r.configurationKeys != null
                    && !r.configurationKeys.isEmpty()
                    && !r.configurationKeys.contains(k.name())) {
                continue;
            }
            byte source = cfg.isExplicit(k.name()) ? SOURCE_STATIC_BROKER : SOURCE_DEFAULT;
            if (k.type() == BrokerConfig.Type.PASSWORD) {
                // As Kafka: a password's value is never sent, only that it is sensitive.
                res.configs.add(
                        entry(k.name(), null, k.readOnly(), source, synonyms).setIsSensitive(true));
            } else {
                res.configs.add(entry(k.name(), cfg.valueString(k.name()), k.readOnly(), source, synonyms));
            }
        }
    }

    private static DescribeConfigsResponseData.DescribeConfigsResourceResult entry(
            String name, String value, boolean readOnly, byte source, boolean withSynonyms) {
        DescribeConfigsResponseData.DescribeConfigsResourceResult e =
                new DescribeConfigsResponseData.DescribeConfigsResourceResult()
                        .setName(name)
                        .setValue(value)
                        .setReadOnly(readOnly)
                        .setConfigSource(source)
                        .setIsSensitive(false)
                        .setSynonyms(new ArrayList<>());
        if (withSynonyms) {
            e.synonyms.add(new DescribeConfigsResponseData.DescribeConfigsSynonym()
                    .setName(name)
                    .setValue(value)
                    .setSource(source));
        }
        return e;
    }
}
