package io.tributary.coordinator.offset;

import io.tributary.coordinator.GroupCoordinatorConfig;
import io.tributary.coordinator.RequestContext;
import io.tributary.coordinator.group.ClassicGroup;
import io.tributary.coordinator.group.ClassicGroupManager;
import io.tributary.coordinator.group.ClassicGroupState;
import io.tributary.coordinator.group.GroupStore;
import io.tributary.coordinator.record.RecordCodec;
import io.tributary.coordinator.record.RecordCodec.OffsetValue;
import io.tributary.coordinator.runtime.ShardContext;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.OffsetCommitRequestData;
import io.tributary.protocol.message.OffsetCommitResponseData;
import io.tributary.protocol.message.OffsetDeleteRequestData;
import io.tributary.protocol.message.OffsetDeleteResponseData;
import io.tributary.protocol.message.OffsetFetchRequestData;
import io.tributary.protocol.message.OffsetFetchResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OffsetCommit, OffsetFetch and OffsetDelete, offset expiry (offsets.retention.minutes, KIP-211
 * rules) and dropping the offsets of deleted topics. Writes go through records; the store
 * changes when they are replayed. Owned by the coordinator thread.
 */
public final class OffsetManager {
    private static final Logger LOG = LoggerFactory.getLogger(OffsetManager.class);

    private final ShardContext ctx;
    private final GroupCoordinatorConfig config;
    private final GroupStore groups;
    private final OffsetStore offsets;
    private final ClassicGroupManager membership;
    private final PendingTxnOffsets pending;

    public OffsetManager(
            ShardContext ctx,
            GroupCoordinatorConfig config,
            GroupStore groups,
            OffsetStore offsets,
            PendingTxnOffsets pending,
            ClassicGroupManager membership) {
        this.ctx = ctx;
        this.config = config;
        this.groups = groups;
        this.offsets = offsets;
        this.pending = pending;
        this.membership = membership;
    }

    // ================================================================ OffsetCommit

    public void commit(
            RequestContext rc, OffsetCommitRequestData req, CompletableFuture<OffsetCommitResponseData> out) {
        Errors groupError = validateCommit(rc, req);
        if (groupError == Errors.NONE
                && req.memberId != null
                && !req.memberId.isEmpty()
                && !groups.consumerGroups().contains(req.groupId)) {
            membership.onOffsetCommit(groups.get(req.groupId), req.memberId);
        }
        long nowMs = ctx.nowMs();
        ctx.respond(out, commitResponse(req, (t, p) -> {
            if (groupError != Errors.NONE) {
                return groupError;
            }
            // Kafka compares the metadata's length in chars with offset.metadata.max.bytes.
            if (p.committedMetadata != null && p.committedMetadata.length() > config.offsetMetadataMaxBytes()) {
                return Errors.OFFSET_METADATA_TOO_LARGE;
            }
            // v2-4 may carry a per-commit retention; newer versions use the broker's.
            long expireMs = rc.apiVersion() <= 4 && req.retentionTimeMs >= 0 ? nowMs + req.retentionTimeMs : -1;
            ctx.append(RecordCodec.offsetCommit(
                    req.groupId,
                    t.name,
                    p.partitionIndex,
                    new OffsetValue(
                            p.committedOffset,
                            p.committedLeaderEpoch,
                            p.committedMetadata == null ? "" : p.committedMetadata,
                            nowMs,
                            expireMs)));
            return Errors.NONE;
        }));
    }

