package io.tributary.storage;

import io.tributary.protocol.record.RecordBatchHeader;
import java.nio.ByteBuffer;

/**
 * Just enough record-level decoding of a v2 batch to find the first record at or after a
 * timestamp: uncompressed batches are walked record by record; for compressed ones the batch
 * start stands in (decompression belongs to the protocol layer). Stateless.
 */
final class BatchRecords {
    private BatchRecords() {}

    /**
     * First record in the batch (at index 0 of batch) with timestamp >= target and offset >=
     * minOffset, or null; the batch's maxTimestamp must be >= target for a non-null answer.
     */
    static TimestampAndOffset firstAtOrAfter(ByteBuffer batch, long target, long minOffset) {
        long base = RecordBatchHeader.baseOffset(batch, 0);
        long maxTs = RecordBatchHeader.maxTimestamp(batch, 0);
        short attrs = RecordBatchHeader.attributes(batch, 0);
        boolean logAppendTime = (attrs & RecordBatchHeader.TIMESTAMP_TYPE_MASK) != 0;
        long last = RecordBatchHeader.lastOffset(batch, 0);
        if (maxTs < target || last < minOffset) {
            return null;
        }
        if (logAppendTime) {
            return new TimestampAndOffset(maxTs, Math.max(base, minOffset));
        }
        if ((attrs & RecordBatchHeader.COMPRESSION_MASK) != 0) {
            long firstTs = RecordBatchHeader.baseTimestamp(batch, 0);
            return new TimestampAndOffset(firstTs >= target ? firstTs : maxTs, Math.max(base, minOffset));
        }
        long baseTs = RecordBatchHeader.baseTimestamp(batch, 0);
        int count = RecordBatchHeader.recordsCount(batch, 0);
        ByteBuffer b = batch.duplicate();
        b.position(RecordBatchHeader.SIZE);
        for (int i = 0; i < count && b.hasRemaining(); i++) {
            int length = (int) readVarlong(b);
            int start = b.position();
            b.get(); // attributes
            long ts = baseTs + readVarlong(b);
            long offset = base + readVarlong(b);
            if (ts >= target && offset >= minOffset) {
                return new TimestampAndOffset(ts, offset);
            }
            b.position(start + length);
        }
        return null;
    }

    /** Offset and timestamp of the record with the largest timestamp (first one on ties). */
    static TimestampAndOffset maxTimestampRecord(ByteBuffer batch) {
        return firstAtOrAfter(batch, RecordBatchHeader.maxTimestamp(batch, 0), -1);
    }

    /** Zig-zag varint/varlong, as record fields are encoded. */
    static long readVarlong(ByteBuffer b) {
        long raw = 0;
        int shift = 0;
        while (true) {
            byte x = b.get();
            raw |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                break;
            }
            shift += 7;
            if (shift > 63) {
                throw new IllegalArgumentException("varlong too long");
            }
        }
        return (raw >>> 1) ^ -(raw & 1);
    }
}
