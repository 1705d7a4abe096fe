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
import io.tributary.protocol.message.CreateTopicsRequestData;
import io.tributary.protocol.message.CreateTopicsResponseData;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * CreateTopics v2-4: -1 partitions / replication factor take the broker defaults; manual replica
 * assignments must name this broker only; configs are validated as topic configs. A name listed
 * twice fails with INVALID_REQUEST, as in Kafka. Stateless; creation is serialised by the topic
 * manager.
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
            TopicInfo info = state.topics().topic(t.name);
            if (r.error() == Errors.NONE && info != null) {
                res.setTopicId(info.topicId())
                        .setNumPartitions(info.partitions())
                        .setReplicationFactor((short) 1);
            }
            results.add(res);
        }
        return CompletableFuture.completedFuture(
                Response.of(request, new CreateTopicsResponseData().setTopics(results)));
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
        Map<String, String> configs = new LinkedHashMap<>();
        for (CreateTopicsRequestData.CreatableTopicConfig c : t.configs) {
            if (c.value == null) {
                return TopicResult.of(Errors.INVALID_CONFIG, "Null value not supported for topic configs: " + c.name);
            }
            configs.put(c.name, c.value);
        }
        return state.topics().create(t.name, partitions, rf, configs, validateOnly);
    }
}
