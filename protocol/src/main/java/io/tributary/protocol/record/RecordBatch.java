package io.tributary.protocol.record;

import static io.tributary.protocol.record.RecordBatchHeader.LOG_OVERHEAD;
import static io.tributary.protocol.record.RecordBatchHeader.SIZE;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A view over one magic-v2 record batch that lies whole inside a shared buffer: header
 * accessors, CRC validation and record iteration (decompressing when the batch is compressed).
 * Nothing is copied: records of an uncompressed batch are slices of the buffer. The view holds no
 * mutable state of its own; iterators are single-threaded and owned by their caller.
 * Bad data surfaces only as {@link CorruptRecordException}.
 */
public final class RecordBatch implements Iterable<Record> {
    public static final byte MAGIC = 2;
    public static final long NO_PRODUCER_ID = -1L;
    public static final short NO_PRODUCER_EPOCH = -1;
    public static final int NO_SEQUENCE = -1;
    public static final int NO_PARTITION_LEADER_EPOCH = -1;
    public static final long NO_TIMESTAMP = -1L;
    /** Header size: the smallest possible batch (one with no records). */
    public static final int RECORD_BATCH_OVERHEAD = SIZE;

    private final ByteBuffer buf;
    private final int pos;
    private final int size;

    private RecordBatch(ByteBuffer buf, int pos, int size) {
        this.buf = buf;
        this.pos = pos;
        this.size = size;
    }

    /**
     * The batch starting at absolute index {@code pos} of {@code buf}. Checks only that it is a
     * whole magic-2 batch within the buffer's limit; call {@link #ensureValid()} for the CRC.
     *
     * @throws CorruptRecordException if the header is truncated, the magic is not 2 or the batch
     *     length is out of range
     */
    public static RecordBatch at(ByteBuffer buf, int pos) {
        int available = buf.limit() - pos;
        if (pos < 0 || available < SIZE) {
            throw new CorruptRecordException(
                    "Record batch header needs " + SIZE + " bytes, only " + available + " available");
        }
        byte magic = RecordBatchHeader.magic(buf, pos);
        if (magic != MAGIC) {
            throw new CorruptRecordException("Unsupported record batch magic " + magic + " (only 2 is supported)");
        }
        int batchLength = RecordBatchHeader.batchLength(buf, pos);
        if (batchLength < SIZE - LOG_OVERHEAD) {
            throw new CorruptRecordException(
                    "Record batch length " + batchLength + " is below the minimum " + (SIZE - LOG_OVERHEAD));
        }
        if (batchLength > available - LOG_OVERHEAD) {
            throw new CorruptRecordException("Record batch of " + (batchLength + LOG_OVERHEAD) + " bytes exceeds the "
                    + available + " bytes available");
        }
        return new RecordBatch(buf, pos, batchLength + LOG_OVERHEAD);
    }

    /** The batch at the buffer's position. */
    public static RecordBatch readFrom(ByteBuffer buf) {
        return at(buf, buf.position());
    }

    /** Absolute index of the batch in its buffer. */
    public int position() {
        return pos;
    }

    /**
     * The shared buffer this batch lies in (absolute indexes; see {@link #position()}), for
     * {@link RecordCursor}, which reads every batch of one buffer through the same two views.
     * Callers must not move its position or limit.
     */
    ByteBuffer backing() {
        return buf;
    }

    /** A duplicate of the buffer holding exactly this batch (position to limit). */
    public ByteBuffer buffer() {
        ByteBuffer d = buf.duplicate();
        d.limit(pos + size).position(pos);
        return d.slice();
    }

    public long baseOffset() {
        return RecordBatchHeader.baseOffset(buf, pos);
    }

    public long lastOffset() {
        return baseOffset() + lastOffsetDelta();
    }

    public long nextOffset() {
        return lastOffset() + 1;
    }

    /** Total size on the wire including the 12-byte log overhead. */
    public int sizeInBytes() {
        return size;
    }

    public int batchLength() {
        return size - LOG_OVERHEAD;
    }

    public int partitionLeaderEpoch() {
        return RecordBatchHeader.partitionLeaderEpoch(buf, pos);
    }

    public byte magic() {
        return MAGIC;
    }

    /** The stored CRC (unsigned). */
    public long checksum() {
        return RecordBatchHeader.crc(buf, pos);
    }

    public long computeChecksum() {
        return RecordBatchHeader.computeCrc(buf, pos, size);
    }

