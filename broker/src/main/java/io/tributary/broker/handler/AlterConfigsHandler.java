package io.tributary.broker.handler;

import io.tributary.broker.BrokerState;
import io.tributary.broker.auth.RequestAuthorizer;
import io.tributary.broker.dynamic.BrokerKeyRules;
import io.tributary.broker.dynamic.ConfigOps;
import io.tributary.broker.dynamic.DynamicConfigs;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.broker.topic.TopicInfo;
import io.tributary.broker.topic.TopicResult;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.AlterConfigsRequestData;
import io.tributary.protocol.message.AlterConfigsResponseData;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.IncrementalAlterConfigsRequestData;
import io.tributary.protocol.message.IncrementalAlterConfigsResponseData;
import io.tributary.storage.LogConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * IncrementalAlterConfigs (SET, DELETE, APPEND, SUBTRACT; what {@code kafka-configs.sh --alter} sends) and the legacy
 * AlterConfigs (replace the whole set) for topics, brokers (this broker's id, or "" for the cluster-wide default) and
 * groups (incremental only). Topic overrides are written with the topic; broker and group configs in the broker
 * metadata store. Every change is validated first (Kafka's error naming the key), honours validateOnly, and a topic's
 * or broker's takes effect on the logs before the answer. Stateless.
 */
public final class AlterConfigsHandler implements ApiHandler {
    private static final byte RESOURCE_TOPIC = DescribeConfigsHandler.RESOURCE_TOPIC;
    private static final byte RESOURCE_BROKER = DescribeConfigsHandler.RESOURCE_BROKER;
    private static final byte RESOURCE_GROUP = DescribeConfigsHandler.RESOURCE_GROUP;

    private final BrokerState state;

    public AlterConfigsHandler(BrokerState state) {
        this.state = state;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        if (request.apiKey() == ApiMessageType.ALTER_CONFIGS.apiKey()) {
            return alter(request, request.body());
        }
        return incremental(request, request.body());
    }

    private CompletionStage<Response> incremental(Request request, IncrementalAlterConfigsRequestData req) {
        List<CompletableFuture<IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse>> out =
                new ArrayList<>();
        for (IncrementalAlterConfigsRequestData.AlterConfigsResource r : req.resources) {
            List<ConfigOps.Op> ops = r.configs.stream()
                    .map(c -> new ConfigOps.Op(c.configOperation, c.name, c.value))
                    .toList();
            CompletableFuture<TopicResult> result = check(request, r.resourceType, r.resourceName, ops, true)
                    .map(CompletableFuture::completedFuture)
                    .orElseGet(() -> alterIncrementally(r.resourceType, r.resourceName, ops, req.validateOnly));
            out.add(result.thenApply(res -> new IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse()
                    .setResourceType(r.resourceType)
                    .setResourceName(r.resourceName)
                    .setErrorCode(res.error().code())
                    .setErrorMessage(res.message())));
        }
        return CompletableFuture.allOf(out.toArray(CompletableFuture[]::new))
                .thenApply(v -> Response.of(
                        request,
                        new IncrementalAlterConfigsResponseData()
                                .setResponses(new ArrayList<>(out.stream()
                                        .map(CompletableFuture::join)
                                        .toList()))));
    }

    private CompletableFuture<TopicResult> alterIncrementally(
            byte type, String name, List<ConfigOps.Op> ops, boolean validateOnly) {
        DynamicConfigs dynamic = state.dynamicConfigs();
        return switch (type) {
            case RESOURCE_TOPIC -> {
                TopicInfo topic = state.topics().topic(name);
                Map<String, String> overrides = new LinkedHashMap<>(topic.configOverrides());
                TopicResult refused = ConfigOps.apply(
                        overrides,
                        ops,
                        LogConfig.CLEANUP_POLICY::equals,
                        key -> state.topics().logConfig(topic).get(key),
                        ConfigOps.LOG_WORDING);
                yield CompletableFuture.completedFuture(
                        refused != null ? refused : state.topics().alterConfig(name, overrides, validateOnly));
            }
            case RESOURCE_BROKER ->
                dynamic.alterBroker(
                        name,
                        current -> change(current, ops, BrokerKeyRules::isList, this::effectiveBrokerValue),
                        validateOnly);
            default ->
                dynamic.alterGroup(
                        name,
                        current -> {
                            Map<String, String> next = new LinkedHashMap<>(current);
                            TopicResult refused =
                                    ConfigOps.apply(next, ops, k -> false, k -> null, ConfigOps.GROUP_WORDING);
                            return refused != null
                                    ? DynamicConfigs.Change.refuse(refused)
                                    : DynamicConfigs.Change.to(next);
                        },
                        validateOnly);
        };
    }

    private static DynamicConfigs.Change change(
            Map<String, String> current,
            List<ConfigOps.Op> ops,
            java.util.function.Predicate<String> isList,
            java.util.function.Function<String, String> effective) {
        Map<String, String> next = new LinkedHashMap<>(current);
        TopicResult refused = ConfigOps.apply(next, ops, isList, effective, ConfigOps.LOG_WORDING);
        return refused != null ? DynamicConfigs.Change.refuse(refused) : DynamicConfigs.Change.to(next);
    }

    /** A broker key's effective value (for APPEND / SUBTRACT of a list not set at this level). */
    private String effectiveBrokerValue(String key) {
        String v = state.dynamicConfigs().effectiveProps().get(key);
        if (v == null) {
            var k = io.tributary.broker.config.BrokerConfig.keys().get(key);
            v = k == null ? null : k.defaultValue();
        }
        return v;
    }

    private CompletionStage<Response> alter(Request request, AlterConfigsRequestData req) {
        List<CompletableFuture<AlterConfigsResponseData.AlterConfigsResourceResponse>> out = new ArrayList<>();
        for (AlterConfigsRequestData.AlterConfigsResource r : req.resources) {
            List<ConfigOps.Op> ops = r.configs.stream()
                    .map(c -> new ConfigOps.Op(ConfigOps.SET, c.name, c.value))
                    .toList();
            CompletableFuture<TopicResult> result = check(request, r.resourceType, r.resourceName, ops, false)
                    .map(CompletableFuture::completedFuture)
                    .orElseGet(() -> replace(r.resourceType, r.resourceName, ops, req.validateOnly));
            out.add(result.thenApply(res -> new AlterConfigsResponseData.AlterConfigsResourceResponse()
                    .setResourceType(r.resourceType)
                    .setResourceName(r.resourceName)
                    .setErrorCode(res.error().code())
                    .setErrorMessage(res.message())));
        }
        return CompletableFuture.allOf(out.toArray(CompletableFuture[]::new))
                .thenApply(v -> Response.of(
                        request,
                        new AlterConfigsResponseData()
                                .setResponses(new ArrayList<>(out.stream()
                                        .map(CompletableFuture::join)
                                        .toList()))));
    }

    /** Legacy AlterConfigs: the given set replaces the resource's whole set. */
    private CompletableFuture<TopicResult> replace(
            byte type, String name, List<ConfigOps.Op> ops, boolean validateOnly) {
        Map<String, String> all = new LinkedHashMap<>();
        ops.forEach(o -> all.put(o.name(), o.value() == null ? "" : o.value()));
        if (type == RESOURCE_TOPIC) {
            return CompletableFuture.completedFuture(state.topics().alterConfig(name, all, validateOnly));
        }
        return state.dynamicConfigs().alterBroker(name, current -> DynamicConfigs.Change.to(all), validateOnly);
    }

    /** Empty when the resource can be altered; otherwise the answer for it. */
    private java.util.Optional<TopicResult> check(
            Request request, byte resourceType, String name, List<ConfigOps.Op> ops, boolean incremental) {
        return java.util.Optional.ofNullable(refusal(request, resourceType, name, ops, incremental));
    }

    private TopicResult refusal(
            Request request, byte resourceType, String name, List<ConfigOps.Op> ops, boolean incremental) {
        // As Kafka: ALTER_CONFIGS on the topic or group (on the cluster for a broker), before anything else is
        // revealed.
        RequestAuthorizer auth = state.authorizer();
        if (resourceType == RESOURCE_TOPIC
                && !auth.authorize(request, AclOperation.ALTER_CONFIGS, ResourceType.TOPIC, name)) {
            return TopicResult.of(Errors.TOPIC_AUTHORIZATION_FAILED, null);
        }
        if (resourceType == RESOURCE_GROUP
                && !auth.authorize(request, AclOperation.ALTER_CONFIGS, ResourceType.GROUP, name)) {
            return TopicResult.of(Errors.GROUP_AUTHORIZATION_FAILED, null);
        }
        if (resourceType == RESOURCE_BROKER && !auth.authorizeCluster(request, AclOperation.ALTER_CONFIGS)) {
            return TopicResult.of(Errors.CLUSTER_AUTHORIZATION_FAILED, null);
        }
        List<String> keys = ops.stream().map(ConfigOps.Op::name).toList();
        if (new HashSet<>(keys).size() != keys.size()) {
            return TopicResult.of(Errors.INVALID_REQUEST, "Error due to duplicate config keys");
        }
        switch (resourceType) {
            case RESOURCE_TOPIC -> {
                if (state.topics().topic(name) == null) {
                    return TopicResult.of(
                            Errors.UNKNOWN_TOPIC_OR_PARTITION, "The topic '" + name + "' does not exist.");
                }
                return null;
            }
            case RESOURCE_BROKER -> {
                return DescribeConfigsHandler.brokerNameError(name, state.nodeId());
            }
            case RESOURCE_GROUP -> {
                if (!incremental) {
                    return TopicResult.of(Errors.INVALID_REQUEST, "Unsupported resource type " + resourceType);
                }
                return name == null || name.isEmpty()
                        ? TopicResult.of(Errors.INVALID_REQUEST, "Group name must not be empty")
                        : null;
            }
            default -> {
                return TopicResult.of(Errors.INVALID_REQUEST, "Unsupported resource type " + resourceType);
            }
        }
    }
}
