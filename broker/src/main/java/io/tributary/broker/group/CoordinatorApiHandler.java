package io.tributary.broker.group;

import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.coordinator.RequestContext;
import io.tributary.protocol.ApiMessage;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * Serves one group API that needs no broker-side checks by handing the request to the
 * coordinator (JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetFetch, DescribeGroups,
 * ListGroups, DeleteGroups: one instance per API). The coordinator's future completes on its
 * own thread or the log flusher; the dispatcher re-enters the connection's event loop to write
 * the response. Stateless.
 */
final class CoordinatorApiHandler<Q extends ApiMessage, R extends ApiMessage> implements ApiHandler {
    private final BiFunction<RequestContext, Q, CompletableFuture<R>> call;

    CoordinatorApiHandler(BiFunction<RequestContext, Q, CompletableFuture<R>> call) {
        this.call = call;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        Q body = request.body();
        return call.apply(context(request), body).thenApply(r -> Response.of(request, r));
    }

    /** Who sent the request: Kafka shows the client host as "/" + address in DescribeGroups. */
    static RequestContext context(Request request) {
        SocketAddress remote = request.channel().remoteAddress();
        String host = remote instanceof InetSocketAddress isa && isa.getAddress() != null
                ? "/" + isa.getAddress().getHostAddress()
                : String.valueOf(remote);
        return new RequestContext(request.apiVersion(), request.clientId(), host);
    }
}