    public short attributes() {
        return RecordBatchHeader.attributes(buf, pos);
    }

    public int lastOffsetDelta() {
        return RecordBatchHeader.lastOffsetDelta(buf, pos);
    }

    public long baseTimestamp() {
        return RecordBatchHeader.baseTimestamp(buf, pos);
    }

    public long maxTimestamp() {
        return RecordBatchHeader.maxTimestamp(buf, pos);
    }

    public long producerId() {
        return RecordBatchHeader.producerId(buf, pos);
    }

    public boolean hasProducerId() {
        return producerId() > NO_PRODUCER_ID;
    }

    public short producerEpoch() {
        return RecordBatchHeader.producerEpoch(buf, pos);
    }

    public int baseSequence() {
        return RecordBatchHeader.baseSequence(buf, pos);
    }

    public int lastSequence() {
        int base = baseSequence();
        return base == NO_SEQUENCE ? NO_SEQUENCE : incrementSequence(base, lastOffsetDelta());
    }

    /** The declared record count (the header's recordsCount). */
    public int recordsCount() {
        return RecordBatchHeader.recordsCount(buf, pos);
    }

    public boolean isTransactional() {
        return RecordBatchHeader.isTransactional(buf, pos);
    }

    /** True for COMMIT/ABORT markers (and KRaft control records): consumers skip these batches. */
    public boolean isControlBatch() {
        return RecordBatchHeader.isControl(buf, pos);
    }

    public boolean hasDeleteHorizon() {
        return (attributes() & RecordBatchHeader.DELETE_HORIZON_MASK) != 0;
    }

    public TimestampType timestampType() {
        return (attributes() & RecordBatchHeader.TIMESTAMP_TYPE_MASK) != 0
                ? TimestampType.LOG_APPEND_TIME
                : TimestampType.CREATE_TIME;
    }

    /** @throws CorruptRecordException for codec ids 5-7 */
    public CompressionType compressionType() {
        int id = RecordBatchHeader.compressionId(buf, pos);
        if (id > CompressionType.ZSTD.id) {
            throw new CorruptRecordException("Unknown compression type id " + id + " in record batch");
        }
        return CompressionType.forId(id);
    }

    public boolean isValid() {
        return checksum() == computeChecksum();
    }

    /** @throws CorruptRecordException naming the stored and computed CRC when they differ */
    public void ensureValid() {
        long stored = checksum();
        long computed = computeChecksum();
        if (stored != computed) {
            throw new CorruptRecordException("Record batch at offset " + baseOffset() + " is corrupt (stored crc = "
                    + stored + ", computed crc = " + computed + ")");
        }
    }

    /** Rewrites baseOffset in place (outside the CRC). */
    public void setBaseOffset(long offset) {
        RecordBatchHeader.setBaseOffset(buf, pos, offset);
    }

    /** Rewrites partitionLeaderEpoch in place (outside the CRC). */
    public void setPartitionLeaderEpoch(int epoch) {
        RecordBatchHeader.setPartitionLeaderEpoch(buf, pos, epoch);
    }

    /**
     * Iterates the records, decompressing the whole batch once on the first {@code hasNext()}.
     * The iterator throws {@link CorruptRecordException} for malformed records or when the
     * declared count does not match the bytes.
     */
    @Override
    public Iterator<Record> iterator() {
        return new RecordIterator();
    }

    /** All records as a list (allocates; for tests and small batches). */
    public List<Record> records() {
        List<Record> out = new ArrayList<>(Math.max(0, Math.min(recordsCount(), 1024)));
        for (Record r : this) {
            out.add(r);
        }
        return out;
    }

    static int incrementSequence(int sequence, int increment) {
        if (sequence > Integer.MAX_VALUE - increment) {
            return increment - (Integer.MAX_VALUE - sequence) - 1;
        }
        return sequence + increment;
    }

    @Override
    public String toString() {
        return "RecordBatch(magic=2, offsets=[" + baseOffset() + ", " + lastOffset() + "], size=" + size
                + ", count=" + recordsCount() + ", compression=" + RecordBatchHeader.compressionId(buf, pos)
                + ", control=" + isControlBatch() + ", transactional=" + isTransactional() + ")";
    }

    private final class RecordIterator implements Iterator<Record> {
        private final int count;
        private final long baseOffset;
        private final long baseTimestamp;
        private final boolean logAppendTime;
        private final long maxTimestamp;
        private final int baseSequence;
        private ByteBuffer data;
        private int read;

