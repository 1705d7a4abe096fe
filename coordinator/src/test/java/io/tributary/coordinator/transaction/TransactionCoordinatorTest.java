package io.tributary.coordinator.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.coordinator.RequestContext;
import io.tributary.coordinator.testing.InMemoryCoordinatorLog;
import io.tributary.coordinator.testing.ManualEventLoop;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.DescribeTransactionsResponseData;
import io.tributary.protocol.message.InitProducerIdResponseData;
import io.tributary.protocol.message.ListTransactionsRequestData;
import io.tributary.protocol.message.ListTransactionsResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, the transaction coordinator on a fake clock and an in-memory log: InitProducerId
 * (new id, epoch bump, KIP-360 resume, fencing an open transaction), AddPartitionsToTxn,
 * EndTxn with its prepare/markers/complete steps, Kafka's error codes for bad input, timeouts
 * that abort with an epoch bump, expiry of idle ids, and replay after a crash between the
 * prepare record and the markers.
 */
class TransactionCoordinatorTest {
    static final RequestContext RC = new RequestContext((short) 4, "client", "/127.0.0.1");
    static final TxnPartition A0 = new TxnPartition("a", 0);
    static final TxnPartition B1 = new TxnPartition("b", 1);

    /** A marker write the test completes (or fails) when it wants. */
    record MarkerCall(
            long producerId, short epoch, boolean commit, Set<TxnPartition> partitions, CompletableFuture<Void> done) {}

    final List<MarkerCall> markerCalls = new ArrayList<>();
    final AtomicLong nextPid = new AtomicLong(1000);
    final InMemoryCoordinatorLog log = new InMemoryCoordinatorLog();
    ManualEventLoop loop = new ManualEventLoop();
    TransactionCoordinatorConfig config = TransactionCoordinatorConfig.defaults();
    TransactionCoordinator coordinator;

    TransactionCoordinator start() {
        coordinator = new TransactionCoordinator(
                config, log, loop, nextPid::getAndIncrement, (pid, epoch, ce, commit, ps) -> {
                    CompletableFuture<Void> f = new CompletableFuture<>();
                    markerCalls.add(new MarkerCall(pid, epoch, commit, Set.copyOf(ps), f));
                    return f;
                });
        assertThat(coordinator.start()).isCompleted();
        return coordinator;
    }

    @AfterEach
    void tearDown() {
        if (coordinator != null) {
            // Handlers answer errors; an operation that threw would be a bug.
            assertThat(coordinator.failedOperations()).isZero();
            coordinator.close();
        }
        loop.close();
    }

    InitProducerIdResponseData init(String id, int timeoutMs) {
        return init(id, timeoutMs, -1, (short) -1);
    }

    InitProducerIdResponseData init(String id, int timeoutMs, long pid, short epoch) {
        CompletableFuture<InitProducerIdResponseData> f = coordinator.initProducerId(RC, id, timeoutMs, pid, epoch);
        assertThat(f).isCompleted();
        return f.join();
    }

    Errors add(String id, InitProducerIdResponseData p, TxnPartition... parts) {
        return coordinator
                .addPartitionsToTxn(RC, id, p.producerId, p.producerEpoch, Set.of(parts))
                .join();
    }

    Errors end(String id, long pid, short epoch, boolean commit) {
        return coordinator.endTxn(RC, id, pid, epoch, commit).join();
    }

    TransactionState state(String id) {
        return coordinator.metadata(id).state();
    }

    @Test
    void initProducerIdGivesANewIdAtEpochZeroThenBumpsTheEpoch() {
        start();
        InitProducerIdResponseData first = init("t", 60_000);
        assertThat(first.errorCode).isEqualTo(Errors.NONE.code());
        assertThat(first.producerId).isEqualTo(1000L);
        assertThat(first.producerEpoch).isEqualTo((short) 0);
        InitProducerIdResponseData second = init("t", 60_000);
        assertThat(second.producerId).isEqualTo(1000L);
        assertThat(second.producerEpoch).isEqualTo((short) 1);
        assertThat(init("other", 60_000).producerId).isEqualTo(1001L);
    }

