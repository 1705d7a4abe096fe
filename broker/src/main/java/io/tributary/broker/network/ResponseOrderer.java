package io.tributary.broker.network;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends responses in request order per connection, even when a later request (a metadata call)
 * finishes before an earlier one (a parked fetch), as the Kafka protocol requires. Numbers each
 * inbound request, holds completed responses until all earlier ones are out, and applies
 * back-pressure: reading stops while too many requests are in flight, while the socket is not
 * writable (the outbound buffer is above its high water mark: a client that pipelines requests and
 * never reads its responses), or while the broker's {@link RequestQueue} is full: a request read then
 * waits here, with the ones behind it, until the queue has room, as Kafka's processor blocks on a
 * full request queue. Completed responses
 * are not encoded while the socket is not writable, so a connection holds at most its in-flight
 * bound of responses plus one water mark of encoded bytes. One instance per connection; all state
 * is touched only by its event loop.
 */
public final class ResponseOrderer extends ChannelDuplexHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ResponseOrderer.class);

    /** A connection paused by a full request queue, resumed on its own event loop. */
    interface Resumable {
        void resume();
    }

    private final int maxInFlight;
    private final RequestQueue queue;
    private final Map<Long, Response> ready = new HashMap<>();
    private final Set<Long> counted = new HashSet<>();
    private final Deque<Request> held = new ArrayDeque<>();
    private long nextSequence;
    private long nextToSend;
    private boolean closing;
    private ChannelHandlerContext ctx;
    private final Resumable resumable = () -> {
        ChannelHandlerContext c = this.ctx;
        if (c != null) {
            c.executor().execute(() -> {
                dispatchHeld(c);
                updateAutoRead(c);
            });
        }
    };

    public ResponseOrderer(int maxInFlight) {
        this(maxInFlight, RequestQueue.unbounded());
    }

    public ResponseOrderer(int maxInFlight, RequestQueue queue) {
        this.maxInFlight = maxInFlight;
        this.queue = queue;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseAll();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseAll();
        ctx.fireChannelInactive();
    }

    private void releaseAll() {
        queue.forget(resumable);
        queue.release(counted.size());
        counted.clear();
        ready.clear();
        for (Request r : held) {
            r.releaseFrame();
        }
        held.clear();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Request request) {
            if (closing) {
                request.releaseFrame();
                return;
            }
            request.sequence(nextSequence++);
            held.add(request);
            dispatchHeld(ctx);
            updateAutoRead(ctx);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** Passes held requests on, in order, while the request queue takes the counted ones. */
    private void dispatchHeld(ChannelHandlerContext ctx) {
        Request next;
        while (!closing && ctx.channel().isActive() && (next = held.peek()) != null) {
            if (RequestQueue.counted(next.apiKey())) {
                if (!queue.tryAcquire()) {
                    if (queue.pause(resumable)) {
                        return;
                    }
                    continue;
                }
                counted.add(next.sequence());
            }
            held.poll();
            ctx.fireChannelRead(next);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof Response response)) {
            ctx.write(msg, promise);
            return;
        }
        promise.trySuccess();
        if (counted.remove(response.request().sequence())) {
            queue.release(1);
        }
        if (closing) {
            return;
        }
        ready.put(response.request().sequence(), response);
        drain(ctx);
    }

    private void drain(ChannelHandlerContext ctx) {
        boolean wrote = false;
        Response next;
        while (ctx.channel().isWritable() && (next = ready.remove(nextToSend)) != null) {
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
        if (ctx.channel().isWritable() && !closing) {
            drain(ctx);
        } else {
            updateAutoRead(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void updateAutoRead(ChannelHandlerContext ctx) {
        boolean read = !closing
                && nextSequence - nextToSend < maxInFlight
                && ctx.channel().isWritable()
                && held.isEmpty();
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
        }
    }

    /** Requests received whose responses are not yet written (for tests and metrics). */
    public long inFlight() {
        return nextSequence - nextToSend;
    }
}
