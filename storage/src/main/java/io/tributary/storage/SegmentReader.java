package io.tributary.storage;

import io.tributary.protocol.record.RecordBatchHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Optional;

/**
 * The read side of one {@link LogSegment}: finding a batch by offset (through the offset index) or
 * a record by timestamp (through the time index), walking batch headers, and cutting a fetch into
 * a slice of whole batches. Split out of the segment for size; it only reads the segment's channel
 * and indexes and never changes them, which is why it can run without the log's lock.
 *
 * <p>Threads: any, concurrently with the segment's writer. Every method takes the position it may
 * read up to ({@code maxPosition} / {@code limit}) from the caller, which takes it from the log end
 * published after a write completed, so no read sees a partial batch.
 */
final class SegmentReader {
    /** A batch found by offset: where it starts and the offsets it holds. */
    record BatchPosition(int position, long baseOffset, long lastOffset, int size) {}

    @FunctionalInterface
    interface HeaderVisitor {
        /** Sees one 61-byte header at index 0 of the buffer; returns false to stop. */
        boolean visit(ByteBuffer header, int position) throws IOException;
    }

    /** For the log file's current name (it changes with the cleaner's suffixes and deletion). */
    private final LogSegment segment;

    private final FileChannel channel;
    private final long baseOffset;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;

    SegmentReader(LogSegment segment, FileChannel channel, OffsetIndex offsetIndex, TimeIndex timeIndex) {
        this.segment = segment;
        this.channel = channel;
        this.baseOffset = segment.baseOffset();
        this.offsetIndex = offsetIndex;
        this.timeIndex = timeIndex;
    }

    /** Reads a header at pos into a 61-byte buffer; false if fewer bytes are available below limit. */
    boolean readHeader(ByteBuffer header, long pos, long limit) throws IOException {
        if (pos + RecordBatchHeader.SIZE > limit) {
            return false;
        }
        header.clear();
        return readAt(header, pos);
    }

    /** Reads into dst from the file at pos until dst is full; false at the end of the file. */
    boolean readAt(ByteBuffer dst, long pos) throws IOException {
        while (dst.hasRemaining()) {
            int n = channel.read(dst, pos);
            if (n < 0) {
                return false;
            }
            pos += n;
        }
        return true;
    }

    /**
     * The first batch whose last offset is >= target, searching from the index entry at or
     * before it and reading no further than maxPosition; null if there is none.
     */
    BatchPosition translateOffset(long target, int maxPosition) throws IOException {
        return translateOffset(target, maxPosition, -1);
    }

