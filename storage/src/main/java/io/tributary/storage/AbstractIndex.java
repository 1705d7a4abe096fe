package io.tributary.storage;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file of fixed-size entries sorted by offset, relative to a segment's base offset.
 *
 * <p>The active segment's entries live in a heap buffer and reach the file when the segment
 * becomes inactive or closes (written, trimmed to the entries and forced); an inactive index is
 * memory-mapped. Appending through a mapping of the preallocated, sparse file cost a page fault
 * per first touch of each page, and on ext4 waits for pages under writeback, all under the log's
 * append lock (issue 16's produce profile: ~12% of broker CPU). While the segment is active the
 * file stays preallocated to the maximum size and zero-filled: after a crash a file length
 * that is not a whole number of entries, or zero entries, make the loader rebuild the index
 * from the log, which it does for the newest segment after every unclean shutdown anyway.
 *
 * <p>Threads: one writer at a time (the owning log's append lock); readers run concurrently and
 * see entries below the volatile entry count, which is raised only after the entry is written.
 * A buffer is replaced only after it holds every entry below the count (growth copies them; the
 * file only shrinks past the last entry), so readers may keep using the buffer they read.
 */
abstract class AbstractIndex {
    /**
     * An idle partition's active indexes hold no entry (one per log.index.interval.bytes appended): 64 entries made
     * both heap copies 1.3 KiB of every partition's ~4 KiB live heap (issue 16's scale profile). Growth doubles.
     */
    private static final int INITIAL_HEAP_ENTRIES = 8;

    /** An active index with no entry yet (an idle partition's) shares this; the first entry grows it. */
    private static final ByteBuffer NO_ENTRIES = ByteBuffer.allocate(0);

    /** The segment's directory (the log's Path object, shared) and the file's type suffix. */
    private final Path dir;

    private final String type;
    /** What follows the type in the file's name now ({@code ""}, {@code .cleaned}, {@code .swap}, {@code .deleted}). */
    private volatile String suffix;

    protected final long baseOffset;
    protected final int entrySize;
    /**
     * Never trusted, so the loader rebuilds the index: the file was not a whole number of entries
     * when opened (torn or foreign, as Kafka), or an active one was still preallocated (never
     * trimmed: the broker stopped without closing the segment).
     */
    protected volatile boolean untrusted;

    private final int maxEntries;
    /** Heap buffer while active, mapping of the trimmed file while inactive; see {@link #buffer()}. */
    private volatile ByteBuffer buf;
    /** Whether {@link #buf} is the active segment's heap copy (the file is then only preallocated). */
    private volatile boolean onHeap;
    /** Bytes the index may hold: what {@link #isFull} compares with. */
    private volatile long capacityBytes;

    protected volatile int entries;

    protected AbstractIndex(
            Path dir, String type, String suffix, long baseOffset, int maxIndexSize, int entrySize, boolean writable)
            throws IOException {
        this.dir = dir;
        this.type = type;
        this.suffix = suffix;
        this.baseOffset = baseOffset;
        Path file = file();
        this.entrySize = entrySize;
        this.maxEntries = Math.max(1, maxIndexSize / entrySize);
        boolean existed = Files.exists(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long length = raf.length();
            int existing = existed ? (int) (length / entrySize) : 0;
            // A preallocated file holds zero entries past the real ones, which the sanity check
            // rejects anyway; not reading it saves a heap copy of the whole maximum size.
            boolean preallocated = writable && existing > 0 && existing >= maxEntries;
            untrusted = (existed && length % entrySize != 0) || preallocated;
            if (preallocated) {
                existing = 0;
            }
            entries = existing;
            if (writable) {
                buf = readEntries(raf.getChannel(), existing);
                onHeap = true;
                capacityBytes = (long) Math.max(maxEntries, existing) * entrySize;
                raf.setLength(capacityBytes);
            } else {
                buf = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, length);
                capacityBytes = length;
            }
        }
    }

    /** The first count entries of the file in a heap buffer with room to grow. */
    private ByteBuffer readEntries(FileChannel ch, int count) throws IOException {
        if (count == 0) {
            return NO_ENTRIES;
        }
        ByteBuffer heap = ByteBuffer.allocate(Math.max(INITIAL_HEAP_ENTRIES, count) * entrySize);
        heap.limit(count * entrySize);
        while (heap.hasRemaining()) {
            if (ch.read(heap, heap.position()) < 0) {
                break;
            }
        }
        return heap.clear();
    }

    /** The entries' bytes (slot i at i * entrySize); read the entry count first, then this. */
    protected ByteBuffer buffer() {
        return buf;
    }

    /** Built when asked: a Path per index file was most of an idle partition's heap (issue 16's scale figures). */
    Path file() {
        return file(suffix);
    }

    private Path file(String withSuffix) {
        return dir.resolve(LogSegment.fileName(baseOffset, type) + withSuffix);
    }

    String suffix() {
        return suffix;
    }

    /**
     * Renames the file to another suffix (the cleaner's {@code .cleaned} to {@code .swap} to the
     * final name, {@code .deleted}); the mapping stays valid, later resizes open the new name.
     */
    synchronized void renameTo(String newSuffix) throws IOException {
        Path file = file();
        if (Files.exists(file)) {
            Files.move(file, file(newSuffix), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        suffix = newSuffix;
    }

    int entries() {
        return entries;
    }

    boolean isFull() {
        return entries >= maxEntries || (long) (entries + 1) * entrySize > capacityBytes;
    }

    /**
     * The buffer to write slot {@code slot} into, grown (a copy of the entries below it) when
     * the heap copy is too small. Caller holds the append lock and has checked {@link #isFull}.
     */
    protected ByteBuffer bufferForSlot(int slot) {
        ByteBuffer b = buf;
        int needed = (slot + 1) * entrySize;
        if (needed > b.capacity()) {
            long atLeast = Math.max((long) needed, (long) INITIAL_HEAP_ENTRIES * entrySize);
            int grown = (int) Math.min(capacityBytes, Math.max(atLeast, 2L * b.capacity()));
            ByteBuffer bigger = ByteBuffer.allocate(grown);
            bigger.put(b.duplicate().position(0).limit(slot * entrySize));
            buf = bigger;
            b = bigger;
        }
        return b;
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

    /**
     * Shrinks the file to the entries it holds (segment becoming inactive, or close): a heap
     * copy is written out first; the trimmed file is forced and mapped.
     */
    synchronized void trimToValidSize() throws IOException {
        long length = (long) entries * entrySize;
        try (RandomAccessFile raf = new RandomAccessFile(file().toFile(), "rw")) {
            FileChannel ch = raf.getChannel();
            if (onHeap) {
                writeHeapEntries(ch);
                raf.setLength(length);
                ch.force(false);
            } else if (raf.length() == length) {
                return;
            } else {
                ((MappedByteBuffer) buf).force();
                raf.setLength(length);
            }
            buf = ch.map(FileChannel.MapMode.READ_WRITE, 0, length);
            capacityBytes = length;
            onHeap = false;
        }
    }

    private void writeHeapEntries(FileChannel ch) throws IOException {
        ByteBuffer src = buf.duplicate().position(0).limit(entries * entrySize);
        long pos = 0;
        while (src.hasRemaining()) {
            pos += ch.write(src, pos);
        }
    }

    /** Makes the index appendable again (after truncation removed the segments above it): a heap copy, file preallocated. */
    synchronized void resizeToMax() throws IOException {
        if (onHeap) {
            return;
        }
        int count = entries;
        ByteBuffer heap = NO_ENTRIES;
        if (count > 0) {
            heap = ByteBuffer.allocate(Math.max(INITIAL_HEAP_ENTRIES, count) * entrySize);
            heap.put(buf.duplicate().position(0).limit(count * entrySize)).clear();
        }
        long max = (long) Math.max(maxEntries, count) * entrySize;
        try (RandomAccessFile raf = new RandomAccessFile(file().toFile(), "rw")) {
            raf.setLength(max);
        }
        buf = heap;
        capacityBytes = max;
        onHeap = true;
    }

    /** Forces the entries to disk; a heap copy is written into the still preallocated file first. */
    synchronized void flush() throws IOException {
        if (onHeap) {
            try (RandomAccessFile raf = new RandomAccessFile(file().toFile(), "rw")) {
                writeHeapEntries(raf.getChannel());
                raf.getChannel().force(true);
            }
        } else {
            ((MappedByteBuffer) buf).force();
        }
    }

    /** Drops entries from slot on (truncation). */
    void truncateToEntries(int count) {
        entries = Math.min(entries, Math.max(0, count));
    }

    synchronized void reset() throws IOException {
        entries = 0;
        untrusted = false; // rebuilt from here on
        // A fresh small heap copy, and the file back to the configured maximum.
        onHeap = false;
        resizeToMax();
    }

    /** Checks the invariants an intact file keeps; false means it must be rebuilt. */
    abstract boolean sanityCheck(long logSize);
}
