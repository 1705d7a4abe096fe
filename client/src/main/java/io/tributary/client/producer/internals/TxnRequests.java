package io.tributary.client.producer.internals;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.errors.ApiException;
import io.tributary.client.common.errors.FencedInstanceIdException;
import io.tributary.client.common.errors.GroupAuthorizationException;
import io.tributary.client.consumer.CommitFailedException;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.network.NetworkClient;
import io.tributary.client.network.Response;
import io.tributary.client.producer.internals.TransactionManager.Kind;
import io.tributary.client.producer.internals.TransactionManager.Request;
import io.tributary.protocol.ApiMessage;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.AddOffsetsToTxnRequestData;
import io.tributary.protocol.message.AddOffsetsToTxnResponseData;
import io.tributary.protocol.message.AddPartitionsToTxnRequestData;
import io.tributary.protocol.message.AddPartitionsToTxnResponseData;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.EndTxnRequestData;
import io.tributary.protocol.message.EndTxnResponseData;
import io.tributary.protocol.message.InitProducerIdRequestData;
import io.tributary.protocol.message.InitProducerIdResponseData;
import io.tributary.protocol.message.TxnOffsetCommitRequestData;
import io.tributary.protocol.message.TxnOffsetCommitResponseData;
import io.tributary.protocol.record.RecordBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transactional requests on the wire (issue 12): builds InitProducerId, AddPartitionsToTxn,
 * AddOffsetsToTxn, TxnOffsetCommit (KIP-447: member id, generation, instance id) and EndTxn from
 * the {@link TransactionManager}'s state, and sorts each answer into done / retry / abortable /
 * fatal. Runs on the sender thread with the manager's lock held (answers take it again).
 */
final class TxnRequests {
    private static final Logger LOG = LoggerFactory.getLogger(TxnRequests.class);
    /** Kafka retries CONCURRENT_TRANSACTIONS quickly: the previous transaction's markers are usually nearly done. */
    private static final long CONCURRENT_TXN_BACKOFF_MS = 20;

    private final TransactionManager tm;
    private final NetworkClient client;

    TxnRequests(TransactionManager tm, NetworkClient client) {
        this.tm = tm;
        this.client = client;
    }

    void send(Request r, long nowMs) {
        boolean toGroup = r.kind == Kind.TXN_OFFSET_COMMIT;
        CoordinatorLookup coordinator = toGroup ? tm.groupCoordinator(r.group.groupId()) : tm.txnCoordinator;
        int node = coordinator.node(nowMs);
        if (node == NetworkClient.NO_NODE) {
            return;
        }
        ApiMessageType api;
        ApiMessage body;
        switch (r.kind) {
            case INIT_PRODUCER_ID -> {
                api = ApiMessageType.INIT_PRODUCER_ID;
                body = new InitProducerIdRequestData()
                        .setTransactionalId(tm.transactionalId)
                        .setTransactionTimeoutMs(tm.transactionTimeoutMs)
                        .setProducerId(RecordBatch.NO_PRODUCER_ID)
                        .setProducerEpoch(RecordBatch.NO_PRODUCER_EPOCH);
            }
            case BUMP_EPOCH -> {
                api = ApiMessageType.INIT_PRODUCER_ID;
                body = new InitProducerIdRequestData()
                        .setTransactionalId(tm.transactionalId)
                        .setTransactionTimeoutMs(tm.transactionTimeoutMs)
                        .setProducerId(tm.producerId())
                        .setProducerEpoch(tm.producerEpoch());
            }
            case ADD_OFFSETS -> {
                api = ApiMessageType.ADD_OFFSETS_TO_TXN;
                body = new AddOffsetsToTxnRequestData()
                        .setTransactionalId(tm.transactionalId)
                        .setProducerId(tm.producerId())
                        .setProducerEpoch(tm.producerEpoch())
                        .setGroupId(r.group.groupId());
            }
            case TXN_OFFSET_COMMIT -> {
                api = ApiMessageType.TXN_OFFSET_COMMIT;
                body = txnOffsetCommit(r);
            }
            default -> {
                api = ApiMessageType.END_TXN;
                body = new EndTxnRequestData()
                        .setTransactionalId(tm.transactionalId)
                        .setProducerId(tm.producerId())
                        .setProducerEpoch(tm.producerEpoch())
                        .setCommitted(r.commit);
            }
        }
        tm.requestInFlight = true;
        client.send(node, api, body, nowMs).whenComplete((resp, err) -> {
            synchronized (tm) {
                tm.requestInFlight = false;
                if (err != null) {
                    LOG.debug("{} failed: {}", api.apiName(), err.toString());
                    coordinator.markUnknown();
                    tm.retryLater(tm.retryBackoffMs);
                    return;
                }
                switch (r.kind) {
                    case INIT_PRODUCER_ID, BUMP_EPOCH -> onInitProducerId(r, resp.data());
                    case ADD_OFFSETS -> onAddOffsets(r, resp.data());
                    case TXN_OFFSET_COMMIT -> onTxnOffsetCommit(r, resp.data(), coordinator);
                    default -> onEndTxn(r, resp.data());
                }
            }
        });
    }

