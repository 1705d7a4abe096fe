package io.tributary.reliability.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tributary.protocol.ProtocolException;
import io.tributary.protocol.record.CorruptRecordException;
import io.tributary.protocol.record.MemoryRecords;
import io.tributary.protocol.record.ProduceValidator;
import io.tributary.protocol.record.Record;
import io.tributary.protocol.record.RecordBatch;
import java.nio.ByteBuffer;

/**
 * Fuzz targets for record batches (issue 15, parser family 2), all codecs: the produce-path
 * validation the broker runs on every Produce request, and the record iteration that fetch
 * readers, the cleaner and recovery use. The property: validation never throws (it answers with
 * Kafka's error: CORRUPT_MESSAGE, INVALID_RECORD, ...), and iteration yields records or throws
 * {@link CorruptRecordException} / {@link ProtocolException}; a decompressor fed garbage must not
 * escape with its own exception type or allocate what a length field claims.
 */
class RecordBatchFuzzTest {
    /** Kafka's default {@code max.message.bytes}. */
    private static final int MAX_MESSAGE_BYTES = 1_048_588;
    /** The Produce version Apache's clients send to us (the validator's answer varies little by version). */
    private static final short PRODUCE_VERSION = 12;
    /** Raw batches, so the stored seeds are the record data of real Produce requests (every codec). */
    @FuzzTest(maxDuration = "10s")
    void produceValidation(byte[] records) {
        ProduceValidator.Result result =
                ProduceValidator.validate(ByteBuffer.wrap(records), MAX_MESSAGE_BYTES, PRODUCE_VERSION);
        if (result == null) {
            throw new IllegalStateException("validate returned null");
        }
    }

    @FuzzTest(maxDuration = "10s")
    void recordIteration(byte[] bytes) {
        MemoryRecords records = MemoryRecords.readableRecords(ByteBuffer.wrap(bytes));
        try {
            for (RecordBatch batch : records.batches()) {
                batch.isValid();
                for (Record r : batch) {
                    r.key();
                    r.value();
                    r.headers();
                }
            }
        } catch (CorruptRecordException | ProtocolException expected) {
            // reported as corrupt
        }
    }
}
