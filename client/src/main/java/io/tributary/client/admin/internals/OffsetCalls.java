package io.tributary.client.admin.internals;

import io.tributary.client.admin.DeletedRecords;
import io.tributary.client.admin.ListOffsetsResult.ListOffsetsResultInfo;
import io.tributary.client.common.Node;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.errors.ApiException;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.internals.Cluster;
import io.tributary.client.network.Response;
import io.tributary.protocol.ApiMessage;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.DeleteRecordsRequestData;
import io.tributary.protocol.message.DeleteRecordsResponseData;
import io.tributary.protocol.message.ListOffsetsRequestData;
import io.tributary.protocol.message.ListOffsetsResponseData;
import io.tributary.protocol.message.OffsetCommitRequestData;
import io.tributary.protocol.message.OffsetCommitResponseData;
import io.tributary.protocol.message.OffsetDeleteRequestData;
import io.tributary.protocol.message.OffsetDeleteResponseData;
import io.tributary.protocol.message.OffsetFetchRequestData;
import io.tributary.protocol.message.OffsetFetchResponseData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Offset calls: a group's committed offsets (OffsetFetch, OffsetCommit, OffsetDelete to its
 * coordinator; a commit with generation -1 and no member id, which the coordinator accepts only
 * while the group is empty) and the log's offsets (ListOffsets and DeleteRecords to each
 * partition's leader, found through fresh metadata on every attempt so a moved leader is
 * followed). Stateless apart from the runtime.
 */
public final class OffsetCalls {
    private final AdminRuntime runtime;
    private final int requestTimeoutMs;

