package io.tributary.broker.group;

import io.tributary.broker.extension.BrokerContext;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.coordinator.GroupCoordinator;
import io.tributary.protocol.message.FindCoordinatorRequestData;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * FindCoordinator v0-4 (v4 batches keys, each answered on its own): this node, at its
 * advertised address, coordinates every group; transaction keys get COORDINATOR_NOT_AVAILABLE.
 * Answered on the event loop without touching the coordinator. Stateless.
 */
final class FindCoordinatorHandler implements ApiHandler {
    private final BrokerContext broker;

    FindCoordinatorHandler(BrokerContext broker) {
        this.broker = broker;
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
                        request.connection().listener().advertisedPort())));
    }
}