    private TxnOffsetCommitRequestData txnOffsetCommit(Request r) {
        Map<String, TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic> topics = new HashMap<>();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : r.offsets.entrySet()) {
            OffsetAndMetadata om = e.getValue();
            topics.computeIfAbsent(
                            e.getKey().topic(),
                            t -> new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setName(t))
                    .partitions
                    .add(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition()
                            .setPartitionIndex(e.getKey().partition())
                            .setCommittedOffset(om.offset())
                            .setCommittedLeaderEpoch(om.leaderEpoch().orElse(-1))
                            .setCommittedMetadata(om.metadata()));
        }
        return new TxnOffsetCommitRequestData()
                .setTransactionalId(tm.transactionalId)
                .setGroupId(r.group.groupId())
                .setProducerId(tm.producerId())
                .setProducerEpoch(tm.producerEpoch())
                .setGenerationId(r.group.generationId())
                .setMemberId(r.group.memberId())
                .setGroupInstanceId(r.group.groupInstanceId().orElse(null))
                .setTopics(new ArrayList<>(topics.values()));
    }

    /**
     * The common part of every answer: coordinator moved → look it up again and retry; loading or
     * busy → retry; fatal codes → fatal. Returns false when the caller has nothing more to do.
     */
    private boolean handleCommon(Errors error, String what, CoordinatorLookup coordinator, Consumer<Errors> other) {
        switch (error) {
            case NONE -> {
                return true;
            }
            case NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE -> {
                coordinator.markUnknown();
                tm.retryLater(tm.retryBackoffMs);
            }
            case CONCURRENT_TRANSACTIONS -> tm.retryLater(CONCURRENT_TXN_BACKOFF_MS);
            case COORDINATOR_LOAD_IN_PROGRESS,
                    REQUEST_TIMED_OUT,
                    NETWORK_EXCEPTION,
                    UNKNOWN_TOPIC_OR_PARTITION,
                    UNSTABLE_OFFSET_COMMIT -> tm.retryLater(tm.retryBackoffMs);
            default -> {
                if (TransactionManager.isFatal(error)) {
                    tm.fatal(tm.fatalFor(error, what));
                } else {
                    other.accept(error);
                }
            }
        }
        return false;
    }

    private void onInitProducerId(Request r, InitProducerIdResponseData data) {
        Errors error = Errors.forCode(data.errorCode);
        if (handleCommon(error, "InitProducerId", tm.txnCoordinator, e -> tm.fatal(tm.fatalFor(e, "InitProducerId")))) {
            LOG.info(
                    "[TransactionalId {}] ProducerId set to {} with epoch {}",
                    tm.transactionalId,
                    data.producerId,
                    data.producerEpoch);
            if (r.kind == Kind.BUMP_EPOCH) {
                tm.epochBumped(data.producerId, data.producerEpoch, r);
            } else {
                tm.initialized(data.producerId, data.producerEpoch, r);
            }
        }
    }

    private void onAddOffsets(Request r, AddOffsetsToTxnResponseData data) {
        Errors error = Errors.forCode(data.errorCode);
        if (handleCommon(error, "AddOffsetsToTxn", tm.txnCoordinator, e -> tm.failHead(abortableFor(e, r)))) {
            tm.transactionStarted = true;
            // The same caller now waits for the offsets themselves, sent to the group's coordinator.
            tm.queue.remove(r);
            tm.queue.addFirst(new Request(Kind.TXN_OFFSET_COMMIT, r.result, false, r.offsets, r.group));
        }
    }

    private void onTxnOffsetCommit(Request r, TxnOffsetCommitResponseData data, CoordinatorLookup coordinator) {
        Errors worst = Errors.NONE;
        for (TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic t : data.topics) {
            for (TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition p : t.partitions) {
                Errors e = Errors.forCode(p.errorCode);
                if (e != Errors.NONE && (worst == Errors.NONE || !e.retriable())) {
                    worst = e;
                }
            }
        }
        if (handleCommon(worst, "TxnOffsetCommit", coordinator, e -> tm.failHead(abortableFor(e, r)))) {
            tm.queue.remove(r);
            r.result.complete(null);
        }
    }

    private void onEndTxn(Request r, EndTxnResponseData data) {
        Errors error = Errors.forCode(data.errorCode);
        if (handleCommon(error, "EndTxn", tm.txnCoordinator, e -> tm.fatal(tm.fatalFor(e, "EndTxn")))) {
            LOG.debug("[TransactionalId {}] {} completed", tm.transactionalId, r.commit ? "commit" : "abort");
            tm.completeTransaction(r);
        }
    }

    private RuntimeException abortableFor(Errors e, Request r) {
        String group = r.group == null ? null : r.group.groupId();
        return switch (e) {
            case UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION ->
                new CommitFailedException("Transaction offset Commit failed"
                        + " due to consumer group metadata mismatch: " + e.message());
            case FENCED_INSTANCE_ID ->
                new FencedInstanceIdException(
                        "The producer's group metadata has a group.instance.id that another member now uses: " + e);
            case GROUP_AUTHORIZATION_FAILED -> new GroupAuthorizationException(group, "TxnOffsetCommit");
            default -> new ApiException(e, r.kind + " for group " + group);
        };
    }

    /** AddPartitionsToTxn (v0–3 layout) for every partition a send registered since the last one. */
    void sendAddPartitions(long nowMs) {
        int node = tm.txnCoordinator.node(nowMs);
        if (node == NetworkClient.NO_NODE) {
            return;
        }
        Set<TopicPartition> adding = new HashSet<>(tm.newPartitions);
        tm.newPartitions.clear();
        tm.addingPartitions.addAll(adding);
        Map<String, AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic> topics = new HashMap<>();
        for (TopicPartition tp : adding) {
            topics.computeIfAbsent(
                            tp.topic(), t -> new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic().setName(t))
                    .partitions
                    .add(tp.partition());
        }
        AddPartitionsToTxnRequestData req = new AddPartitionsToTxnRequestData()
                .setV3AndBelowTransactionalId(tm.transactionalId)
                .setV3AndBelowProducerId(tm.producerId())
                .setV3AndBelowProducerEpoch(tm.producerEpoch())
                .setV3AndBelowTopics(new ArrayList<>(topics.values()));
        tm.requestInFlight = true;
        client.send(node, ApiMessageType.ADD_PARTITIONS_TO_TXN, req, nowMs).whenComplete((resp, err) -> {
            synchronized (tm) {
                tm.requestInFlight = false;
                tm.addingPartitions.removeAll(adding);
                if (err != null) {
                    tm.txnCoordinator.markUnknown();
                    tm.newPartitions.addAll(adding);
                    tm.retryLater(tm.retryBackoffMs);
                    return;
                }
                onAddPartitions(adding, resp);
            }
        });
    }

    private void onAddPartitions(Set<TopicPartition> adding, Response resp) {
        AddPartitionsToTxnResponseData data = resp.data();
        Errors worst = Errors.NONE;
        List<String> failed = new ArrayList<>();
        for (AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult t : data.resultsByTopicV3AndBelow) {
            for (AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult p : t.resultsByPartition) {
                Errors e = Errors.forCode(p.partitionErrorCode);
                if (e != Errors.NONE && e != Errors.OPERATION_NOT_ATTEMPTED) {
                    failed.add(t.name + "-" + p.partitionIndex + ": " + e);
                    if (worst == Errors.NONE || TransactionManager.isFatal(e)) {
                        worst = e;
                    }
                }
            }
        }
        if (worst == Errors.NONE) {
            tm.partitionsInTxn.addAll(adding);
            tm.transactionStarted = true;
            LOG.debug("[TransactionalId {}] added partitions {}", tm.transactionalId, adding);
            return;
        }
        boolean retry = worst == Errors.NOT_COORDINATOR
                || worst == Errors.COORDINATOR_NOT_AVAILABLE
                || worst == Errors.CONCURRENT_TRANSACTIONS
                || worst == Errors.COORDINATOR_LOAD_IN_PROGRESS
                || worst == Errors.REQUEST_TIMED_OUT;
        if (retry) {
            tm.newPartitions.addAll(adding);
        }
        handleCommon(
                worst,
                "AddPartitionsToTxn",
                tm.txnCoordinator,
                e -> tm.abortable(new ApiException(e, "AddPartitionsToTxn for " + String.join(", ", failed))));
    }
}
