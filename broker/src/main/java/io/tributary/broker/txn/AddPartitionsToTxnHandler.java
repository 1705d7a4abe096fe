package io.tributary.broker.txn;

import io.tributary.broker.auth.RequestAuthorizer;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.broker.topic.TopicInfo;
import io.tributary.broker.topic.TopicManager;
import io.tributary.coordinator.transaction.TransactionCoordinator;
import io.tributary.coordinator.transaction.TxnPartition;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.AddPartitionsToTxnRequestData;
import io.tributary.protocol.message.AddPartitionsToTxnResponseData;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * AddPartitionsToTxn v0-3, the versions clients send (v4+ is Kafka's broker-to-coordinator
 * form, which one node does not need: Produce verifies in-process). As Kafka does: WRITE on the
 * transactional id, then WRITE on each topic and the topic must exist; if any partition fails
 * those checks, it gets its error and the others OPERATION_NOT_ATTEMPTED, and nothing is added.
 * Otherwise the coordinator's one answer is every partition's. Stateless.
 */
final class AddPartitionsToTxnHandler implements ApiHandler {
    private final Supplier<RequestAuthorizer> auth;
    private final TopicManager topics;
    private final TransactionCoordinator coordinator;

    AddPartitionsToTxnHandler(Supplier<RequestAuthorizer> auth, TopicManager topics, TransactionCoordinator c) {
        this.auth = auth;
        this.topics = topics;
        this.coordinator = c;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        AddPartitionsToTxnRequestData req = request.body();
        String txnId = req.v3AndBelowTransactionalId;
        Set<TxnPartition> partitions = new LinkedHashSet<>();
        for (AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic t : req.v3AndBelowTopics) {
            for (int p : t.partitions) {
                partitions.add(new TxnPartition(t.name, p));
            }
        }
        RequestAuthorizer a = auth.get();
        if (!a.authorize(request, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, txnId)) {
            return done(request, partitions, p -> Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
        }
        Map<TxnPartition, Errors> refused = new HashMap<>();
        Map<String, Boolean> writable = new HashMap<>();
        for (TxnPartition p : partitions) {
            boolean ok = writable.computeIfAbsent(
                    p.topic(), t -> a.authorize(request, AclOperation.WRITE, ResourceType.TOPIC, t));
            TopicInfo topic = topics.topic(p.topic());
            if (!ok) {
                refused.put(p, Errors.TOPIC_AUTHORIZATION_FAILED);
            } else if (topic == null || topic.internal() || p.partition() < 0 || p.partition() >= topic.partitions()) {
                refused.put(p, Errors.UNKNOWN_TOPIC_OR_PARTITION);
            }
        }
        if (!refused.isEmpty()) {
            return done(request, partitions, p -> refused.getOrDefault(p, Errors.OPERATION_NOT_ATTEMPTED));
        }
        return coordinator
                .addPartitionsToTxn(
                        TxnRequests.context(request),
                        txnId,
                        req.v3AndBelowProducerId,
                        req.v3AndBelowProducerEpoch,
                        partitions)
                .thenApply(e ->
                        response(request, partitions, p -> TxnRequests.fencedForVersion(e, request.apiVersion(), 2)));
    }

    private static CompletionStage<Response> done(
            Request request, Set<TxnPartition> partitions, Function<TxnPartition, Errors> error) {
        return CompletableFuture.completedFuture(response(request, partitions, error));
    }

    private static Response response(
            Request request, Set<TxnPartition> partitions, Function<TxnPartition, Errors> error) {
        Map<String, AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult> byTopic =
                new java.util.LinkedHashMap<>();
        for (TxnPartition p : partitions) {
            byTopic.computeIfAbsent(
                            p.topic(),
                            t -> new AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult().setName(t))
                    .resultsByPartition
                    .add(new AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult()
                            .setPartitionIndex(p.partition())
                            .setPartitionErrorCode(error.apply(p).code()));
        }
        AddPartitionsToTxnResponseData resp = new AddPartitionsToTxnResponseData();
        resp.resultsByTopicV3AndBelow.addAll(byTopic.values());
        return Response.of(request, resp);
    }
}