    @Test
    void badInputGetsKafkasErrorCodes() {
        config = config.withMaxTimeoutMs(10_000);
        start();
        assertThat(init("t", 10_001).errorCode).isEqualTo(Errors.INVALID_TRANSACTION_TIMEOUT.code());
        assertThat(init("t", 0).errorCode).isEqualTo(Errors.INVALID_TRANSACTION_TIMEOUT.code());
        assertThat(init("", 1000).errorCode).isEqualTo(Errors.INVALID_REQUEST.code());
        // Unknown transactional id, wrong producer id, stale epoch, EndTxn with no transaction.
        InitProducerIdResponseData p = init("t", 10_000);
        assertThat(coordinator
                        .addPartitionsToTxn(RC, "nope", p.producerId, p.producerEpoch, Set.of(A0))
                        .join())
                .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
        assertThat(coordinator
                        .addPartitionsToTxn(RC, "t", p.producerId + 1, p.producerEpoch, Set.of(A0))
                        .join())
                .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
        assertThat(coordinator
                        .addPartitionsToTxn(RC, "t", p.producerId, (short) 7, Set.of(A0))
                        .join())
                .isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(end("t", p.producerId, p.producerEpoch, true)).isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(end("nope", p.producerId, p.producerEpoch, true)).isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
        assertThat(coordinator
                        .addOffsetsToTxn(RC, "t", p.producerId, (short) 9, "g")
                        .join())
                .isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(state("t")).isEqualTo(TransactionState.EMPTY);
        assertThat(markerCalls).isEmpty();
    }

    @Test
    void commitIsPreparedThenMarkersThenCompleteAndRetriesAreAnsweredAsKafkaDoes() {
        start();
        InitProducerIdResponseData p = init("t", 60_000);
        assertThat(add("t", p, A0)).isEqualTo(Errors.NONE);
        assertThat(add("t", p, A0, B1)).isEqualTo(Errors.NONE);
        assertThat(state("t")).isEqualTo(TransactionState.ONGOING);
        assertThat(coordinator.metadata("t").partitions()).containsExactly(A0, B1);
        assertThat(coordinator.verifyProduce("t", p.producerId, p.producerEpoch, "a", 0))
                .isEqualTo(Errors.NONE);
        assertThat(coordinator.verifyProduce("t", p.producerId, p.producerEpoch, "a", 1))
                .isEqualTo(Errors.INVALID_TXN_STATE);

        assertThat(end("t", p.producerId, p.producerEpoch, true)).isEqualTo(Errors.NONE);
        assertThat(state("t")).isEqualTo(TransactionState.PREPARE_COMMIT);
        assertThat(markerCalls).hasSize(1);
        MarkerCall call = markerCalls.get(0);
        assertThat(call.commit()).isTrue();
        assertThat(call.producerId()).isEqualTo(p.producerId);
        assertThat(call.epoch()).isEqualTo(p.producerEpoch);
        assertThat(call.partitions()).containsExactlyInAnyOrder(A0, B1);
        // While the markers are being written: retries and new work wait, the other outcome is refused.
        assertThat(end("t", p.producerId, p.producerEpoch, true)).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(end("t", p.producerId, p.producerEpoch, false)).isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(add("t", p, A0)).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(init("t", 60_000).errorCode).isEqualTo(Errors.CONCURRENT_TRANSACTIONS.code());
        assertThat(coordinator.verifyProduce("t", p.producerId, p.producerEpoch, "a", 0))
                .isEqualTo(Errors.INVALID_TXN_STATE);

        call.done().complete(null);
        assertThat(state("t")).isEqualTo(TransactionState.COMPLETE_COMMIT);
        assertThat(coordinator.metadata("t").partitions()).isEmpty();
        assertThat(end("t", p.producerId, p.producerEpoch, true)).isEqualTo(Errors.NONE);
        assertThat(end("t", p.producerId, p.producerEpoch, false)).isEqualTo(Errors.INVALID_TXN_STATE);
        // The next transaction starts from CompleteCommit.
        assertThat(add("t", p, B1)).isEqualTo(Errors.NONE);
        assertThat(end("t", p.producerId, p.producerEpoch, false)).isEqualTo(Errors.NONE);
        markerCalls.get(1).done().complete(null);
        assertThat(state("t")).isEqualTo(TransactionState.COMPLETE_ABORT);
        assertThat(markerCalls.get(1).commit()).isFalse();
    }