        RecordIterator() {
            count = recordsCount();
            if (count < 0) {
                throw new CorruptRecordException(
                        "Found invalid record count " + count + " in record batch at offset " + baseOffset());
            }
            baseOffset = baseOffset();
            baseTimestamp = baseTimestamp();
            logAppendTime = timestampType() == TimestampType.LOG_APPEND_TIME;
            maxTimestamp = maxTimestamp();
            baseSequence = baseSequence();
        }

        @Override
        public boolean hasNext() {
            return read < count;
        }

        @Override
        public Record next() {
            if (read >= count) {
                throw new NoSuchElementException();
            }
            if (data == null) {
                ByteBuffer region = buf.duplicate();
                region.limit(pos + size).position(pos + SIZE);
                data = compressionType().decompress(region.slice());
            }
            Record r;
            try {
                r = readRecord(data);
            } catch (BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
                throw new CorruptRecordException(
                        "Truncated or malformed record " + read + " in record batch at offset " + baseOffset, e);
            }
            read++;
            if (read == count && data.hasRemaining()) {
                throw new CorruptRecordException("Record batch at offset " + baseOffset + " declares " + count
                        + " records but " + data.remaining() + " bytes remain after them");
            }
            return r;
        }

        private Record readRecord(ByteBuffer b) {
            int start = b.position();
            int bodySize = Varints.readVarint(b);
            if (bodySize < 0 || bodySize > b.remaining()) {
                throw new CorruptRecordException(
                        "Record size " + bodySize + " is invalid with " + b.remaining() + " bytes left in the batch");
            }
            int bodyStart = b.position();
            int end = bodyStart + bodySize;
            b.get(); // attributes: unused in v2
            long timestampDelta = Varints.readVarlong(b);
            int offsetDelta = Varints.readVarint(b);
            ByteBuffer key = readBytes(b, end, "key");
            ByteBuffer value = readBytes(b, end, "value");
            int headerCount = Varints.readVarint(b);
            if (headerCount < 0 || headerCount > (end - b.position()) / 2) {
                throw new CorruptRecordException("Invalid header count " + headerCount);
            }
            Header[] headers = Record.NO_HEADERS;
            if (headerCount > 0) {
                headers = new Header[headerCount];
                for (int i = 0; i < headerCount; i++) {
                    int keyLen = Varints.readVarint(b);
                    if (keyLen < 0 || keyLen > end - b.position()) {
                        throw new CorruptRecordException("Invalid header key size " + keyLen);
                    }
                    String hk;
                    if (b.hasArray()) {
                        hk = new String(b.array(), b.arrayOffset() + b.position(), keyLen, StandardCharsets.UTF_8);
                        b.position(b.position() + keyLen);
                    } else {
                        byte[] kb = new byte[keyLen];
                        b.get(kb);
                        hk = new String(kb, StandardCharsets.UTF_8);
                    }
                    int valueLen = Varints.readVarint(b);
                    byte[] hv = null;
                    if (valueLen >= 0) {
                        if (valueLen > end - b.position()) {
                            throw new CorruptRecordException("Invalid header value size " + valueLen);
                        }
                        hv = new byte[valueLen];
                        b.get(hv);
                    } else if (valueLen != -1) {
                        throw new CorruptRecordException("Invalid header value size " + valueLen);
                    }
                    headers[i] = new Header(hk, hv);
                }
            }
            if (b.position() != end) {
                throw new CorruptRecordException("Invalid record size: expected to read " + bodySize
                        + " bytes in record payload, but instead read " + (b.position() - bodyStart));
            }
            long timestamp = logAppendTime ? maxTimestamp : baseTimestamp + timestampDelta;
            int sequence = baseSequence == NO_SEQUENCE ? NO_SEQUENCE : incrementSequence(baseSequence, offsetDelta);
            return new Record(baseOffset + offsetDelta, timestamp, sequence, key, value, headers, end - start);
        }

        private ByteBuffer readBytes(ByteBuffer b, int end, String what) {
            int len = Varints.readVarint(b);
            if (len < 0) {
                if (len != -1) {
                    throw new CorruptRecordException("Invalid record " + what + " size " + len);
                }
                return null;
            }
            if (len > end - b.position()) {
                throw new CorruptRecordException("Record " + what + " of " + len + " bytes exceeds the record");
            }
            ByteBuffer s = b.slice(b.position(), len);
            b.position(b.position() + len);
            return s;
        }
    }
}
