package io.tributary.protocol.record;

import static io.tributary.protocol.record.RecordBatchHeader.SIZE;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Builds magic-v2 record batches in a growable heap buffer: records are encoded straight into
 * the buffer (or through the codec stream), the 61-byte header and CRC are written when the batch
 * closes. {@link #nextBatch()} closes one batch and opens the next, so one builder can produce a
 * run of batches. Settings (codec, timestamp type, flags) apply to every batch and must be made
 * before the first record. Not thread-safe: one owner (a producer's accumulator, the
 * coordinator's writer, a test).
 *
 * <p>Uncompressed output is byte-identical to Apache Kafka's builder for the same inputs.
 */
public final class MemoryRecordsBuilder {
    private final CompressionType compression;
    private final TimestampType timestampType;
    private final ByteBufferOutputStream out;
    private ByteBuffer scratch;

    private int compressionLevel;
    private long producerId = RecordBatch.NO_PRODUCER_ID;
    private short producerEpoch = RecordBatch.NO_PRODUCER_EPOCH;
    private int baseSequence = RecordBatch.NO_SEQUENCE;
    private boolean transactional;
    private boolean control;
    private int partitionLeaderEpoch = RecordBatch.NO_PARTITION_LEADER_EPOCH;
    private long logAppendTime = RecordBatch.NO_TIMESTAMP;
    private int writeLimit = Integer.MAX_VALUE;

    // The open batch.
    private int batchStart;
    private long baseOffset;
    private OutputStream appendStream;
    private int numRecords;
    private long lastOffset = -1;
    private long firstTimestamp;
    private long deleteHorizonMs = RecordBatch.NO_TIMESTAMP;
    private long maxTimestamp = RecordBatch.NO_TIMESTAMP;
    private int uncompressedRecordBytes;

    private int totalRecords;
    private boolean built;

    /**
     * @param baseOffset offset of the first batch (0 for a produce request; the assigned offset
     *     when the caller owns offsets, like the coordinator)
     */
    public MemoryRecordsBuilder(CompressionType compression, TimestampType timestampType, long baseOffset) {
        this(compression, timestampType, baseOffset, 1024);
    }

    public MemoryRecordsBuilder(
            CompressionType compression, TimestampType timestampType, long baseOffset, int initialCapacity) {
        this(compression, timestampType, baseOffset, new ByteBufferOutputStream(initialCapacity));
    }

    /**
     * Builds into {@code buffer} (from its start, whatever its position), e.g. a producer's pooled
     * batch buffer, so records are encoded straight into the memory that goes to the socket. A
     * batch that outgrows it continues in a fresh heap buffer; {@code buffer} is never written
     * after that, so the lender may take it back once the built records are no longer used.
     */
    public MemoryRecordsBuilder(
            CompressionType compression, TimestampType timestampType, long baseOffset, ByteBuffer buffer) {
        this(compression, timestampType, baseOffset, new ByteBufferOutputStream(buffer));
    }

    private MemoryRecordsBuilder(
            CompressionType compression, TimestampType timestampType, long baseOffset, ByteBufferOutputStream out) {
        if (timestampType == TimestampType.NO_TIMESTAMP_TYPE) {
            throw new IllegalArgumentException("Magic v2 batches need CreateTime or LogAppendTime");
        }
        this.compression = Objects.requireNonNull(compression);
        this.timestampType = Objects.requireNonNull(timestampType);
        this.compressionLevel = compression.defaultLevel();
        this.out = out;
        this.baseOffset = baseOffset;
        this.batchStart = 0;
        this.lastOffset = baseOffset - 1;
    }

    /** A builder for a produce request: base offset 0, CreateTime. */
    public static MemoryRecordsBuilder forProduce(CompressionType compression) {
        return new MemoryRecordsBuilder(compression, TimestampType.CREATE_TIME, 0L);
    }

    public MemoryRecordsBuilder compressionLevel(int level) {
        requireNoRecords();
        this.compressionLevel = level;
        return this;
    }

    /** Producer id, epoch and the sequence of the first record; may change until the batch closes. */
    public MemoryRecordsBuilder producerState(long producerId, short producerEpoch, int baseSequence) {
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.baseSequence = baseSequence;
        return this;
    }

    public MemoryRecordsBuilder transactional(boolean transactional) {
        requireNoRecords();
        this.transactional = transactional;
        return this;
    }

    /** Marks batches as control batches; then only control records may be appended. */
    public MemoryRecordsBuilder control(boolean control) {
        requireNoRecords();
        this.control = control;
        return this;
    }

    public MemoryRecordsBuilder partitionLeaderEpoch(int epoch) {
        this.partitionLeaderEpoch = epoch;
        return this;
    }

    /** The broker time stamped into maxTimestamp when the timestamp type is LogAppendTime. */
    public MemoryRecordsBuilder logAppendTime(long timestampMs) {
        this.logAppendTime = timestampMs;
        return this;
    }

    /**
     * Stamps the batches with a delete horizon (KIP-534, what a log cleaner writes): it becomes the
     * base timestamp, flagged by attribute bit 6, and record timestamps stay as given (their deltas
     * are taken from it).
     */
    public MemoryRecordsBuilder deleteHorizonMs(long ms) {
        requireNoRecords();
        this.deleteHorizonMs = ms;
        return this;
    }

    /** Size in bytes beyond which {@link #hasRoomFor} says no (the producer's batch.size). */
    public MemoryRecordsBuilder writeLimit(int bytes) {
        this.writeLimit = bytes;
        return this;
    }

    public void append(long timestamp, byte[] key, byte[] value) {
        append(timestamp, key, value, Record.NO_HEADERS);
    }

    /** Appends at the next offset; the arrays are copied into the batch as they are (no ByteBuffer views). */
    public void append(long timestamp, byte[] key, byte[] value, Header[] headers) {
        requireNotControl();
        doAppend(lastOffset + 1, timestamp, key, value, headers);
    }

    /** Appends at the next offset (the last offset + 1, or the base offset for the first record). */
    public void append(long timestamp, ByteBuffer key, ByteBuffer value, Header[] headers) {
        appendWithOffset(lastOffset + 1, timestamp, key, value, headers);
    }

    /**
     * Appends with an explicit offset, which must exceed every offset appended so far in this
     * builder and be at least the open batch's base offset. Key, value and headers are copied
     * into the batch.
     */
    public void appendWithOffset(long offset, long timestamp, ByteBuffer key, ByteBuffer value, Header[] headers) {
        requireNotControl();
        doAppend(offset, timestamp, key, value, headers);
    }

    public void appendWithOffset(long offset, long timestamp, byte[] key, byte[] value, Header[] headers) {
        requireNotControl();
        doAppend(offset, timestamp, key, value, headers);
    }

    private void requireNotControl() {
        if (control) {
            throw new IllegalArgumentException("Control batches take only control records");
        }
    }

    /** Appends a control record (the builder must be in control mode). */
    public void appendControlRecord(long timestamp, ControlRecordType type, ByteBuffer value) {
        if (!control) {
            throw new IllegalArgumentException("Control records need a control batch");
        }
        doAppend(lastOffset + 1, timestamp, type.recordKey(), value, Record.NO_HEADERS);
    }

    /** Appends a COMMIT/ABORT marker (the builder must be transactional and in control mode). */
    public void appendEndTxnMarker(long timestamp, EndTransactionMarker marker) {
        if (producerId == RecordBatch.NO_PRODUCER_ID) {
            throw new IllegalArgumentException("End transaction markers need a producer id");
        }
        if (!transactional) {
            throw new IllegalArgumentException("End transaction markers must be transactional");
        }
        appendControlRecord(timestamp, marker.type(), marker.value());
    }

    /**
     * {@code key} and {@code value} are each null, a byte[] or a ByteBuffer (its remaining bytes):
     * the producer appends arrays, which wrapping in ByteBuffers cost two objects per record.
     */
    private void doAppend(long offset, long timestamp, Object key, Object value, Header[] headers) {
        if (built) {
            throw new IllegalStateException("Builder is already built");
        }
        if (offset <= lastOffset) {
            throw new IllegalArgumentException(
                    "Offset " + offset + " is not above the last appended offset " + lastOffset);
        }
        if (timestamp < 0 && timestamp != RecordBatch.NO_TIMESTAMP) {
            throw new IllegalArgumentException("Invalid negative timestamp " + timestamp);
        }
        if (headers == null) {
            headers = Record.NO_HEADERS;
        }
        if (numRecords == 0) {
            openBatch();
            firstTimestamp = deleteHorizonMs >= 0 ? deleteHorizonMs : timestamp;
        }
        long offsetDelta = offset - baseOffset;
        if (offsetDelta > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "Offset " + offset + " is too far from the batch base offset " + baseOffset);
        }
        long timestampDelta = timestamp - firstTimestamp;
        int bodySize = bodySize((int) offsetDelta, timestampDelta, key, value, headers);
        int total = Varints.sizeOfVarint(bodySize) + bodySize;
        try {
            if (appendStream == null) {
                out.ensureRemaining(total);
                writeRecord(out.buffer(), bodySize, (int) offsetDelta, timestampDelta, key, value, headers);
            } else {
                if (scratch == null || scratch.capacity() < total) {
                    scratch = ByteBuffer.allocate(Math.max(total, 256));
                }
                scratch.clear();
                writeRecord(scratch, bodySize, (int) offsetDelta, timestampDelta, key, value, headers);
                appendStream.write(scratch.array(), 0, total);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        numRecords++;
        totalRecords++;
        uncompressedRecordBytes += total;
        lastOffset = offset;
        if (timestamp > maxTimestamp) {
            maxTimestamp = timestamp;
        }
    }

    private void openBatch() {
        batchStart = out.position();
        out.position(batchStart + SIZE);
        if (compression != CompressionType.NONE) {
            try {
                appendStream = compression.wrapForOutput(out, compressionLevel);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static int bodySize(int offsetDelta, long timestampDelta, Object key, Object value, Header[] headers) {
        int size = 1 + Varints.sizeOfVarlong(timestampDelta) + Varints.sizeOfVarint(offsetDelta);
        size += sizeOfBytes(key) + sizeOfBytes(value);
        size += Varints.sizeOfVarint(headers.length);
        for (Header h : headers) {
            if (h == null) {
                throw new IllegalArgumentException("Headers cannot be null");
            }
            int k = h.keyBytes().length;
            size += Varints.sizeOfVarint(k) + k;
            byte[] v = h.value();
            size += v == null ? 1 : Varints.sizeOfVarint(v.length) + v.length;
        }
        return size;
    }

    private static int sizeOfBytes(Object b) {
        int n = length(b);
        return n < 0 ? 1 : Varints.sizeOfVarint(n) + n;
    }

    /** Length of a key or value (null, byte[] or ByteBuffer), -1 for null. */
    private static int length(Object b) {
        if (b == null) {
            return -1;
        }
        return b instanceof byte[] a ? a.length : ((ByteBuffer) b).remaining();
    }

    private static void writeRecord(
            ByteBuffer dst,
            int bodySize,
            int offsetDelta,
            long timestampDelta,
            Object key,
            Object value,
            Header[] headers) {
        Varints.writeVarint(dst, bodySize);
        dst.put((byte) 0);
        Varints.writeVarlong(dst, timestampDelta);
        Varints.writeVarint(dst, offsetDelta);
        writeBytes(dst, key);
        writeBytes(dst, value);
        Varints.writeVarint(dst, headers.length);
        for (Header h : headers) {
            byte[] k = h.keyBytes();
            Varints.writeVarint(dst, k.length);
            dst.put(k);
            byte[] v = h.value();
            if (v == null) {
                Varints.writeVarint(dst, -1);
            } else {
                Varints.writeVarint(dst, v.length);
                dst.put(v);
            }
        }
    }

    private static void writeBytes(ByteBuffer dst, Object b) {
        if (b == null) {
            Varints.writeVarint(dst, -1);
        } else if (b instanceof byte[] a) {
            Varints.writeVarint(dst, a.length);
            dst.put(a);
        } else {
            ByteBuffer bb = (ByteBuffer) b;
            Varints.writeVarint(dst, bb.remaining());
            dst.put(bb.duplicate());
        }
    }

    /**
     * Would a record of this shape keep the current batch within {@link #writeLimit}? Always
     * true for the first record of a batch, so an oversized record still gets a batch of its own.
     * Compressed batches are measured by their uncompressed size, which overestimates.
     */
    public boolean hasRoomFor(long timestamp, ByteBuffer key, ByteBuffer value, Header[] headers) {
        return roomFor(timestamp, key, value, headers);
    }

    public boolean hasRoomFor(long timestamp, byte[] key, byte[] value, Header[] headers) {
        return roomFor(timestamp, key, value, headers);
    }

    /** {@code key} and {@code value} as in {@link #doAppend}. */
    private boolean roomFor(long timestamp, Object key, Object value, Header[] headers) {
        if (numRecords == 0) {
            return true;
        }
        if (headers == null || headers.length == 0) {
            // Most appends are far from the limit: an upper bound of the record's size (each
            // varint at its widest) answers without sizing the record, which append does anyway.
            long upper = MAX_RECORD_FRAMING + sizeUpperBound(key) + sizeUpperBound(value);
            if (estimatedBatchSize() + upper <= writeLimit) {
                return true;
            }
        }
        long delta = Math.min(Integer.MAX_VALUE, lastOffset + 1 - baseOffset);
        int body = bodySize(
                (int) delta, timestamp - firstTimestamp, key, value, headers == null ? Record.NO_HEADERS : headers);
        return (long) estimatedBatchSize() + Varints.sizeOfVarint(body) + body <= writeLimit;
    }

    /** Length, attributes, timestamp delta, offset delta and header count, each varint at its widest. */
    private static final int MAX_RECORD_FRAMING = 5 + 1 + 10 + 5 + 5;

    private static long sizeUpperBound(Object b) {
        return 5L + Math.max(0, length(b));
    }

    private int estimatedBatchSize() {
        return SIZE + uncompressedRecordBytes;
    }

    /** Bytes of closed batches plus the open batch measured uncompressed. */
    public int estimatedSizeInBytes() {
        return (numRecords == 0 ? out.position() : batchStart) + (numRecords == 0 ? 0 : estimatedBatchSize());
    }

    /** Records in the open batch. */
    public int numRecords() {
        return numRecords;
    }

    /** Records in all batches. */
    public int totalRecords() {
        return totalRecords;
    }

    public boolean isEmpty() {
        return totalRecords == 0;
    }

    /** The offset the next {@link #append} would get. */
    public long nextOffset() {
        return lastOffset + 1;
    }

    public CompressionType compression() {
        return compression;
    }

    /**
     * Closes the open batch (if it has records) and starts a new one at the next offset with the
     * same settings; a producer sequence continues from the closed batch.
     */
    public MemoryRecordsBuilder nextBatch() {
        if (numRecords > 0) {
            int closedCount = numRecords;
            closeBatch();
            if (baseSequence != RecordBatch.NO_SEQUENCE) {
                baseSequence = RecordBatch.incrementSequence(baseSequence, closedCount);
            }
        }
        baseOffset = lastOffset + 1;
        return this;
    }

    private void closeBatch() {
        if (appendStream != null) {
            try {
                appendStream.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            appendStream = null;
        }
        ByteBuffer b = out.buffer();
        int end = out.position();
        int pos = batchStart;
        int attributes = compression.id;
        if (timestampType == TimestampType.LOG_APPEND_TIME) {
            attributes |= RecordBatchHeader.TIMESTAMP_TYPE_MASK;
        }
        if (transactional) {
            attributes |= RecordBatchHeader.TRANSACTIONAL_MASK;
        }
        if (control) {
            attributes |= RecordBatchHeader.CONTROL_MASK;
        }
        if (deleteHorizonMs >= 0) {
            attributes |= RecordBatchHeader.DELETE_HORIZON_MASK;
        }
        long max = timestampType == TimestampType.LOG_APPEND_TIME ? logAppendTime : maxTimestamp;
        b.putLong(pos + RecordBatchHeader.BASE_OFFSET, baseOffset);
        b.putInt(pos + RecordBatchHeader.BATCH_LENGTH, end - pos - RecordBatchHeader.LOG_OVERHEAD);
        b.putInt(pos + RecordBatchHeader.PARTITION_LEADER_EPOCH, partitionLeaderEpoch);
        b.put(pos + RecordBatchHeader.MAGIC, RecordBatch.MAGIC);
        b.putShort(pos + RecordBatchHeader.ATTRIBUTES, (short) attributes);
        b.putInt(pos + RecordBatchHeader.LAST_OFFSET_DELTA, (int) (lastOffset - baseOffset));
        b.putLong(pos + RecordBatchHeader.BASE_TIMESTAMP, firstTimestamp);
        b.putLong(pos + RecordBatchHeader.MAX_TIMESTAMP, max);
        b.putLong(pos + RecordBatchHeader.PRODUCER_ID, producerId);
        b.putShort(pos + RecordBatchHeader.PRODUCER_EPOCH, producerEpoch);
        b.putInt(pos + RecordBatchHeader.BASE_SEQUENCE, baseSequence);
        b.putInt(pos + RecordBatchHeader.RECORDS_COUNT, numRecords);
        RecordBatchHeader.writeCrc(b, pos);
        numRecords = 0;
        uncompressedRecordBytes = 0;
        maxTimestamp = RecordBatch.NO_TIMESTAMP;
    }

    /**
     * Closes the open batch and returns everything built, positioned at 0. An open batch without
     * records writes nothing; a builder without records returns an empty MemoryRecords.
     */
    public MemoryRecords build() {
        if (!built) {
            if (numRecords > 0) {
                closeBatch();
            }
            built = true;
        }
        ByteBuffer b = out.buffer().duplicate();
        b.flip();
        return new MemoryRecords(b);
    }

    private void requireNoRecords() {
        if (totalRecords > 0 || built) {
            throw new IllegalStateException("Set builder options before appending records");
        }
    }
}
