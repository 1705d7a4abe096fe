package io.tributary.broker.txn;

import io.tributary.broker.auth.RequestAuthorizer;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.coordinator.transaction.TransactionCoordinator;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.EndTxnRequestData;
import io.tributary.protocol.message.EndTxnResponseData;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * EndTxn v0-4 (v5, the per-transaction epoch bump of KIP-890 part 2, needs transaction version
 * 2, which this broker does not advertise): WRITE on the transactional id, then the coordinator
 * answers once the PrepareCommit/PrepareAbort record is durable. Stateless.
 */
final class EndTxnHandler implements ApiHandler {
    private final Supplier<RequestAuthorizer> auth;
    private final TransactionCoordinator coordinator;

    EndTxnHandler(Supplier<RequestAuthorizer> auth, TransactionCoordinator coordinator) {
        this.auth = auth;
        this.coordinator = coordinator;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        EndTxnRequestData req = request.body();
        if (!auth.get().authorize(request, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, req.transactionalId)) {
            return CompletableFuture.completedFuture(Response.of(
                    request,
                    new EndTxnResponseData().setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code())));
        }
        return coordinator
                .endTxn(
                        TxnRequests.context(request),
                        req.transactionalId,
                        req.producerId,
                        req.producerEpoch,
                        req.committed)
                .thenApply(e -> Response.of(
                        request,
                        new EndTxnResponseData()
                                .setErrorCode(TxnRequests.fencedForVersion(e, request.apiVersion(), 2)
                                        .code())));
    }
}
