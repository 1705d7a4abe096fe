package io.tributary.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.tributary.storage.FileRecordsSlice;
import java.io.IOException;

/** Turns file-backed record chunks of a response into Netty file regions (zero copy), or buffers under TLS. */
final class FileRegions {
    private FileRegions() {}

    /**
     * A file chunk read into a pooled buffer, for connections where sendfile cannot apply (TLS encrypts in user
     * space): the one copy of those bytes, page cache to buffer.
     */
    static ByteBuf toBuffer(ByteBufAllocator alloc, Object chunk) throws IOException {
        if (chunk instanceof FileRecordsSlice slice) {
            if (slice.sizeInBytes() == 0 || slice.channel() == null) {
                return Unpooled.EMPTY_BUFFER;
            }
            ByteBuf buf = alloc.directBuffer(slice.sizeInBytes());
            try {
                long position = slice.position();
                while (buf.isWritable()) {
                    int n = buf.writeBytes(slice.channel(), position, buf.writableBytes());
                    if (n < 0) {
                        throw new IOException("log segment ended at " + position + " before "
                                + (slice.position() + slice.sizeInBytes()));
                    }
                    position += n;
                }
                return buf;
            } catch (IOException | RuntimeException e) {
                buf.release();
                throw e;
            }
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
