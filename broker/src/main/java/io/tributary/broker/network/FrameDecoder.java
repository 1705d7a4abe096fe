package io.tributary.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits the byte stream into size-prefixed frames. A negative size or one above
 * socket.request.max.bytes is logged and the connection closed before any of it is buffered, as
 * Apache Kafka does. One instance per connection, used only by its event loop.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(FrameDecoder.class);

    private final int maxFrameBytes;
    private int limit;

    private final String listenerName;

    public FrameDecoder(int maxFrameBytes) {
        this(maxFrameBytes, "PLAINTEXT");
    }

    public FrameDecoder(int maxFrameBytes, String listenerName) {
        this.listenerName = listenerName;
        this.maxFrameBytes = maxFrameBytes;
        this.limit = maxFrameBytes;
    }

    /**
     * Lowers the accepted frame size until {@link #restoreLimit()}: before SASL authentication Kafka accepts at most
     * {@code sasl.server.max.receive.size} bytes, so an unauthenticated client cannot make the broker buffer 100 MB.
     */
    public void limit(int bytes, String keyName) {
        this.limit = Math.min(bytes, maxFrameBytes);
        this.limitKey = keyName;
    }

    public void restoreLimit() {
        this.limit = maxFrameBytes;
        this.limitKey = "socket.request.max.bytes";
    }

    private String limitKey = "socket.request.max.bytes";

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 4) {
            return;
        }
        int size = in.getInt(in.readerIndex());
        if (size < 0 || size > limit) {
            LOG.warn(
                    "Closing connection from {} on listener {}: invalid request size {} ({} is {})",
                    ctx.channel().remoteAddress(),
                    listenerName,
                    size,
                    limitKey,
                    limit);
            in.skipBytes(in.readableBytes());
            ctx.close();
            return;
        }
        if (in.readableBytes() < 4 + size) {
            return;
        }
        in.skipBytes(4);
        out.add(in.readRetainedSlice(size));
    }
}
