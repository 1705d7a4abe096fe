package io.tributary.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Sparse map from timestamp to offset in one segment: entries of (timestamp as long, offset -
 * baseOffset as int), 12 bytes each, with strictly increasing timestamps: "by offset o the
 * largest timestamp seen was t". The last entry of an inactive segment holds the segment's
 * largest timestamp. Threads as in {@link AbstractIndex}.
 */
final class TimeIndex extends AbstractIndex {
    static final int ENTRY_SIZE = 12;

    record Entry(long timestamp, long offset) {}

    TimeIndex(Path dir, String suffix, long baseOffset, int maxIndexSize, boolean writable) throws IOException {
        super(dir, LogSegment.TIME_INDEX_SUFFIX, suffix, baseOffset, maxIndexSize, ENTRY_SIZE, writable);
    }

    private static long timestamp(ByteBuffer m, int slot) {
        return m.getLong(slot * ENTRY_SIZE);
    }

    private static int relOffset(ByteBuffer m, int slot) {
        return m.getInt(slot * ENTRY_SIZE + 8);
    }

    /** The entry with the largest timestamp <= target, or (-1, baseOffset). */
    Entry lookup(long targetTimestamp) {
        int count = entries;
        ByteBuffer m = buffer();
        int slot = largestLowerBound(targetTimestamp, count, s -> timestamp(m, s));
        return slot < 0 ? new Entry(-1, baseOffset) : new Entry(timestamp(m, slot), baseOffset + relOffset(m, slot));
    }

    Entry lastEntry() {
        int count = entries;
        ByteBuffer m = buffer();
        return count == 0
                ? new Entry(-1, baseOffset)
                : new Entry(timestamp(m, count - 1), baseOffset + relOffset(m, count - 1));
    }

    /** Adds (timestamp, offset) if the timestamp is above the last entry's. Caller holds the append lock. */
    void maybeAppend(long timestamp, long offset) {
        int count = entries;
        Entry last = lastEntry();
        if (count > 0 && (timestamp <= last.timestamp() || offset < last.offset())) {
            return;
        }
        if (timestamp < 0 || isFull()) {
            return;
        }
        ByteBuffer m = bufferForSlot(count);
        m.putLong(count * ENTRY_SIZE, timestamp);
        m.putInt(count * ENTRY_SIZE + 8, (int) (offset - baseOffset));
        entries = count + 1;
    }

    /** Drops every entry pointing at offsets >= offset. */
    void truncateTo(long offset) {
        int count = entries;
        ByteBuffer m = buffer();
        int keep = 0;
        while (keep < count && baseOffset + relOffset(m, keep) < offset) {
            keep++;
        }
        truncateToEntries(keep);
    }

    @Override
    boolean sanityCheck(long logSize) {
        ByteBuffer m = buffer();
        int count = entries;
        if (untrusted || (long) count * ENTRY_SIZE > m.capacity()) {
            return false;
        }
        long prevTs = Long.MIN_VALUE;
        int prevRel = -1;
        for (int i = 0; i < count; i++) {
            long ts = timestamp(m, i);
            int rel = relOffset(m, i);
            if (ts <= prevTs || rel < prevRel || rel < 0 || ts < 0) {
                return false;
            }
            prevTs = ts;
            prevRel = rel;
        }
        return true;
    }
}
