package io.tributary.storage;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A memory-mapped file of fixed-size entries sorted by offset, relative to a segment's base
 * offset. The active segment's index is pre-allocated to the maximum size and trimmed to its
 * entries when the segment becomes inactive or closes, so a file length that is not a whole
 * number of entries, or zero-filled entries, reveal an unclean shutdown.
 *
 * <p>Threads: one writer at a time (the owning log's append lock); readers run concurrently and
 * see entries below the volatile entry count, which is raised only after the entry is written.
 * Remapping keeps the old mapping valid for the entries readers may still look at (the file only
 * shrinks past the last entry).
 */
abstract class AbstractIndex {
    protected volatile Path file;
    protected final long baseOffset;
    protected final int entrySize;
    /** The file was not a whole number of entries when opened: torn or foreign, never trusted (as Kafka). */
    protected final boolean misaligned;

    private final int maxEntries;
    protected volatile MappedByteBuffer mmap;
    protected volatile int entries;

    protected AbstractIndex(Path file, long baseOffset, int maxIndexSize, int entrySize, boolean writable)
            throws IOException {
        this.file = file;
        this.baseOffset = baseOffset;
        this.entrySize = entrySize;
        this.maxEntries = Math.max(1, maxIndexSize / entrySize);
        boolean existed = Files.exists(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long length = raf.length();
            int existing = existed ? (int) (length / entrySize) : 0;
            misaligned = existed && length % entrySize != 0;
            if (writable) {
                raf.setLength((long) Math.max(maxEntries, existing) * entrySize);
            }
            entries = existing;
            mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, raf.length());
        }
    }

    Path file() {
        return file;
    }

    /**
     * Renames the file (the cleaner's {@code .cleaned} to {@code .swap} to the final name); the
     * mapping stays valid, later resizes open the new name.
     */
    synchronized void renameTo(Path target) throws IOException {
        if (Files.exists(file)) {
            Files.move(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        file = target;
    }

    int entries() {
        return entries;
    }

    boolean isFull() {
        return entries >= maxEntries || (long) (entries + 1) * entrySize > mmap.capacity();
    }

    /** Largest slot whose key is <= target, or -1; the key comparison is supplied by the subclass. */
    protected int largestLowerBound(long target, int count, KeyReader key) {
        int lo = 0;
        int hi = count - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (key.at(mid) <= target) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    @FunctionalInterface
    protected interface KeyReader {
        long at(int slot);
    }

    /** Shrinks the file to the entries it holds (segment becoming inactive, or close). */
    synchronized void trimToValidSize() throws IOException {
        resize((long) entries * entrySize);
    }

    /** Grows the file back to the maximum size so the segment can take entries again. */
    synchronized void resizeToMax() throws IOException {
        resize((long) Math.max(maxEntries, entries) * entrySize);
    }

    private void resize(long newLength) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            if (raf.length() != newLength) {
                mmap.force();
                raf.setLength(newLength);
                mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, newLength);
            }
        }
    }

    synchronized void flush() {
        mmap.force();
    }

    /** Drops entries from slot on (truncation). */
    void truncateToEntries(int count) {
        entries = Math.min(entries, Math.max(0, count));
    }

    void reset() throws IOException {
        entries = 0;
        resizeToMax();
    }

    /** Checks the invariants an intact file keeps; false means it must be rebuilt. */
    abstract boolean sanityCheck(long logSize);
}
