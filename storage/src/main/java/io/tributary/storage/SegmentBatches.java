package io.tributary.storage;

import io.tributary.protocol.record.RecordBatchHeader;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Sequential reading of every whole batch of an inactive segment in large chunks, for the
 * cleaner (reads of fetches go through the offset index one slice at a time instead).
 *
 * <p>Stateless; the segment must not change while it is read (inactive segments do not).
 */
final class SegmentBatches {
    private SegmentBatches() {}

    @FunctionalInterface
    interface BatchVisitor {
        /** Sees one batch at index 0 of a buffer it may keep until it returns; false stops. */
        boolean visit(ByteBuffer batch) throws IOException;
    }

    /** Visits the batches in order, read chunkSize bytes at a time (a larger batch alone). */
    static void forEach(LogSegment seg, int chunkSize, BatchVisitor visitor) throws IOException {
        int limit = seg.size();
        ByteBuffer chunk = ByteBuffer.allocate(Math.max(chunkSize, RecordBatchHeader.SIZE));
        long pos = 0;
        while (pos + RecordBatchHeader.SIZE <= limit) {
            chunk.clear();
            chunk.limit((int) Math.min(chunk.capacity(), limit - pos));
            if (!seg.reader().readAt(chunk, pos)) {
                throw new IOException("short read at " + pos + " in " + seg.logFile());
            }
            chunk.flip();
            int off = 0;
            while (chunk.limit() - off >= RecordBatchHeader.SIZE) {
                int total = RecordBatchHeader.totalSize(chunk, off);
                if (total < RecordBatchHeader.SIZE) {
                    throw new IOException("invalid batch length " + total + " at " + (pos + off) + " in " + seg);
                }
                if (off + total > chunk.limit()) {
                    if (off == 0) {
                        ByteBuffer big = ByteBuffer.allocate(total);
                        if (!seg.reader().readAt(big, pos)) {
                            throw new IOException("short read of batch at " + pos + " in " + seg.logFile());
                        }
                        if (!visitor.visit(big.flip())) {
                            return;
                        }
                        off = total;
                    }
                    break;
                }
                if (!visitor.visit(chunk.slice(off, total))) {
                    return;
                }
                off += total;
            }
            pos += off;
        }
    }
}
