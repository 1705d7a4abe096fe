package io.tributary.storage;

import io.tributary.protocol.record.CorruptRecordException;
import io.tributary.protocol.record.Record;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchHeader;
import java.nio.ByteBuffer;

/**
 * Record-level search inside one batch for ListOffsets: decodes (and, if compressed,
 * decompresses) the records through the protocol's {@link RecordBatch}. Stateless.
 */
final class BatchRecords {
    private BatchRecords() {}

    /**
     * First record in the batch (at index 0 of batch) with timestamp >= target and offset >=
     * minOffset, or null. A batch whose records cannot be decoded answers with its first offset
     * and max timestamp, so a lookup still lands at or before the right place.
     */
    static TimestampAndOffset firstAtOrAfter(ByteBuffer batch, long target, long minOffset) {
        long base = RecordBatchHeader.baseOffset(batch, 0);
        long maxTs = RecordBatchHeader.maxTimestamp(batch, 0);
        if (maxTs < target || RecordBatchHeader.lastOffset(batch, 0) < minOffset) {
            return null;
        }
        try {
            for (Record r : RecordBatch.at(batch, 0)) {
                if (r.timestamp() >= target && r.offset() >= minOffset) {
                    return new TimestampAndOffset(r.timestamp(), r.offset());
                }
            }
            return null;
        } catch (CorruptRecordException | IllegalArgumentException e) {
            return new TimestampAndOffset(maxTs, Math.max(base, minOffset));
        }
    }
}
