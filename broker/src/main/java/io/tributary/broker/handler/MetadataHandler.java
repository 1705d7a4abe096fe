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
import io.tributary.protocol.message.MetadataRequestData;
import io.tributary.protocol.message.MetadataResponseData;
import io.tributary.storage.TopicNames;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Metadata v0-4: this broker, the cluster id, and the requested topics (all of them for a null
 * list, or an empty one before v1). Unknown topics are created when auto.create.topics.enable is
 * on and the request allows it (v4+), and then reported as ready at once: creation is
 * synchronous here, so there is no LEADER_NOT_AVAILABLE window. Stateless.
 */
public final class MetadataHandler implements ApiHandler {
    /** Kafka's leader epoch for a partition that never changed leader. */
    static final int LEADER_EPOCH = 0;

    private final BrokerState state;

    public MetadataHandler(BrokerState state) {
        this.state = state;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        MetadataRequestData req = request.body();
        MetadataResponseData resp =
                new MetadataResponseData().setClusterId(state.clusterId()).setControllerId(state.nodeId());
        List<MetadataResponseData.MetadataResponseBroker> brokers = new ArrayList<>();
        brokers.add(new MetadataResponseData.MetadataResponseBroker()
                .setNodeId(state.nodeId())
                .setHost(request.connection().listener().advertisedHost())
                .setPort(request.connection().listener().advertisedPort())
                .setRack(null));
        resp.setBrokers(brokers);
        List<MetadataResponseData.MetadataResponseTopic> topics = new ArrayList<>();
        boolean all = req.topics == null || (request.apiVersion() == 0 && req.topics.isEmpty());
        RequestAuthorizer auth = state.authorizer();
        if (all) {
            // Topics the client may not describe are left out, so it cannot learn they exist.
            for (TopicInfo t : state.topics().topics()) {
                if (auth.authorize(request, AclOperation.DESCRIBE, ResourceType.TOPIC, t.name())) {
                    topics.add(describe(t));
                }
            }
        } else {
            boolean autoCreate =
                    state.config().autoCreateTopicsEnable() && (request.apiVersion() < 4 || req.allowAutoTopicCreation);
            // As Kafka: CREATE on the cluster covers every topic, otherwise CREATE on the topic is needed.
            boolean createAny = autoCreate && auth.authorizeCluster(request, AclOperation.CREATE);
            for (MetadataRequestData.MetadataRequestTopic rt : req.topics) {
                if (!auth.authorize(request, AclOperation.DESCRIBE, ResourceType.TOPIC, rt.name)) {
                    topics.add(error(rt.name, Errors.TOPIC_AUTHORIZATION_FAILED));
                    continue;
                }
                boolean mayCreate = autoCreate
                        && (createAny || auth.authorize(request, AclOperation.CREATE, ResourceType.TOPIC, rt.name));
                if (autoCreate && !mayCreate && state.topics().topic(rt.name) == null) {
                    topics.add(error(rt.name, Errors.TOPIC_AUTHORIZATION_FAILED));
                    continue;
                }
                topics.add(lookup(rt.name, mayCreate));
            }
        }
        resp.setTopics(topics);
        return CompletableFuture.completedFuture(Response.of(request, resp));
    }

    private MetadataResponseData.MetadataResponseTopic lookup(String name, boolean autoCreate) {
        TopicInfo t = state.topics().topic(name);
        if (t == null && autoCreate && TopicNames.invalidReason(name) == null && !TopicNames.isInternal(name)) {
            TopicResult r = state.topics().create(name, -1, -1, java.util.Map.of(), false);
            t = state.topics().topic(name);
            if (t == null) {
                return error(name, r.error() == Errors.NONE ? Errors.UNKNOWN_TOPIC_OR_PARTITION : r.error());
            }
        }
        if (t == null) {
            return error(
                    name,
                    TopicNames.invalidReason(name) != null
                            ? Errors.INVALID_TOPIC_EXCEPTION
                            : Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
        return describe(t);
    }

    private static MetadataResponseData.MetadataResponseTopic error(String name, Errors error) {
        return new MetadataResponseData.MetadataResponseTopic()
                .setName(name)
                .setErrorCode(error.code())
                .setPartitions(new ArrayList<>());
    }

    private MetadataResponseData.MetadataResponseTopic describe(TopicInfo t) {
        List<MetadataResponseData.MetadataResponsePartition> parts = new ArrayList<>(t.partitions());
        int node = state.nodeId();
        for (int p = 0; p < t.partitions(); p++) {
            parts.add(new MetadataResponseData.MetadataResponsePartition()
                    .setErrorCode(Errors.NONE.code())
                    .setPartitionIndex(p)
                    .setLeaderId(node)
                    .setLeaderEpoch(LEADER_EPOCH)
                    .setReplicaNodes(new ArrayList<>(List.of(node)))
                    .setIsrNodes(new ArrayList<>(List.of(node)))
                    .setOfflineReplicas(new ArrayList<>()));
        }
        return new MetadataResponseData.MetadataResponseTopic()
                .setErrorCode(Errors.NONE.code())
                .setName(t.name())
                .setTopicId(t.topicId())
                .setIsInternal(t.internal())
                .setPartitions(parts);
    }
}
