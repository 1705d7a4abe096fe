package io.tributary.broker.txn;

import io.tributary.broker.auth.RequestAuthorizer;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.coordinator.transaction.TransactionCoordinator;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.AddOffsetsToTxnRequestData;
import io.tributary.protocol.message.AddOffsetsToTxnResponseData;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * AddOffsetsToTxn v0-4: WRITE on the transactional id and READ on the group (as Kafka checks),
 * then the coordinator adds the group's {@code __consumer_offsets} partition to the transaction.
 * Stateless.
 */
final class AddOffsetsToTxnHandler implements ApiHandler {
    private final Supplier<RequestAuthorizer> auth;
    private final TransactionCoordinator coordinator;

    AddOffsetsToTxnHandler(Supplier<RequestAuthorizer> auth, TransactionCoordinator coordinator) {
        this.auth = auth;
        this.coordinator = coordinator;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        AddOffsetsToTxnRequestData req = request.body();
        RequestAuthorizer a = auth.get();
        if (!a.authorize(request, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, req.transactionalId)) {
            return done(request, Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
        }
        if (!a.authorize(request, AclOperation.READ, ResourceType.GROUP, req.groupId)) {
            return done(request, Errors.GROUP_AUTHORIZATION_FAILED);
        }
        return coordinator
                .addOffsetsToTxn(
                        TxnRequests.context(request),
                        req.transactionalId,
                        req.producerId,
                        req.producerEpoch,
                        req.groupId)
                .thenApply(e -> Response.of(
                        request,
                        new AddOffsetsToTxnResponseData()
                                .setErrorCode(TxnRequests.fencedForVersion(e, request.apiVersion(), 2)
                                        .code())));
    }

    private static CompletionStage<Response> done(Request request, Errors e) {
        return CompletableFuture.completedFuture(
                Response.of(request, new AddOffsetsToTxnResponseData().setErrorCode(e.code())));
    }
}
