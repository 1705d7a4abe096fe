package io.tributary.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import io.tributary.protocol.ProtocolWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serialises a {@link Response}: size prefix, response header v0/v1, body. In-memory chunks go
 * out as wrapped buffers (no copy); log-segment chunks become file regions that the kernel sends
 * straight from the page cache, or, under TLS, {@link ChunkedSlice}s read 64 KiB at a time as the
 * socket drains. A response whose log-segment chunks are small in all is read whole into direct
 * memory instead, so the transport sends it in one gathering write (one TCP segment, one wake-up of
 * the client) rather than a write, a sendfile per slice and a write of the trailing fields. Shared by all connections; stateless.
 */
@io.netty.channel.ChannelHandler.Sharable
public final class ResponseEncoder extends ChannelOutboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ResponseEncoder.class);

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof Response response)) {
            ctx.write(msg, promise);
            return;
        }
        List<Object> chunks;
        int size;
        try {
            ProtocolWriter w = new ProtocolWriter(512);
            w.writeInt(response.request().correlationId());
            if (response.flexibleHeader()) {
                w.writeUnsignedVarint(0);
            }
            response.body().write(w, response.bodyVersion());
            size = w.size();
            chunks = w.chunks();
        } catch (RuntimeException e) {
            LOG.error(
                    "Closing connection from {}: cannot encode the response to {}",
                    ctx.channel().remoteAddress(),
                    response.request(),
                    e);
            promise.tryFailure(e);
            ctx.close();
            return;
        }
        int n = chunks.size();
        // The size prefix and the first in-memory chunk go out in one pooled direct buffer: the
        // copy Netty would make of a heap buffer anyway, without a composite or a second write
        // (each write costs a promise listener in IdleStateHandler).
        int first = chunks.get(0) instanceof ByteBuffer bb ? bb.remaining() : 0;
        ByteBuf head = ctx.alloc().ioBuffer(4 + first).writeInt(size);
        if (first > 0) {
            head.writeBytes(((ByteBuffer) chunks.get(0)).duplicate());
        }
        if (n == 1 && first > 0) {
            ctx.write(head, promise);
            return;
        }
        boolean tls = response.request().connection().listener().protocol().tls();
        boolean inline = !tls && FileRegions.fileBytes(chunks) <= FileRegions.INLINE_MAX_BYTES;
        List<Object> out = new ArrayList<>(n);
        try {
            for (Object chunk : first > 0 ? chunks.subList(1, n) : chunks) {
                if (chunk instanceof ByteBuffer bb) {
                    out.add(Unpooled.wrappedBuffer(bb));
                } else if (inline) {
                    out.add(FileRegions.toBuffer(ctx.alloc(), chunk));
                } else {
                    out.add(tls ? FileRegions.toChunks(chunk) : FileRegions.toRegion(chunk));
                }
            }
        } catch (RuntimeException e) {
            head.release();
            out.forEach(ReferenceCountUtil::release);
            LOG.error(
                    "Closing connection from {}: cannot read the records of the response to {}",
                    ctx.channel().remoteAddress(),
                    response.request(),
                    e);
            promise.tryFailure(e);
            ctx.close();
            return;
        }
        ctx.write(head, out.isEmpty() ? promise : ctx.voidPromise());
        for (int i = 0; i < out.size(); i++) {
            ctx.write(out.get(i), i == out.size() - 1 ? promise : ctx.voidPromise());
        }
    }
}
