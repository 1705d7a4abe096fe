package io.tributary.broker.security;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.tributary.broker.network.Connection;
import io.tributary.broker.network.FrameDecoder;
import io.tributary.protocol.Errors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits between the frame decoder and the request decoder of a SASL connection and lets through only what
 * {@link SaslSession} permits: before authentication ApiVersions and the SASL APIs (anything else closes the
 * connection unanswered, as Kafka does), after handshake v0 the raw SASL tokens it answers itself, and after a
 * session expires (KIP-368) only re-authentication. Until authenticated, frames are capped at
 * {@code sasl.server.max.receive.size}. One per connection, on its event loop.
 */
public final class SaslGate extends ChannelInboundHandlerAdapter {
    static final AttributeKey<SaslGate> KEY = AttributeKey.valueOf("tributary.sasl");
    private static final Logger LOG = LoggerFactory.getLogger(SaslGate.class);

    private final Connection connection;
    private final ListenerSasl sasl;
    private final SaslSession session;
    private final FrameDecoder frames;
    private boolean legacyLogged;

    SaslGate(Connection connection, ListenerSasl sasl, FrameDecoder frames) {
        this.connection = connection;
        this.sasl = sasl;
        this.session = sasl.newSession();
        this.frames = frames;
        frames.limit(sasl.maxReceiveSize(), ListenerSasl.SASL_SERVER_MAX_RECEIVE_SIZE);
    }

    SaslSession session() {
        return session;
    }

    ListenerSasl sasl() {
        return sasl;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        long now = System.currentTimeMillis();
        if (session.phase() == SaslSession.Phase.AWAIT_RAW_TOKEN) {
            byte[] token = new byte[frame.readableBytes()];
            frame.readBytes(token);
            frame.release();
            rawToken(ctx, token, now);
            return;
        }
        short apiKey = frame.readableBytes() >= 2 ? frame.getShort(frame.readerIndex()) : -1;
        if (!session.permits(apiKey, now)) {
            frame.release();
            LOG.warn(
                    "Closing connection from {} on listener {}: API key {} is not allowed in SASL state {}{}",
                    ctx.channel().remoteAddress(),
                    sasl.listenerName(),
                    apiKey,
                    session.phase(),
                    session.phase() == SaslSession.Phase.AUTHENTICATED ? " (the session expired)" : "");
            ctx.close();
            return;
        }
        ctx.fireChannelRead(frame);
    }

    /** Handshake v0's framing: a size-prefixed token each way, no Kafka header; a failure just closes. */
    private void rawToken(ChannelHandlerContext ctx, byte[] token, long now) {
        SaslSession.Step step = session.authenticate(token, now);
        if (step.error() != Errors.NONE) {
            failed(step.message());
            ctx.executor().schedule(() -> ctx.close(), sasl.failureDelayMs(), TimeUnit.MILLISECONDS);
            return;
        }
        if (session.phase() == SaslSession.Phase.AUTHENTICATED) {
            authenticated();
        }
        // As Kafka: every step's answer goes back as a frame, an empty one too (PLAIN's success).
        byte[] answer = step.token() == null ? new byte[0] : step.token();
        ctx.writeAndFlush(Unpooled.buffer(4 + answer.length)
                        .writeInt(answer.length)
                        .writeBytes(answer))
                .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }

    /** Called once the exchange completes: the connection now acts as the user. */
    void authenticated() {
        connection.principal(session.principal());
        frames.restoreLimit();
        if (session.acceptedLegacyNonce() && !legacyLogged) {
            legacyLogged = true;
            LOG.warn(
                    "Accepted {} from {} on listener {} with the doubled client nonce of librdkafka before 2.6.1 (set"
                            + " tributary.sasl.scram.legacy.nonce.enable=false to refuse such clients)",
                    session.mechanismName(),
                    connection.remoteAddress(),
                    sasl.listenerName());
        }
        LOG.debug(
                "Authenticated {} with {} from {} on listener {}",
                session.principal(),
                session.mechanismName(),
                connection.remoteAddress(),
                sasl.listenerName());
    }

    void failed(String reason) {
        LOG.info(
                "Failed authentication from {} on listener {} with {}: {}",
                connection.remoteAddress(),
                sasl.listenerName(),
                session.mechanismName(),
                reason);
    }
}
