package io.tributary.broker.network;

import io.netty.buffer.Unpooled;
import io.tributary.storage.FileRecordsSlice;

/** Turns file-backed record chunks of a response into Netty file regions (zero copy), or chunked reads under TLS. */
final class FileRegions {
    private FileRegions() {}

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
