package io.tributary.client.producer.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.TributaryException;
import io.tributary.client.common.errors.ApiException;
import io.tributary.client.common.errors.ProducerFencedException;
import io.tributary.client.network.ChannelSecurityConfig;
import io.tributary.client.network.NetworkClient;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.client.serialization.StringSerializer;
import io.tributary.protocol.Errors;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 12: the transactional producer's state machine, without a broker (the wire is in the interop tests). */
class TransactionManagerTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private final NetworkClient client = new NetworkClient(
            List.of(new NetworkClient.Endpoint(-1, "127.0.0.1", 1)),
            "test",
            -1,
            -1,
            1000,
            50,
            1000,
            ChannelSecurityConfig.PLAINTEXT);
    private final TransactionManager tm = new TransactionManager("txn", 60_000, 100, client);

    @AfterEach
    void close() {
        client.close();
    }

    private void initialize() {
        CompletableFuture<Void> f = tm.initTransactions();
        synchronized (tm) {
            tm.initialized(7L, (short) 0, tm.queue.peekFirst());
        }
        assertThat(f).isCompleted();
        assertThat(tm.state()).isEqualTo(TransactionManager.State.READY);
    }

    @Test
    void nothingButInitTransactionsBeforeItCompletes() {
        assertThatThrownBy(tm::beginTransaction)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Invalid transition attempted from state UNINITIALIZED to state IN_TRANSACTION");
        assertThatThrownBy(() -> tm.maybeAddPartition(TP))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before completing a call to initTransactions");
        CompletableFuture<Void> first = tm.initTransactions();
        assertThat(tm.initTransactions())
                .as("a retry after a timeout waits for the same request")
                .isSameAs(first);
    }

    @Test
    void sendOutsideATransactionIsRefusedAndPartitionsAreAddedOnce() {
        initialize();
        assertThatThrownBy(() -> tm.maybeAddPartition(TP))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Cannot call send in state READY");
        tm.beginTransaction();
        assertThat(tm.maybeAddPartition(TP)).isTrue();
        assertThat(tm.maybeAddPartition(TP)).isFalse();
        assertThat(tm.mayDrain(TP)).as("not before AddPartitionsToTxn").isFalse();
    }

    @Test
    void anAbortableErrorRefusesCommitUntilAbort() {
        initialize();
        tm.beginTransaction();
        tm.batchFailed(new ApiException(Errors.UNKNOWN_SERVER_ERROR, "Produce to t-0"), false);
        assertThat(tm.state()).isEqualTo(TransactionManager.State.ABORTABLE_ERROR);
        assertThatThrownBy(tm::beginCommit)
                .isInstanceOf(TributaryException.class)
                .hasMessageContaining("error state")
                .hasCauseInstanceOf(ApiException.class);
        assertThatThrownBy(() -> tm.maybeAddPartition(TP)).isInstanceOf(TributaryException.class);
        CompletableFuture<Void> abort = tm.beginAbort();
        // Nothing reached the coordinator in this transaction: the abort completes without EndTxn.
        tm.poll(System.currentTimeMillis(), false);
        assertThat(abort).isCompleted();
        assertThat(tm.state()).isEqualTo(TransactionManager.State.READY);
        tm.beginTransaction();
    }

    @Test
    void anAbortAfterALostSequencedBatchBumpsTheEpochBeforeItCompletes() {
        initialize();
        tm.beginTransaction();
        synchronized (tm) {
            tm.transactionStarted = true; // AddPartitionsToTxn went: EndTxn must go too
        }
        tm.batchFailed(new ApiException(Errors.REQUEST_TIMED_OUT, "Expiring 1 record(s) for t-0"), true);
        CompletableFuture<Void> abort = tm.beginAbort();
        synchronized (tm) {
            tm.completeTransaction(tm.queue.peekFirst()); // EndTxn(abort) answered
            assertThat(abort).as("KIP-360: the abort waits for the epoch bump").isNotDone();
            assertThat(tm.queue.peekFirst().kind).isEqualTo(TransactionManager.Kind.BUMP_EPOCH);
            tm.epochBumped(7L, (short) 1, tm.queue.peekFirst());
        }
        assertThat(abort).isCompleted();
        assertThat(tm.producerEpoch()).isEqualTo((short) 1);
        assertThat(tm.state()).isEqualTo(TransactionManager.State.READY);
        tm.beginTransaction();
    }

    @Test
    void fencingIsFatalForEveryLaterCall() {
        initialize();
        tm.beginTransaction();
        tm.batchFailed(new ProducerFencedException(Errors.INVALID_PRODUCER_EPOCH, "Produce to t-0"), true);
        assertThat(tm.state()).isEqualTo(TransactionManager.State.FATAL_ERROR);
        assertThat(tm.fatalError()).isInstanceOf(ProducerFencedException.class);
        assertThatThrownBy(tm::beginAbort).isInstanceOf(ProducerFencedException.class);
        assertThatThrownBy(tm::beginTransaction).isInstanceOf(ProducerFencedException.class);
    }

    @Test
    void aNonTransactionalProducerRefusesTransactionalCalls() {
        try (TributaryProducer<String, String> p = new TributaryProducer<>(
                Map.of("bootstrap.servers", "127.0.0.1:1"), new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(p::initTransactions)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("Transactional method invoked on a non-transactional producer.");
        }
    }
}
