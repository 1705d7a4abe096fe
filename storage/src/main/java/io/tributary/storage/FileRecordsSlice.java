package io.tributary.storage;

import io.tributary.protocol.record.BaseRecords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Whole record batches as a region of a segment file: the bytes a Fetch response sends without
 * copying them through the heap (the broker wraps channel/position/size in a file region).
 * The channel belongs to the segment: whoever sends the slice must not close it. Immutable.
 */
public final class FileRecordsSlice implements BaseRecords {
    public static final FileRecordsSlice EMPTY = new FileRecordsSlice(null, 0, 0, -1);

    private final FileChannel channel;
    private final long position;
    private final int size;
    private final long firstOffset;

    FileRecordsSlice(FileChannel channel, long position, int size, long firstOffset) {
        this.channel = channel;
        this.position = position;
        this.size = size;
        this.firstOffset = firstOffset;
    }

    /** The segment's channel; null for an empty slice. Never close it. */
    public FileChannel channel() {
        return channel;
    }

    /** Where the slice starts in the file. */
    public long position() {
        return position;
    }

    @Override
    public int sizeInBytes() {
        return size;
    }

    /** Base offset of the first batch in the slice, or -1 when empty. */
    public long firstOffset() {
        return firstOffset;
    }

    /**
     * Sends part of the slice to a channel (zero-copy through transferTo), starting {@code offset}
     * bytes into the slice; returns the bytes written, which may be fewer than asked.
     */
    public long transferTo(WritableByteChannel target, long offset, long count) throws IOException {
        long n = Math.min(count, size - offset);
        return n <= 0 ? 0 : channel.transferTo(position + offset, n, target);
    }

    /** Copies the slice into dst (for tests and for callers that need heap bytes). */
    public void readInto(ByteBuffer dst) {
        if (dst.remaining() < size) {
            throw new IllegalArgumentException("buffer has " + dst.remaining() + " bytes, slice is " + size);
        }
        try {
            ByteBuffer view = dst.slice(dst.position(), size);
            long pos = position;
            while (view.hasRemaining()) {
                int n = channel.read(view, pos);
                if (n < 0) {
                    throw new IOException("unexpected end of segment file");
                }
                pos += n;
            }
            dst.position(dst.position() + size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new heap buffer holding a copy of the slice, positioned at 0. */
    public ByteBuffer toByteBuffer() {
        ByteBuffer b = ByteBuffer.allocate(size);
        if (size > 0) {
            readInto(b);
        }
        return b.flip();
    }

    @Override
    public String toString() {
        return "FileRecordsSlice(position=" + position + ", size=" + size + ", firstOffset=" + firstOffset + ")";
    }
}
