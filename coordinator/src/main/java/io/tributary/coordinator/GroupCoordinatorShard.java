package io.tributary.coordinator;

import io.tributary.coordinator.consumer.ConsumerGroup;
import io.tributary.coordinator.consumer.ConsumerGroupDescriber;
import io.tributary.coordinator.consumer.ConsumerGroupManager;
import io.tributary.coordinator.consumer.ConsumerGroupStore;
import io.tributary.coordinator.consumer.GroupLags;
import io.tributary.coordinator.group.ClassicGroup;
import io.tributary.coordinator.group.ClassicGroupManager;
import io.tributary.coordinator.group.ClassicGroupMember;
import io.tributary.coordinator.group.ClassicGroupState;
import io.tributary.coordinator.group.GroupStore;
import io.tributary.coordinator.offset.OffsetManager;
import io.tributary.coordinator.offset.OffsetStore;
import io.tributary.coordinator.offset.PendingTxnOffsets;
import io.tributary.coordinator.offset.TxnOffsetManager;
import io.tributary.coordinator.record.RecordCodec;
import io.tributary.coordinator.runtime.CoordinatorRecord;
import io.tributary.coordinator.runtime.CoordinatorShard;
import io.tributary.coordinator.runtime.ShardContext;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ConsumerGroupDescribeRequestData;
import io.tributary.protocol.message.ConsumerGroupDescribeResponseData;
import io.tributary.protocol.message.ConsumerGroupHeartbeatRequestData;
import io.tributary.protocol.message.ConsumerGroupHeartbeatResponseData;
import io.tributary.protocol.message.DeleteGroupsRequestData;
import io.tributary.protocol.message.DeleteGroupsResponseData;
import io.tributary.protocol.message.DescribeGroupsRequestData;
import io.tributary.protocol.message.DescribeGroupsResponseData;
import io.tributary.protocol.message.ListGroupsRequestData;
import io.tributary.protocol.message.ListGroupsResponseData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole group coordinator state machine: groups, offsets, their managers, and the admin
 * APIs that span both (DescribeGroups, ListGroups, DeleteGroups). Routes replayed records to
 * the right store. Owned by the coordinator thread.
 */
