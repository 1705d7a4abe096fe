package io.tributary.protocol.record;

import static io.tributary.protocol.record.RecordBatchHeader.LOG_OVERHEAD;

import io.tributary.protocol.Errors;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Checks the records of one partition of a Produce request before they are appended, reading
 * only batch headers and the CRC: nothing is decompressed or copied. Per batch, in this order:
 * a whole header (CORRUPT_MESSAGE), magic 2 (INVALID_RECORD, as Kafka 4 answers produce v3+), a batch length
 * that fits the buffer with no trailing bytes (CORRUPT_MESSAGE), baseOffset 0 (INVALID_RECORD),
 * size within max.message.bytes (MESSAGE_TOO_LARGE), the CRC (CORRUPT_MESSAGE), a known codec
 * (CORRUPT_MESSAGE), recordsCount >= 1 and lastOffsetDelta + 1 == recordsCount (INVALID_RECORD),
 * not a control batch (INVALID_RECORD), a sequence when a producer id is set (INVALID_RECORD).
 * With a produce version (3+), Kafka's request rules also apply: exactly one batch
 * (INVALID_RECORD) and zstd only from version 7 (UNSUPPORTED_COMPRESSION_TYPE).
 *
 * <p>Stateless and thread-safe; the buffer is only read.
 */
public final class ProduceValidator {
    private ProduceValidator() {}

    /** Validates without produce-version rules: any number (at least one) of batches. */
    public static Result validate(ByteBuffer records, int maxMessageBytes) {
        return validate(records, maxMessageBytes, (short) -1);
    }

    public static Result validate(MemoryRecords records, int maxMessageBytes, short produceVersion) {
        return validate(records.buffer(), maxMessageBytes, produceVersion);
    }

    /**
     * Validates {@code records} (position to limit; the position is not moved) as sent in a
     * Produce request of {@code produceVersion} (or -1 to skip the per-version rules).
     */
    public static Result validate(ByteBuffer records, int maxMessageBytes, short produceVersion) {
        int pos = records.position();
        int limit = records.limit();
        if (pos == limit) {
            return Result.error(
                    Errors.INVALID_RECORD, "Produce requests must have at least one record batch per partition");
        }
        BatchInfo first = null;
        BatchInfo[] more = null;
        int n = 0;
        while (pos < limit) {
            if (n == 1 && produceVersion >= 3) {
                return Result.error(
                        Errors.INVALID_RECORD,
                        "Produce requests with version " + produceVersion
                                + " are only allowed to contain exactly one record batch per partition");
            }
            Object r = validateBatch(records, pos, limit, maxMessageBytes, produceVersion);
            if (r instanceof Result error) {
                return error;
            }
            BatchInfo info = (BatchInfo) r;
            if (n == 0) {
                first = info;
            } else {
                if (more == null) {
                    more = new BatchInfo[4];
                    more[0] = first;
                } else if (n == more.length) {
                    more = Arrays.copyOf(more, n * 2);
                }
                more[n] = info;
            }
            n++;
            pos += info.sizeInBytes();
        }
        return more == null ? new Result(List.of(first)) : new Result(List.of(Arrays.copyOf(more, n)));
    }

    /** Returns a BatchInfo, or an error Result; avoids an exception on the rejection path. */
    private static Object validateBatch(ByteBuffer b, int pos, int limit, int maxMessageBytes, short version) {
        int remaining = limit - pos;
        if (remaining < RecordBatchHeader.MAGIC + 1) {
            return Result.error(
                    Errors.CORRUPT_MESSAGE, "Partial record batch header: " + remaining + " trailing bytes");
        }
        byte magic = RecordBatchHeader.magic(b, pos);
        if (magic != RecordBatch.MAGIC) {
            return Result.error(
                    Errors.INVALID_RECORD, "Record batch magic " + magic + " is not supported; only magic 2 is");
        }
        if (remaining < RecordBatchHeader.SIZE) {
            return Result.error(Errors.CORRUPT_MESSAGE, "Partial record batch header: " + remaining + " bytes");
        }
        int batchLength = RecordBatchHeader.batchLength(b, pos);
        if (batchLength < RecordBatchHeader.SIZE - LOG_OVERHEAD) {
            return Result.error(
                    Errors.CORRUPT_MESSAGE,
                    "Record batch length " + batchLength + " is below the minimum "
                            + (RecordBatchHeader.SIZE - LOG_OVERHEAD));
        }
        if (batchLength > remaining - LOG_OVERHEAD) {
            return Result.error(
                    Errors.CORRUPT_MESSAGE,
                    "Record batch of " + (batchLength + LOG_OVERHEAD) + " bytes exceeds the " + remaining
                            + " bytes left in the request");
        }
        int size = batchLength + LOG_OVERHEAD;
        long baseOffset = RecordBatchHeader.baseOffset(b, pos);
        if (baseOffset != 0) {
            return Result.error(
                    Errors.INVALID_RECORD, "The baseOffset of the record batch should be 0, but it is " + baseOffset);
        }
        if (size > maxMessageBytes) {
            return Result.error(
                    Errors.MESSAGE_TOO_LARGE,
                    "Record batch of " + size + " bytes exceeds the maximum message size " + maxMessageBytes);
        }
        long stored = RecordBatchHeader.crc(b, pos);
        long computed = RecordBatchHeader.computeCrc(b, pos, size);
        if (stored != computed) {
            return Result.error(
                    Errors.CORRUPT_MESSAGE,
                    "Record batch is corrupt (stored crc = " + stored + ", computed crc = " + computed + ")");
        }
        int compressionId = RecordBatchHeader.compressionId(b, pos);
        if (compressionId > CompressionType.ZSTD.id) {
            return Result.error(Errors.CORRUPT_MESSAGE, "Unknown compression type id " + compressionId);
        }
        CompressionType compression = CompressionType.forId(compressionId);
        if (version >= 0 && version < 7 && compression == CompressionType.ZSTD) {
            return Result.error(
                    Errors.UNSUPPORTED_COMPRESSION_TYPE,
                    "Produce requests with version " + version + " are not allowed to use ZStandard compression");
        }
        int count = RecordBatchHeader.recordsCount(b, pos);
        int lastOffsetDelta = RecordBatchHeader.lastOffsetDelta(b, pos);
        if (count < 1 || lastOffsetDelta < 0) {
            return Result.error(
                    Errors.INVALID_RECORD,
                    "Record batch has an invalid record count " + count + " or last offset delta " + lastOffsetDelta);
        }
        if (lastOffsetDelta + 1L != count) {
            return Result.error(
                    Errors.INVALID_RECORD,
                    "Inconsistent batch offset range: last offset delta " + lastOffsetDelta + " for " + count
                            + " records");
        }
        short attributes = RecordBatchHeader.attributes(b, pos);
        if ((attributes & RecordBatchHeader.CONTROL_MASK) != 0) {
            return Result.error(Errors.INVALID_RECORD, "Clients are not allowed to write control records");
        }
        long producerId = RecordBatchHeader.producerId(b, pos);
        int baseSequence = RecordBatchHeader.baseSequence(b, pos);
        if (producerId >= 0 && baseSequence < 0) {
            return Result.error(
                    Errors.INVALID_RECORD,
                    "Invalid sequence number " + baseSequence + " in record batch with producerId " + producerId);
        }
        return new BatchInfo(
                pos,
                size,
                count,
                RecordBatchHeader.baseTimestamp(b, pos),
                RecordBatchHeader.maxTimestamp(b, pos),
                producerId,
                RecordBatchHeader.producerEpoch(b, pos),
                baseSequence,
                (attributes & RecordBatchHeader.TRANSACTIONAL_MASK) != 0,
                compression,
                (attributes & RecordBatchHeader.TIMESTAMP_TYPE_MASK) != 0
                        ? TimestampType.LOG_APPEND_TIME
                        : TimestampType.CREATE_TIME);
    }

