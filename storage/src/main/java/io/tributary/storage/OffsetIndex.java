package io.tributary.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Sparse map from offset to file position in one segment: entries of (offset - baseOffset as
 * int, position as int), 8 bytes each, the first offset of a batch and where that batch starts.
 * An entry is added at most every {@code index.interval.bytes}. Threads as in {@link AbstractIndex}.
 */
final class OffsetIndex extends AbstractIndex {
    static final int ENTRY_SIZE = 8;

    /** The lookup result: a batch start at or before the target. */
    record Entry(long offset, int position) {}

    OffsetIndex(Path dir, String suffix, long baseOffset, int maxIndexSize, boolean writable) throws IOException {
        super(dir, LogSegment.INDEX_SUFFIX, suffix, baseOffset, maxIndexSize, ENTRY_SIZE, writable);
    }

    private static int relOffset(ByteBuffer m, int slot) {
        return m.getInt(slot * ENTRY_SIZE);
    }

    private static int position(ByteBuffer m, int slot) {
        return m.getInt(slot * ENTRY_SIZE + 4);
    }

    /** The indexed batch start with the largest offset <= target, or (baseOffset, 0). */
    Entry lookup(long target) {
        int count = entries;
        ByteBuffer m = buffer();
        int slot = largestLowerBound(target - baseOffset, count, s -> relOffset(m, s));
        return slot < 0 ? new Entry(baseOffset, 0) : new Entry(baseOffset + relOffset(m, slot), position(m, slot));
    }

    /** The indexed batch start with the largest position <= target position, or (baseOffset, 0). */
    Entry lookupByPosition(long targetPosition) {
        int count = entries;
        ByteBuffer m = buffer();
        int slot = largestLowerBound(targetPosition, count, s -> position(m, s));
        return slot < 0 ? new Entry(baseOffset, 0) : new Entry(baseOffset + relOffset(m, slot), position(m, slot));
    }

    Entry lastEntry() {
        int count = entries;
        ByteBuffer m = buffer();
        return count == 0
                ? new Entry(baseOffset, 0)
                : new Entry(baseOffset + relOffset(m, count - 1), position(m, count - 1));
    }

    /** Appends an entry; offsets must increase. Caller holds the log's append lock. */
    void append(long offset, int position) {
        int count = entries;
        // A sparse index may skip an entry; a non-increasing one would break lookups.
        if ((count > 0 && offset <= lastEntry().offset()) || offset < baseOffset || isFull()) {
            return;
        }
        ByteBuffer m = bufferForSlot(count);
        m.putInt(count * ENTRY_SIZE, (int) (offset - baseOffset));
        m.putInt(count * ENTRY_SIZE + 4, position);
        entries = count + 1;
    }

    /** Drops every entry for offsets >= offset. */
    void truncateTo(long offset) {
        int count = entries;
        ByteBuffer m = buffer();
        int slot = largestLowerBound(offset - baseOffset - 1, count, s -> relOffset(m, s));
        truncateToEntries(slot + 1);
    }

    @Override
    boolean sanityCheck(long logSize) {
        ByteBuffer m = buffer();
        int count = entries;
        if (untrusted || (long) count * ENTRY_SIZE > m.capacity()) {
            return false;
        }
        long prevOffset = -1;
        long prevPos = -1;
        for (int i = 0; i < count; i++) {
            int rel = relOffset(m, i);
            int pos = position(m, i);
            if (rel <= prevOffset || pos <= prevPos || pos >= logSize || rel < 0) {
                return false;
            }
            prevOffset = rel;
            prevPos = pos;
        }
        return true;
    }
}