public final class GroupCoordinatorShard implements CoordinatorShard {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinatorShard.class);
    static final String EXPIRY_KEY = "offsets-expiry";
    static final String GROUP_TYPE_CLASSIC = "classic";
    static final String GROUP_TYPE_CONSUMER = "consumer";

    private final ShardContext ctx;
    private final GroupCoordinatorConfig config;
    private final GroupStore groups = new GroupStore();
    private final OffsetStore offsets = new OffsetStore();
    private final PendingTxnOffsets pendingTxnOffsets = new PendingTxnOffsets();
    private final ClassicGroupManager membership;
    private final OffsetManager offsetManager;
    private final TxnOffsetManager txnOffsetManager;
    private final ConsumerGroupStore consumerGroups = new ConsumerGroupStore();
    private final ConsumerGroupManager consumerManager;
    private final Supplier<TopicMetadata> topics;
    // Orders offset records (committed and transactional) as the log does; see OffsetStore.
    private long replaySeq;

    public GroupCoordinatorShard(ShardContext ctx, GroupCoordinatorConfig config) {
        this(ctx, config, () -> TopicMetadata.EMPTY);
    }

    public GroupCoordinatorShard(ShardContext ctx, GroupCoordinatorConfig config, Supplier<TopicMetadata> topics) {
        this(ctx, config, topics, () -> PartitionEndOffsets.UNKNOWN);
    }

    public GroupCoordinatorShard(
            ShardContext ctx,
            GroupCoordinatorConfig config,
            Supplier<TopicMetadata> topics,
            Supplier<PartitionEndOffsets> endOffsets) {
        this.ctx = ctx;
        this.config = config;
        this.topics = topics;
        this.membership = new ClassicGroupManager(ctx, config, groups);
        this.offsetManager = new OffsetManager(ctx, config, groups, offsets, pendingTxnOffsets, membership);
        this.txnOffsetManager = new TxnOffsetManager(ctx, config, groups, offsets, pendingTxnOffsets);
        groups.setRemovalListener(membership::cancelTimers);
        this.consumerManager = new ConsumerGroupManager(
                ctx,
                config,
                consumerGroups,
                topics,
                new GroupConversions(ctx, config, groups, membership),
                GroupLags.of(endOffsets, offsets));
        groups.setConsumerGroups(new GroupStore.ConsumerGroups() {
            @Override
            public boolean contains(String groupId) {
                return consumerGroups.contains(groupId);
            }

            @Override
            public Errors validateOffsetCommit(String groupId, String memberId, int memberEpoch, String instanceId) {
                return consumerManager.offsetChecks().validateOffsetCommit(groupId, memberId, memberEpoch, instanceId);
            }

            @Override
            public Errors validateOffsetFetch(String groupId, String memberId, int memberEpoch) {
                return consumerManager.offsetChecks().validateOffsetFetch(groupId, memberId, memberEpoch);
            }

            @Override
            public boolean usesClassicProtocol(String groupId, String memberId) {
                return consumerManager.offsetChecks().usesClassicProtocol(groupId, memberId);
            }

            @Override
            public void committed(String groupId, String memberId) {
                consumerManager.offsetChecks().classicMemberCommitted(groupId, memberId);
            }
        });
    }

    public ConsumerGroupManager consumerGroups() {
        return consumerManager;
    }

    /**
     * Where a classic request (JoinGroup and the rest) goes when a consumer group holds the id:
     * to its classic members (JoinGroup: only a non-empty one). A JoinGroup for an empty consumer
     * group turns it back into a classic group, offsets kept, as Kafka does.
     */
    public boolean routeToConsumerGroup(String groupId, boolean join) {
        if (consumerManager.classicMembers().handles(groupId, join)) {
            return true;
        }
        if (join && consumerGroups.contains(groupId)) {
            ctx.append(consumerManager.tombstone(groupId));
        }
        return false;
    }

    public void consumerGroupHeartbeat(
            RequestContext rc,
            ConsumerGroupHeartbeatRequestData req,
            CompletableFuture<ConsumerGroupHeartbeatResponseData> out) {
        consumerManager.heartbeat(rc, req, out);
    }

    public void consumerGroupDescribe(
            RequestContext rc,
            ConsumerGroupDescribeRequestData req,
            CompletableFuture<ConsumerGroupDescribeResponseData> out) {
        ConsumerGroupDescribeResponseData resp = new ConsumerGroupDescribeResponseData();
        for (String groupId : req.groupIds) {
            boolean classic = groupId != null && groups.get(groupId) != null;
            resp.groups.add(ConsumerGroupDescriber.describe(consumerGroups, groupId, classic, topics.get()));
        }
        ctx.respond(out, resp);
    }

    public ClassicGroupManager membership() {
        return membership;
    }

    public OffsetManager offsets() {
        return offsetManager;
    }

    public TxnOffsetManager txnOffsets() {
        return txnOffsetManager;
    }

    /** Read-only view for tests and tools. */
    public GroupStore groups() {
        return groups;
    }

    public OffsetStore offsetStore() {
        return offsets;
    }

    public PendingTxnOffsets pendingTxnOffsets() {
        return pendingTxnOffsets;
    }

    // ---- CoordinatorShard

    @Override
    public void replay(CoordinatorRecord record, boolean loading) {
        RecordCodec.Key key = RecordCodec.decodeKey(record.key());
        long seq = replaySeq++;
        if (key instanceof RecordCodec.OffsetKey k) {
            if (record.value() == null) {
                offsets.replay(k.groupId(), k.topic(), k.partition(), null, seq);
                pendingTxnOffsets.removePartition(new OffsetStore.PartitionKey(k.groupId(), k.topic(), k.partition()));
            } else {
                offsets.replay(
                        k.groupId(), k.topic(), k.partition(), RecordCodec.decodeOffsetValue(record.value()), seq);
                groups.ensureOffsetsOwner(k.groupId(), ctx.nowMs());
            }
        } else if (key instanceof RecordCodec.GroupKey k) {
            groups.replay(k.groupId(), record.value(), record, loading, ctx.nowMs());
        } else if (key instanceof RecordCodec.ConsumerGroupKey k) {
            consumerGroups.replay(k.groupId(), record, loading);
        } else if (key instanceof RecordCodec.TxnOffsetKey k) {
            txnOffsetManager.replayOffset(k, RecordCodec.decodeTxnOffsetValue(record.value()), seq);
        } else if (key instanceof RecordCodec.TxnEndKey k) {
            txnOffsetManager.replayEnd(k.producerId(), RecordCodec.decodeTxnEndValue(record.value()));
        } else {
            LOG.warn("Skipping a coordinator record with unknown key type {}", ((RecordCodec.UnknownKey) key).type());
        }
    }

    @Override
    public void onLoaded() {
        for (ClassicGroup g : new ArrayList<>(groups.all())) {
            membership.onGroupLoaded(g);
        }
        consumerManager.onLoaded();
        scheduleExpiry();
        LOG.info(
                "Group coordinator loaded {} groups, {} committed offsets and {} pending transactional offsets",
                groups.all().size(),
                offsets.size(),
                pendingTxnOffsets.size());
    }

    @Override
    public List<CoordinatorRecord> snapshot() {
        List<CoordinatorRecord> out = groups.persistedRecords();
        out.addAll(consumerGroups.persistedRecords());
        out.addAll(pendingTxnOffsets.endedRecords());
        // Committed and pending offsets keep their relative order, which decides whether a
        // transaction's commit replaces a partition's committed offset.
        List<OffsetStore.SequencedRecord> offsetRecords = offsets.records();
        offsetRecords.addAll(pendingTxnOffsets.records());
        offsetRecords.sort(Comparator.comparingLong(OffsetStore.SequencedRecord::seq));
        offsetRecords.forEach(r -> out.add(r.record()));
        return out;
    }

    @Override
    public int liveRecordCount() {
        return groups.persistedCount()
                + consumerGroups.persistedCount()
                + offsets.size()
                + pendingTxnOffsets.size()
                + pendingTxnOffsets.endedCount();
    }

    // ---- offsets expiry (offsets.retention.check.interval.ms)

    private void scheduleExpiry() {
        ctx.schedule(EXPIRY_KEY, config.offsetsRetentionCheckIntervalMs(), () -> {
            expireOffsetsAndGroups();
            scheduleExpiry();
        });
    }

    /** Expires old offsets, then deletes groups left empty with no offsets. */
    public void expireOffsetsAndGroups() {
        long nowMs = ctx.nowMs();
        for (ClassicGroup g : new ArrayList<>(groups.all())) {
            boolean noOffsetsLeft = offsetManager.expireOffsets(g, nowMs);
            if (noOffsetsLeft && g.isInState(ClassicGroupState.EMPTY) && g.numPendingJoinMembers() == 0) {
                LOG.info("Deleting group {}: empty and without committed offsets", g.groupId());
                ctx.append(RecordCodec.groupTombstone(g.groupId()));
            }
        }
        for (ConsumerGroup g : new ArrayList<>(consumerGroups.all())) {
            boolean noOffsetsLeft =
                    offsetManager.expireConsumerGroupOffsets(g.groupId(), g::isSubscribedToTopic, nowMs);
            if (noOffsetsLeft && g.isEmpty()) {
                LOG.info("Deleting consumer group {}: empty and without committed offsets", g.groupId());
                ctx.append(consumerManager.tombstone(g.groupId()));
            }
        }
    }

    public void onTopicsDeleted(Set<String> topics, CompletableFuture<Void> out) {
        offsetManager.onTopicsDeleted(topics);
        ctx.respond(out, null);
    }

    // ---- DescribeGroups

    public void describeGroups(
            RequestContext rc, DescribeGroupsRequestData req, CompletableFuture<DescribeGroupsResponseData> out) {
        DescribeGroupsResponseData resp = new DescribeGroupsResponseData();
        for (String groupId : req.groups) {
            resp.groups.add(describe(rc, groupId));
        }
        ctx.respond(out, resp);
    }

    private DescribeGroupsResponseData.DescribedGroup describe(RequestContext rc, String groupId) {
        DescribeGroupsResponseData.DescribedGroup d =
                new DescribeGroupsResponseData.DescribedGroup().setGroupId(groupId);
        if (groupId == null || groupId.isEmpty()) {
            return d.setErrorCode(Errors.INVALID_GROUP_ID.code());
        }
        ClassicGroup g = groups.get(groupId);
        if (g == null) {
            if (rc.apiVersion() >= 6) {
                String message = consumerGroups.contains(groupId)
                        ? "Group " + groupId + " is not a classic group."
                        : "Group " + groupId + " not found.";
                return d.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                        .setErrorMessage(message)
                        .setGroupState(ClassicGroupState.DEAD.toString());
            }
            return d.setGroupState(ClassicGroupState.DEAD.toString());
        }
        d.setGroupState(g.state().toString()).setProtocolType(g.protocolType() == null ? "" : g.protocolType());
        // The protocol, metadata and assignments are shown only once they are settled (Stable).
        boolean withData = g.isInState(ClassicGroupState.STABLE);
        if (withData) {
            d.setProtocolData(g.protocolName());
        }
        for (ClassicGroupMember m : g.allMembers()) {
            DescribeGroupsResponseData.DescribedGroupMember dm = new DescribeGroupsResponseData.DescribedGroupMember()
                    .setMemberId(m.memberId())
                    .setGroupInstanceId(m.groupInstanceId())
                    .setClientId(m.clientId())
                    .setClientHost(m.clientHost());
            if (withData) {
                byte[] md = m.metadata(g.protocolName());
                dm.setMemberMetadata(md == null ? new byte[0] : md).setMemberAssignment(m.assignment());
            }
            d.members.add(dm);
        }
        return d;
    }

    // ---- ListGroups

    public void listGroups(
            RequestContext rc, ListGroupsRequestData req, CompletableFuture<ListGroupsResponseData> out) {
        Set<String> states = new HashSet<>();
        if (rc.apiVersion() >= 4 && req.statesFilter != null) {
            req.statesFilter.forEach(s -> states.add(s.trim().toLowerCase(Locale.ROOT)));
        }
        Set<String> types = new HashSet<>();
        if (rc.apiVersion() >= 5 && req.typesFilter != null) {
            req.typesFilter.forEach(s -> types.add(s.trim().toLowerCase(Locale.ROOT)));
        }
        ListGroupsResponseData resp = new ListGroupsResponseData();
        if (types.isEmpty() || types.contains(GROUP_TYPE_CONSUMER)) {
            for (ConsumerGroup g : consumerGroups.all()) {
                String state = g.state();
                if (!states.isEmpty() && !states.contains(state.toLowerCase(Locale.ROOT))) {
                    continue;
                }
                resp.groups.add(new ListGroupsResponseData.ListedGroup()
                        .setGroupId(g.groupId())
                        .setProtocolType(ClassicGroup.CONSUMER_PROTOCOL_TYPE)
                        .setGroupState(state)
                        .setGroupType(GROUP_TYPE_CONSUMER));
            }
        }
        if (!types.isEmpty() && !types.contains(GROUP_TYPE_CLASSIC)) {
            ctx.respond(out, resp);
            return;
        }
        for (ClassicGroup g : groups.all()) {
            if (g.isInState(ClassicGroupState.DEAD)) {
                continue;
            }
            String state = g.state().toString();
            if (!states.isEmpty() && !states.contains(state.toLowerCase(Locale.ROOT))) {
                continue;
            }
            resp.groups.add(new ListGroupsResponseData.ListedGroup()
                    .setGroupId(g.groupId())
                    .setProtocolType(g.protocolType() == null ? "" : g.protocolType())
                    .setGroupState(state)
                    .setGroupType(GROUP_TYPE_CLASSIC));
        }
        ctx.respond(out, resp);
    }

    // ---- DeleteGroups

    public void deleteGroups(
            RequestContext rc, DeleteGroupsRequestData req, CompletableFuture<DeleteGroupsResponseData> out) {
        DeleteGroupsResponseData resp = new DeleteGroupsResponseData();
        for (String groupId : req.groupsNames) {
            Errors error;
            ClassicGroup g = groupId == null || groupId.isEmpty() ? null : groups.get(groupId);
            ConsumerGroup cg = g == null ? consumerGroups.get(groupId) : null;
            if (groupId == null || groupId.isEmpty()) {
                error = Errors.INVALID_GROUP_ID;
            } else if (cg != null) {
                if (cg.isEmpty()) {
                    offsetManager.deleteAllOffsets(groupId);
                    ctx.append(consumerManager.tombstone(groupId));
                    error = Errors.NONE;
                } else {
                    error = Errors.NON_EMPTY_GROUP;
                }
            } else if (g == null || g.isInState(ClassicGroupState.DEAD)) {
                error = Errors.GROUP_ID_NOT_FOUND;
            } else if (!g.isInState(ClassicGroupState.EMPTY)) {
                error = Errors.NON_EMPTY_GROUP;
            } else {
                offsetManager.deleteAllOffsets(groupId);
                ctx.append(RecordCodec.groupTombstone(groupId));
                LOG.info("Deleted group {}", groupId);
                error = Errors.NONE;
            }
            resp.results.add(new DeleteGroupsResponseData.DeletableGroupResult()
                    .setGroupId(groupId)
                    .setErrorCode(error.code()));
        }
        ctx.respond(out, resp);
    }
}
