package io.tributary.broker.group;

import io.tributary.broker.auth.RequestAuthorizer;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.coordinator.GroupCoordinator;
import io.tributary.coordinator.offset.TxnOffsetManager;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.TxnOffsetCommitRequestData;
import io.tributary.protocol.message.TxnOffsetCommitResponseData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * TxnOffsetCommit v0-5 (KIP-98, KIP-447), with the checks Kafka's KafkaApis makes before the
 * coordinator: WRITE on the transactional id (else TRANSACTIONAL_ID_AUTHORIZATION_FAILED on every
 * partition), READ on the group (else GROUP_AUTHORIZATION_FAILED), then per topic READ (else
 * TOPIC_AUTHORIZATION_FAILED) and existence of the partition (else UNKNOWN_TOPIC_OR_PARTITION). The
 * coordinator sees only the valid partitions and is not asked when none is left; the answer lists
 * the partitions in request order. Stateless.
 */
final class TxnOffsetCommitHandler implements ApiHandler {
    private final Supplier<RequestAuthorizer> authorizer;
    private final KnownPartitions partitions;
    private final GroupCoordinator coordinator;

    TxnOffsetCommitHandler(
            Supplier<RequestAuthorizer> authorizer, KnownPartitions partitions, GroupCoordinator coordinator) {
        this.authorizer = authorizer;
        this.partitions = partitions;
        this.coordinator = coordinator;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        TxnOffsetCommitRequestData req = request.body();
        RequestAuthorizer auth = authorizer.get();
        if (!auth.authorize(request, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, req.transactionalId)) {
            return done(
                    request, TxnOffsetManager.response(req, (t, p) -> Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED));
        }
        if (!auth.authorize(request, AclOperation.READ, ResourceType.GROUP, req.groupId)) {
            return done(request, TxnOffsetManager.response(req, (t, p) -> Errors.GROUP_AUTHORIZATION_FAILED));
        }
        List<TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic> requested = req.topics;
        Set<String> unreadable = new HashSet<>();
        List<TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic> readable = new ArrayList<>();
        for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic t : requested) {
            if (auth.authorize(request, AclOperation.READ, ResourceType.TOPIC, t.name)) {
                readable.add(t);
            } else {
                unreadable.add(t.name);
            }
        }
        List<TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic> valid = partitions.retainKnown(
                readable,
                t -> t.name,
                t -> t.partitions,
                p -> p.partitionIndex,
                (t, known) -> new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic()
                        .setName(t.name)
                        .setPartitions(known),
                (topic, p) -> {});
        if (valid.isEmpty()) {
            return done(request, merge(requested, Map.of(), unreadable));
        }
        TxnOffsetCommitRequestData forCoordinator = new TxnOffsetCommitRequestData()
                .setTransactionalId(req.transactionalId)
                .setGroupId(req.groupId)
                .setProducerId(req.producerId)
                .setProducerEpoch(req.producerEpoch)
                .setGenerationId(req.generationId)
                .setMemberId(req.memberId)
                .setGroupInstanceId(req.groupInstanceId)
                .setTopics(valid);
        return coordinator
                .txnOffsetCommit(CoordinatorApiHandler.context(request), forCoordinator)
                .thenApply(resp -> Response.of(request, merge(requested, errorsByPartition(resp), unreadable)));
    }

    private static Map<String, Map<Integer, Short>> errorsByPartition(TxnOffsetCommitResponseData resp) {
        Map<String, Map<Integer, Short>> out = new HashMap<>();
        for (TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic t : resp.topics) {
            Map<Integer, Short> parts = out.computeIfAbsent(t.name, k -> new HashMap<>());
            for (TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition p : t.partitions) {
                parts.put(p.partitionIndex, p.errorCode);
            }
        }
        return out;
    }

    private static TxnOffsetCommitResponseData merge(
            List<TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic> requested,
            Map<String, Map<Integer, Short>> coordinatorErrors,
            Set<String> unreadable) {
        TxnOffsetCommitRequestData all = new TxnOffsetCommitRequestData().setTopics(requested);
        return TxnOffsetManager.response(all, (t, p) -> {
            Short code = coordinatorErrors.getOrDefault(t.name, Map.of()).get(p.partitionIndex);
            if (code != null) {
                return Errors.forCode(code);
            }
            return unreadable.contains(t.name) ? Errors.TOPIC_AUTHORIZATION_FAILED : Errors.UNKNOWN_TOPIC_OR_PARTITION;
        });
    }

    private static CompletionStage<Response> done(Request request, TxnOffsetCommitResponseData body) {
        return CompletableFuture.completedFuture(Response.of(request, body));
    }
}
