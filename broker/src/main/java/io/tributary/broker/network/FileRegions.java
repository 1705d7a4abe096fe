package io.tributary.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.tributary.storage.FileRecordsSlice;
import java.util.List;

/**
 * Turns file-backed record chunks of a response into Netty file regions (zero copy), chunked reads under TLS, or,
 * for small responses, direct buffers read whole.
 */
final class FileRegions {
    /**
     * Up to this many log-segment bytes per response are copied into the response instead of sent
     * with sendfile: below it the copy (about a microsecond per 4 KiB) costs less than the extra
     * syscalls and segments, and small fetches (a consumer at the log end) are the latency path.
     */
    static final int INLINE_MAX_BYTES = 16 * 1024;

    private FileRegions() {}

    /** Log-segment bytes among a response's chunks. */
    static long fileBytes(List<Object> chunks) {
        long n = 0;
        for (Object chunk : chunks) {
            if (chunk instanceof FileRecordsSlice slice) {
                n += slice.sizeInBytes();
            }
        }
        return n;
    }

    /** A file chunk read into a direct buffer from the channel's allocator (the caller releases it). */
    static ByteBuf toBuffer(ByteBufAllocator alloc, Object chunk) {
        if (chunk instanceof FileRecordsSlice slice) {
            int size = slice.sizeInBytes();
            if (size == 0 || slice.channel() == null) {
                return Unpooled.EMPTY_BUFFER;
            }
            ByteBuf buf = alloc.directBuffer(size, size);
            try {
                slice.readInto(buf.internalNioBuffer(0, size));
            } catch (RuntimeException e) {
                buf.release();
                throw e;
            }
            return buf.writerIndex(size);
        }
        throw new IllegalStateException(
                "unsupported response chunk " + chunk.getClass().getName());
    }

    /**
     * A file chunk as 64 KiB pieces read while the socket can take them, for connections where sendfile cannot
     * apply (TLS encrypts in user space); needs a ChunkedWriteHandler between the encoder and the TLS handler.
     */
    static Object toChunks(Object chunk) {
        if (chunk instanceof FileRecordsSlice slice) {
            if (slice.sizeInBytes() == 0 || slice.channel() == null) {
                return Unpooled.EMPTY_BUFFER;
            }
            return new ChunkedSlice(slice.channel(), slice.position(), slice.sizeInBytes());
        }
        throw new IllegalStateException(
                "unsupported response chunk " + chunk.getClass().getName());
    }

    static Object toRegion(Object chunk) {
        if (chunk instanceof FileRecordsSlice slice) {
            if (slice.sizeInBytes() == 0 || slice.channel() == null) {
                return Unpooled.EMPTY_BUFFER;
            }
            return new SharedFileRegion(slice.channel(), slice.position(), slice.sizeInBytes());
        }
        throw new IllegalStateException(
                "unsupported response chunk " + chunk.getClass().getName());
    }
}
