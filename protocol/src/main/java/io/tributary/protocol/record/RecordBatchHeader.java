package io.tributary.protocol.record;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Layout of the magic-v2 record batch header (61 bytes) and absolute accessors on a buffer that
 * holds a batch at {@code pos}. Storage and the broker use these to route and rewrite batches
 * without decoding records; only baseOffset and partitionLeaderEpoch lie outside the CRC.
 */
public final class RecordBatchHeader {
    public static final int BASE_OFFSET = 0;
    public static final int BATCH_LENGTH = 8;
    public static final int PARTITION_LEADER_EPOCH = 12;
    public static final int MAGIC = 16;
    public static final int CRC = 17;
    public static final int ATTRIBUTES = 21;
    public static final int LAST_OFFSET_DELTA = 23;
    public static final int BASE_TIMESTAMP = 27;
    public static final int MAX_TIMESTAMP = 35;
    public static final int PRODUCER_ID = 43;
    public static final int PRODUCER_EPOCH = 51;
    public static final int BASE_SEQUENCE = 53;
    public static final int RECORDS_COUNT = 57;
    public static final int SIZE = 61;
    /** baseOffset + batchLength: the bytes not counted by batchLength. */
    public static final int LOG_OVERHEAD = 12;

    public static final int COMPRESSION_MASK = 0x07;
    public static final int TIMESTAMP_TYPE_MASK = 0x08;
    public static final int TRANSACTIONAL_MASK = 0x10;
    public static final int CONTROL_MASK = 0x20;
    public static final int DELETE_HORIZON_MASK = 0x40;

    private RecordBatchHeader() {}

    public static long baseOffset(ByteBuffer b, int pos) {
        return b.getLong(pos + BASE_OFFSET);
    }

    /** Total size of the batch on the wire, including the 12-byte log overhead. */
    public static int totalSize(ByteBuffer b, int pos) {
        return b.getInt(pos + BATCH_LENGTH) + LOG_OVERHEAD;
    }

    public static byte magic(ByteBuffer b, int pos) {
        return b.get(pos + MAGIC);
    }

    public static long crc(ByteBuffer b, int pos) {
        return b.getInt(pos + CRC) & 0xffffffffL;
    }

    public static short attributes(ByteBuffer b, int pos) {
        return b.getShort(pos + ATTRIBUTES);
    }

    public static int lastOffsetDelta(ByteBuffer b, int pos) {
        return b.getInt(pos + LAST_OFFSET_DELTA);
    }

    public static long lastOffset(ByteBuffer b, int pos) {
        return baseOffset(b, pos) + lastOffsetDelta(b, pos);
    }

    public static long baseTimestamp(ByteBuffer b, int pos) {
        return b.getLong(pos + BASE_TIMESTAMP);
    }

    public static long maxTimestamp(ByteBuffer b, int pos) {
        return b.getLong(pos + MAX_TIMESTAMP);
    }

    public static long producerId(ByteBuffer b, int pos) {
        return b.getLong(pos + PRODUCER_ID);
    }

    public static short producerEpoch(ByteBuffer b, int pos) {
        return b.getShort(pos + PRODUCER_EPOCH);
    }

    public static int baseSequence(ByteBuffer b, int pos) {
        return b.getInt(pos + BASE_SEQUENCE);
    }

    public static int recordsCount(ByteBuffer b, int pos) {
        return b.getInt(pos + RECORDS_COUNT);
    }

    public static boolean isControl(ByteBuffer b, int pos) {
        return (attributes(b, pos) & CONTROL_MASK) != 0;
    }

    public static boolean isTransactional(ByteBuffer b, int pos) {
        return (attributes(b, pos) & TRANSACTIONAL_MASK) != 0;
    }

    public static int compressionId(ByteBuffer b, int pos) {
        return attributes(b, pos) & COMPRESSION_MASK;
    }

    public static void setBaseOffset(ByteBuffer b, int pos, long offset) {
        b.putLong(pos + BASE_OFFSET, offset);
    }

    public static void setPartitionLeaderEpoch(ByteBuffer b, int pos, int epoch) {
        b.putInt(pos + PARTITION_LEADER_EPOCH, epoch);
    }

    /** The batchLength field: bytes after it (total size minus {@link #LOG_OVERHEAD}). */
    public static int batchLength(ByteBuffer b, int pos) {
        return b.getInt(pos + BATCH_LENGTH);
    }

    public static int partitionLeaderEpoch(ByteBuffer b, int pos) {
        return b.getInt(pos + PARTITION_LEADER_EPOCH);
    }

    public static int timestampTypeBit(ByteBuffer b, int pos) {
        return (attributes(b, pos) & TIMESTAMP_TYPE_MASK) != 0 ? 1 : 0;
    }

    /**
     * CRC-32C of attributes through the end of the batch at {@code pos}, whose total size is
     * {@code totalSize}. Reads without moving the buffer's position; copies nothing from heap
     * buffers.
     */
    public static long computeCrc(ByteBuffer b, int pos, int totalSize) {
        CRC32C crc = new CRC32C();
        int from = pos + ATTRIBUTES;
        int len = totalSize - ATTRIBUTES;
        if (b.hasArray()) {
            crc.update(b.array(), b.arrayOffset() + from, len);
        } else {
            ByteBuffer d = b.duplicate();
            d.limit(from + len).position(from);
            crc.update(d);
        }
        return crc.getValue();
    }

    /** Recomputes and stores the CRC after a change to a field it covers. */
    public static void writeCrc(ByteBuffer b, int pos) {
        b.putInt(pos + CRC, (int) computeCrc(b, pos, totalSize(b, pos)));
    }

    /**
     * Stamps the batch with the broker's time (message.timestamp.type=LogAppendTime): sets the
     * timestamp-type bit and maxTimestamp, then rewrites the CRC, which covers both.
     */
    public static void setLogAppendTime(ByteBuffer b, int pos, long timestampMs) {
        b.putShort(pos + ATTRIBUTES, (short) (attributes(b, pos) | TIMESTAMP_TYPE_MASK));
        b.putLong(pos + MAX_TIMESTAMP, timestampMs);
        writeCrc(b, pos);
    }
}
