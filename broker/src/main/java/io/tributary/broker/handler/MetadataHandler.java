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
import io.tributary.protocol.Uuids;
import io.tributary.protocol.message.MetadataRequestData;
import io.tributary.protocol.message.MetadataResponseData;
import io.tributary.storage.TopicNames;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Metadata v0-13: this broker, the cluster id, and the requested topics (all of them for a null
 * list, or an empty one before v1), each with its topic id from v10. From v12 topics may be asked
 * for by id (every name null): an id unknown here is UNKNOWN_TOPIC_ID, one the client may not
 * describe is refused with its id and no name (ids are not secret, as in Kafka). Unknown topics
 * asked for by name are created when auto.create.topics.enable is on and the request allows it
 * (v4+), and then reported as ready at once: creation is synchronous here, so there is no
 * LEADER_NOT_AVAILABLE window. From v8 authorized operations are reported when asked for; the v13
 * top-level error is always NONE (it exists for rebootstrapping a cluster). Stateless.
 */
public final class MetadataHandler implements ApiHandler {
    /** Kafka's leader epoch for a partition that never changed leader. */
    static final int LEADER_EPOCH = TopicInfo.LEADER_EPOCH;

    /** From v12 topics may be named by id. */
    static final short FIRST_TOPIC_ID_VERSION = 12;

    /** What Kafka's AclEntry.supportedOperations lists for a topic, for TopicAuthorizedOperations. */
    private static final List<AclOperation> TOPIC_OPERATIONS = List.of(
            AclOperation.READ,
            AclOperation.WRITE,
            AclOperation.CREATE,
            AclOperation.DESCRIBE,
            AclOperation.DELETE,
            AclOperation.ALTER,
            AclOperation.DESCRIBE_CONFIGS,
            AclOperation.ALTER_CONFIGS);

    private final BrokerState state;

    public MetadataHandler(BrokerState state) {
        this.state = state;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        MetadataRequestData req = request.body();
        short version = request.apiVersion();
        boolean all = req.topics == null || (version == 0 && req.topics.isEmpty());
        if (!all && version < FIRST_TOPIC_ID_VERSION) {
            for (MetadataRequestData.MetadataRequestTopic rt : req.topics) {
                if (rt.name == null || !Uuids.ZERO.equals(rt.topicId)) {
                    // As Kafka: topic ids (and so null names) arrived in v12; v10-11 only carry the fields.
                    return CompletableFuture.completedFuture(Response.of(request, invalid(req)));
                }
            }
        }
        MetadataResponseData resp = new MetadataResponseData()
                .setErrorCode(Errors.NONE.code())
                .setClusterId(state.clusterId())
                .setControllerId(state.nodeId());
        List<MetadataResponseData.MetadataResponseBroker> brokers = new ArrayList<>();
        brokers.add(new MetadataResponseData.MetadataResponseBroker()
                .setNodeId(state.nodeId())
                .setHost(request.connection().listener().advertisedHost())
                .setPort(request.connection().listener().advertisedPort())
                .setRack(null));
        resp.setBrokers(brokers);
        List<MetadataResponseData.MetadataResponseTopic> topics = new ArrayList<>();
        RequestAuthorizer auth = state.authorizer();
        Set<UUID> ids = all ? Set.of() : requestedIds(req);
        if (all) {
            // Topics the client may not describe are left out, so it cannot learn they exist.
            for (TopicInfo t : state.topics().topics()) {
                if (auth.authorize(request, AclOperation.DESCRIBE, ResourceType.TOPIC, t.name())) {
                    topics.add(describe(t));
                }
            }
        } else if (!ids.isEmpty()) {
            // As Kafka: once any topic is named by id, the request is answered by its ids alone.
            for (UUID id : ids) {
                TopicInfo t = state.topics().topic(id);
                if (t == null) {
                    topics.add(error(null, id, Errors.UNKNOWN_TOPIC_ID));
                } else if (!auth.authorize(request, AclOperation.DESCRIBE, ResourceType.TOPIC, t.name())) {
                    topics.add(error(null, id, Errors.TOPIC_AUTHORIZATION_FAILED));
                } else {
                    topics.add(describe(t));
                }
            }
        } else {
            byName(request, req, topics);
        }
        if (version >= 8 && req.includeTopicAuthorizedOperations) {
            for (MetadataResponseData.MetadataResponseTopic t : topics) {
                if (t.errorCode != Errors.TOPIC_AUTHORIZATION_FAILED.code()
                        && t.errorCode != Errors.UNKNOWN_TOPIC_ID.code()) {
                    t.setTopicAuthorizedOperations(
                            auth.authorizedOperations(request, ResourceType.TOPIC, t.name, TOPIC_OPERATIONS));
                }
            }
        }
        if (version >= 8 && version <= 10 && req.includeClusterAuthorizedOperations) {
            resp.setClusterAuthorizedOperations(auth.clusterAuthorizedOperations(request));
        }
        resp.setTopics(topics);
        return CompletableFuture.completedFuture(Response.of(request, resp));
    }

    /** The non-zero topic ids of a request, in request order without repeats. */
    private static Set<UUID> requestedIds(MetadataRequestData req) {
        Set<UUID> ids = new LinkedHashSet<>();
        for (MetadataRequestData.MetadataRequestTopic rt : req.topics) {
            if (rt.topicId != null && !Uuids.ZERO.equals(rt.topicId)) {
                ids.add(rt.topicId);
            }
        }
        return ids;
    }

    private void byName(
            Request request, MetadataRequestData req, List<MetadataResponseData.MetadataResponseTopic> topics) {
        RequestAuthorizer auth = state.authorizer();
        boolean autoCreate =
                state.config().autoCreateTopicsEnable() && (request.apiVersion() < 4 || req.allowAutoTopicCreation);
        // As Kafka: CREATE on the cluster covers every topic, otherwise CREATE on the topic is needed.
        boolean createAny = autoCreate && auth.authorizeCluster(request, AclOperation.CREATE);
        for (MetadataRequestData.MetadataRequestTopic rt : req.topics) {
            if (rt.name == null) {
                continue; // v12+: neither a name nor an id names nothing
            }
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

    /** Kafka's answer to a request it cannot take (MetadataRequest.getErrorResponse): every topic INVALID_REQUEST. */
    private static MetadataResponseData invalid(MetadataRequestData req) {
        List<MetadataResponseData.MetadataResponseTopic> topics = new ArrayList<>();
        for (MetadataRequestData.MetadataRequestTopic rt : req.topics) {
            topics.add(error(rt.name == null ? "" : rt.name, rt.topicId, Errors.INVALID_REQUEST));
        }
        return new MetadataResponseData()
                .setErrorCode(Errors.NONE.code())
                .setBrokers(new ArrayList<>())
                .setTopics(topics);
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
        return error(name, Uuids.ZERO, error);
    }

    private static MetadataResponseData.MetadataResponseTopic error(String name, UUID id, Errors error) {
        return new MetadataResponseData.MetadataResponseTopic()
                .setName(name)
                .setTopicId(id)
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
