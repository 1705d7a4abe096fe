package io.tributary.broker.handler;

import io.tributary.broker.BrokerState;
import io.tributary.broker.auth.RequestAuthorizer;
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
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * IncrementalAlterConfigs (SET, DELETE, APPEND, SUBTRACT; what {@code kafka-configs.sh --alter} sends) and the legacy
 * AlterConfigs (replace the whole set) for topics: the new overrides are validated (INVALID_CONFIG naming the key),
 * written durably with the topic and applied to its logs without a restart. Dynamic broker configs are not served
 * yet: a broker resource is answered INVALID_REQUEST saying so. Stateless.
 */
public final class AlterConfigsHandler implements ApiHandler {
    static final byte SET = 0;
    static final byte DELETE = 1;
    static final byte APPEND = 2;
    static final byte SUBTRACT = 3;
    /** Topic configs whose value is a comma-separated list (the only ones APPEND and SUBTRACT apply to). */
    private static final Set<String> LIST_CONFIGS = Set.of(LogConfig.CLEANUP_POLICY);

    private final BrokerState state;

    public AlterConfigsHandler(BrokerState state) {
        this.state = state;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        if (request.apiKey() == ApiMessageType.ALTER_CONFIGS.apiKey()) {
            return CompletableFuture.completedFuture(Response.of(request, alter(request, request.body())));
        }
        return CompletableFuture.completedFuture(Response.of(request, incremental(request, request.body())));
    }

    private IncrementalAlterConfigsResponseData incremental(Request request, IncrementalAlterConfigsRequestData req) {
        List<IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse> out = new ArrayList<>();
        for (IncrementalAlterConfigsRequestData.AlterConfigsResource r : req.resources) {
            TopicResult result = check(
                    request,
                    r.resourceType,
                    r.resourceName,
                    names(r.configs.stream().map(c -> c.name)));
            if (result == null) {
                TopicInfo topic = state.topics().topic(r.resourceName);
                Map<String, String> overrides = new LinkedHashMap<>(topic.configOverrides());
                result = apply(overrides, r.configs);
                if (result == null) {
                    result = state.topics().alterConfig(r.resourceName, overrides, req.validateOnly);
                }
            }
            out.add(new IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse()
                    .setResourceType(r.resourceType)
                    .setResourceName(r.resourceName)
                    .setErrorCode(result.error().code())
                    .setErrorMessage(result.message()));
        }
        return new IncrementalAlterConfigsResponseData().setResponses(out);
    }

    private static TopicResult apply(
            Map<String, String> overrides, List<IncrementalAlterConfigsRequestData.AlterableConfig> configs) {
        for (IncrementalAlterConfigsRequestData.AlterableConfig c : configs) {
            switch (c.configOperation) {
                case SET -> overrides.put(c.name, c.value);
                case DELETE -> overrides.remove(c.name);
                case APPEND, SUBTRACT -> {
                    if (!LIST_CONFIGS.contains(c.name)) {
                        return TopicResult.of(
                                Errors.INVALID_CONFIG,
                                "Config value " + (c.configOperation == APPEND ? "append" : "subtract")
                                        + " is not allowed for config key: " + c.name);
                    }
                    List<String> values = new ArrayList<>(current(overrides, c.name));
                    List<String> given = split(c.value);
                    if (c.configOperation == APPEND) {
                        given.stream().filter(v -> !values.contains(v)).forEach(values::add);
                    } else {
                        values.removeAll(given);
                    }
                    overrides.put(c.name, String.join(",", values));
                }
                default -> {
                    return TopicResult.of(
                            Errors.INVALID_REQUEST, "Unknown config operation " + c.configOperation + " for " + c.name);
                }
            }
        }
        return null;
    }

    private static List<String> current(Map<String, String> overrides, String name) {
        String v = overrides.get(name);
        if (v == null) {
            v = LogConfig.create(Map.of(), Map.of()).get(name);
        }
        return split(v);
    }

    private static List<String> split(String v) {
        List<String> out = new ArrayList<>();
        if (v != null) {
            Arrays.stream(v.split(","))
                    .map(String::trim)
                    .filter(x -> !x.isEmpty())
                    .forEach(out::add);
        }
        return out;
    }

    private AlterConfigsResponseData alter(Request request, AlterConfigsRequestData req) {
        List<AlterConfigsResponseData.AlterConfigsResourceResponse> out = new ArrayList<>();
        for (AlterConfigsRequestData.AlterConfigsResource r : req.resources) {
            TopicResult result = check(
                    request,
                    r.resourceType,
                    r.resourceName,
                    names(r.configs.stream().map(c -> c.name)));
            if (result == null) {
                Map<String, String> overrides = new LinkedHashMap<>();
                r.configs.forEach(c -> overrides.put(c.name, c.value));
                result = state.topics().alterConfig(r.resourceName, overrides, req.validateOnly);
            }
            out.add(new AlterConfigsResponseData.AlterConfigsResourceResponse()
                    .setResourceType(r.resourceType)
                    .setResourceName(r.resourceName)
                    .setErrorCode(result.error().code())
                    .setErrorMessage(result.message()));
        }
        return new AlterConfigsResponseData().setResponses(out);
    }

    private static List<String> names(java.util.stream.Stream<String> names) {
        return names.toList();
    }

    /** Null when the resource can be altered; otherwise the answer for it. */
    private TopicResult check(Request request, byte resourceType, String name, List<String> keys) {
        // As Kafka: ALTER_CONFIGS on the topic (on the cluster for a broker), before anything else is revealed.
        RequestAuthorizer auth = state.authorizer();
        if (resourceType == DescribeConfigsHandler.RESOURCE_TOPIC
                && !auth.authorize(request, AclOperation.ALTER_CONFIGS, ResourceType.TOPIC, name)) {
            return TopicResult.of(Errors.TOPIC_AUTHORIZATION_FAILED, null);
        }
        if (resourceType == DescribeConfigsHandler.RESOURCE_BROKER
                && !auth.authorizeCluster(request, AclOperation.ALTER_CONFIGS)) {
            return TopicResult.of(Errors.CLUSTER_AUTHORIZATION_FAILED, null);
        }
        if (new HashSet<>(keys).size() != keys.size()) {
            return TopicResult.of(Errors.INVALID_REQUEST, "Error due to duplicate config keys");
        }
        if (resourceType == DescribeConfigsHandler.RESOURCE_BROKER) {
            return TopicResult.of(
                    Errors.INVALID_REQUEST,
                    "Dynamic broker configs are not supported by Tributary yet; set " + keys + " in the broker's"
                            + " configuration and restart it");
        }
        if (resourceType != DescribeConfigsHandler.RESOURCE_TOPIC) {
            return TopicResult.of(Errors.INVALID_REQUEST, "Unsupported resource type " + resourceType);
        }
        if (state.topics().topic(name) == null) {
            return TopicResult.of(Errors.UNKNOWN_TOPIC_OR_PARTITION, "The topic '" + name + "' does not exist.");
        }
        return null;
    }
}
