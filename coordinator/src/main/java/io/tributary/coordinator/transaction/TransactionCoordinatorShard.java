package io.tributary.coordinator.transaction;

import io.tributary.coordinator.runtime.CoordinatorException;
import io.tributary.coordinator.runtime.CoordinatorRecord;
import io.tributary.coordinator.runtime.CoordinatorShard;
import io.tributary.coordinator.runtime.ShardContext;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.InitProducerIdResponseData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction coordinator's state machine: one {@link TransactionMetadata} per transactional
 * id, changed only by emitting a record that replay applies (so the state always equals the
 * replay of the log). Ending a transaction is three steps, as in Kafka: the PrepareCommit or
 * PrepareAbort record; once it is durable, the markers (through the {@link
 * TransactionMarkerWriter}, off the coordinator thread); then, in a new operation, the
 * CompleteCommit/CompleteAbort record. A transaction replayed in a prepare state gets its markers
 * written again at load, so a crash between the prepare record and the markers loses nothing.
 * Owned by the coordinator thread, except the read-only {@code view} that Produce verification
 * reads from other threads.
 */
public final class TransactionCoordinatorShard implements CoordinatorShard {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionCoordinatorShard.class);
    static final String ABORT_TIMER = "txn-abort-timed-out";
    static final String EXPIRY_TIMER = "txn-expire-ids";
    /** Markers are written once per transaction end; one coordinator epoch is enough on one node. */
    static final int COORDINATOR_EPOCH = 0;

    private final ShardContext ctx;
    private final TransactionCoordinatorConfig config;
    private final ProducerIdAllocator producerIds;
    private final TransactionMarkerWriter markers;
    private final BiConsumer<String, Runnable> submit;
    private final Map<String, TransactionMetadata> txns = new HashMap<>();
    private final Map<String, TransactionMetadata> view;

    /**
     * @param submit runs a named operation on the coordinator thread later (marker completions)
     * @param view a thread-safe map this shard keeps equal to its state, for readers on other threads
     */
    public TransactionCoordinatorShard(
            ShardContext ctx,
            TransactionCoordinatorConfig config,
            ProducerIdAllocator producerIds,
            TransactionMarkerWriter markers,
            BiConsumer<String, Runnable> submit,
            Map<String, TransactionMetadata> view) {
        this.ctx = ctx;
        this.config = config;
        this.producerIds = producerIds;
        this.markers = markers;
        this.submit = submit;
        this.view = view;
        view.clear();
    }

    public TransactionMetadata get(String transactionalId) {
        return txns.get(transactionalId);
    }

    public Collection<TransactionMetadata> all() {
        return txns.values();
    }

    // ---- CoordinatorShard

    @Override
    public void replay(CoordinatorRecord record, boolean loading) {
        String id = TransactionRecords.decodeKey(record.key());
        if (id == null) {
            LOG.warn("Skipping a transaction coordinator record with an unknown key type");
            return;
        }
        if (record.isTombstone()) {
            txns.remove(id);
            view.remove(id);
        } else {
            TransactionMetadata m = TransactionRecords.decodeValue(id, record.value());
            txns.put(id, m);
            view.put(id, m);
        }
    }

    @Override
    public void onLoaded() {
        int preparing = 0;
        for (TransactionMetadata m : new ArrayList<>(txns.values())) {
            if (m.state().isPreparing()) {
                // The broker stopped between the prepare record and the Complete one: the markers
                // may be missing from some partitions, and writing one twice is harmless.
                preparing++;
                writeMarkers(m);
            }
        }
        scheduleAbortCheck();
        scheduleExpiry();
        LOG.info("Transaction coordinator loaded {} transactional ids ({} completing)", txns.size(), preparing);
    }

    @Override
    public List<CoordinatorRecord> snapshot() {
        List<CoordinatorRecord> out = new ArrayList<>(txns.size());
        txns.values().forEach(m -> out.add(TransactionRecords.record(m)));
        return out;
    }

    @Override
    public int liveRecordCount() {
        return txns.size();
    }

    // ---- InitProducerId

    public void initProducerId(
            String transactionalId,
            int timeoutMs,
            long expectedProducerId,
            short expectedEpoch,
            CompletableFuture<InitProducerIdResponseData> out) {
        if (transactionalId == null || transactionalId.isEmpty()) {
            throw new CoordinatorException(Errors.INVALID_REQUEST, "empty transactional id");
        }
        if (timeoutMs <= 0 || timeoutMs > config.maxTimeoutMs()) {
            throw new CoordinatorException(Errors.INVALID_TRANSACTION_TIMEOUT, "timeout " + timeoutMs);
        }
        long now = ctx.nowMs();
        TransactionMetadata m = txns.get(transactionalId);
        if (m == null) {
            m = new TransactionMetadata(
                    transactionalId,
                    producerIds.nextProducerId(),
                    -1L,
                    TransactionMetadata.NO_PRODUCER_EPOCH,
                    TransactionMetadata.NO_PRODUCER_EPOCH,
                    timeoutMs,
                    TransactionState.EMPTY,
                    new TreeSet<>(),
                    -1L,
                    now);
        }
        boolean expected = expectedProducerId >= 0;
        if (expected && !isValidProducerId(m, expectedProducerId, expectedEpoch)) {
            throw new CoordinatorException(Errors.PRODUCER_FENCED, "producer id " + expectedProducerId + " is stale");
        }
        switch (m.state()) {
            case PREPARE_COMMIT, PREPARE_ABORT, PREPARE_EPOCH_FENCE, DEAD ->
                throw new CoordinatorException(
                        Errors.CONCURRENT_TRANSACTIONS, "the previous transaction is completing");
            case ONGOING -> {
                // Kafka fences the old producer by bumping the epoch and aborting its transaction;
                // the new one retries (CONCURRENT_TRANSACTIONS) until the abort completes.
                fenceAndAbort(m, now);
                throw new CoordinatorException(Errors.CONCURRENT_TRANSACTIONS, "aborting the open transaction");
            }
            default -> {
                /* Empty, CompleteCommit, CompleteAbort: bump below. */
            }
        }
        long pid = m.producerId();
        short epoch;
        short lastEpoch;
        if (expected && expectedProducerId == m.previousProducerId() && expectedProducerId != m.producerId()) {
            // A retry after an epoch exhaustion that gave a new producer id: answer the current one.
            epoch = m.producerEpoch();
            lastEpoch = m.lastProducerEpoch();
        } else if (expected && expectedEpoch >= 0 && m.producerEpoch() >= 0 && expectedEpoch != m.producerEpoch()) {
            if (expectedEpoch != m.lastProducerEpoch()) {
                throw new CoordinatorException(Errors.PRODUCER_FENCED, "epoch " + expectedEpoch + " is stale");
            }
            // The producer never saw our last bump: give it the same answer again.
            epoch = m.producerEpoch();
            lastEpoch = m.lastProducerEpoch();
        } else if (m.isEpochExhausted()) {
            pid = producerIds.nextProducerId();
            epoch = 0;
            lastEpoch = TransactionMetadata.NO_PRODUCER_EPOCH;
        } else {
            epoch = (short) (m.producerEpoch() + 1);
            lastEpoch = m.producerEpoch();
        }
        TransactionMetadata next =
                m.transitionTo(TransactionState.EMPTY, pid, epoch, lastEpoch, timeoutMs, Set.of(), -1L, now);
        ctx.append(TransactionRecords.record(next));
        LOG.info("Transactional id {}: producer id {} epoch {}", transactionalId, pid, epoch);
        ctx.respond(
                out,
                new InitProducerIdResponseData()
                        .setErrorCode(Errors.NONE.code())
                        .setProducerId(pid)
                        .setProducerEpoch(epoch));
    }

    // Kafka's rules (KIP-360): a given id is valid if the metadata is new, is that id, or is the
    // previous id with an exhausted epoch (a retry after the coordinator moved to a new id).
    private static boolean isValidProducerId(TransactionMetadata m, long producerId, short epoch) {
        return m.producerEpoch() == TransactionMetadata.NO_PRODUCER_EPOCH
                || producerId == m.producerId()
                || (producerId == m.previousProducerId() && TransactionMetadata.isEpochExhausted(epoch));
    }

    // ---- AddPartitionsToTxn / AddOffsetsToTxn

    public void addPartitions(
            String transactionalId,
            long producerId,
            short epoch,
            Set<TxnPartition> partitions,
            CompletableFuture<Errors> out) {
        TransactionMetadata m = checkProducer(transactionalId, producerId, epoch);
        if (m.state().isPreparing() || m.state() == TransactionState.PREPARE_EPOCH_FENCE) {
            throw new CoordinatorException(Errors.CONCURRENT_TRANSACTIONS, "the previous transaction is completing");
        }
        if (m.state() == TransactionState.ONGOING && m.partitions().containsAll(partitions)) {
            ctx.respond(out, Errors.NONE);
            return;
        }
        long now = ctx.nowMs();
        Set<TxnPartition> all = new TreeSet<>(m.partitions());
        all.addAll(partitions);
        long start = m.state() == TransactionState.ONGOING ? m.txnStartTimestampMs() : now;
        TransactionMetadata next = m.transitionTo(
                TransactionState.ONGOING,
                m.producerId(),
                m.producerEpoch(),
                m.lastProducerEpoch(),
                m.txnTimeoutMs(),
                all,
                start,
                now);
        ctx.append(TransactionRecords.record(next));
        ctx.respond(out, Errors.NONE);
    }

    public void addOffsets(
            String transactionalId, long producerId, short epoch, String groupId, CompletableFuture<Errors> out) {
        addPartitions(transactionalId, producerId, epoch, Set.of(config.offsetsPartitionFor(groupId)), out);
    }

    private TransactionMetadata checkProducer(String transactionalId, long producerId, short epoch) {
        if (transactionalId == null || transactionalId.isEmpty()) {
            throw new CoordinatorException(Errors.INVALID_REQUEST, "empty transactional id");
        }
        TransactionMetadata m = txns.get(transactionalId);
        if (m == null || m.producerId() != producerId) {
            throw new CoordinatorException(
                    Errors.INVALID_PRODUCER_ID_MAPPING, "producer id " + producerId + " is not " + transactionalId);
        }
        if (m.producerEpoch() != epoch) {
            throw new CoordinatorException(Errors.PRODUCER_FENCED, "epoch " + epoch + " is not current");
        }
        return m;
    }

    // ---- EndTxn

    public void endTxn(
            String transactionalId, long producerId, short epoch, boolean commit, CompletableFuture<Errors> out) {
        TransactionMetadata m = checkProducer(transactionalId, producerId, epoch);
        Errors error = switch (m.state()) {
            case ONGOING -> {
                prepareEnd(m, commit, ctx.nowMs());
                yield Errors.NONE;
            }
            case COMPLETE_COMMIT -> commit ? Errors.NONE : Errors.INVALID_TXN_STATE;
            case COMPLETE_ABORT -> commit ? Errors.INVALID_TXN_STATE : Errors.NONE;
            case PREPARE_COMMIT -> commit ? Errors.CONCURRENT_TRANSACTIONS : Errors.INVALID_TXN_STATE;
            case PREPARE_ABORT -> commit ? Errors.INVALID_TXN_STATE : Errors.CONCURRENT_TRANSACTIONS;
            case PREPARE_EPOCH_FENCE -> Errors.CONCURRENT_TRANSACTIONS;
            case EMPTY, DEAD -> Errors.INVALID_TXN_STATE;
        };
        ctx.respond(out, error);
    }

    private void prepareEnd(TransactionMetadata m, boolean commit, long now) {
        TransactionMetadata next = m.moveTo(
                commit ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT, m.partitions(), now);
        ctx.append(TransactionRecords.record(next));
        CompletableFuture<Void> durable = new CompletableFuture<>();
        ctx.respond(durable, null);
        durable.thenRun(() -> writeMarkers(next));
        LOG.debug(
                "Transactional id {}: {} of {} partitions",
                m.transactionalId(),
                next.state(),
                m.partitions().size());
    }

    /** Bumps the epoch (so the current producer is fenced) and aborts its open transaction. */
    private void fenceAndAbort(TransactionMetadata m, long now) {
        short bumped = m.isEpochExhausted() ? m.producerEpoch() : (short) (m.producerEpoch() + 1);
        TransactionMetadata fenced = m.transitionTo(
                TransactionState.PREPARE_EPOCH_FENCE,
                m.producerId(),
                bumped,
                TransactionMetadata.NO_PRODUCER_EPOCH,
                m.txnTimeoutMs(),
                m.partitions(),
                m.txnStartTimestampMs(),
                now);
        // PrepareEpochFence is a pending state in Kafka too: only the abort that follows is logged.
        prepareEnd(fenced, false, now);
    }

    // ---- markers (off the coordinator thread), then Complete*

    private void writeMarkers(TransactionMetadata m) {
        boolean commit = m.state() == TransactionState.PREPARE_COMMIT;
        CompletableFuture<Void> written;
        try {
            written = markers.write(m.producerId(), m.producerEpoch(), COORDINATOR_EPOCH, commit, m.partitions());
        } catch (RuntimeException e) {
            written = CompletableFuture.failedFuture(e);
        }
        written.whenComplete((v, t) -> submit.accept(
                "TxnMarkersWritten",
                () -> onMarkersWritten(m.transactionalId(), m.producerId(), m.producerEpoch(), commit, t)));
    }

    /** Runs on the coordinator thread once the markers of a prepared transaction are written (or failed). */
    void onMarkersWritten(String transactionalId, long producerId, short epoch, boolean commit, Throwable failure) {
        TransactionMetadata m = txns.get(transactionalId);
        TransactionState prepared = commit ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT;
        if (m == null || m.producerId() != producerId || m.producerEpoch() != epoch || m.state() != prepared) {
            return; // Completed already (a reload rewrote the markers too).
        }
        if (failure != null) {
            LOG.warn(
                    "Writing the {} markers of transactional id {} failed; retrying in {} ms: {}",
                    commit ? "COMMIT" : "ABORT",
                    transactionalId,
                    config.markerRetryBackoffMs(),
                    failure.toString());
            ctx.schedule("txn-markers-" + transactionalId, config.markerRetryBackoffMs(), () -> {
                TransactionMetadata now = txns.get(transactionalId);
                if (now == m) {
                    writeMarkers(m);
                }
            });
            return;
        }
        TransactionMetadata done = m.moveTo(
                commit ? TransactionState.COMPLETE_COMMIT : TransactionState.COMPLETE_ABORT, Set.of(), ctx.nowMs());
        ctx.append(TransactionRecords.record(done));
        LOG.debug("Transactional id {}: {}", transactionalId, done.state());
    }

    // ---- timers: abort timed-out transactions, expire idle transactional ids

    private void scheduleAbortCheck() {
        ctx.schedule(ABORT_TIMER, config.abortTimedOutCheckIntervalMs(), () -> {
            abortTimedOutTransactions();
            scheduleAbortCheck();
        });
    }

    private void scheduleExpiry() {
        ctx.schedule(EXPIRY_TIMER, config.removeExpiredCheckIntervalMs(), () -> {
            expireTransactionalIds();
            scheduleExpiry();
        });
    }

    /** Aborts, with an epoch bump that fences the producer, every transaction open past its timeout. */
    public void abortTimedOutTransactions() {
        long now = ctx.nowMs();
        for (TransactionMetadata m : new ArrayList<>(txns.values())) {
            if (m.state() == TransactionState.ONGOING && m.txnStartTimestampMs() + m.txnTimeoutMs() < now) {
                LOG.info(
                        "Aborting the transaction of {} (producer id {} epoch {}): open longer than {} ms",
                        m.transactionalId(),
                        m.producerId(),
                        m.producerEpoch(),
                        m.txnTimeoutMs());
                fenceAndAbort(m, now);
            }
        }
    }

    /** Forgets transactional ids idle for transactional.id.expiration.ms. */
    public void expireTransactionalIds() {
        long now = ctx.nowMs();
        for (TransactionMetadata m : new ArrayList<>(txns.values())) {
            if (m.state().isIdle() && m.txnLastUpdateTimestampMs() + config.transactionalIdExpirationMs() <= now) {
                if (!TransactionState.DEAD.canTransitionFrom(m.state())) {
                    continue;
                }
                LOG.info(
                        "Expiring transactional id {}: idle since {}",
                        m.transactionalId(),
                        m.txnLastUpdateTimestampMs());
                ctx.append(TransactionRecords.tombstone(m.transactionalId()));
            }
        }
    }
}