    /**
     * What the validator learnt about one batch.
     *
     * @param position absolute index of the batch in the validated buffer
     * @param count records in the batch (lastOffsetDelta + 1)
     * @param baseTimestamp the first record's timestamp as sent
     */
    public record BatchInfo(
            int position,
            int sizeInBytes,
            int count,
            long baseTimestamp,
            long maxTimestamp,
            long producerId,
            short producerEpoch,
            int baseSequence,
            boolean isTransactional,
            CompressionType compression,
            TimestampType timestampType) {

        public boolean hasProducerId() {
            return producerId >= 0;
        }

        public int lastSequence() {
            return baseSequence == RecordBatch.NO_SEQUENCE
                    ? RecordBatch.NO_SEQUENCE
                    : RecordBatch.incrementSequence(baseSequence, count - 1);
        }
    }

    /**
     * Either an error (with a message for the response's error_message) or the batches in order.
     * Immutable.
     */
    public static final class Result {
        private final Errors error;
        private final String errorMessage;
        private final List<BatchInfo> batches;

        private Result(List<BatchInfo> batches) {
            this.error = Errors.NONE;
            this.errorMessage = null;
            this.batches = batches;
        }

        private Result(Errors error, String errorMessage) {
            this.error = error;
            this.errorMessage = errorMessage;
            this.batches = List.of();
        }

        static Result error(Errors error, String message) {
            return new Result(error, message);
        }

        public boolean isValid() {
            return error == Errors.NONE;
        }

        public Errors error() {
            return error;
        }

        /** Why the records were rejected, or null. */
        public String errorMessage() {
            return errorMessage;
        }

        public List<BatchInfo> batches() {
            return batches;
        }

        /** Records across all batches (the number of offsets to assign). */
        public long recordCount() {
            long c = 0;
            for (BatchInfo b : batches) {
                c += b.count();
            }
            return c;
        }

        public long maxTimestamp() {
            long m = RecordBatch.NO_TIMESTAMP;
            for (BatchInfo b : batches) {
                m = Math.max(m, b.maxTimestamp());
            }
            return m;
        }

        /**
         * Assigns offsets from {@code firstOffset} by rewriting each batch's baseOffset in place
         * (outside the CRC) in {@code buffer}, the validated buffer or a duplicate of it.
         *
         * @return the offset after the last record
         */
        public long assignOffsets(ByteBuffer buffer, long firstOffset) {
            requireValid();
            long next = firstOffset;
            for (BatchInfo b : batches) {
                RecordBatchHeader.setBaseOffset(buffer, b.position(), next);
                next += b.count();
            }
            return next;
        }

        /** Sets partitionLeaderEpoch of every batch in place (outside the CRC). */
        public void setPartitionLeaderEpoch(ByteBuffer buffer, int epoch) {
            requireValid();
            for (BatchInfo b : batches) {
                RecordBatchHeader.setPartitionLeaderEpoch(buffer, b.position(), epoch);
            }
        }

        /** For message.timestamp.type=LogAppendTime: stamps every batch and rewrites its CRC. */
        public void setLogAppendTime(ByteBuffer buffer, long timestampMs) {
            requireValid();
            for (BatchInfo b : batches) {
                RecordBatchHeader.setLogAppendTime(buffer, b.position(), timestampMs);
            }
        }

        private void requireValid() {
            if (!isValid()) {
                throw new IllegalStateException("Records were rejected: " + error + " " + errorMessage);
            }
        }

        @Override
        public String toString() {
            return isValid() ? "Result(" + batches.size() + " batches)" : "Result(" + error + ": " + errorMessage + ")";
        }
    }
}