    @Test
    void aFailedMarkerWriteIsRetriedAfterTheBackoff() {
        start();
        InitProducerIdResponseData p = init("t", 60_000);
        add("t", p, A0);
        end("t", p.producerId, p.producerEpoch, true);
        markerCalls.get(0).done().completeExceptionally(new IllegalStateException("disk full"));
        assertThat(state("t")).isEqualTo(TransactionState.PREPARE_COMMIT);
        assertThat(markerCalls).hasSize(1);
        loop.sleep(config.markerRetryBackoffMs());
        assertThat(markerCalls).hasSize(2);
        markerCalls.get(1).done().complete(null);
        assertThat(state("t")).isEqualTo(TransactionState.COMPLETE_COMMIT);
    }

    @Test
    void aNewProducerFencesTheOldOneByAbortingItsOpenTransactionWithABumpedEpoch() {
        start();
        InitProducerIdResponseData zombie = init("t", 60_000);
        add("t", zombie, A0);
        InitProducerIdResponseData retry = init("t", 60_000);
        assertThat(retry.errorCode).isEqualTo(Errors.CONCURRENT_TRANSACTIONS.code());
        TransactionMetadata m = coordinator.metadata("t");
        assertThat(m.state()).isEqualTo(TransactionState.PREPARE_ABORT);
        assertThat(m.producerEpoch()).isEqualTo((short) 1);
        assertThat(markerCalls).singleElement().satisfies(c -> {
            assertThat(c.commit()).isFalse();
            assertThat(c.epoch()).isEqualTo((short) 1);
            assertThat(c.partitions()).containsExactly(A0);
        });
        // The zombie can neither produce nor end its transaction.
        assertThat(coordinator.verifyProduce("t", zombie.producerId, zombie.producerEpoch, "a", 0))
                .isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(end("t", zombie.producerId, zombie.producerEpoch, true)).isEqualTo(Errors.PRODUCER_FENCED);
        markerCalls.get(0).done().complete(null);
        InitProducerIdResponseData successor = init("t", 60_000);
        assertThat(successor.errorCode).isEqualTo(Errors.NONE.code());
        assertThat(successor.producerId).isEqualTo(zombie.producerId);
        assertThat(successor.producerEpoch).isEqualTo((short) 2);
        assertThat(add("t", zombie, A0)).isEqualTo(Errors.PRODUCER_FENCED);
    }

    @Test
    void kip360ResumeBumpsTheGivenEpochAndRefusesStaleOnes() {
        start();
        InitProducerIdResponseData p = init("t", 60_000);
        InitProducerIdResponseData resumed = init("t", 60_000, p.producerId, p.producerEpoch);
        assertThat(resumed.errorCode).isEqualTo(Errors.NONE.code());
        assertThat(resumed.producerEpoch).isEqualTo((short) 1);
        // A retry of that request (its answer was lost) gets the same answer, not another bump.
        InitProducerIdResponseData again = init("t", 60_000, p.producerId, p.producerEpoch);
        assertThat(again.producerEpoch).isEqualTo((short) 1);
        init("t", 60_000); // epoch 2: epoch 0 is now neither current nor last
        assertThat(init("t", 60_000, p.producerId, (short) 0).errorCode).isEqualTo(Errors.PRODUCER_FENCED.code());
        assertThat(init("t", 60_000, 4242L, (short) 2).errorCode).isEqualTo(Errors.PRODUCER_FENCED.code());
    }

    @Test
    void aTransactionOpenPastItsTimeoutIsAbortedAndItsProducerFenced() {
        start();
        InitProducerIdResponseData p = init("t", 5_000);
        add("t", p, A0);
        loop.sleep(config.abortTimedOutCheckIntervalMs());
        TransactionMetadata m = coordinator.metadata("t");
        assertThat(m.state()).isEqualTo(TransactionState.PREPARE_ABORT);
        assertThat(m.producerEpoch()).isEqualTo((short) 1);
        markerCalls.get(0).done().complete(null);
        assertThat(state("t")).isEqualTo(TransactionState.COMPLETE_ABORT);
        assertThat(end("t", p.producerId, p.producerEpoch, true)).isEqualTo(Errors.PRODUCER_FENCED);
        // A transaction still within its timeout is left alone.
        InitProducerIdResponseData q = init("u", 60_000);
        add("u", q, B1);
        loop.sleep(config.abortTimedOutCheckIntervalMs());
        assertThat(state("u")).isEqualTo(TransactionState.ONGOING);
    }

