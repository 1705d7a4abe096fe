package io.tributary.protocol.record;

import java.nio.ByteBuffer;

/** Record batches held in a ByteBuffer (position to limit). The buffer is shared, not copied. */
public class MemoryRecords implements BaseRecords {
    public static final MemoryRecords EMPTY = new MemoryRecords(ByteBuffer.allocate(0));

    private final ByteBuffer buffer;

    public MemoryRecords(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    /** A duplicate view: callers may move its position freely. */
    public ByteBuffer buffer() {
        return buffer.duplicate();
    }

    @Override
    public int sizeInBytes() {
        return buffer.remaining();
    }

    @Override
    public String toString() {
        return "MemoryRecords(" + sizeInBytes() + " bytes)";
    }
}
