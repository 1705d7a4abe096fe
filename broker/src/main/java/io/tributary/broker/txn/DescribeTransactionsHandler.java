package io.tributary.broker.txn;

import io.tributary.broker.auth.RequestAuthorizer;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.coordinator.transaction.TransactionCoordinator;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.DescribeTransactionsRequestData;
import io.tributary.protocol.message.DescribeTransactionsResponseData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * DescribeTransactions v0: ids the caller may not DESCRIBE get TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
 * and, as Kafka does, the partitions of topics it may not DESCRIBE are left out. Stateless.
 */
final class DescribeTransactionsHandler implements ApiHandler {
    private final Supplier<RequestAuthorizer> auth;
    private final TransactionCoordinator coordinator;

    DescribeTransactionsHandler(Supplier<RequestAuthorizer> auth, TransactionCoordinator coordinator) {
        this.auth = auth;
        this.coordinator = coordinator;
    }

    @Override
    public java.util.concurrent.CompletionStage<Response> handle(Request request) {
        DescribeTransactionsRequestData req = request.body();
        RequestAuthorizer a = auth.get();
        List<String> allowed = new ArrayList<>();
        for (String id : req.transactionalIds) {
            if (a.authorize(request, AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, id)) {
                allowed.add(id);
            }
        }
        return coordinator
                .describeTransactions(TxnRequests.context(request), allowed)
                .thenApply(states -> {
                    Map<String, DescribeTransactionsResponseData.TransactionState> byId = new HashMap<>();
                    states.forEach(s -> byId.put(s.transactionalId, s));
                    Map<String, Boolean> describable = new HashMap<>();
                    DescribeTransactionsResponseData resp = new DescribeTransactionsResponseData();
                    for (String id : req.transactionalIds) {
                        DescribeTransactionsResponseData.TransactionState s = byId.get(id);
                        if (s == null) {
                            s = new DescribeTransactionsResponseData.TransactionState()
                                    .setTransactionalId(id)
                                    .setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code());
                        } else {
                            s.topics.removeIf(t -> !describable.computeIfAbsent(
                                    t.topic, n -> a.authorize(request, AclOperation.DESCRIBE, ResourceType.TOPIC, n)));
                        }
                        resp.transactionStates.add(s);
                    }
                    return Response.of(request, resp);
                });
    }
}