    @Test
    void idleTransactionalIdsExpireButOpenOnesDoNot() {
        config = config.withExpiration(60_000, 10_000);
        start();
        init("idle", 600_000);
        InitProducerIdResponseData busy = init("busy", 600_000);
        add("busy", busy, A0);
        loop.sleep(70_000);
        assertThat(coordinator.metadata("idle")).isNull();
        assertThat(state("busy")).isEqualTo(TransactionState.ONGOING);
        // The id starts over with a new producer id.
        assertThat(init("idle", 600_000).producerId).isGreaterThan(busy.producerId);
    }

    @Test
    void aRestartBetweenThePrepareRecordAndTheMarkersWritesTheMarkersAgain() {
        start();
        InitProducerIdResponseData p = init("t", 60_000);
        add("t", p, A0, B1);
        end("t", p.producerId, p.producerEpoch, true);
        assertThat(markerCalls).hasSize(1); // never completes: the broker dies here
        coordinator.close();
        loop.close();

        loop = new ManualEventLoop();
        markerCalls.clear();
        start();
        assertThat(state("t")).isEqualTo(TransactionState.PREPARE_COMMIT);
        assertThat(markerCalls).singleElement().satisfies(c -> {
            assertThat(c.commit()).isTrue();
            assertThat(c.producerId()).isEqualTo(p.producerId);
            assertThat(c.epoch()).isEqualTo(p.producerEpoch);
            assertThat(c.partitions()).containsExactlyInAnyOrder(A0, B1);
        });
        markerCalls.get(0).done().complete(null);
        assertThat(state("t")).isEqualTo(TransactionState.COMPLETE_COMMIT);

        // And the completed state, producer id and epoch survive another restart.
        coordinator.close();
        loop.close();
        loop = new ManualEventLoop();
        markerCalls.clear();
        start();
        assertThat(markerCalls).isEmpty();
        assertThat(state("t")).isEqualTo(TransactionState.COMPLETE_COMMIT);
        assertThat(init("t", 60_000).producerEpoch).isEqualTo((short) (p.producerEpoch + 1));
    }

    @Test
    void describeAndListShowStatesPartitionsAndFilters() {
        start();
        InitProducerIdResponseData p = init("t1", 60_000);
        add("t1", p, A0);
        init("t2", 60_000);
        List<DescribeTransactionsResponseData.TransactionState> described =
                coordinator.describeTransactions(RC, List.of("t1", "missing")).join();
        assertThat(described.get(0).transactionState).isEqualTo("Ongoing");
        assertThat(described.get(0).producerId).isEqualTo(p.producerId);
        assertThat(described.get(0).topics).singleElement().satisfies(t -> {
            assertThat(t.topic).isEqualTo("a");
            assertThat(t.partitions).containsExactly(0);
        });
        assertThat(described.get(1).errorCode).isEqualTo(Errors.TRANSACTIONAL_ID_NOT_FOUND.code());

        ListTransactionsRequestData all = new ListTransactionsRequestData();
        assertThat(coordinator.listTransactions(RC, all).join().transactionStates)
                .hasSize(2);
        ListTransactionsRequestData ongoing = new ListTransactionsRequestData();
        ongoing.stateFilters.add("Ongoing");
        ongoing.stateFilters.add("Bogus");
        ListTransactionsResponseData r =
                coordinator.listTransactions(RC, ongoing).join();
        assertThat(r.transactionStates).extracting(s -> s.transactionalId).containsExactly("t1");
        assertThat(r.unknownStateFilters).containsExactly("Bogus");
        ListTransactionsRequestData pattern = new ListTransactionsRequestData().setTransactionalIdPattern("t[2-9]");
        assertThat(coordinator
                        .listTransactions(new RequestContext((short) 2, "c", "h"), pattern)
                        .join()
                        .transactionStates)
                .extracting(s -> s.transactionalId)
                .containsExactly("t2");
        // v1 duration filter: transactions started longer ago than the duration.
        loop.sleep(5_000);
        ListTransactionsRequestData longRunning = new ListTransactionsRequestData().setDurationFilter(1_000);
        longRunning.stateFilters.add("Ongoing");
        RequestContext v1 = new RequestContext((short) 1, "c", "h");
        assertThat(coordinator.listTransactions(v1, longRunning).join().transactionStates)
                .extracting(s -> s.transactionalId)
                .containsExactly("t1");
        longRunning.setDurationFilter(10_000);
        assertThat(coordinator.listTransactions(v1, longRunning).join().transactionStates)
                .isEmpty();
        ListTransactionsRequestData bad = new ListTransactionsRequestData().setTransactionalIdPattern("(");
        assertThat(coordinator
                        .listTransactions(new RequestContext((short) 2, "c", "h"), bad)
                        .join()
                        .errorCode)
                .isEqualTo(Errors.INVALID_REGULAR_EXPRESSION.code());
    }

