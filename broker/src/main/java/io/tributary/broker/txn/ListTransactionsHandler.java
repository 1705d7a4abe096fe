package io.tributary.broker.txn;

import io.tributary.broker.auth.RequestAuthorizer;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.coordinator.transaction.TransactionCoordinator;
import io.tributary.protocol.message.ListTransactionsRequestData;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * ListTransactions v0-2 (state, producer id, duration and transactional-id pattern filters): the
 * coordinator filters, then, as Kafka does, ids the caller may not DESCRIBE are left out.
 * Stateless.
 */
final class ListTransactionsHandler implements ApiHandler {
    private final Supplier<RequestAuthorizer> auth;
    private final TransactionCoordinator coordinator;

    ListTransactionsHandler(Supplier<RequestAuthorizer> auth, TransactionCoordinator coordinator) {
        this.auth = auth;
        this.coordinator = coordinator;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        ListTransactionsRequestData req = request.body();
        return coordinator.listTransactions(TxnRequests.context(request), req).thenApply(resp -> {
            RequestAuthorizer a = auth.get();
            resp.transactionStates.removeIf(s ->
                    !a.authorize(request, AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, s.transactionalId));
            return Response.of(request, resp);
        });
    }
}