    /**
     * The OffsetCommit response shape, owned here: every requested partition, in request order,
     * with the error {@code outcome} gives it ({@code outcome} runs once per partition, in order).
     */
    public static OffsetCommitResponseData commitResponse(
            OffsetCommitRequestData req,
            BiFunction<
                            OffsetCommitRequestData.OffsetCommitRequestTopic,
                            OffsetCommitRequestData.OffsetCommitRequestPartition,
                            Errors>
                    outcome) {
        OffsetCommitResponseData resp = new OffsetCommitResponseData();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic t : req.topics) {
            OffsetCommitResponseData.OffsetCommitResponseTopic rt =
                    new OffsetCommitResponseData.OffsetCommitResponseTopic()
                            .setName(t.name)
                            .setTopicId(t.topicId);
            for (OffsetCommitRequestData.OffsetCommitRequestPartition p : t.partitions) {
                rt.partitions.add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                        .setPartitionIndex(p.partitionIndex)
                        .setErrorCode(outcome.apply(t, p).code()));
            }
            resp.topics.add(rt);
        }
        return resp;
    }

    /** The two facts offset expiry needs of a group of either kind. */
    private record GroupRef(String groupId, java.util.function.Predicate<String> subscribed) {
        boolean isSubscribedToTopic(String topic) {
            return subscribed.test(topic);
        }
    }

    private Errors validateCommit(RequestContext rc, OffsetCommitRequestData req) {
        if (req.groupId == null || req.groupId.isEmpty()) {
            return Errors.INVALID_GROUP_ID;
        }
        if (groups.consumerGroups().contains(req.groupId)
                && rc.apiVersion() < 9
                && req.memberId != null
                && !req.memberId.isEmpty()
                && !groups.consumerGroups().usesClassicProtocol(req.groupId, req.memberId)) {
            // Kafka: a consumer group member's commits need the member epoch fields of v9+.
            return Errors.UNSUPPORTED_VERSION;
        }
        Errors consumerCheck = groups.consumerGroups()
                .validateOffsetCommit(req.groupId, req.memberId, req.generationIdOrMemberEpoch, req.groupInstanceId);
        if (consumerCheck != null) {
            if (consumerCheck == Errors.NONE) {
                groups.consumerGroups().committed(req.groupId, req.memberId);
            }
            return consumerCheck;
        }
        ClassicGroup group = groups.get(req.groupId);
        if (group == null) {
            if (req.generationIdOrMemberEpoch < 0) {
                // A standalone consumer (assign() + commit) or the admin client: a "simple" group
                // exists just to hold offsets.
                groups.create(req.groupId, ctx.nowMs());
                return Errors.NONE;
            }
            return rc.apiVersion() >= 9 ? Errors.GROUP_ID_NOT_FOUND : Errors.ILLEGAL_GENERATION;
        }
        if (group.isInState(ClassicGroupState.DEAD)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        int generationId = req.generationIdOrMemberEpoch;
        String memberId = req.memberId == null ? "" : req.memberId;
        if (generationId < 0 && group.isInState(ClassicGroupState.EMPTY)) {
            return Errors.NONE;
        }
        if (generationId >= 0 || !memberId.isEmpty() || req.groupInstanceId != null) {
            Errors error = group.validateMemberAndGeneration(memberId, req.groupInstanceId, generationId);
            if (error != Errors.NONE) {
                return error;
            }
        } else if (!group.isInState(ClassicGroupState.EMPTY)) {
            // Without member id and generation, commits are only taken while nobody is in the group.
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (group.isInState(ClassicGroupState.COMPLETING_REBALANCE)) {
            // The member knows the new generation but has no assignment yet.
            return Errors.REBALANCE_IN_PROGRESS;
        }
        return Errors.NONE;
    }

    // ================================================================ OffsetFetch

    /** A requested topic: its partitions; a null list of topics means all of the group's offsets. */
    public record TopicRequest(String name, List<Integer> partitions) {}

    public void fetch(RequestContext rc, OffsetFetchRequestData req, CompletableFuture<OffsetFetchResponseData> out) {
        OffsetFetchResponseData resp = new OffsetFetchResponseData();
        if (rc.apiVersion() >= 8) {
            for (OffsetFetchRequestData.OffsetFetchRequestGroup g : req.groups) {
                List<TopicRequest> topics = null;
                if (g.topics != null) {
                    topics = new ArrayList<>();
                    for (OffsetFetchRequestData.OffsetFetchRequestTopics t : g.topics) {
                        topics.add(new TopicRequest(t.name, t.partitionIndexes));
                    }
                }
                Errors memberError = rc.apiVersion() >= 9
                        ? groups.consumerGroups().validateOffsetFetch(g.groupId, g.memberId, g.memberEpoch)
                        : null;
                if (memberError != null && memberError != Errors.NONE) {
                    resp.groups.add(new OffsetFetchResponseData.OffsetFetchResponseGroup()
                            .setGroupId(g.groupId)
                            .setErrorCode(memberError.code()));
                    continue;
                }
                resp.groups.add(fetchGroup(g.groupId, topics, req.requireStable));
            }
        } else {
            List<TopicRequest> topics = null;
            if (req.topics != null) {
                topics = new ArrayList<>();
                for (OffsetFetchRequestData.OffsetFetchRequestTopic t : req.topics) {
                    topics.add(new TopicRequest(t.name, t.partitionIndexes));
                }
            }
            OffsetFetchResponseData.OffsetFetchResponseGroup g =
                    fetchGroup(req.groupId, topics, rc.apiVersion() >= 7 && req.requireStable);
            resp.setErrorCode(g.errorCode);
            for (OffsetFetchResponseData.OffsetFetchResponseTopics t : g.topics) {
                OffsetFetchResponseData.OffsetFetchResponseTopic rt =
                        new OffsetFetchResponseData.OffsetFetchResponseTopic().setName(t.name);
                for (OffsetFetchResponseData.OffsetFetchResponsePartitions p : t.partitions) {
                    rt.partitions.add(new OffsetFetchResponseData.OffsetFetchResponsePartition()
                            .setPartitionIndex(p.partitionIndex)
                            .setCommittedOffset(p.committedOffset)
                            .setCommittedLeaderEpoch(p.committedLeaderEpoch)
                            .setMetadata(p.metadata)
                            .setErrorCode(p.errorCode));
                }
                resp.topics.add(rt);
            }
            if (rc.apiVersion() < 2 && g.errorCode != Errors.NONE.code() && topics != null) {
                // v1 has no top-level error: the group's error goes on every requested partition.
                resp.topics.clear();
                for (TopicRequest t : topics) {
                    OffsetFetchResponseData.OffsetFetchResponseTopic rt =
                            new OffsetFetchResponseData.OffsetFetchResponseTopic().setName(t.name());
                    for (Integer p : t.partitions()) {
                        rt.partitions.add(new OffsetFetchResponseData.OffsetFetchResponsePartition()
                                .setPartitionIndex(p)
                                .setCommittedOffset(-1)
                                .setErrorCode(g.errorCode));
                    }
                    resp.topics.add(rt);
                }
            }
        }
        ctx.respond(out, resp);
    }

    /**
     * One group's committed offsets. With require_stable (v7+, KIP-447) a partition with offsets
     * pending in an open transaction answers UNSTABLE_OFFSET_COMMIT (the client retries) instead
     * of an offset the transaction may be about to replace.
     */
    public OffsetFetchResponseData.OffsetFetchResponseGroup fetchGroup(
            String groupId, List<TopicRequest> topics, boolean requireStable) {
        OffsetFetchResponseData.OffsetFetchResponseGroup g =
                new OffsetFetchResponseData.OffsetFetchResponseGroup().setGroupId(groupId);
        if (groupId == null || groupId.isEmpty()) {
            return g.setErrorCode(Errors.INVALID_GROUP_ID.code());
        }
        if (topics == null) {
            for (Map.Entry<String, TreeMap<Integer, OffsetValue>> e :
                    offsets.offsets(groupId).entrySet()) {
                OffsetFetchResponseData.OffsetFetchResponseTopics rt =
                        new OffsetFetchResponseData.OffsetFetchResponseTopics().setName(e.getKey());
                e.getValue().forEach((p, v) -> rt.partitions.add(partition(groupId, e.getKey(), p, v, requireStable)));
                g.topics.add(rt);
            }
            return g;
        }
        for (TopicRequest t : topics) {
            OffsetFetchResponseData.OffsetFetchResponseTopics rt =
                    new OffsetFetchResponseData.OffsetFetchResponseTopics().setName(t.name());
            for (Integer p : t.partitions()) {
                rt.partitions.add(partition(groupId, t.name(), p, offsets.get(groupId, t.name(), p), requireStable));
            }
            g.topics.add(rt);
        }
        return g;
    }

    private OffsetFetchResponseData.OffsetFetchResponsePartitions partition(
            String groupId, String topic, int p, OffsetValue v, boolean requireStable) {
        OffsetFetchResponseData.OffsetFetchResponsePartitions rp =
                new OffsetFetchResponseData.OffsetFetchResponsePartitions().setPartitionIndex(p);
        if (requireStable && pending.hasPending(new OffsetStore.PartitionKey(groupId, topic, p))) {
            return rp.setCommittedOffset(-1)
                    .setCommittedLeaderEpoch(-1)
                    .setMetadata("")
                    .setErrorCode(Errors.UNSTABLE_OFFSET_COMMIT.code());
        }
        if (v == null) {
            return rp.setCommittedOffset(-1).setCommittedLeaderEpoch(-1).setMetadata("");
        }
        return rp.setCommittedOffset(v.offset())
                .setCommittedLeaderEpoch(v.leaderEpoch())
                .setMetadata(v.metadata());
    }

    // ================================================================ OffsetDelete

    public void delete(
            RequestContext rc, OffsetDeleteRequestData req, CompletableFuture<OffsetDeleteResponseData> out) {
        OffsetDeleteResponseData resp = new OffsetDeleteResponseData();
        if (req.groupId == null || req.groupId.isEmpty()) {
            ctx.respond(out, resp.setErrorCode(Errors.INVALID_GROUP_ID.code()));
            return;
        }
        ClassicGroup group = groups.get(req.groupId);
        if (group == null || group.isInState(ClassicGroupState.DEAD)) {
            ctx.respond(out, resp.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()));
            return;
        }
        if (!group.isInState(ClassicGroupState.EMPTY)
                && !ClassicGroup.CONSUMER_PROTOCOL_TYPE.equals(group.protocolType())) {
            ctx.respond(out, resp.setErrorCode(Errors.NON_EMPTY_GROUP.code()));
            return;
        }
        for (OffsetDeleteRequestData.OffsetDeleteRequestTopic t : req.topics) {
            OffsetDeleteResponseData.OffsetDeleteResponseTopic rt =
                    new OffsetDeleteResponseData.OffsetDeleteResponseTopic().setName(t.name);
            boolean subscribed = group.isSubscribedToTopic(t.name);
            for (OffsetDeleteRequestData.OffsetDeleteRequestPartition p : t.partitions) {
                if (subscribed) {
                    rt.partitions.add(new OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                            .setPartitionIndex(p.partitionIndex)
                            .setErrorCode(Errors.GROUP_SUBSCRIBED_TO_TOPIC.code()));
                } else if (offsets.get(req.groupId, t.name, p.partitionIndex) != null) {
                    // Like Kafka, partitions without a committed offset are left out of the answer.
                    ctx.append(RecordCodec.offsetTombstone(req.groupId, t.name, p.partitionIndex));
                    rt.partitions.add(new OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                            .setPartitionIndex(p.partitionIndex));
                }
            }
            resp.topics.add(rt);
        }
        ctx.respond(out, resp);
    }

    /**
     * Emits tombstones for every offset of a group (DeleteGroups), pending transactional ones
     * included: a tombstone drops a partition's pending offsets too.
     */
    public void deleteAllOffsets(String groupId) {
        List<String[]> keys = new ArrayList<>();
        offsets.offsets(groupId)
                .forEach((topic, parts) ->
                        parts.keySet().forEach(p -> keys.add(new String[] {topic, Integer.toString(p)})));
        for (OffsetStore.PartitionKey k : pending.partitions(groupId)) {
            if (offsets.get(groupId, k.topic(), k.partition()) == null) {
                keys.add(new String[] {k.topic(), Integer.toString(k.partition())});
            }
        }
        for (String[] k : keys) {
            ctx.append(RecordCodec.offsetTombstone(groupId, k[0], Integer.parseInt(k[1])));
        }
    }

    /** Emits tombstones for every offset of the given topics in every group. */
    public void onTopicsDeleted(Set<String> topics) {
        int n = 0;
        for (String groupId : offsets.groupIds()) {
            List<String[]> keys = new ArrayList<>();
            offsets.offsets(groupId).forEach((topic, parts) -> {
                if (topics.contains(topic)) {
                    parts.keySet().forEach(p -> keys.add(new String[] {topic, Integer.toString(p)}));
                }
            });
            for (String[] k : keys) {
                ctx.append(RecordCodec.offsetTombstone(groupId, k[0], Integer.parseInt(k[1])));
                n++;
            }
        }
        for (OffsetStore.PartitionKey k : pending.partitionsOfTopics(topics)) {
            if (offsets.get(k.groupId(), k.topic(), k.partition()) == null) {
                ctx.append(RecordCodec.offsetTombstone(k.groupId(), k.topic(), k.partition()));
                n++;
            }
        }
        if (n > 0) {
            LOG.info("Removed {} committed offsets of deleted topics {}", n, topics);
        }
    }

    // ================================================================ expiry

    /**
     * Tombstones the expired offsets of a group and reports whether none is left (pending
     * transactional offsets count as left, and keep their partition's offset from expiring, as in
     * Kafka: the transaction may still commit). The clock for
     * an offset starts (KIP-211): when the group became empty, for a consumer group without
     * members; at the commit, for topics a Stable consumer group no longer subscribes to and for
     * standalone consumers (no protocol type). Offsets of subscribed topics never expire.
     */
    public boolean expireOffsets(ClassicGroup group, long nowMs) {
        if (offsets.offsets(group.groupId()).isEmpty()) {
            return !pending.hasPending(group.groupId());
        }
        ToLongFunction<OffsetValue> base = expiryBase(group);
        if (base == null) {
            return false;
        }
        return expireOffsets(group.groupId(), base, group::isSubscribedToTopic, nowMs);
    }

    /**
     * As above for a consumer group of the KIP-848 protocol (issue 14): as Kafka's ConsumerGroup,
     * an offset of a topic no member subscribes to expires offsets.retention after its commit,
     * whether or not the group is empty.
     */
    public boolean expireConsumerGroupOffsets(
            String groupId, java.util.function.Predicate<String> subscribed, long nowMs) {
        return expireOffsets(groupId, OffsetValue::commitTimestampMs, subscribed, nowMs);
    }

    private boolean expireOffsets(
            String groupId,
            ToLongFunction<OffsetValue> base,
            java.util.function.Predicate<String> subscribed,
            long nowMs) {
        GroupRef group = new GroupRef(groupId, subscribed);
        Map<String, TreeMap<Integer, OffsetValue>> groupOffsets = offsets.offsets(groupId);
        boolean openTransactions = pending.hasPending(groupId);
        if (groupOffsets.isEmpty()) {
            return !openTransactions;
        }
        boolean allExpired = !openTransactions;
        List<CoordinatorTombstone> expired = new ArrayList<>();
        for (Map.Entry<String, TreeMap<Integer, OffsetValue>> e : groupOffsets.entrySet()) {
            if (group.isSubscribedToTopic(e.getKey())) {
                allExpired = false;
                continue;
            }
            for (Map.Entry<Integer, OffsetValue> pe : e.getValue().entrySet()) {
                OffsetValue v = pe.getValue();
                if (pending.hasPending(new OffsetStore.PartitionKey(group.groupId(), e.getKey(), pe.getKey()))) {
                    continue;
                }
                boolean isExpired = v.expireTimestampMs() >= 0
                        ? nowMs >= v.expireTimestampMs()
                        : nowMs - base.applyAsLong(v) >= config.offsetsRetentionMs();
                if (isExpired) {
                    expired.add(new CoordinatorTombstone(e.getKey(), pe.getKey()));
                } else {
                    allExpired = false;
                }
            }
        }
        for (CoordinatorTombstone t : expired) {
            ctx.append(RecordCodec.offsetTombstone(group.groupId(), t.topic(), t.partition()));
        }
        if (!expired.isEmpty()) {
            LOG.info("Expired {} offsets of group {}", expired.size(), group.groupId());
        }
        return allExpired;
    }

    private record CoordinatorTombstone(String topic, int partition) {}

    private static ToLongFunction<OffsetValue> expiryBase(ClassicGroup group) {
        if (group.protocolType() == null) {
            return OffsetValue::commitTimestampMs;
        }
        if (group.isInState(ClassicGroupState.EMPTY)) {
            long emptySinceMs = group.currentStateTimestampMs();
            return v -> emptySinceMs;
        }
        if (ClassicGroup.CONSUMER_PROTOCOL_TYPE.equals(group.protocolType())
                && group.subscribedTopics() != null
                && group.isInState(ClassicGroupState.STABLE)) {
            return OffsetValue::commitTimestampMs;
        }
        return null;
    }
}