    public OffsetCalls(AdminRuntime runtime, int requestTimeoutMs) {
        this.runtime = runtime;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    /** @param partitions null for every partition the group has committed */
    public CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> listConsumerGroupOffsets(
            String groupId, Collection<TopicPartition> partitions, boolean requireStable, long deadlineMs) {
        return runtime.single("listConsumerGroupOffsets(" + groupId + ")", deadlineMs, now -> {
            OffsetFetchRequestData req =
                    new OffsetFetchRequestData().setGroupId(groupId).setRequireStable(requireStable);
            if (partitions == null) {
                req.setTopics(null);
            } else {
                Map<String, OffsetFetchRequestData.OffsetFetchRequestTopic> byTopic = new LinkedHashMap<>();
                partitions.forEach(tp -> byTopic.computeIfAbsent(
                                tp.topic(), t -> new OffsetFetchRequestData.OffsetFetchRequestTopic().setName(t))
                        .partitionIndexes
                        .add(tp.partition()));
                req.setTopics(new ArrayList<>(byTopic.values()));
            }
            return runtime.sendToCoordinator(groupId, ApiMessageType.OFFSET_FETCH, req, now)
                    .thenApply(resp -> {
                        OffsetFetchResponseData data = resp.data();
                        Errors top = Errors.forCode(data.errorCode);
                        if (top != Errors.NONE) {
                            runtime.coordinatorError(groupId, top);
                            throw AdminErrors.forGroup(top, groupId, null);
                        }
                        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
                        for (OffsetFetchResponseData.OffsetFetchResponseTopic t : data.topics) {
                            for (OffsetFetchResponseData.OffsetFetchResponsePartition p : t.partitions) {
                                TopicPartition tp = new TopicPartition(t.name, p.partitionIndex);
                                Errors e = Errors.forCode(p.errorCode);
                                if (e == Errors.UNSTABLE_OFFSET_COMMIT || runtime.coordinatorError(groupId, e)) {
                                    throw new ApiException(e, "Group '" + groupId + "' offsets of " + tp);
                                }
                                if (e != Errors.NONE && e != Errors.UNKNOWN_TOPIC_OR_PARTITION) {
                                    throw AdminErrors.forEntity(e, "Group '" + groupId + "' offset of " + tp, null);
                                }
                                if (p.committedOffset >= 0) {
                                    out.put(
                                            tp,
                                            new OffsetAndMetadata(
                                                    p.committedOffset,
                                                    p.committedLeaderEpoch < 0
                                                            ? Optional.empty()
                                                            : Optional.of(p.committedLeaderEpoch),
                                                    p.metadata));
                                } else if (partitions != null) {
                                    out.put(tp, null); // asked for but never committed, as Kafka answers
                                }
                            }
                        }
                        return out;
                    });
        });
    }

    public Map<TopicPartition, CompletableFuture<Void>> alterConsumerGroupOffsets(
            String groupId, Map<TopicPartition, OffsetAndMetadata> offsets, long deadlineMs) {
        return runtime.batch(
                "alterConsumerGroupOffsets(" + groupId + ")", offsets.keySet(), deadlineMs, (open, now) -> {
                    OffsetCommitRequestData req = new OffsetCommitRequestData()
                            .setGroupId(groupId)
                            .setGenerationIdOrMemberEpoch(-1)
                            .setMemberId("")
                            .setGroupInstanceId(null);
                    Map<String, OffsetCommitRequestData.OffsetCommitRequestTopic> byTopic = new LinkedHashMap<>();
                    for (TopicPartition tp : open) {
                        OffsetAndMetadata om = offsets.get(tp);
                        byTopic.computeIfAbsent(
                                        tp.topic(),
                                        t -> new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(t))
                                .partitions
                                .add(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                        .setPartitionIndex(tp.partition())
                                        .setCommittedOffset(om.offset())
                                        .setCommittedLeaderEpoch(
                                                om.leaderEpoch().orElse(-1))
                                        .setCommittedMetadata(om.metadata()));
                    }
                    req.setTopics(new ArrayList<>(byTopic.values()));
                    return runtime.sendToCoordinator(groupId, ApiMessageType.OFFSET_COMMIT, req, now)
                            .thenApply(resp -> {
                                OffsetCommitResponseData data = resp.data();
                                Map<TopicPartition, Outcome<Void>> out = new HashMap<>();
                                for (OffsetCommitResponseData.OffsetCommitResponseTopic t : data.topics) {
                                    for (OffsetCommitResponseData.OffsetCommitResponsePartition p : t.partitions) {
                                        TopicPartition tp = new TopicPartition(t.name, p.partitionIndex);
                                        out.put(tp, groupPartitionOutcome(groupId, tp, Errors.forCode(p.errorCode)));
                                    }
                                }
                                return out;
                            });
                });
    }

    public Map<TopicPartition, CompletableFuture<Void>> deleteConsumerGroupOffsets(
            String groupId, Set<TopicPartition> partitions, long deadlineMs) {
        return runtime.batch("deleteConsumerGroupOffsets(" + groupId + ")", partitions, deadlineMs, (open, now) -> {
            OffsetDeleteRequestData req = new OffsetDeleteRequestData().setGroupId(groupId);
            Map<String, OffsetDeleteRequestData.OffsetDeleteRequestTopic> byTopic = new LinkedHashMap<>();
            open.forEach(tp -> byTopic.computeIfAbsent(
                            tp.topic(), t -> new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName(t))
                    .partitions
                    .add(new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(tp.partition())));
            req.setTopics(new ArrayList<>(byTopic.values()));
            return runtime.sendToCoordinator(groupId, ApiMessageType.OFFSET_DELETE, req, now)
                    .thenApply(resp -> {
                        OffsetDeleteResponseData data = resp.data();
                        Errors top = Errors.forCode(data.errorCode);
                        if (top != Errors.NONE) {
                            runtime.coordinatorError(groupId, top);
                            throw AdminErrors.forGroup(top, groupId, null);
                        }
                        Map<TopicPartition, Outcome<Void>> out = new HashMap<>();
                        for (OffsetDeleteResponseData.OffsetDeleteResponseTopic t : data.topics) {
                            for (OffsetDeleteResponseData.OffsetDeleteResponsePartition p : t.partitions) {
                                TopicPartition tp = new TopicPartition(t.name, p.partitionIndex);
                                out.put(tp, groupPartitionOutcome(groupId, tp, Errors.forCode(p.errorCode)));
                            }
                        }
                        return out;
                    });
        });
    }

    private Outcome<Void> groupPartitionOutcome(String groupId, TopicPartition tp, Errors e) {
        if (e == Errors.NONE) {
            return Outcome.ok(null);
        }
        if (runtime.coordinatorError(groupId, e)) {
            return Outcome.failed(new ApiException(e, "Group '" + groupId + "' partition " + tp));
        }
        if (e == Errors.UNKNOWN_TOPIC_OR_PARTITION || e == Errors.GROUP_SUBSCRIBED_TO_TOPIC) {
            return Outcome.failed(AdminErrors.forEntity(e, "Group '" + groupId + "', partition " + tp, null));
        }
        return Outcome.failed(AdminErrors.forGroup(e, groupId, "partition " + tp));
    }

    /** @param timestamps ListOffsets timestamps: -2 earliest, -1 latest, -3 max timestamp, else a time */
    public Map<TopicPartition, CompletableFuture<ListOffsetsResultInfo>> listOffsets(
            Map<TopicPartition, Long> timestamps, byte isolationLevel, long deadlineMs) {
        return runtime.batch(
                "listOffsets",
                timestamps.keySet(),
                deadlineMs,
                (open, now) -> toLeaders(
                        open,
                        now,
                        ApiMessageType.LIST_OFFSETS,
                        group -> {
                            ListOffsetsRequestData req = new ListOffsetsRequestData()
                                    .setReplicaId(-1)
                                    .setIsolationLevel(isolationLevel);
                            Map<String, ListOffsetsRequestData.ListOffsetsTopic> byTopic = new LinkedHashMap<>();
                            group.forEach(tp -> byTopic.computeIfAbsent(
                                            tp.topic(), t -> new ListOffsetsRequestData.ListOffsetsTopic().setName(t))
                                    .partitions
                                    .add(new ListOffsetsRequestData.ListOffsetsPartition()
                                            .setPartitionIndex(tp.partition())
                                            .setTimestamp(timestamps.get(tp))));
                            req.setTopics(new ArrayList<>(byTopic.values()));
                            return req;
                        },
                        resp -> {
                            ListOffsetsResponseData data = resp.data();
                            Map<TopicPartition, Outcome<ListOffsetsResultInfo>> out = new HashMap<>();
                            for (ListOffsetsResponseData.ListOffsetsTopicResponse t : data.topics) {
                                for (ListOffsetsResponseData.ListOffsetsPartitionResponse p : t.partitions) {
                                    TopicPartition tp = new TopicPartition(t.name, p.partitionIndex);
                                    Errors e = Errors.forCode(p.errorCode);
                                    out.put(
                                            tp,
                                            e == Errors.NONE
                                                    ? Outcome.ok(new ListOffsetsResultInfo(
                                                            p.offset,
                                                            p.timestamp,
                                                            p.leaderEpoch < 0
                                                                    ? Optional.empty()
                                                                    : Optional.of(p.leaderEpoch)))
                                                    : Outcome.failed(partitionError(e, tp)));
                                }
                            }
                            return out;
                        }));
    }

    public Map<TopicPartition, CompletableFuture<DeletedRecords>> deleteRecords(
            Map<TopicPartition, Long> beforeOffsets, long deadlineMs) {
        return runtime.batch(
                "deleteRecords",
                beforeOffsets.keySet(),
                deadlineMs,
                (open, now) -> toLeaders(
                        open,
                        now,
                        ApiMessageType.DELETE_RECORDS,
                        group -> {
                            DeleteRecordsRequestData req = new DeleteRecordsRequestData()
                                    .setTimeoutMs((int) Math.max(0, Math.min(requestTimeoutMs, deadlineMs - now)));
                            Map<String, DeleteRecordsRequestData.DeleteRecordsTopic> byTopic = new LinkedHashMap<>();
                            group.forEach(tp -> byTopic.computeIfAbsent(
                                            tp.topic(),
                                            t -> new DeleteRecordsRequestData.DeleteRecordsTopic().setName(t))
                                    .partitions
                                    .add(new DeleteRecordsRequestData.DeleteRecordsPartition()
                                            .setPartitionIndex(tp.partition())
                                            .setOffset(beforeOffsets.get(tp))));
                            req.setTopics(new ArrayList<>(byTopic.values()));
                            return req;
                        },
                        resp -> {
                            DeleteRecordsResponseData data = resp.data();
                            Map<TopicPartition, Outcome<DeletedRecords>> out = new HashMap<>();
                            for (DeleteRecordsResponseData.DeleteRecordsTopicResult t : data.topics) {
                                for (DeleteRecordsResponseData.DeleteRecordsPartitionResult p : t.partitions) {
                                    TopicPartition tp = new TopicPartition(t.name, p.partitionIndex);
                                    Errors e = Errors.forCode(p.errorCode);
                                    out.put(
                                            tp,
                                            e == Errors.NONE
                                                    ? Outcome.ok(new DeletedRecords(p.lowWatermark))
                                                    : Outcome.failed(partitionError(e, tp)));
                                }
                            }
                            return out;
                        }));
    }

    /** Leader moves stay generic (and so retried); the rest get Kafka's types. */
    private static ApiException partitionError(Errors e, TopicPartition tp) {
        if (e == Errors.NOT_LEADER_OR_FOLLOWER || e == Errors.LEADER_NOT_AVAILABLE || e == Errors.REQUEST_TIMED_OUT) {
            return new ApiException(e, "Partition " + tp);
        }
        return AdminErrors.forEntity(e, "Partition " + tp, null);
    }

    /** Fresh metadata for the partitions' topics, one request per leader, answers merged. */
    private <V> CompletableFuture<Map<TopicPartition, Outcome<V>>> toLeaders(
            Set<TopicPartition> open,
            long now,
            ApiMessageType api,
            Function<List<TopicPartition>, ApiMessage> request,
            Function<Response, Map<TopicPartition, Outcome<V>>> parse) {
        Set<String> topics = new HashSet<>();
        open.forEach(tp -> topics.add(tp.topic()));
        return runtime.metadata(topics, now).thenCompose(cluster -> {
            Map<TopicPartition, Outcome<V>> out = new ConcurrentHashMap<>();
            Map<Integer, List<TopicPartition>> byLeader = new LinkedHashMap<>();
            for (TopicPartition tp : open) {
                Cluster.TopicMetadata t = cluster.topics().get(tp.topic());
                if (t != null && t.error() != Errors.NONE && t.error() != Errors.LEADER_NOT_AVAILABLE) {
                    out.put(tp, Outcome.failed(AdminErrors.forTopic(t.error(), tp.topic(), null)));
                    continue;
                }
                if (t != null
                        && t.error() == Errors.NONE
                        && t.partitions().stream().noneMatch(p -> p.partition() == tp.partition())) {
                    out.put(
                            tp,
                            Outcome.failed(
                                    AdminErrors.forEntity(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Partition " + tp, null)));
                    continue;
                }
                Node leader = cluster.leaderFor(tp);
                if (leader == null || leader.id() < 0) {
                    out.put(tp, Outcome.failed(new ApiException(Errors.LEADER_NOT_AVAILABLE, "Partition " + tp)));
                    continue;
                }
                byLeader.computeIfAbsent(leader.id(), k -> new ArrayList<>()).add(tp);
            }
            List<CompletableFuture<Void>> parts = new ArrayList<>();
            byLeader.forEach((leader, group) ->
                    parts.add(runtime.sendTo(leader, api, request.apply(group), System.currentTimeMillis())
                            .handle((resp, err) -> {
                                if (err != null) {
                                    group.forEach(tp -> out.put(tp, Outcome.failed(AdminRuntime.unwrap(err))));
                                } else {
                                    out.putAll(parse.apply(resp));
                                }
                                return null;
                            })));
            return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]))
                    .thenApply(v -> out);
        });
    }
}
