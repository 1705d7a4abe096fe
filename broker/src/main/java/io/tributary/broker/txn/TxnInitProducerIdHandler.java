package io.tributary.broker.txn;

import io.tributary.broker.auth.RequestAuthorizer;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.coordinator.transaction.TransactionCoordinator;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.InitProducerIdRequestData;
import io.tributary.protocol.message.InitProducerIdResponseData;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * InitProducerId v0-4: a request with a transactional id goes to the transaction coordinator
 * (after WRITE on the transactional id), one without to the idempotent-producer handler it
 * wraps. Stateless.
 */
final class TxnInitProducerIdHandler implements ApiHandler {
    private final ApiHandler idempotent;
    private final Supplier<RequestAuthorizer> auth;
    private final TransactionCoordinator coordinator;

    TxnInitProducerIdHandler(
            ApiHandler idempotent, Supplier<RequestAuthorizer> auth, TransactionCoordinator coordinator) {
        this.idempotent = idempotent;
        this.auth = auth;
        this.coordinator = coordinator;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        InitProducerIdRequestData req = request.body();
        if (req.transactionalId == null) {
            return idempotent.handle(request);
        }
        if (!auth.get().authorize(request, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, req.transactionalId)) {
            return CompletableFuture.completedFuture(Response.of(
                    request,
                    new InitProducerIdResponseData()
                            .setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code())
                            .setProducerId(-1L)
                            .setProducerEpoch((short) -1)));
        }
        long pid = request.apiVersion() >= 3 ? req.producerId : -1L;
        short epoch = request.apiVersion() >= 3 ? req.producerEpoch : -1;
        return coordinator
                .initProducerId(TxnRequests.context(request), req.transactionalId, req.transactionTimeoutMs, pid, epoch)
                .thenApply(r -> {
                    Errors e = TxnRequests.fencedForVersion(Errors.forCode(r.errorCode), request.apiVersion(), 4);
                    return Response.of(request, r.setErrorCode(e.code()));
                });
    }
}
