package io.tributary.storage;

import io.tributary.protocol.Errors;
import io.tributary.protocol.record.CorruptRecordException;
import io.tributary.protocol.record.Record;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The record batches of one append, in the caller's buffer: checked before the log's lock is
 * taken (framing, magic 2, max.message.bytes, lastOffsetDelta, CRC32C, segment.bytes) so a bad
 * request costs no lock time, then given their offsets and leader epoch in place once the log
 * knows where they go. In a compacted topic every record needs a key (INVALID_RECORD, as in
 * Kafka). The CRC is checked unless the caller already checked it on these very bytes (the
 * produce path's validator, issue 16: CRC32C was the larger half of both checks): a bad batch on
 * disk would truncate the log at the next recovery.
 *
 * <p>Threads: confined to the appending thread; {@link #assignOffsets} runs under the log's lock.
 */
final class AppendBatches {
    private final ByteBuffer buf;
    private final int start;
    private final int limit;
    private final List<Integer> positions;
    private final Errors error;
    private final String message;
    private long maxTimestamp = -1;
    private long offsetOfMaxTimestamp = -1;

    private AppendBatches(ByteBuffer buf, List<Integer> positions, Errors error, String message) {
        this.buf = buf;
        this.start = buf.position();
        this.limit = buf.limit();
        this.positions = positions;
        this.error = error;
        this.message = message;
    }

    /** Finds the batches from the buffer's position to its limit; {@link #error()} says if they are unusable. */
    static AppendBatches validate(ByteBuffer buf, LogConfig cfg) {
        return validate(buf, cfg, true);
    }

    /** As {@link #validate(ByteBuffer, LogConfig)}; {@code checkCrc} false skips the CRC a caller verified already. */
    static AppendBatches validate(ByteBuffer buf, LogConfig cfg, boolean checkCrc) {
        int start = buf.position();
        int limit = buf.limit();
        List<Integer> positions = new ArrayList<>(1);
        CRC32C crc = checkCrc ? new CRC32C() : null;
        for (int pos = start; pos < limit; ) {
            if (limit - pos < RecordBatchHeader.SIZE) {
                return invalid(buf, Errors.CORRUPT_MESSAGE, "truncated batch header at byte " + (pos - start));
            }
            int total = RecordBatchHeader.totalSize(buf, pos);
            if (total < RecordBatchHeader.SIZE || total > limit - pos) {
                return invalid(buf, Errors.CORRUPT_MESSAGE, "invalid batch length " + total);
            }
            if (RecordBatchHeader.magic(buf, pos) != 2) {
                return invalid(buf, Errors.CORRUPT_MESSAGE, "unsupported magic " + RecordBatchHeader.magic(buf, pos));
            }
            if (total > cfg.maxMessageBytes) {
                return invalid(
                        buf,
                        Errors.MESSAGE_TOO_LARGE,
                        "batch of " + total + " bytes exceeds max.message.bytes " + cfg.maxMessageBytes);
            }
            if (RecordBatchHeader.lastOffsetDelta(buf, pos) < 0) {
                return invalid(buf, Errors.CORRUPT_MESSAGE, "negative lastOffsetDelta");
            }
            if (crc != null) {
                crc.reset();
                crc.update(buf.slice(pos + RecordBatchHeader.ATTRIBUTES, total - RecordBatchHeader.ATTRIBUTES));
                if (crc.getValue() != RecordBatchHeader.crc(buf, pos)) {
                    return invalid(buf, Errors.CORRUPT_MESSAGE, "batch CRC mismatch");
                }
            }
            AppendBatches keyless = cfg.compact() ? checkKeys(buf, pos) : null;
            if (keyless != null) {
                return keyless;
            }
            positions.add(pos);
            pos += total;
        }
        // Only a non-empty set can be over segment.bytes, so an empty one stays a no-op.
        if (limit - start > cfg.segmentBytes) {
            return invalid(
                    buf,
                    Errors.RECORD_LIST_TOO_LARGE,
                    (limit - start) + " bytes exceed segment.bytes " + cfg.segmentBytes);
        }
        return new AppendBatches(buf, positions, Errors.NONE, null);
    }

    /**
     * Kafka refuses a record without a key in a compacted topic (the cleaner could never
     * replace it): INVALID_RECORD, or CORRUPT_MESSAGE for records that cannot be decoded; null
     * when every record has a key. Decompresses the batch, a cost only compacted topics pay.
     */
    private static AppendBatches checkKeys(ByteBuffer buf, int pos) {
        if (RecordBatchHeader.isControl(buf, pos)) {
            return null;
        }
        try {
            for (Record r : RecordBatch.at(buf, pos)) {
                if (!r.hasKey()) {
                    return invalid(buf, Errors.INVALID_RECORD, "Compacted topic cannot accept message without key");
                }
            }
            return null;
        } catch (CorruptRecordException e) {
            return invalid(buf, Errors.CORRUPT_MESSAGE, "invalid records: " + e.getMessage());
        }
    }

    private static AppendBatches invalid(ByteBuffer buf, Errors error, String message) {
        return new AppendBatches(buf, List.of(), error, message);
    }

    /** NONE when every batch passed. */
    Errors error() {
        return error;
    }

    String message() {
        return message;
    }

    boolean isEmpty() {
        return positions.isEmpty();
    }

    ByteBuffer buffer() {
        return buf;
    }

    /** Where each batch starts in {@link #buffer()}. */
    List<Integer> positions() {
        return positions;
    }

    int sizeInBytes() {
        return limit - start;
    }

    /** All batches as one buffer to write. */
    ByteBuffer bytes() {
        return buf.slice(start, limit - start);
    }

    /**
     * Rewrites each batch's baseOffset (from firstOffset on) and partitionLeaderEpoch, both
     * outside the CRC, and notes the largest timestamp. Returns the offset after the last batch.
     */
    long assignOffsets(long firstOffset, int leaderEpoch) {
        long next = firstOffset;
        for (int pos : positions) {
            RecordBatchHeader.setBaseOffset(buf, pos, next);
            RecordBatchHeader.setPartitionLeaderEpoch(buf, pos, leaderEpoch);
            long last = next + RecordBatchHeader.lastOffsetDelta(buf, pos);
            long ts = RecordBatchHeader.maxTimestamp(buf, pos);
            if (ts > maxTimestamp) {
                maxTimestamp = ts;
                offsetOfMaxTimestamp = last;
            }
            next = last + 1;
        }
        return next;
    }

    /** The largest batch max timestamp seen by {@link #assignOffsets}; -1 when none. */
    long maxTimestamp() {
        return maxTimestamp;
    }

    long offsetOfMaxTimestamp() {
        return offsetOfMaxTimestamp;
    }
}
