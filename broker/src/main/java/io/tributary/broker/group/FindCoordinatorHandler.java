package io.tributary.broker.group;

import io.tributary.broker.auth.RequestAuthorizer;
import io.tributary.broker.extension.BrokerContext;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.coordinator.GroupCoordinator;
import io.tributary.protocol.message.FindCoordinatorRequestData;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * FindCoordinator v0-4 (v4 batches keys, each answered on its own): this node, at its
 * advertised address, coordinates every group; transaction keys get COORDINATOR_NOT_AVAILABLE
 * unless the transaction coordinator is installed (then this node answers them too).
 * Answered on the event loop without touching the coordinator. Stateless.
 */
public final class FindCoordinatorHandler implements ApiHandler {
    private final BrokerContext broker;
    private final boolean transactions;

    FindCoordinatorHandler(BrokerContext broker) {
        this(broker, false);
    }

    /**
     * FindCoordinator with its ACL checks where transactional ids (key type 1) are answered with
     * this node too (the transaction coordinator extension registers it).
     */
    public static ApiHandler withTransactions(Supplier<RequestAuthorizer> auth, BrokerContext broker) {
        return GroupAcls.findCoordinator(auth, new FindCoordinatorHandler(broker, true));
    }

    private FindCoordinatorHandler(BrokerContext broker, boolean transactions) {
        this.broker = broker;
        this.transactions = transactions;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        FindCoordinatorRequestData req = request.body();
        return CompletableFuture.completedFuture(Response.of(
                request,
                GroupCoordinator.findCoordinator(
                        CoordinatorApiHandler.context(request),
                        req,
                        broker.nodeId(),
                        request.connection().listener().advertisedHost(),
                        request.connection().listener().advertisedPort(),
                        transactions)));
    }
}