    @Test
    void addOffsetsAddsTheGroupsOffsetsPartitionAndASnapshotRestatesEveryId() {
        start();
        InitProducerIdResponseData p = init("t", 60_000);
        assertThat(coordinator
                        .addOffsetsToTxn(RC, "t", p.producerId, p.producerEpoch, "group-1")
                        .join())
                .isEqualTo(Errors.NONE);
        assertThat(coordinator.metadata("t").partitions()).containsExactly(config.offsetsPartitionFor("group-1"));
        assertThat(config.offsetsPartitionFor("group-1").topic()).isEqualTo("__consumer_offsets");
        TransactionMetadata before = coordinator.metadata("t");
        TransactionMetadata decoded = TransactionRecords.decodeValue(
                "t", TransactionRecords.record(before).value());
        assertThat(decoded).isEqualTo(before);
    }

    @Test
    void anExhaustedEpochMovesTheIdToANewProducerIdAndARetryOfThatIsRecognised() {
        short exhausted = (short) (Short.MAX_VALUE - 1);
        log.append(List.of(TransactionRecords.record(new TransactionMetadata(
                "t",
                5L,
                -1L,
                exhausted,
                (short) (exhausted - 1),
                60_000,
                TransactionState.COMPLETE_COMMIT,
                new java.util.TreeSet<>(),
                -1L,
                loop.nowMs()))));
        start();
        InitProducerIdResponseData fresh = init("t", 60_000, 5L, exhausted);
        assertThat(fresh.errorCode).isEqualTo(Errors.NONE.code());
        assertThat(fresh.producerId).isEqualTo(1000L);
        assertThat(fresh.producerEpoch).isZero();
        assertThat(coordinator.metadata("t").previousProducerId()).isEqualTo(5L);
        // The same request again (its answer was lost): the new id, not a third one.
        InitProducerIdResponseData retried = init("t", 60_000, 5L, exhausted);
        assertThat(retried.producerId).isEqualTo(1000L);
        assertThat(retried.producerEpoch).isZero();
        assertThat(coordinator.verifyProduce("t", 5L, exhausted, "a", 0)).isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
    }

    @Test
    void snapshotsBoundTheLogAndReplayingWhatIsLeftRebuildsTheSameState() {
        config = config.withSnapshotMinRecords(5);
        start();
        InitProducerIdResponseData p = init("t", 60_000);
        init("idle", 60_000);
        for (int i = 0; i < 10; i++) {
            assertThat(add("t", p, A0)).isEqualTo(Errors.NONE);
            assertThat(end("t", p.producerId, p.producerEpoch, i % 2 == 0)).isEqualTo(Errors.NONE);
            markerCalls.get(i).done().complete(null);
        }
        add("t", p, B1);
        assertThat(log.startOffset())
                .as("snapshots let the log drop its prefix")
                .isPositive();
        TransactionMetadata t = coordinator.metadata("t");
        TransactionMetadata idle = coordinator.metadata("idle");
        coordinator.close();
        loop.close();
        loop = new ManualEventLoop();
        start();
        assertThat(coordinator.metadata("t")).isEqualTo(t);
        assertThat(coordinator.metadata("idle")).isEqualTo(idle);
        assertThat(state("t")).isEqualTo(TransactionState.ONGOING);
    }
}
