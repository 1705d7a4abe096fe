package io.tributary.client.producer.internals;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.TributaryException;
import io.tributary.client.common.errors.ApiException;
import io.tributary.client.common.errors.InvalidTxnStateException;
import io.tributary.client.common.errors.ProducerFencedException;
import io.tributary.client.common.errors.TransactionalIdAuthorizationException;
import io.tributary.client.consumer.ConsumerGroupMetadata;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.internals.ErrorTypes;
import io.tributary.client.network.NetworkClient;
import io.tributary.protocol.Errors;
import io.tributary.protocol.record.RecordBatch;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transactional producer's state machine (issue 12), in Kafka's shape: application threads
 * move it (initTransactions, beginTransaction, sendOffsetsToTransaction, commit, abort) and queue
 * requests; the sender thread sends them one at a time ({@link TxnRequests}) to the transaction
 * coordinator (or, for TxnOffsetCommit, the group coordinator) and moves it on from the answers.
 * Partitions are added with AddPartitionsToTxn before their first batch goes; EndTxn goes once
 * every batch of the transaction is done. Errors split as Kafka's: retriable ones are retried
 * after a backoff, fencing and authorization are fatal (every later call throws), the rest are
 * abortable (the application must call abortTransaction). Thread-safe: one lock, never held while
 * an application thread waits.
 */
