package io.tributary.coordinator.offset;

import io.tributary.coordinator.GroupCoordinatorConfig;
import io.tributary.coordinator.group.ClassicGroup;
import io.tributary.coordinator.group.ClassicGroupState;
import io.tributary.coordinator.group.GroupStore;
import io.tributary.coordinator.offset.OffsetStore.PartitionKey;
import io.tributary.coordinator.record.RecordCodec;
import io.tributary.coordinator.record.RecordCodec.OffsetValue;
import io.tributary.coordinator.runtime.ShardContext;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.TxnOffsetCommitRequestData;
import io.tributary.protocol.message.TxnOffsetCommitResponseData;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transactional offset commits (KIP-98, KIP-447): TxnOffsetCommit stores offsets pending under
 * the producer id; the end of the transaction (the transaction coordinator's COMMIT or ABORT
 * marker, {@link #complete}) makes them the committed offsets or drops them. Both steps are
 * records, so a replay of the log (after a crash or from a snapshot) reaches the same state.
 * Owned by the coordinator thread.
 */
public final class TxnOffsetManager {
    private static final Logger LOG = LoggerFactory.getLogger(TxnOffsetManager.class);

    private final ShardContext ctx;
    private final GroupCoordinatorConfig config;
    private final GroupStore groups;
    private final OffsetStore offsets;
    private final PendingTxnOffsets pending;

    public TxnOffsetManager(
            ShardContext ctx,
            GroupCoordinatorConfig config,
            GroupStore groups,
            OffsetStore offsets,
            PendingTxnOffsets pending) {
        this.ctx = ctx;
        this.config = config;
        this.groups = groups;
        this.offsets = offsets;
        this.pending = pending;
    }

    // ================================================================ TxnOffsetCommit

    public void commit(TxnOffsetCommitRequestData req, CompletableFuture<TxnOffsetCommitResponseData> out) {
        Errors groupError = validate(req);
        long nowMs = ctx.nowMs();
        ctx.respond(out, response(req, (t, p) -> {
            if (groupError != Errors.NONE) {
                return groupError;
            }
            if (p.committedMetadata != null && p.committedMetadata.length() > config.offsetMetadataMaxBytes()) {
                return Errors.OFFSET_METADATA_TOO_LARGE;
            }
            ctx.append(RecordCodec.txnOffsetCommit(
                    req.producerId,
                    req.groupId,
                    t.name,
                    p.partitionIndex,
                    new RecordCodec.TxnOffsetValue(
                            req.producerEpoch,
                            new OffsetValue(
                                    p.committedOffset,
                                    p.committedLeaderEpoch,
                                    p.committedMetadata == null ? "" : p.committedMetadata,
                                    nowMs,
                                    -1))));
            return Errors.NONE;
        }));
    }

    /** The TxnOffsetCommit response: every requested partition, in request order, with its outcome. */
    public static TxnOffsetCommitResponseData response(
            TxnOffsetCommitRequestData req,
            BiFunction<
                            TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic,
                            TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition,
                            Errors>
                    outcome) {
        TxnOffsetCommitResponseData resp = new TxnOffsetCommitResponseData();
        for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic t : req.topics) {
            TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic rt =
                    new TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic().setName(t.name);
            for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition p : t.partitions) {
                rt.partitions.add(new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition()
                        .setPartitionIndex(p.partitionIndex)
                        .setErrorCode(outcome.apply(t, p).code()));
            }
            resp.topics.add(rt);
        }
        return resp;
    }

    /**
     * Kafka's rules: an unknown group is created (as a "simple" group) for generation -1 and is
     * ILLEGAL_GENERATION otherwise; a member id, generation or instance id given (v3+) must match
     * the classic group (KIP-447 fencing of zombie members). Unlike OffsetCommit, a request without
     * them is taken from a group with members (older clients send none) and the group's state is
     * not checked (no REBALANCE_IN_PROGRESS).
     */
    private Errors validate(TxnOffsetCommitRequestData req) {
        if (req.groupId == null || req.groupId.isEmpty()) {
            return Errors.INVALID_GROUP_ID;
        }
        if (req.producerEpoch < pending.minEpoch(req.producerId)) {
            // Kafka's group coordinator log refuses a write from an older epoch of the producer
            // than its last write or transaction marker: a zombie fenced by a newer instance.
            return Errors.INVALID_PRODUCER_EPOCH;
        }
        Errors consumerCheck = groups.consumerGroups()
                .validateOffsetCommit(req.groupId, req.memberId, req.generationId, req.groupInstanceId);
        if (consumerCheck != null) {
            return consumerCheck;
        }
        ClassicGroup group = groups.get(req.groupId);
        if (group == null) {
            if (req.generationId < 0) {
                groups.create(req.groupId, ctx.nowMs());
                return Errors.NONE;
            }
            return Errors.ILLEGAL_GENERATION;
        }
        if (group.isInState(ClassicGroupState.DEAD)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (req.generationId < 0 && group.isInState(ClassicGroupState.EMPTY)) {
            return Errors.NONE;
        }
        String memberId = req.memberId == null ? "" : req.memberId;
        if (req.generationId >= 0 || !memberId.isEmpty() || req.groupInstanceId != null) {
            return group.validateMemberAndGeneration(memberId, req.groupInstanceId, req.generationId);
        }
        return Errors.NONE;
    }

    // ================================================================ end of a transaction

    /**
     * The transaction of {@code producerId} ended: its pending offsets become the committed ones
     * (commit) or vanish (abort). Idempotent: without pending offsets (already completed, or none
     * ever committed) nothing is written. A marker from an older epoch than the pending offsets'
     * belongs to an earlier transaction and is ignored.
     */
    public void complete(long producerId, short producerEpoch, boolean commit, CompletableFuture<Void> out) {
        PendingTxnOffsets.Txn open = pending.get(producerId);
        if (open == null) {
            LOG.debug("No pending offsets of producer {} to {}", producerId, commit ? "commit" : "abort");
        } else if (producerEpoch < open.epoch()) {
            LOG.info(
                    "Ignoring the {} of producer {} at epoch {}: its pending offsets are from epoch {}",
                    commit ? "commit" : "abort",
                    producerId,
                    producerEpoch,
                    open.epoch());
        } else {
            ctx.append(RecordCodec.txnEnd(producerId, new RecordCodec.TxnEndValue(producerEpoch, commit)));
        }
        ctx.respond(out, null);
    }

    // ================================================================ replay

    public void replayOffset(RecordCodec.TxnOffsetKey k, RecordCodec.TxnOffsetValue v, long seq) {
        ensureGroup(k.groupId());
        pending.add(
                k.producerId(),
                v.producerEpoch(),
                new PartitionKey(k.groupId(), k.topic(), k.partition()),
                v.offset(),
                seq);
    }

    /**
     * A transaction's end. On commit, each pending offset replaces the committed one unless that
     * was written later (a plain OffsetCommit after the TxnOffsetCommit wins, as in Kafka).
     */
    public void replayEnd(long producerId, RecordCodec.TxnEndValue v) {
        PendingTxnOffsets.Txn open = pending.get(producerId);
        pending.ended(producerId, v.producerEpoch());
        if (open == null || v.producerEpoch() < open.epoch()) {
            return;
        }
        pending.remove(producerId);
        if (!v.committed()) {
            return;
        }
        for (Map.Entry<PartitionKey, PendingTxnOffsets.Pending> e :
                open.offsets().entrySet()) {
            PartitionKey k = e.getKey();
            PendingTxnOffsets.Pending p = e.getValue();
            if (offsets.get(k.groupId(), k.topic(), k.partition()) == null
                    || p.seq() > offsets.sequence(k.groupId(), k.topic(), k.partition())) {
                ensureGroup(k.groupId());
                offsets.replay(k.groupId(), k.topic(), k.partition(), p.value(), p.seq());
            }
        }
    }

    private void ensureGroup(String groupId) {
        groups.ensureOffsetsOwner(groupId, ctx.nowMs());
    }
}
