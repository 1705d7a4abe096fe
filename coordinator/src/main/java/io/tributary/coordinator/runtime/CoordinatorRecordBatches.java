package io.tributary.coordinator.runtime;

import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.MemoryRecords;
import io.tributary.protocol.record.MemoryRecordsBuilder;
import io.tributary.protocol.record.Record;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.TimestampType;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;

/**
 * Helps a {@link CoordinatorLog} adapter keep coordinator records in an ordinary partition log:
 * each append becomes magic-2 record batch(es) of (key, value) records, a tombstone being a record
 * with a null value, and reading turns batches back into records. Stateless.
 */
public final class CoordinatorRecordBatches {
    private CoordinatorRecordBatches() {}

    /** The records as uncompressed batches with base offset 0 (the log assigns real offsets). */
    public static MemoryRecords toBatches(List<CoordinatorRecord> records, long timestampMs) {
        MemoryRecordsBuilder b = new MemoryRecordsBuilder(CompressionType.NONE, TimestampType.CREATE_TIME, 0);
        for (CoordinatorRecord r : records) {
            b.append(timestampMs, r.key(), r.value());
        }
        return b.build();
    }

    /**
     * Feeds every record of the batches in buf (position to limit) to the sink, in order. Control
     * batches are skipped; a batch with a bad CRC throws {@code CorruptRecordException}.
     *
     * @return the offset after the last batch read (or -1 if there was none)
     */
    public static long forEach(ByteBuffer buf, Consumer<CoordinatorRecord> sink) {
        long next = -1;
        int pos = buf.position();
        while (pos < buf.limit()) {
            RecordBatch batch = RecordBatch.at(buf, pos);
            batch.ensureValid();
            if (!batch.isControlBatch()) {
                for (Record r : batch) {
                    if (r.hasKey()) {
                        sink.accept(new CoordinatorRecord(r.keyBytes(), r.valueBytes()));
                    }
                }
            }
            next = batch.nextOffset();
            pos += batch.sizeInBytes();
        }
        return next;
    }
}
