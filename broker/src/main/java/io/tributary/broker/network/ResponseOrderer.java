package io.tributary.broker.network;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends responses in request order per connection, even when a later request (a metadata call)
 * finishes before an earlier one (a parked fetch), as the Kafka protocol requires. Numbers each
 * inbound request, holds completed responses until all earlier ones are out, and applies
 * back-pressure: reading stops while too many requests are in flight or the socket is not
 * writable. One instance per connection; all state is touched only by its event loop.
 */
public final class ResponseOrderer extends ChannelDuplexHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ResponseOrderer.class);

    private final int maxInFlight;
    private final Map<Long, Response> ready = new HashMap<>();
    private long nextSequence;
    private long nextToSend;
    private boolean closing;

    public ResponseOrderer(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Request request) {
            if (closing) {
                return;
            }
            request.sequence(nextSequence++);
            updateAutoRead(ctx);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof Response response)) {
            ctx.write(msg, promise);
            return;
        }
        promise.trySuccess();
        if (closing) {
            return;
        }
        ready.put(response.request().sequence(), response);
        boolean wrote = false;
        Response next;
        while ((next = ready.remove(nextToSend)) != null) {
            nextToSend++;
            switch (next.kind()) {
                case SEND -> {
                    ctx.write(next, ctx.voidPromise());
                    wrote = true;
                }
                case NONE -> {}
                case SEND_THEN_CLOSE -> {
                    LOG.info(
                            "Closing connection from {} after the response: {} ({})",
                            ctx.channel().remoteAddress(),
                            next.closeReason(),
                            next.request());
                    closing = true;
                    ready.clear();
                    ctx.writeAndFlush(next).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                case CLOSE -> {
                    LOG.warn(
                            "Closing connection from {}: {} ({})",
                            ctx.channel().remoteAddress(),
                            next.closeReason(),
                            next.request());
                    closing = true;
                    ready.clear();
                    ctx.flush();
                    ctx.close();
                    return;
                }
            }
        }
        if (wrote) {
            ctx.flush();
        }
        updateAutoRead(ctx);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        updateAutoRead(ctx);
        ctx.fireChannelWritabilityChanged();
    }

    private void updateAutoRead(ChannelHandlerContext ctx) {
        boolean read = !closing
                && nextSequence - nextToSend < maxInFlight
                && ctx.channel().isWritable();
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
        }
    }

    /** Requests received whose responses are not yet written (for tests and metrics). */
    public long inFlight() {
        return nextSequence - nextToSend;
    }
}
