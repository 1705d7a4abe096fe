package io.tributary.storage;

import io.tributary.protocol.record.RecordBatchHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * One segment of a partition log: the {@code <baseOffset>.log} file of whole record batches plus
 * its offset and time indexes. Knows positions and batch headers, not producers or retention.
 * Owns the files and every change to them (append, recovery, truncation, renames, close); the
 * read side (lookups by offset or timestamp, header walks, fetch slices) is {@link SegmentReader}.
 *
 * <p>Threads: mutations (append, roll, truncate, recover, close) run under the owning
 * {@link Log}'s lock. Reads run concurrently and must stay below a position the log published
 * after the bytes were fully written; {@link #size()} is volatile and raised after each write.
 */
final class LogSegment {
    static final String LOG_SUFFIX = ".log";
    static final String INDEX_SUFFIX = ".index";
    static final String TIME_INDEX_SUFFIX = ".timeindex";
    static final String DELETED_SUFFIX = ".deleted";
    /** A segment the cleaner is still writing; removed at open. */
    static final String CLEANED_SUFFIX = ".cleaned";
    /** A complete cleaned segment waiting to replace the segments it covers; the swap is finished at open. */
    static final String SWAP_SUFFIX = ".swap";

    private final long baseOffset;
    private final Path dir;
    /** What follows {@code .log} in the file names now ("", .cleaned, .swap, .deleted); the paths are built when asked. */
    private volatile String suffix;

    private final FileChannel channel;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    /** Finding batches and slices; reads only, so lock-free callers use it directly. */
    private final SegmentReader reader;

    private final int indexIntervalBytes;
    private final int maxIndexSize;
    private volatile int size;
    private int bytesSinceLastIndexEntry;
    private volatile long maxTimestampSoFar = -1;
    private volatile long offsetOfMaxTimestampSoFar = -1;
    private long rollingBasedTimestamp = -1;
    private boolean rollingTimestampLoaded;
    private final long createdMs;
    private volatile boolean indexesFlushed;
    /** Zeros written ahead of the appends; the file may be longer than {@link #size}. */
    private final SegmentZeroTail zeroTail;

    private boolean lastCutWasZeros;

    private LogSegment(Path dir, long baseOffset, LogConfig config, long nowMs, boolean active, String suffix)
            throws IOException {
        this.dir = dir;
        this.baseOffset = baseOffset;
        this.indexIntervalBytes = config.indexIntervalBytes;
        this.maxIndexSize = config.segmentIndexBytes;
        this.suffix = suffix;
        this.channel = FileChannel.open(
                logFile(), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.size = (int) Math.min(Integer.MAX_VALUE, channel.size());
        this.zeroTail = new SegmentZeroTail(channel, this);
        this.createdMs = nowMs;
        this.offsetIndex = new OffsetIndex(dir, suffix, baseOffset, maxIndexSize, active);
        this.timeIndex = new TimeIndex(dir, suffix, baseOffset, maxIndexSize, active);
        this.reader = new SegmentReader(this, channel, offsetIndex, timeIndex);
    }

    static LogSegment open(Path dir, long baseOffset, LogConfig config, long nowMs, boolean active) throws IOException {
        return new LogSegment(dir, baseOffset, config, nowMs, active, "");
    }

    /**
     * Opens a segment whose three files carry a suffix ({@link #CLEANED_SUFFIX} while the
     * cleaner writes it, {@link #SWAP_SUFFIX} when the loader finishes a swap). Writable: the
     * indexes are preallocated until {@link #onBecomeInactive}.
     */
    static LogSegment openWithSuffix(Path dir, long baseOffset, LogConfig config, long nowMs, String suffix)
            throws IOException {
        return new LogSegment(dir, baseOffset, config, nowMs, true, suffix);
    }

    /** The three file names of a segment with a suffix (log, offset index, time index). */
    static Path[] files(Path dir, long baseOffset, String suffix) {
        return new Path[] {
            dir.resolve(fileName(baseOffset, LOG_SUFFIX) + suffix),
            dir.resolve(fileName(baseOffset, INDEX_SUFFIX) + suffix),
            dir.resolve(fileName(baseOffset, TIME_INDEX_SUFFIX) + suffix)
        };
    }

    /**
     * Renames the three files from one suffix to another ("" for the final names), log file
     * last so that a log file with the new suffix implies its indexes were renamed before it.
     */
    void changeSuffix(String from, String to) throws IOException {
        offsetIndex.renameTo(withSuffix(offsetIndex.suffix(), from, to));
        timeIndex.renameTo(withSuffix(timeIndex.suffix(), from, to));
        String next = withSuffix(suffix, from, to);
        Files.move(logFile(), logFile(next), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        suffix = next;
    }

    private String withSuffix(String current, String from, String to) {
        if (!current.endsWith(from)) {
            throw new IllegalStateException(logFile() + ": suffix " + current + " does not end with " + from);
        }
        return current.substring(0, current.length() - from.length()) + to;
    }

    Path logFile() {
        return logFile(suffix);
    }

    private Path logFile(String withSuffix) {
        return dir.resolve(fileName(baseOffset, LOG_SUFFIX) + withSuffix);
    }

    /** The log file's modification time: what delete.retention.ms is counted from, as in Kafka. */
    long lastModified() throws IOException {
        return Files.getLastModifiedTime(logFile()).toMillis();
    }

    void setLastModified(long ms) throws IOException {
        Files.setLastModifiedTime(logFile(), java.nio.file.attribute.FileTime.fromMillis(ms));
    }

    int offsetIndexEntries() {
        return offsetIndex.entries();
    }

    int timeIndexEntries() {
        return timeIndex.entries();
    }

    static String fileName(long offset, String suffix) {
        return StorageFiles.padded20(offset) + suffix;
    }

    long baseOffset() {
        return baseOffset;
    }

    /** Lookups by offset or timestamp, header walks and fetch slices (see {@link SegmentReader}). */
    SegmentReader reader() {
        return reader;
    }

    int size() {
        return size;
    }

    /** Where the last offset-index entry points: a batch start, 0 when the index is empty. */
    int lastIndexedPosition() {
        return offsetIndex.lastEntry().position();
    }

    long maxTimestampSoFar() {
        return maxTimestampSoFar;
    }

    long offsetOfMaxTimestampSoFar() {
        return offsetOfMaxTimestampSoFar;
    }

    /** The newest timestamp in the segment, or the file's modification time when none is known. */
    long largestTimestamp() {
        long ts = maxTimestampSoFar;
        if (ts >= 0) {
            return ts;
        }
        try {
            return Files.getLastModifiedTime(logFile()).toMillis();
        } catch (IOException e) {
            return createdMs;
        }
    }

    /** Whether the indexes are missing entries' worth of invariants; see {@link AbstractIndex#sanityCheck}. */
    boolean indexesSane() {
        return offsetIndex.sanityCheck(size) && timeIndex.sanityCheck(size);
    }

    /**
     * Whether the newest offset-index entry points at a batch header with that base offset. The
     * sanity check sees only the index itself; an entry at a wrong position passes it, and the
     * tail recovery that starts there would cut acknowledged batches as garbage (found by
     * LogRecoveryFuzzTest). Costs one header read per segment at start-up.
     */
    boolean lastIndexEntryMatchesLog() throws IOException {
        if (offsetIndex.entries() == 0) {
            return true;
        }
        OffsetIndex.Entry last = offsetIndex.lastEntry();
        ByteBuffer h = ByteBuffer.allocate(RecordBatchHeader.SIZE);
        return reader.readHeader(h, last.position(), channel.size())
                && RecordBatchHeader.magic(h, 0) == 2
                && RecordBatchHeader.baseOffset(h, 0) == last.offset();
    }

    /** Loads the largest timestamp from the time index (valid for an inactive or cleanly closed segment). */
    void loadMaxTimestampFromIndex() {
        TimeIndex.Entry last = timeIndex.lastEntry();
        if (last.timestamp() >= 0) {
            maxTimestampSoFar = last.timestamp();
            offsetOfMaxTimestampSoFar = last.offset();
        }
    }

    /**
     * Writes batches that already carry their final offsets, with one or more channel writes of
     * the whole buffer. If a write fails part-way the file is cut back to its previous size so no
     * partial batch stays behind; the exception is rethrown.
     */
    void append(ByteBuffer batches, long firstOffset, long maxTimestamp, long offsetOfMaxTimestamp) throws IOException {
        int startSize = size;
        int length = batches.remaining();
        long pos = startSize;
        zeroTail.reserve(startSize, (long) startSize + length);
        try {
            while (batches.hasRemaining()) {
                pos += channel.write(batches, pos);
            }
        } catch (IOException | RuntimeException e) {
            try {
                zeroTail.truncate(startSize, true);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
                throw new SegmentCorruptedException("could not cut back " + logFile() + " after failed write", e);
            }
            throw e;
        }
        if (startSize == 0 && !rollingTimestampLoaded) {
            rollingBasedTimestamp = maxTimestamp;
            rollingTimestampLoaded = true;
        }
        if (maxTimestamp > maxTimestampSoFar) {
            maxTimestampSoFar = maxTimestamp;
            offsetOfMaxTimestampSoFar = offsetOfMaxTimestamp;
        }
        if (bytesSinceLastIndexEntry > indexIntervalBytes) {
            offsetIndex.append(firstOffset, startSize);
            timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += length;
        indexesFlushed = false;
        size = startSize + length;
    }

    /** Thrown when a failed write could not be undone: the log must go offline. */
    static final class SegmentCorruptedException extends IOException {
        private static final long serialVersionUID = 1L;

        SegmentCorruptedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Whether the next append of {@code messagesSize} bytes must go to a new segment: full by
     * bytes, by age (Kafka measures age from the first batch's timestamp when there is one), by
     * index capacity, or by relative offset overflow.
     */
    boolean shouldRoll(LogConfig config, int messagesSize, long maxTimestampInMessages, long lastOffset, long nowMs) {
        if (size == 0) {
            return false;
        }
        long sinceMs;
        if (rollingTimestampLoaded && rollingBasedTimestamp >= 0) {
            sinceMs = maxTimestampInMessages - rollingBasedTimestamp;
        } else {
            sinceMs = nowMs - createdMs;
        }
        return (long) size + messagesSize > config.segmentBytes
                || sinceMs > config.maxSegmentMs() - config.segmentJitterMs
                || offsetIndex.isFull()
                || timeIndex.isFull()
                || lastOffset - baseOffset > Integer.MAX_VALUE;
    }

    /** Reads the first batch's max timestamp once, for age-based rolling of a loaded segment. */
    void loadRollingTimestamp() throws IOException {
        if (!rollingTimestampLoaded && size >= RecordBatchHeader.SIZE) {
            ByteBuffer h = ByteBuffer.allocate(RecordBatchHeader.SIZE);
            if (reader.readAt(h, 0)) {
                rollingBasedTimestamp = RecordBatchHeader.maxTimestamp(h, 0);
            }
            rollingTimestampLoaded = true;
        }
    }

    /** The first batch's max timestamp (what max.compaction.lag.ms is measured from); -1 if none. */
    long firstBatchTimestamp() throws IOException {
        ByteBuffer h = ByteBuffer.allocate(RecordBatchHeader.SIZE);
        return reader.readHeader(h, 0, size) ? RecordBatchHeader.maxTimestamp(h, 0) : -1;
    }

    /**
     * How far a lock-free reader may read: up to the log end's published position in the
     * segment that holds it (its size may already count a write in progress), else all of it.
     */
    int readLimit(long endSegmentBase, int endPosition) {
        return baseOffset == endSegmentBase ? endPosition : size;
    }

    /**
     * Walks the batches from fromPosition (0, or a batch start taken from the offset index),
     * checking framing, magic, offsets and CRC32C; rebuilds the indexes (all of them from 0, or
     * extends the existing ones) and the timestamp bounds on the way, and cuts the file at the
     * first batch that fails. Returns how many bytes were cut.
     */
    int recover(int fromPosition) throws IOException {
        long nextOffset;
        if (fromPosition == 0) {
            offsetIndex.reset();
            timeIndex.reset();
            maxTimestampSoFar = -1;
            offsetOfMaxTimestampSoFar = -1;
            rollingTimestampLoaded = false;
            nextOffset = baseOffset;
        } else {
            loadMaxTimestampFromIndex();
            nextOffset = offsetIndex.lastEntry().offset();
        }
        bytesSinceLastIndexEntry = 0;
        long fileSize = channel.size();
        ByteBuffer h = ByteBuffer.allocate(RecordBatchHeader.SIZE);
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        CRC32C crc = new CRC32C();
        long pos = fromPosition;
        while (reader.readHeader(h, pos, fileSize)) {
            int total = RecordBatchHeader.totalSize(h, 0);
            long batchBase = RecordBatchHeader.baseOffset(h, 0);
            int lastDelta = RecordBatchHeader.lastOffsetDelta(h, 0);
            if (total < RecordBatchHeader.SIZE
                    || pos + (long) total > fileSize
                    || RecordBatchHeader.magic(h, 0) != 2
                    || lastDelta < 0
                    || batchBase < nextOffset
                    || batchBase + lastDelta - baseOffset > Integer.MAX_VALUE) {
                break;
            }
            crc.reset();
            long p = pos + RecordBatchHeader.ATTRIBUTES;
            long end = pos + total;
            boolean complete = true;
            while (p < end) {
                chunk.clear();
                chunk.limit((int) Math.min(chunk.capacity(), end - p));
                int n = channel.read(chunk, p);
                if (n <= 0) {
                    complete = false;
                    break;
                }
                chunk.flip();
                crc.update(chunk);
                p += n;
            }
            if (!complete || crc.getValue() != RecordBatchHeader.crc(h, 0)) {
                break;
            }
            long maxTs = RecordBatchHeader.maxTimestamp(h, 0);
            long last = batchBase + lastDelta;
            if (!rollingTimestampLoaded && pos == 0) {
                rollingBasedTimestamp = maxTs;
                rollingTimestampLoaded = true;
            }
            if (maxTs > maxTimestampSoFar) {
                maxTimestampSoFar = maxTs;
                offsetOfMaxTimestampSoFar = last;
            }
            if (bytesSinceLastIndexEntry > indexIntervalBytes && pos > fromPosition) {
                offsetIndex.append(batchBase, (int) pos);
                timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar);
                bytesSinceLastIndexEntry = 0;
            }
            bytesSinceLastIndexEntry += total;
            nextOffset = last + 1;
            pos = end;
        }
        int cut = (int) (fileSize - pos);
        lastCutWasZeros = cut > 0 && zerosAt(pos, fileSize);
        if (cut > 0) {
            zeroTail.truncate(pos, false);
            offsetIndex.truncateTo(nextOffset);
            timeIndex.truncateTo(nextOffset);
        }
        size = (int) pos;
        indexesFlushed = false;
        return cut;
    }

    /** Whether the file holds only zeros from pos to the end (or the first 64 KiB of that). */
    private boolean zerosAt(long pos, long fileSize) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(64 * 1024, fileSize - pos));
        while (b.hasRemaining() && channel.read(b, pos + b.position()) > 0) {
            // read until full
        }
        for (int i = 0; i < b.position(); i++) {
            if (b.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the last {@link #recover} cut only zeros: the tail written ahead of the appends
     * ({@link SegmentZeroTail}) of a segment that was active at a crash, not a torn write.
     */
    boolean lastCutWasZeros() {
        return lastCutWasZeros;
    }

    /** Asks for zeros ahead of the appends (after an fsync of the active segment). */
    void maybeZeroAhead(int maxWindow, long segmentBytes) {
        zeroTail.maybeExtend(size, maxWindow, segmentBytes);
    }

    /**
     * Cuts the zeros written ahead and stops writing more: before a roll creates the next
     * segment. The cut is fsynced, so no crash can leave a zero tail in a segment that has a
     * successor (recovery treats a bad tail there as corruption and drops the later segments).
     */
    void cutZeroTail() throws IOException {
        if (zeroTail.truncate(size, true)) {
            channel.force(true);
        }
    }

    /** Offset after the last batch in the segment (baseOffset if empty), by reading headers. */
    long readNextOffset() throws IOException {
        long[] next = {baseOffset};
        reader.forEachHeaderFrom(offsetIndex.lastEntry().position(), size, (h, pos) -> {
            next[0] = RecordBatchHeader.lastOffset(h, 0) + 1;
            return true;
        });
        return next[0];
    }

    /** Adds the final time index entry and trims both indexes; the segment takes no more appends. */
    void onBecomeInactive() throws IOException {
        cutZeroTail();
        if (maxTimestampSoFar >= 0) {
            timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar);
        }
        offsetIndex.trimToValidSize();
        timeIndex.trimToValidSize();
    }

    /** Makes the segment appendable again (after truncation removed the segments above it). */
    void onBecomeActive() throws IOException {
        offsetIndex.resizeToMax();
        timeIndex.resizeToMax();
        bytesSinceLastIndexEntry = indexIntervalBytes + 1;
    }

    /**
     * Removes every batch holding an offset >= offset (a batch that straddles it goes too).
     * Returns the bytes removed.
     */
    int truncateTo(long offset) throws IOException {
        SegmentReader.BatchPosition bp = reader.translateOffset(offset, size);
        if (bp == null) {
            return 0;
        }
        int newSize = bp.position();
        int removed = size - newSize;
        // cut the indexes at the removed batch's start, which may be below offset
        offsetIndex.truncateTo(bp.baseOffset());
        timeIndex.truncateTo(bp.baseOffset());
        zeroTail.truncate(newSize, false);
        size = newSize;
        // timestamps above the cut are unknown now; rescan lazily from what is left
        recomputeMaxTimestamp();
        if (newSize == 0) {
            rollingTimestampLoaded = false;
        }
        bytesSinceLastIndexEntry = indexIntervalBytes + 1;
        return removed;
    }

    private void recomputeMaxTimestamp() throws IOException {
        long[] max = {-1, -1};
        reader.forEachBatchHeader(baseOffset, size, (h, p) -> {
            long ts = RecordBatchHeader.maxTimestamp(h, 0);
            if (ts > max[0]) {
                max[0] = ts;
                max[1] = RecordBatchHeader.lastOffset(h, 0);
            }
            return true;
        });
        maxTimestampSoFar = max[0];
        offsetOfMaxTimestampSoFar = max[1];
    }

    /** Forces the log file to disk, and the indexes once the segment is inactive. */
    void flush(boolean includeIndexes) throws IOException {
        channel.force(false);
        if (includeIndexes && !indexesFlushed) {
            offsetIndex.flush();
            timeIndex.flush();
            indexesFlushed = true;
        }
    }

    /** Replaces a bad index by an empty one and rebuilds both from the log. */
    void rebuildIndexes() throws IOException {
        recover(0);
    }

    void close() throws IOException {
        if (!channel.isOpen()) {
            return;
        }
        zeroTail.truncate(size, true);
        if (maxTimestampSoFar >= 0) {
            timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar);
        }
        offsetIndex.trimToValidSize();
        timeIndex.trimToValidSize();
        offsetIndex.flush();
        timeIndex.flush();
        channel.force(true);
        channel.close();
    }

    /** Renames the files with a {@code .deleted} suffix so a restart removes them; the channel stays open for readers. */
    void renameForDeletion() throws IOException {
        zeroTail.truncate(size, true);
        Path file = logFile();
        String next = suffix + DELETED_SUFFIX;
        if (Files.exists(file)) {
            Files.move(file, logFile(next), StandardCopyOption.REPLACE_EXISTING);
        }
        suffix = next;
        offsetIndex.renameTo(offsetIndex.suffix() + DELETED_SUFFIX);
        timeIndex.renameTo(timeIndex.suffix() + DELETED_SUFFIX);
    }

    /** Closes the channel and removes the files (whatever name they have now). */
    void closeAndDelete() throws IOException {
        channel.close();
        Files.deleteIfExists(logFile());
        for (Path p : new Path[] {offsetIndex.file(), timeIndex.file()}) {
            Files.deleteIfExists(p);
            Files.deleteIfExists(p.resolveSibling(p.getFileName() + DELETED_SUFFIX));
        }
    }

    Path dir() {
        return dir;
    }

    @Override
    public String toString() {
        return "LogSegment(" + logFile() + ", size=" + size + ")";
    }
}
