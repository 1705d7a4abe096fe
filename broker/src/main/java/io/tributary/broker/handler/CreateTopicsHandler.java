package io.tributary.broker.handler;

import io.tributary.broker.BrokerState;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.broker.topic.TopicInfo;
import io.tributary.broker.topic.TopicResult;
import io.tributary.protocol.Errors;
import io.tributary.protocol.Uuids;
import io.tributary.protocol.message.CreateTopicsRequestData;
import io.tributary.protocol.message.CreateTopicsResponseData;
import io.tributary.storage.LogConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * CreateTopics v2-7: -1 partitions / replication factor take the broker defaults; manual replica
 * assignments must name this broker only; configs are validated as topic configs. A name listed
 * twice fails with INVALID_REQUEST, as in Kafka. From v5 a created (or validated) topic is answered
 * with its partition count, replication factor and every topic config with its source, when the
 * client may describe its configs (else TopicConfigErrorCode); from v7 with its topic id.
 * Stateless; creation is serialised by the topic manager.
 */
public final class CreateTopicsHandler implements ApiHandler {
    private final BrokerState state;

    public CreateTopicsHandler(BrokerState state) {
        this.state = state;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        CreateTopicsRequestData req = request.body();
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new HashSet<>();
        for (CreateTopicsRequestData.CreatableTopic t : req.topics) {
            if (!seen.add(t.name)) {
                duplicates.add(t.name);
            }
        }
        List<CreateTopicsResponseData.CreatableTopicResult> results = new ArrayList<>();
        // As Kafka: CREATE on the cluster covers every topic, otherwise CREATE on each topic is needed.
        boolean createAny = state.authorizer().authorizeCluster(request, AclOperation.CREATE);
        Set<String> answered = new HashSet<>();
        for (CreateTopicsRequestData.CreatableTopic t : req.topics) {
            if (!answered.add(t.name)) {
                continue;
            }
            TopicResult r = duplicates.contains(t.name)
                    ? TopicResult.of(
                            Errors.INVALID_REQUEST,
                            "Create topics request from client `" + request.clientId()
                                    + "` contains multiple entries for the following topics: " + t.name)
                    : !createAny
                                    && !state.authorizer()
                                            .authorize(request, AclOperation.CREATE, ResourceType.TOPIC, t.name)
                            ? TopicResult.of(Errors.TOPIC_AUTHORIZATION_FAILED, "Authorization failed.")
                            : create(t, req.validateOnly);
            CreateTopicsResponseData.CreatableTopicResult res = new CreateTopicsResponseData.CreatableTopicResult()
                    .setName(t.name)
                    .setErrorCode(r.error().code())
                    .setErrorMessage(r.message());
            if (r.error() == Errors.NONE) {
                TopicInfo info = req.validateOnly ? planned(t) : state.topics().topic(t.name);
                if (info != null) {
                    describe(request, info, res);
                }
            }
            results.add(res);
        }
        return CompletableFuture.completedFuture(
                Response.of(request, new CreateTopicsResponseData().setTopics(results)));
    }

    /** The created topic's shape and configs, as Kafka answers from v5 (older versions do not carry them). */
    private void describe(Request request, TopicInfo info, CreateTopicsResponseData.CreatableTopicResult res) {
        res.setTopicId(info.topicId()).setNumPartitions(info.partitions()).setReplicationFactor((short) 1);
        if (request.apiVersion() < 5) {
            return;
        }
        if (!state.authorizer().authorize(request, AclOperation.DESCRIBE_CONFIGS, ResourceType.TOPIC, info.name())) {
            res.setTopicConfigErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                    .setConfigs(null);
            return;
        }
        LogConfig lc = state.topics().logConfig(info);
        List<CreateTopicsResponseData.CreatableTopicConfigs> configs = new ArrayList<>();
        for (String name : LogConfig.TOPIC_CONFIG_NAMES) {
            byte source = switch (lc.source(name)) {
                case TOPIC_CONFIG -> ConfigEntries.SOURCE_DYNAMIC_TOPIC;
                case STATIC_BROKER_CONFIG -> ConfigEntries.SOURCE_STATIC_BROKER;
                case DEFAULT_CONFIG -> ConfigEntries.SOURCE_DEFAULT;
            };
            configs.add(new CreateTopicsResponseData.CreatableTopicConfigs()
                    .setName(name)
                    .setValue(lc.get(name))
                    .setReadOnly(false)
                    .setConfigSource(source)
                    .setIsSensitive(false));
        }
        res.setConfigs(configs);
    }

    /** What a validate-only request would create: no id yet (ZERO), the broker default for -1 partitions. */
    private TopicInfo planned(CreateTopicsRequestData.CreatableTopic t) {
        int partitions = !t.assignments.isEmpty()
                ? t.assignments.size()
                : t.numPartitions == -1 ? state.config().numPartitions() : t.numPartitions;
        return new TopicInfo(t.name, Uuids.ZERO, partitions, configs(t));
    }

    private static Map<String, String> configs(CreateTopicsRequestData.CreatableTopic t) {
        Map<String, String> configs = new LinkedHashMap<>();
        for (CreateTopicsRequestData.CreatableTopicConfig c : t.configs) {
            configs.put(c.name, c.value);
        }
        return configs;
    }

    private TopicResult create(CreateTopicsRequestData.CreatableTopic t, boolean validateOnly) {
        int partitions = t.numPartitions;
        int rf = t.replicationFactor;
        if (!t.assignments.isEmpty()) {
            if (partitions != -1 || rf != -1) {
                return TopicResult.of(
                        Errors.INVALID_REQUEST,
                        "Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.");
            }
            for (CreateTopicsRequestData.CreatableReplicaAssignment a : t.assignments) {
                if (!a.brokerIds.equals(List.of(state.nodeId()))) {
                    return TopicResult.of(
                            Errors.INVALID_REPLICA_ASSIGNMENT,
                            "Replica assignment " + a.brokerIds + " of partition " + a.partitionIndex
                                    + " must name only broker " + state.nodeId());
                }
            }
            partitions = t.assignments.size();
            rf = 1;
        }
        for (CreateTopicsRequestData.CreatableTopicConfig c : t.configs) {
            if (c.value == null) {
                return TopicResult.of(Errors.INVALID_CONFIG, "Null value not supported for topic configs: " + c.name);
            }
        }
        return state.topics().create(t.name, partitions, rf, configs(t), validateOnly);
    }
}
