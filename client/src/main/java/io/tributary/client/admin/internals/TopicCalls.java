package io.tributary.client.admin.internals;

import io.tributary.client.admin.Config;
import io.tributary.client.admin.ConfigEntry;
import io.tributary.client.admin.CreateTopicsResult.TopicMetadataAndConfig;
import io.tributary.client.admin.NewPartitions;
import io.tributary.client.admin.NewTopic;
import io.tributary.client.admin.TopicDescription;
import io.tributary.client.admin.TopicListing;
import io.tributary.client.common.Node;
import io.tributary.client.common.TopicPartitionInfo;
import io.tributary.client.common.Uuid;
import io.tributary.client.common.errors.ApiException;
import io.tributary.client.network.NetworkClient;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.CreatePartitionsRequestData;
import io.tributary.protocol.message.CreatePartitionsResponseData;
import io.tributary.protocol.message.CreateTopicsRequestData;
import io.tributary.protocol.message.CreateTopicsResponseData;
import io.tributary.protocol.message.DeleteTopicsRequestData;
import io.tributary.protocol.message.DeleteTopicsResponseData;
import io.tributary.protocol.message.DescribeClusterRequestData;
import io.tributary.protocol.message.DescribeClusterResponseData;
import io.tributary.protocol.message.MetadataRequestData;
import io.tributary.protocol.message.MetadataResponseData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Topic and cluster calls: CreateTopics, DeleteTopics and CreatePartitions to any broker (KRaft
 * brokers forward them to the controller), Metadata for listing and describing topics (with
 * their ids), DescribeCluster. Stateless apart from the runtime it sends through.
 */
public final class TopicCalls {
    /** What describeCluster answers. */
    public record ClusterDescription(List<Node> nodes, Node controller, String clusterId) {}

    private final AdminRuntime runtime;
    private final int requestTimeoutMs;

