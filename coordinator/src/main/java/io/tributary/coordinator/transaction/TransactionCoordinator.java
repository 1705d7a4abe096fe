package io.tributary.coordinator.transaction;

import io.tributary.coordinator.RequestContext;
import io.tributary.coordinator.runtime.CoordinatorEventLoop;
import io.tributary.coordinator.runtime.CoordinatorException;
import io.tributary.coordinator.runtime.CoordinatorLog;
import io.tributary.coordinator.runtime.CoordinatorRuntime;
import io.tributary.coordinator.runtime.ThreadEventLoop;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.DescribeTransactionsResponseData;
import io.tributary.protocol.message.InitProducerIdResponseData;
import io.tributary.protocol.message.ListTransactionsRequestData;
import io.tributary.protocol.message.ListTransactionsResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The transaction coordinator's public face for the broker: one asynchronous method per API,
 * queued to the coordinator's event loop (the group coordinator's runtime, with its own log).
 * Each future completes once the records the call produced are durable and never fails: errors
 * come back as the API's error (an {@link Errors} for the APIs whose response is only an error
 * code). Authorization and topic existence are the broker's; the coordinator sees ids, producer
 * ids and partitions. Thread-safe.
 *
 * <p>Transaction version 1 (no KIP-890 part 2): the client adds partitions with
 * AddPartitionsToTxn and the epoch is bumped only by InitProducerId and by fencing. Produce
 * requests are checked against the coordinator in-process ({@link #verifyProduce}), as KIP-890
 * part 1 has the partition leader do.
 */
public final class TransactionCoordinator implements AutoCloseable {
    private final CoordinatorRuntime runtime;
    private final TransactionCoordinatorConfig config;
    private final CoordinatorEventLoop ownedLoop;
    private final Map<String, TransactionMetadata> view = new ConcurrentHashMap<>();
    private volatile TransactionCoordinatorShard shard;

    /** A coordinator on the caller's event loop (tests pass a ManualEventLoop); the caller closes the loop. */
    public TransactionCoordinator(
            TransactionCoordinatorConfig config,
            CoordinatorLog log,
            CoordinatorEventLoop loop,
            ProducerIdAllocator producerIds,
            TransactionMarkerWriter markers) {
        this(config, log, loop, producerIds, markers, false);
    }

    /** A coordinator on its own thread ("transaction-coordinator"), stopped by {@link #close()}. */
    public static TransactionCoordinator withOwnThread(
            TransactionCoordinatorConfig config,
            CoordinatorLog log,
            ProducerIdAllocator producerIds,
            TransactionMarkerWriter markers) {
        return new TransactionCoordinator(
                config, log, new ThreadEventLoop("transaction-coordinator"), producerIds, markers, true);
    }

    private TransactionCoordinator(
            TransactionCoordinatorConfig config,
            CoordinatorLog log,
            CoordinatorEventLoop loop,
            ProducerIdAllocator producerIds,
            TransactionMarkerWriter markers,
            boolean ownsLoop) {
        this.config = config;
        this.ownedLoop = ownsLoop ? loop : null;
        this.runtime = new CoordinatorRuntime(
                loop,
                log,
                ctx -> {
                    shard = new TransactionCoordinatorShard(ctx, config, producerIds, markers, this::later, view);
                    return shard;
                },
                config.snapshotMinRecords());
    }

    /** Replays the log (and rewrites the markers of transactions found preparing); completes when serving. */
    public CompletableFuture<Void> start() {
        return runtime.start();
    }

    public TransactionCoordinatorConfig config() {
        return config;
    }

    private void later(String name, Runnable op) {
        runtime.<Void>submit(name, out -> {
            op.run();
            runtime.respond(out, null);
        });
    }

    // ---- APIs

    /** InitProducerId with a transactional id; expected id/epoch are -1 unless the client resumes (KIP-360). */
    public CompletableFuture<InitProducerIdResponseData> initProducerId(
            RequestContext ctx, String transactionalId, int timeoutMs, long producerId, short producerEpoch) {
        return call(
                "InitProducerId",
                (CompletableFuture<InitProducerIdResponseData> out) ->
                        shard.initProducerId(transactionalId, timeoutMs, producerId, producerEpoch, out),
                e -> new InitProducerIdResponseData()
                        .setErrorCode(e.code())
                        .setProducerId(-1L)
                        .setProducerEpoch((short) -1));
    }

    /** AddPartitionsToTxn (client versions): one error for all the partitions. */
    public CompletableFuture<Errors> addPartitionsToTxn(
            RequestContext ctx, String transactionalId, long producerId, short epoch, Set<TxnPartition> partitions) {
        Set<TxnPartition> copy = Set.copyOf(partitions);
        return call(
                "AddPartitionsToTxn",
                (CompletableFuture<Errors> out) -> shard.addPartitions(transactionalId, producerId, epoch, copy, out),
                e -> e);
    }

    /** AddOffsetsToTxn: adds the group's {@code __consumer_offsets} partition to the transaction. */
    public CompletableFuture<Errors> addOffsetsToTxn(
            RequestContext ctx, String transactionalId, long producerId, short epoch, String groupId) {
        return call(
                "AddOffsetsToTxn",
                (CompletableFuture<Errors> out) -> shard.addOffsets(transactionalId, producerId, epoch, groupId, out),
                e -> e);
    }

    /** EndTxn: answered once PrepareCommit/PrepareAbort is durable; the markers follow. */
    public CompletableFuture<Errors> endTxn(
            RequestContext ctx, String transactionalId, long producerId, short epoch, boolean commit) {
        return call(
                "EndTxn",
                (CompletableFuture<Errors> out) -> shard.endTxn(transactionalId, producerId, epoch, commit, out),
                e -> e);
    }

    /** DescribeTransactions of ids the broker already authorized (others it answers itself). */
    public CompletableFuture<List<DescribeTransactionsResponseData.TransactionState>> describeTransactions(
            RequestContext ctx, List<String> transactionalIds) {
        List<String> ids = List.copyOf(transactionalIds);
        return call(
                "DescribeTransactions",
                (CompletableFuture<List<DescribeTransactionsResponseData.TransactionState>> out) -> {
                    List<DescribeTransactionsResponseData.TransactionState> states = new ArrayList<>();
                    for (String id : ids) {
                        states.add(TransactionAdmin.describe(id, shard.get(id)));
                    }
                    out.complete(states);
                },
                e -> {
                    List<DescribeTransactionsResponseData.TransactionState> states = new ArrayList<>();
                    for (String id : ids) {
                        states.add(new DescribeTransactionsResponseData.TransactionState()
                                .setTransactionalId(id)
                                .setErrorCode(e.code()));
                    }
                    return states;
                });
    }

    /** ListTransactions with its filters; the broker drops the ids the caller may not describe. */
    public CompletableFuture<ListTransactionsResponseData> listTransactions(
            RequestContext ctx, ListTransactionsRequestData req) {
        return call(
                "ListTransactions",
                (CompletableFuture<ListTransactionsResponseData> out) -> out.complete(
                        TransactionAdmin.list(new ArrayList<>(shard.all()), req, ctx.apiVersion(), runtime.nowMs())),
                e -> new ListTransactionsResponseData().setErrorCode(e.code()));
    }

    /**
     * Whether a transactional Produce to a partition may be written (KIP-890 part 1, in-process):
     * the producer id and epoch must be the transactional id's current ones and the partition
     * part of its open transaction. Reads a thread-safe view; callable from any thread.
     * INVALID_PRODUCER_ID_MAPPING for an unknown id or another producer id, INVALID_PRODUCER_EPOCH
     * for another epoch (a fenced zombie), INVALID_TXN_STATE when the partition was not added.
     */
    public Errors verifyProduce(String transactionalId, long producerId, short epoch, String topic, int partition) {
        TransactionMetadata m = view.get(transactionalId);
        if (m == null || m.producerId() != producerId) {
            return Errors.INVALID_PRODUCER_ID_MAPPING;
        }
        if (m.producerEpoch() != epoch) {
            return Errors.INVALID_PRODUCER_EPOCH;
        }
        if (m.state() != TransactionState.ONGOING || !m.partitions().contains(new TxnPartition(topic, partition))) {
            return Errors.INVALID_TXN_STATE;
        }
        return Errors.NONE;
    }

    /** The current metadata of an id (a thread-safe snapshot; null if unknown). For tests and tools. */
    public TransactionMetadata metadata(String transactionalId) {
        return view.get(transactionalId);
    }

    // ---- plumbing

    private interface Op<T> {
        void run(CompletableFuture<T> out);
    }

    private <T> CompletableFuture<T> call(String name, Op<T> op, Function<Errors, T> errorResponse) {
        return runtime.<T>submit(name, out -> {
                    try {
                        op.run(out);
                    } catch (CoordinatorException e) {
                        // Answered after the records emitted so far are durable (a fence before
                        // CONCURRENT_TRANSACTIONS), like any other response.
                        runtime.respond(out, errorResponse.apply(e.error()));
                    }
                })
                .exceptionally(t -> errorResponse.apply(CoordinatorException.errorOf(t)));
    }

    /** Test hook: the state machine (only touch it on the event loop thread). */
    TransactionCoordinatorShard shard() {
        return shard;
    }

    /** Operations that threw instead of answering (should stay 0). */
    public long failedOperations() {
        return runtime.failedOperations();
    }

    /** Answers every waiting request with NOT_COORDINATOR and stops (closing the loop only if it owns it). */
    @Override
    public void close() {
        runtime.close();
        if (ownedLoop != null) {
            ownedLoop.close();
        }
    }
}
