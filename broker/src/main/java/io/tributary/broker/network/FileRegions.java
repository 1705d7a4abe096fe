package io.tributary.broker.network;

import io.netty.buffer.Unpooled;
import io.tributary.storage.FileRecordsSlice;

/** Turns file-backed record chunks of a response into Netty file regions (zero copy). */
final class FileRegions {
    private FileRegions() {}

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