    public TopicCalls(AdminRuntime runtime, int requestTimeoutMs) {
        this.runtime = runtime;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    private int serverTimeout(long deadlineMs) {
        return (int) Math.max(0, Math.min(requestTimeoutMs, deadlineMs - System.currentTimeMillis()));
    }

    public Map<String, CompletableFuture<TopicMetadataAndConfig>> createTopics(
            Collection<NewTopic> topics, boolean validateOnly, long deadlineMs) {
        Map<String, NewTopic> byName = new HashMap<>();
        topics.forEach(t -> byName.put(t.name(), t));
        return runtime.batch("createTopics", byName.keySet(), deadlineMs, (open, now) -> {
            CreateTopicsRequestData req =
                    new CreateTopicsRequestData().setValidateOnly(validateOnly).setTimeoutMs(serverTimeout(deadlineMs));
            for (String name : open) {
                req.topics.add(creatable(byName.get(name)));
            }
            return runtime.sendAny(ApiMessageType.CREATE_TOPICS, req, now).thenApply(resp -> {
                CreateTopicsResponseData data = resp.data();
                Map<String, Outcome<TopicMetadataAndConfig>> out = new HashMap<>();
                for (CreateTopicsResponseData.CreatableTopicResult r : data.topics) {
                    Errors e = Errors.forCode(r.errorCode);
                    if (e != Errors.NONE) {
                        out.put(r.name, Outcome.failed(createError(e, r.name, r.errorMessage)));
                        continue;
                    }
                    List<ConfigEntry> entries = new ArrayList<>();
                    for (CreateTopicsResponseData.CreatableTopicConfigs c : r.configs) {
                        entries.add(new ConfigEntry(
                                c.name,
                                c.value,
                                ConfigEntry.ConfigSource.forId(c.configSource),
                                c.isSensitive,
                                c.readOnly,
                                List.of(),
                                ConfigEntry.ConfigType.UNKNOWN,
                                null));
                    }
                    out.put(
                            r.name,
                            Outcome.ok(new TopicMetadataAndConfig(
                                    Uuid.of(r.topicId), r.numPartitions, r.replicationFactor, new Config(entries))));
                }
                return out;
            });
        });
    }

    private static ApiException createError(Errors e, String topic, String message) {
        if (e == Errors.TOPIC_ALREADY_EXISTS && (message == null || message.isEmpty())) {
            message = "Topic '" + topic + "' already exists.";
        }
        return AdminErrors.forTopic(e, topic, message);
    }

    private static CreateTopicsRequestData.CreatableTopic creatable(NewTopic t) {
        CreateTopicsRequestData.CreatableTopic c = new CreateTopicsRequestData.CreatableTopic()
                .setName(t.name())
                .setNumPartitions(t.numPartitions())
                .setReplicationFactor(t.replicationFactor());
        if (t.replicasAssignments() != null) {
            new TreeMap<>(t.replicasAssignments())
                    .forEach((p, brokers) -> c.assignments.add(new CreateTopicsRequestData.CreatableReplicaAssignment()
                            .setPartitionIndex(p)
                            .setBrokerIds(new ArrayList<>(brokers))));
        }
        if (t.configs() != null) {
            t.configs()
                    .forEach((k, v) -> c.configs.add(new CreateTopicsRequestData.CreatableTopicConfig()
                            .setName(k)
                            .setValue(v)));
        }
        return c;
    }

    public Map<String, CompletableFuture<Void>> deleteTopics(Collection<String> topics, long deadlineMs) {
        return runtime.batch("deleteTopics", Set.copyOf(topics), deadlineMs, (open, now) -> {
            DeleteTopicsRequestData req = new DeleteTopicsRequestData().setTimeoutMs(serverTimeout(deadlineMs));
            for (String t : open) {
                // v6 names topics in "topics", older versions in "topicNames": fill both, the writer picks.
                req.topics.add(new DeleteTopicsRequestData.DeleteTopicState().setName(t));
                req.topicNames.add(t);
            }
            return runtime.sendAny(ApiMessageType.DELETE_TOPICS, req, now).thenApply(resp -> {
                DeleteTopicsResponseData data = resp.data();
                Map<String, Outcome<Void>> out = new HashMap<>();
                for (DeleteTopicsResponseData.DeletableTopicResult r : data.responses) {
                    Errors e = Errors.forCode(r.errorCode);
                    out.put(
                            r.name,
                            e == Errors.NONE
                                    ? Outcome.ok(null)
                                    : Outcome.failed(AdminErrors.forTopic(e, r.name, r.errorMessage)));
                }
                return out;
            });
        });
    }

    public Map<String, CompletableFuture<Void>> createPartitions(
            Map<String, NewPartitions> increases, boolean validateOnly, long deadlineMs) {
        return runtime.batch("createPartitions", increases.keySet(), deadlineMs, (open, now) -> {
            CreatePartitionsRequestData req = new CreatePartitionsRequestData()
                    .setValidateOnly(validateOnly)
                    .setTimeoutMs(serverTimeout(deadlineMs));
            for (String t : open) {
                NewPartitions np = increases.get(t);
                CreatePartitionsRequestData.CreatePartitionsTopic topic =
                        new CreatePartitionsRequestData.CreatePartitionsTopic()
                                .setName(t)
                                .setCount(np.totalCount());
                if (np.assignments() != null) {
                    List<CreatePartitionsRequestData.CreatePartitionsAssignment> as = new ArrayList<>();
                    np.assignments()
                            .forEach(ids -> as.add(new CreatePartitionsRequestData.CreatePartitionsAssignment()
                                    .setBrokerIds(new ArrayList<>(ids))));
                    topic.setAssignments(as);
                } else {
                    topic.setAssignments(null);
                }
                req.topics.add(topic);
            }
            return runtime.sendAny(ApiMessageType.CREATE_PARTITIONS, req, now).thenApply(resp -> {
                CreatePartitionsResponseData data = resp.data();
                Map<String, Outcome<Void>> out = new HashMap<>();
                for (CreatePartitionsResponseData.CreatePartitionsTopicResult r : data.results) {
                    Errors e = Errors.forCode(r.errorCode);
                    out.put(
                            r.name,
                            e == Errors.NONE
                                    ? Outcome.ok(null)
                                    : Outcome.failed(AdminErrors.forTopic(e, r.name, r.errorMessage)));
                }
                return out;
            });
        });
    }

    /** Every topic (internal ones only when asked), by name. */
    public CompletableFuture<Map<String, TopicListing>> listTopics(boolean listInternal, long deadlineMs) {
        return runtime.single(
                "listTopics",
                deadlineMs,
                now -> metadata(null, now).thenApply(data -> {
                    Map<String, TopicListing> out = new TreeMap<>();
                    for (MetadataResponseData.MetadataResponseTopic t : data.topics) {
                        if (Errors.forCode(t.errorCode) == Errors.NONE && (listInternal || !t.isInternal)) {
                            out.put(t.name, new TopicListing(t.name, Uuid.of(t.topicId), t.isInternal));
                        }
                    }
                    return out;
                }));
    }

    public Map<String, CompletableFuture<TopicDescription>> describeTopics(Collection<String> topics, long deadlineMs) {
        return runtime.batch(
                "describeTopics",
                Set.copyOf(topics),
                deadlineMs,
                (open, now) -> metadata(open, now).thenApply(data -> {
                    Map<Integer, Node> nodes = new HashMap<>();
                    data.brokers.forEach(b -> nodes.put(b.nodeId, new Node(b.nodeId, b.host, b.port, b.rack)));
                    Map<String, Outcome<TopicDescription>> out = new HashMap<>();
                    for (MetadataResponseData.MetadataResponseTopic t : data.topics) {
                        Errors e = Errors.forCode(t.errorCode);
                        if (e != Errors.NONE) {
                            out.put(t.name, Outcome.failed(AdminErrors.forTopic(e, t.name, null)));
                            continue;
                        }
                        List<TopicPartitionInfo> parts = new ArrayList<>();
                        for (MetadataResponseData.MetadataResponsePartition p : t.partitions) {
                            parts.add(new TopicPartitionInfo(
                                    p.partitionIndex,
                                    p.leaderId < 0 ? null : node(nodes, p.leaderId),
                                    p.replicaNodes.stream()
                                            .map(id -> node(nodes, id))
                                            .toList(),
                                    p.isrNodes.stream()
                                            .map(id -> node(nodes, id))
                                            .toList()));
                        }
                        parts.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
                        out.put(
                                t.name,
                                Outcome.ok(new TopicDescription(t.name, t.isInternal, parts, Uuid.of(t.topicId))));
                    }
                    return out;
                }));
    }

    private static Node node(Map<Integer, Node> nodes, int id) {
        return nodes.getOrDefault(id, new Node(id, "", -1, null));
    }

    /** A Metadata request of our own (null = all topics), because listings need the topic ids. */
    private CompletableFuture<MetadataResponseData> metadata(Collection<String> topics, long now) {
        MetadataRequestData req = new MetadataRequestData().setAllowAutoTopicCreation(false);
        if (topics == null) {
            req.setTopics(null);
        } else {
            topics.forEach(t -> req.topics.add(new MetadataRequestData.MetadataRequestTopic().setName(t)));
        }
        return runtime.sendAny(ApiMessageType.METADATA, req, now).thenApply(resp -> {
            MetadataResponseData data = resp.data();
            List<NetworkClient.Endpoint> brokers = new ArrayList<>();
            data.brokers.forEach(b -> brokers.add(new NetworkClient.Endpoint(b.nodeId, b.host, b.port)));
            runtime.learnBrokers(brokers);
            return data;
        });
    }

    public CompletableFuture<ClusterDescription> describeCluster(long deadlineMs) {
        return runtime.single(
                "describeCluster",
                deadlineMs,
                now -> runtime.sendAny(ApiMessageType.DESCRIBE_CLUSTER, new DescribeClusterRequestData(), now)
                        .thenApply(resp -> {
                            DescribeClusterResponseData data = resp.data();
                            Errors e = Errors.forCode(data.errorCode);
                            if (e != Errors.NONE) {
                                throw AdminErrors.forEntity(e, "Cluster", data.errorMessage);
                            }
                            List<Node> nodes = new ArrayList<>();
                            Node controller = null;
                            for (DescribeClusterResponseData.DescribeClusterBroker b : data.brokers) {
                                Node n = new Node(b.brokerId, b.host, b.port, b.rack);
                                nodes.add(n);
                                if (b.brokerId == data.controllerId) {
                                    controller = n;
                                }
                            }
                            nodes.sort((a, b) -> Integer.compare(a.id(), b.id()));
                            return new ClusterDescription(List.copyOf(nodes), controller, data.clusterId);
                        }));
    }
}
