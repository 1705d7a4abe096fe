package io.tributary.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * A log-segment slice sent in 64 KiB chunks read when the socket can take them, for TLS connections, where
 * sendfile cannot apply. Netty's ChunkedWriteHandler pulls a chunk only while the channel is writable, so a
 * connection holds at most its write water mark plus one chunk of record bytes, however big the fetch: reading
 * the whole slice into one buffer let 100 TLS consumers fetching 50 MiB each hold 5 GB. Unlike Netty's
 * ChunkedNioFile it never closes the channel, which belongs to the segment and is shared by other fetches.
 * Used by one connection's event loop.
 */
final class ChunkedSlice implements ChunkedInput<ByteBuf> {
    static final int CHUNK = 64 * 1024;

    private final FileChannel file;
    private final long start;
    private final long end;
    private long position;

    ChunkedSlice(FileChannel file, long start, long length) {
        this.file = file;
        this.start = start;
        this.end = start + length;
        this.position = start;
    }

    @Override
    public boolean isEndOfInput() {
        return position >= end;
    }

    @Override
    public void close() {
        // The channel belongs to the log segment.
    }

    @Override
    @Deprecated
    public ByteBuf readChunk(ChannelHandlerContext ctx) throws IOException {
        return readChunk(ctx.alloc());
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) throws IOException {
        if (isEndOfInput()) {
            return null;
        }
        int size = (int) Math.min(CHUNK, end - position);
        ByteBuf buf = allocator.directBuffer(size);
        try {
            while (buf.isWritable()) {
                int n = buf.writeBytes(file, position, buf.writableBytes());
                if (n < 0) {
                    throw new IOException("log segment ended at " + position + " before " + end);
                }
                position += n;
            }
            return buf;
        } catch (IOException | RuntimeException e) {
            buf.release();
            throw e;
        }
    }

    @Override
    public long length() {
        return end - start;
    }

    @Override
    public long progress() {
        return position - start;
    }
}
