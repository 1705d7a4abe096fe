package io.tributary.protocol.record;

import static io.tributary.protocol.record.RecordBatchHeader.LOG_OVERHEAD;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Record batches held in a ByteBuffer (position to limit). The buffer is shared, not copied.
 * Iteration creates a {@link RecordBatch} view per batch and never moves the buffer's position,
 * so one instance may be iterated by several threads as long as nobody writes to the buffer.
 */
public class MemoryRecords implements BaseRecords {
    public static final MemoryRecords EMPTY = new MemoryRecords(ByteBuffer.allocate(0));

    private final ByteBuffer buffer;

    public MemoryRecords(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    /** Records over {@code buffer}'s bytes from position to limit, shared (not copied). */
    public static MemoryRecords readableRecords(ByteBuffer buffer) {
        return new MemoryRecords(buffer);
    }

    /** A duplicate view: callers may move its position freely. */
    public ByteBuffer buffer() {
        return buffer.duplicate();
    }

    @Override
    public int sizeInBytes() {
        return buffer.remaining();
    }

    /**
     * The whole batches, in order. A partial batch at the end (a fetch response cut at its byte
     * limit) ends the iteration silently; {@link #validBytes()} tells where it starts.
     *
     * @throws CorruptRecordException from the iterator for a batch with a bad length or a magic
     *     other than 2
     */
    public Iterable<RecordBatch> batches() {
        return BatchIterator::new;
    }

    /** The first whole batch, or null. */
    public RecordBatch firstBatch() {
        Iterator<RecordBatch> it = batches().iterator();
        return it.hasNext() ? it.next() : null;
    }

    /** Every record of every batch, control batches included (check the batch to skip them). */
    public Iterable<Record> records() {
        return () -> new Iterator<>() {
            private final Iterator<RecordBatch> batches = batches().iterator();
            private Iterator<Record> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext()) {
                    if (!batches.hasNext()) {
                        return false;
                    }
                    current = batches.next().iterator();
                }
                return true;
            }

            @Override
            public Record next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }

    /** Bytes taken by whole batches from the start; the rest is a partial trailing batch. */
    public int validBytes() {
        int start = buffer.position();
        int pos = start;
        int limit = buffer.limit();
        while (limit - pos >= LOG_OVERHEAD) {
            int len = RecordBatchHeader.batchLength(buffer, pos);
            if (len < 0 || len > limit - pos - LOG_OVERHEAD) {
                break;
            }
            pos += len + LOG_OVERHEAD;
        }
        return pos - start;
    }

    /** True when the buffer holds at least one whole batch. */
    public boolean hasBatches() {
        return firstBatch() != null;
    }

    @Override
    public String toString() {
        return "MemoryRecords(" + sizeInBytes() + " bytes)";
    }

    private final class BatchIterator implements Iterator<RecordBatch> {
        private final int limit = buffer.limit();
        private int pos = buffer.position();
        private RecordBatch next;

        @Override
        public boolean hasNext() {
            if (next == null) {
                next = advance();
            }
            return next != null;
        }

        @Override
        public RecordBatch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            RecordBatch b = next;
            next = null;
            return b;
        }

        private RecordBatch advance() {
            int remaining = limit - pos;
            if (remaining < LOG_OVERHEAD) {
                return null;
            }
            int batchLength = RecordBatchHeader.batchLength(buffer, pos);
            if (batchLength < RecordBatchHeader.SIZE - LOG_OVERHEAD) {
                throw new CorruptRecordException("Record batch length " + batchLength + " at position " + pos
                        + " is below the minimum " + (RecordBatchHeader.SIZE - LOG_OVERHEAD));
            }
            if (batchLength > remaining - LOG_OVERHEAD) {
                return null;
            }
            RecordBatch b = RecordBatch.at(buffer, pos);
            pos += b.sizeInBytes();
            return b;
        }
    }
}