public final class TransactionManager {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionManager.class);

    public enum State {
        UNINITIALIZED,
        INITIALIZING,
        READY,
        IN_TRANSACTION,
        COMMITTING_TRANSACTION,
        ABORTING_TRANSACTION,
        ABORTABLE_ERROR,
        FATAL_ERROR
    }

    enum Kind {
        INIT_PRODUCER_ID,
        /** KIP-360: InitProducerId with the current id and epoch, after an abort, to reset sequences. */
        BUMP_EPOCH,
        ADD_OFFSETS,
        TXN_OFFSET_COMMIT,
        END_TXN
    }

    /** One queued transactional request and the future its caller waits on. */
    static final class Request {
        final Kind kind;
        final CompletableFuture<Void> result;
        final boolean commit;
        final Map<TopicPartition, OffsetAndMetadata> offsets;
        final ConsumerGroupMetadata group;

        Request(
                Kind kind,
                CompletableFuture<Void> result,
                boolean commit,
                Map<TopicPartition, OffsetAndMetadata> offsets,
                ConsumerGroupMetadata group) {
            this.kind = kind;
            this.result = result;
            this.commit = commit;
            this.offsets = offsets;
            this.group = group;
        }
    }

    final String transactionalId;
    final int transactionTimeoutMs;
    final long retryBackoffMs;
    final Deque<Request> queue = new ArrayDeque<>();
    final Set<TopicPartition> partitionsInTxn = new HashSet<>();
    final Set<TopicPartition> newPartitions = new HashSet<>();
    final Set<TopicPartition> addingPartitions = new HashSet<>();
    final CoordinatorLookup txnCoordinator;
    final Map<String, CoordinatorLookup> groupCoordinators = new HashMap<>();
    private final NetworkClient client;
    private final TxnRequests requests;
    private State state = State.UNINITIALIZED;
    private RuntimeException lastError;
    private volatile long producerId = RecordBatch.NO_PRODUCER_ID;
    private volatile short producerEpoch = RecordBatch.NO_PRODUCER_EPOCH;
    boolean transactionStarted;
    /** A batch with a sequence failed unacknowledged: the abort must bump the epoch (KIP-360). */
    boolean epochBumpRequired;

    boolean requestInFlight;
    long retryAtMs;
    private Request pendingInit;
    private Request pendingEnd;

    public TransactionManager(
            String transactionalId, int transactionTimeoutMs, long retryBackoffMs, NetworkClient client) {
        this.transactionalId = transactionalId;
        this.transactionTimeoutMs = transactionTimeoutMs;
        this.retryBackoffMs = retryBackoffMs;
        this.client = client;
        this.txnCoordinator = new CoordinatorLookup(
                client, (byte) 1, transactionalId, retryBackoffMs, this, e -> fatal(coordinatorLookupError(e)));
        this.requests = new TxnRequests(this, client);
    }

    public String transactionalId() {
        return transactionalId;
    }

    public long producerId() {
        return producerId;
    }

    public short producerEpoch() {
        return producerEpoch;
    }

    public synchronized State state() {
        return state;
    }

    // ---------------------------------------------------------------- application threads

    public synchronized CompletableFuture<Void> initTransactions() {
        throwIfFatal();
        if (pendingInit != null) {
            return pendingInit.result; // a retry after a timeout waits for the same request
        }
        transitionTo(State.INITIALIZING);
        pendingInit = new Request(Kind.INIT_PRODUCER_ID, new CompletableFuture<>(), false, null, null);
        queue.add(pendingInit);
        return pendingInit.result;
    }

    public synchronized void beginTransaction() {
        throwIfFatal();
        if (state == State.ABORTABLE_ERROR) {
            throw errorState();
        }
        transitionTo(State.IN_TRANSACTION);
    }

    /** Called by send before a record is appended: registers a partition the transaction has not added yet. */
    public synchronized boolean maybeAddPartition(TopicPartition tp) {
        if (state == State.FATAL_ERROR || state == State.ABORTABLE_ERROR) {
            throw new TributaryException(
                    "Cannot perform send because at least one previous transactional or idempotent request has"
                            + " failed with errors.",
                    lastError);
        }
        if (producerId == RecordBatch.NO_PRODUCER_ID) {
            throw new IllegalStateException(
                    "Cannot perform a 'send' before completing a call to initTransactions when transactions are"
                            + " enabled.");
        }
        if (state != State.IN_TRANSACTION) {
            throw new IllegalStateException("Cannot call send in state " + state);
        }
        if (partitionsInTxn.contains(tp) || addingPartitions.contains(tp)) {
            return false;
        }
        return newPartitions.add(tp);
    }

    public synchronized CompletableFuture<Void> sendOffsetsToTransaction(
            Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
        throwIfFatal();
        if (state == State.ABORTABLE_ERROR) {
            throw errorState();
        }
        if (state != State.IN_TRANSACTION) {
            throw new IllegalStateException(
                    "Cannot send offsets if a transaction is not in progress (currentState= " + state + ")");
        }
        Request r = new Request(Kind.ADD_OFFSETS, new CompletableFuture<>(), false, Map.copyOf(offsets), group);
        queue.add(r);
        return r.result;
    }

    public synchronized CompletableFuture<Void> beginCommit() {
        return beginEnd(true);
    }

    public synchronized CompletableFuture<Void> beginAbort() {
        return beginEnd(false);
    }

    private CompletableFuture<Void> beginEnd(boolean commit) {
        throwIfFatal();
        State target = commit ? State.COMMITTING_TRANSACTION : State.ABORTING_TRANSACTION;
        if (pendingEnd != null && state == target) {
            return pendingEnd.result; // a retry after a timeout
        }
        if (commit && state == State.ABORTABLE_ERROR) {
            throw errorState();
        }
        transitionTo(target);
        pendingEnd = new Request(Kind.END_TXN, new CompletableFuture<>(), commit, null, null);
        queue.add(pendingEnd);
        return pendingEnd.result;
    }

    private TributaryException errorState() {
        return new TributaryException(
                "Cannot execute transactional method because we are in an error state", lastError);
    }

    private void throwIfFatal() {
        if (state == State.FATAL_ERROR) {
            throw lastError;
        }
    }

    /** Kafka's valid transitions; anything else is the application's mistake. */
    private void transitionTo(State target) {
        boolean valid = switch (target) {
            case INITIALIZING -> state == State.UNINITIALIZED;
            case READY ->
                state == State.INITIALIZING
                        || state == State.COMMITTING_TRANSACTION
                        || state == State.ABORTING_TRANSACTION;
            case IN_TRANSACTION -> state == State.READY;
            case COMMITTING_TRANSACTION -> state == State.IN_TRANSACTION;
            case ABORTING_TRANSACTION -> state == State.IN_TRANSACTION || state == State.ABORTABLE_ERROR;
            case ABORTABLE_ERROR ->
                state == State.IN_TRANSACTION
                        || state == State.COMMITTING_TRANSACTION
                        || state == State.ABORTABLE_ERROR;
            default -> true;
        };
        if (!valid) {
            throw new IllegalStateException("TransactionalId " + transactionalId
                    + ": Invalid transition attempted from state " + state + " to state " + target);
        }
        state = target;
    }

    // ---------------------------------------------------------------- sender thread

    /** Closing: an open transaction (or one that hit an abortable error) is aborted. */
    public synchronized void abortOnClose() {
        if (state == State.IN_TRANSACTION || state == State.ABORTABLE_ERROR) {
            LOG.info("[TransactionalId {}] Aborting incomplete transaction due to shutdown", transactionalId);
            beginEnd(false);
        }
    }

    /** A commit or abort is under way (close waits for it, up to its timeout). */
    public synchronized boolean completing() {
        return pendingEnd != null && state != State.FATAL_ERROR;
    }

    /** True when a batch of {@code tp} that has not been sent yet may go now. */
    public synchronized boolean mayDrain(TopicPartition tp) {
        return (state == State.IN_TRANSACTION || state == State.COMMITTING_TRANSACTION) && partitionsInTxn.contains(tp);
    }

    public synchronized boolean aborting() {
        return state == State.ABORTING_TRANSACTION;
    }

    /** The fatal error, if the producer has one: the sender fails every unsent batch with it. */
    public synchronized RuntimeException fatalError() {
        return state == State.FATAL_ERROR ? lastError : null;
    }

    /**
     * Sends the next transactional request if one may go now. {@code batchesIncomplete}: some
     * batch of the transaction is not done yet (EndTxn waits for it).
     */
    public synchronized void poll(long nowMs, boolean batchesIncomplete) {
        if (requestInFlight || nowMs < retryAtMs || state == State.FATAL_ERROR) {
            return;
        }
        if (state == State.ABORTING_TRANSACTION) {
            newPartitions.clear(); // their batches are failed unsent
        }
        if (!newPartitions.isEmpty() && (state == State.IN_TRANSACTION || state == State.COMMITTING_TRANSACTION)) {
            requests.sendAddPartitions(nowMs);
            return;
        }
        Request r = queue.peekFirst();
        if (r == null) {
            return;
        }
        if (r.kind == Kind.END_TXN) {
            if (r.commit && state == State.ABORTABLE_ERROR) {
                queue.pollFirst();
                pendingEnd = null;
                r.result.completeExceptionally(lastError);
                return;
            }
            if (batchesIncomplete || !newPartitions.isEmpty()) {
                return;
            }
            if (!transactionStarted) {
                queue.pollFirst(); // nothing reached the coordinator: nothing to end there
                completeTransaction(r);
                return;
            }
        }
        requests.send(r, nowMs);
    }

    void initialized(long id, short epoch, Request r) {
        producerId = id;
        producerEpoch = epoch;
        queue.remove(r);
        pendingInit = null;
        transitionTo(State.READY);
        r.result.complete(null);
    }

    void completeTransaction(Request r) {
        if (!r.commit && epochBumpRequired) {
            // The broker still expects the lost batch's sequence under this epoch: a new epoch lets
            // every partition start again at 0 (Kafka's KIP-360 for transactional producers).
            epochBumpRequired = false;
            queue.remove(r);
            queue.addFirst(new Request(Kind.BUMP_EPOCH, r.result, false, null, null));
            return;
        }
        queue.remove(r);
        pendingEnd = null;
        partitionsInTxn.clear();
        newPartitions.clear();
        transactionStarted = false;
        transitionTo(State.READY);
        lastError = null;
        r.result.complete(null);
    }

    /**
     * A batch of the transaction failed for good. {@code sequenced}: it had a sequence number the
     * broker never acknowledged, so this epoch's sequences have a gap only an epoch bump closes.
     */
    public synchronized void batchFailed(RuntimeException e, boolean sequenced) {
        if (e instanceof ProducerFencedException) {
            fatal(e);
        } else {
            if (sequenced) {
                epochBumpRequired = true;
            }
            abortable(e);
        }
    }

    /** The answer to a KIP-360 bump after an abort: new epoch, then the abort is complete. */
    void epochBumped(long id, short epoch, Request r) {
        producerId = id;
        producerEpoch = epoch;
        completeTransaction(r);
    }

    void retryLater(long backoffMs) {
        retryAtMs = System.currentTimeMillis() + backoffMs;
    }

    void fatal(RuntimeException e) {
        if (state == State.FATAL_ERROR) {
            return;
        }
        state = State.FATAL_ERROR;
        lastError = e;
        for (Request r : queue) {
            r.result.completeExceptionally(e);
        }
        queue.clear();
        pendingInit = null;
        pendingEnd = null;
    }

    /** An error the transaction cannot survive: the caller waiting fails; abortTransaction recovers. */
    void abortable(RuntimeException e) {
        if (state == State.FATAL_ERROR || state == State.ABORTING_TRANSACTION) {
            return;
        }
        if (state == State.IN_TRANSACTION || state == State.COMMITTING_TRANSACTION) {
            transitionTo(State.ABORTABLE_ERROR);
        }
        lastError = e;
    }

    /** The exception for an error code no retry fixes; fencing and authorization are fatal. */
    RuntimeException fatalFor(Errors error, String context) {
        return switch (error) {
            case PRODUCER_FENCED, INVALID_PRODUCER_EPOCH, TRANSACTION_COORDINATOR_FENCED ->
                new ProducerFencedException(error, context + " (transactional id " + transactionalId + ")");
            case TRANSACTIONAL_ID_AUTHORIZATION_FAILED -> new TransactionalIdAuthorizationException(context);
            case INVALID_TXN_STATE -> new InvalidTxnStateException(context);
            default -> ErrorTypes.forError(error, context);
        };
    }

    static boolean isFatal(Errors error) {
        return switch (error) {
            case PRODUCER_FENCED,
                    INVALID_PRODUCER_EPOCH,
                    TRANSACTION_COORDINATOR_FENCED,
                    TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
                    INVALID_TXN_STATE,
                    INVALID_PRODUCER_ID_MAPPING,
                    UNSUPPORTED_VERSION,
                    CLUSTER_AUTHORIZATION_FAILED -> true;
            default -> false;
        };
    }

    private RuntimeException coordinatorLookupError(Errors e) {
        return fatalFor(e, "FindCoordinator for transactional id " + transactionalId);
    }

    CoordinatorLookup groupCoordinator(String groupId) {
        return groupCoordinators.computeIfAbsent(
                groupId,
                g -> new CoordinatorLookup(client, (byte) 0, g, retryBackoffMs, this, e -> {
                    RuntimeException ex = e == Errors.GROUP_AUTHORIZATION_FAILED
                            ? new io.tributary.client.common.errors.GroupAuthorizationException(g, "FindCoordinator")
                            : new ApiException(e, "FindCoordinator for group " + g);
                    failHead(ex);
                }));
    }

    /** Fails the request at the head of the queue with an abortable error. */
    void failHead(RuntimeException e) {
        Request r = queue.pollFirst();
        abortable(e);
        if (r != null) {
            r.result.completeExceptionally(e);
        }
    }
}