    /**
     * As above, trying {@code hint} first: a position where a batch holding target may start
     * (checked by its header; -1 for none).
     */
    BatchPosition translateOffset(long target, int maxPosition, int hint) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(RecordBatchHeader.SIZE);
        if (hint >= 0 && readHeader(h, hint, maxPosition)) {
            int total = RecordBatchHeader.totalSize(h, 0);
            long base = RecordBatchHeader.baseOffset(h, 0);
            long last = RecordBatchHeader.lastOffset(h, 0);
            if (total >= RecordBatchHeader.SIZE
                    && hint + (long) total <= maxPosition
                    && base <= target
                    && target <= last) {
                return new BatchPosition(hint, base, last, total);
            }
        }
        int pos = target <= baseOffset ? 0 : offsetIndex.lookup(target).position();
        while (readHeader(h, pos, maxPosition)) {
            int total = RecordBatchHeader.totalSize(h, 0);
            long last = RecordBatchHeader.lastOffset(h, 0);
            if (total < RecordBatchHeader.SIZE || pos + (long) total > maxPosition) {
                return null;
            }
            if (last >= target) {
                return new BatchPosition(pos, RecordBatchHeader.baseOffset(h, 0), last, total);
            }
            pos += total;
        }
        return null;
    }

    /**
     * End position of the last whole batch, starting with the batch at startPos, that ends at or
     * before limit; startPos itself if not even the first batch fits. Jumps through the offset
     * index so a large fetch reads few headers.
     */
    int lastBatchEndWithin(int startPos, long limit) throws IOException {
        int pos = startPos;
        OffsetIndex.Entry jump = offsetIndex.lookupByPosition(limit);
        if (jump.position() > pos) {
            pos = jump.position();
        }
        ByteBuffer h = ByteBuffer.allocate(RecordBatchHeader.LOG_OVERHEAD);
        while (pos + (long) RecordBatchHeader.LOG_OVERHEAD <= limit) {
            h.clear();
            if (!readAt(h, pos)) {
                break;
            }
            int total = RecordBatchHeader.totalSize(h, 0);
            if (total < RecordBatchHeader.SIZE || pos + (long) total > limit) {
                break;
            }
            pos += total;
        }
        return pos;
    }

    /**
     * Whole batches from the one holding fetchOffset (which may begin before it) up to maxBytes,
     * never past maxPosition, which is a batch boundary (the published log end, a segment's size, or
     * the start of the batch holding a read_committed bound); null when no batch here holds
     * fetchOffset or a later one. A first batch larger than maxBytes comes alone when minOneBatch,
     * else the slice is empty. {@code hint}: where the batch starting at fetchOffset may be, or -1.
     */
    FileRecordsSlice read(long fetchOffset, int maxBytes, int maxPosition, boolean minOneBatch, int hint)
            throws IOException {
        BatchPosition bp = translateOffset(fetchOffset, maxPosition, hint);
        if (bp == null) {
            return null;
        }
        // A batch starting past fetchOffset is normal after compaction: the offsets between
        // were cleaned away, and the reader continues from the next batch that exists.
        FileRecordsSlice slice;
        if (bp.size() > maxBytes) {
            slice = minOneBatch
                    ? new FileRecordsSlice(channel, bp.position(), bp.size(), bp.baseOffset())
                    : FileRecordsSlice.EMPTY;
        } else {
            long within = Math.min(maxPosition, bp.position() + (long) maxBytes);
            // Everything up to maxPosition fits: it is a batch boundary, no header walk needed.
            int endPos = within == maxPosition ? maxPosition : lastBatchEndWithin(bp.position(), within);
            slice = new FileRecordsSlice(channel, bp.position(), endPos - bp.position(), bp.baseOffset());
        }
        return slice;
    }

    /**
     * The first record at or above logStartOffset whose timestamp is >= timestamp, reading no
     * further than maxPosition; empty when this segment has none.
     */
    Optional<TimestampAndOffset> findByTimestamp(long timestamp, long logStartOffset, int maxPosition)
            throws IOException {
        // An entry with a timestamp strictly below the target proves no earlier record qualifies.
        TimeIndex.Entry te = timeIndex.lookup(timestamp - 1);
        long from = Math.max(te.offset(), Math.max(logStartOffset, baseOffset));
        TimestampAndOffset[] found = {null};
        forEachBatchHeader(from, maxPosition, (h, pos) -> {
            if (RecordBatchHeader.maxTimestamp(h, 0) >= timestamp) {
                ByteBuffer batch = readBatch(pos, RecordBatchHeader.totalSize(h, 0));
                found[0] = BatchRecords.firstAtOrAfter(batch, timestamp, logStartOffset);
                return found[0] == null;
            }
            return true;
        });
        return Optional.ofNullable(found[0]);
    }

    /** Visits batch headers from the batch holding startOffset (or the first after it) to the end. */
    void forEachBatchHeader(long startOffset, int maxPosition, HeaderVisitor visitor) throws IOException {
        BatchPosition first = translateOffset(startOffset, maxPosition);
        if (first != null) {
            forEachHeaderFrom(first.position(), maxPosition, visitor);
        }
    }

    /** Visits the headers of the whole batches from position pos (a batch start) up to maxPosition. */
    void forEachHeaderFrom(int pos, int maxPosition, HeaderVisitor visitor) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(RecordBatchHeader.SIZE);
        while (readHeader(h, pos, maxPosition)) {
            int total = RecordBatchHeader.totalSize(h, 0);
            if (total < RecordBatchHeader.SIZE || pos + (long) total > maxPosition) {
                return;
            }
            if (!visitor.visit(h, pos)) {
                return;
            }
            pos += total;
        }
    }

    /** Reads a whole batch at pos into a new buffer. */
    private ByteBuffer readBatch(int pos, int totalSize) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(totalSize);
        if (!readAt(b, pos)) {
            throw new IOException("short read of batch at " + pos + " in " + segment.logFile());
        }
        return b.flip();
    }
}
