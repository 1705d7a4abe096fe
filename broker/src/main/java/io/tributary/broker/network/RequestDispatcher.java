package io.tributary.broker.network;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each request to the handler registered for its API and writes the response back into the
 * pipeline (through the orderer) whenever it completes. A handler that throws gets the connection
 * closed and a log line; other connections are unaffected. Shared by all connections; stateless.
 */
@io.netty.channel.ChannelHandler.Sharable
public final class RequestDispatcher extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);

    private final ApiRegistry registry;

    public RequestDispatcher(ApiRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Request request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        CompletionStage<Response> stage;
        try {
            stage = registry.handler(request.apiKey()).handle(request);
        } catch (RuntimeException e) {
            LOG.error("Handler for {} failed", request, e);
            ctx.write(Response.close(request, "handler failed: " + e), ctx.voidPromise());
            return;
        } finally {
            // Handlers read the body only during handle(): Produce has appended (copied) its records by now.
            request.releaseFrame();
        }
        stage.whenComplete((response, error) -> {
            Response r = response;
            if (error != null) {
                LOG.error("Handler for {} failed", request, error);
                r = Response.close(request, "handler failed: " + error);
            } else if (r == null) {
                r = Response.none(request);
            }
            send(ctx, r);
        });
    }

    private static void send(ChannelHandlerContext ctx, Response r) {
        if (ctx.executor().inEventLoop()) {
            ctx.write(r, ctx.voidPromise());
        } else {
            // A write from another thread (a flush completing) is queued lazily by Netty and
            // would wait for the next I/O event; execute() wakes the event loop now.
            ctx.executor().execute(() -> ctx.write(r, ctx.voidPromise()));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn("Closing connection from {} after an error: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
