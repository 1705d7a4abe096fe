package io.tributary.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.tributary.protocol.ApiMessage;
import io.tributary.protocol.ProtocolException;
import io.tributary.protocol.ProtocolReader;
import io.tributary.protocol.message.ApiMessageType;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a frame into a {@link Request}: request header v1/v2, version checks, body parsing.
 * An unknown API key, an unserved version (other than ApiVersions) or an unparseable request is
 * logged and the connection closed without a reply, as Apache Kafka does. ApiVersions at an
 * unknown version is passed on with no body so its handler can answer in the v0 layout.
 * One instance per connection, used only by its event loop.
 */
public final class RequestDecoder extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(RequestDecoder.class);

    private final ApiRegistry registry;
    private final Connection connection;

    public RequestDecoder(ApiRegistry registry, Connection connection) {
        this.registry = registry;
        this.connection = connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (!ctx.channel().isActive()) {
            frame.release();
            return;
        }
        ByteBuffer body;
        boolean inPlace = isProduce(frame) && frame.nioBufferCount() == 1;
        if (inPlace) {
            // Produce is parsed in place: its records stay slices of the network frame, which the
            // request holds until the (synchronous) append has written them, so the record bytes
            // are not copied again on the way to the segment (and a direct frame needs no
            // temporary direct copy in FileChannel.write either).
            body = frame.nioBuffer();
        } else {
            // Other requests may keep parts of their body beyond the handler call: one copy into the heap.
            byte[] bytes = new byte[frame.readableBytes()];
            try {
                frame.readBytes(bytes);
            } finally {
                frame.release();
            }
            body = ByteBuffer.wrap(bytes);
        }
        int size = body.remaining();
        Request request;
        try {
            request = decode(ctx, body);
        } catch (RuntimeException e) {
            if (inPlace) {
                frame.release();
            }
            LOG.warn(
                    "Closing connection from {}: malformed request ({} bytes): {}",
                    ctx.channel().remoteAddress(),
                    size,
                    e.getMessage());
            ctx.close();
            return;
        }
        if (inPlace) {
            if (request == null) {
                frame.release();
                return;
            }
            request.holdFrame(frame);
        }
        if (request != null) {
            ctx.fireChannelRead(request);
        }
    }

    private static boolean isProduce(ByteBuf frame) {
        return frame.readableBytes() >= 2 && frame.getShort(frame.readerIndex()) == ApiMessageType.PRODUCE.apiKey();
    }

    private Request decode(ChannelHandlerContext ctx, ByteBuffer bytes) {
        ProtocolReader r = new ProtocolReader(bytes);
        short key = r.readShort();
        short version = r.readShort();
        int correlationId = r.readInt();
        String clientId = r.readString();
        ApiSupport.Api api = ApiSupport.api(key);
        if (api == null || !registry.isRegistered(key)) {
            LOG.warn(
                    "Closing connection from {}: unknown or unsupported API key {} (version {}, correlation id {}, client {})",
                    ctx.channel().remoteAddress(),
                    key,
                    version,
                    correlationId,
                    clientId);
            ctx.close();
            return null;
        }
        if (!api.isServed(version)) {
            if (api.type() == ApiMessageType.API_VERSIONS && version > api.advertisedMax()) {
                LOG.info(
                        "ApiVersions v{} from {} (client {}) is newer than we know; answering with the supported range",
                        version,
                        ctx.channel().remoteAddress(),
                        clientId);
                return new Request(key, version, correlationId, clientId, null, ctx.channel(), connection);
            }
            LOG.warn(
                    "Closing connection from {}: {} version {} is not supported (correlation id {}, client {})",
                    ctx.channel().remoteAddress(),
                    api.name(),
                    version,
                    correlationId,
                    clientId);
            ctx.close();
            return null;
        }
        if (api.isFlexible(version)) {
            skipTaggedFields(r);
        }
        ApiMessage body = api.type().newRequest();
        try {
            body.read(r, version);
        } catch (RuntimeException e) {
            throw new ProtocolException(api.name() + " v" + version + " (correlation id " + correlationId + ", client "
                    + clientId + "): " + e.getMessage());
        }
        return new Request(key, version, correlationId, clientId, body, ctx.channel(), connection);
    }

    private static void skipTaggedFields(ProtocolReader r) {
        int count = r.readUnsignedVarint();
        for (int i = 0; i < count; i++) {
            r.readUnsignedVarint();
            r.skip(r.readUnsignedVarint());
        }
    }
}
