package io.tributary.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.protocol.record.MemoryRecords;
import io.tributary.protocol.record.RecordBatchHeader;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/** Builds raw uncompressed magic-v2 batches for tests, independent of the protocol builder. */
final class TestBatches {
    private TestBatches() {}

    /**
     * Reads the log from its start to its end: every batch CRC-valid, holding {@code recordsPerBatch}
     * records, and each starting where the one before ended.
     */
    static void assertWholeBatchesFromStart(Log log, int recordsPerBatch) {
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            ByteBuffer b = log.read(next, 1 << 20, true).records().toByteBuffer();
            assertThat(allValid(b)).as("batches from %d", next).isTrue();
            List<Long> bases = baseOffsets(b);
            assertThat(bases).isNotEmpty();
            for (long base : bases) {
                assertThat(base).isEqualTo(next);
                next += recordsPerBatch;
            }
        }
        assertThat(next).isEqualTo(log.logEndOffset());
    }

    /** A batch of values with timestamps ts, ts+1, ...; producerId -1 means not idempotent. */
    static ByteBuffer batch(long producerId, short epoch, int baseSeq, long baseTimestamp, String... values) {
        long[] ts = new long[values.length];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = baseTimestamp + i;
        }
        return batchWithTimestamps(producerId, epoch, baseSeq, ts, values);
    }

    static ByteBuffer batchWithTimestamps(
            long producerId, short epoch, int baseSeq, long[] timestamps, String... values) {
        ByteArrayOutputStream recs = new ByteArrayOutputStream();
        long baseTs = timestamps[0];
        long maxTs = baseTs;
        for (int i = 0; i < values.length; i++) {
            maxTs = Math.max(maxTs, timestamps[i]);
            ByteArrayOutputStream r = new ByteArrayOutputStream();
            r.write(0); // attributes
            writeVarlong(r, timestamps[i] - baseTs);
            writeVarlong(r, i);
            writeVarlong(r, -1); // null key
            byte[] v = values[i].getBytes(StandardCharsets.UTF_8);
            writeVarlong(r, v.length);
            r.writeBytes(v);
            writeVarlong(r, 0); // no headers
            byte[] body = r.toByteArray();
            writeVarlong(recs, body.length);
            recs.writeBytes(body);
        }
        byte[] records = recs.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(RecordBatchHeader.SIZE + records.length);
        b.putLong(0L);
        b.putInt(RecordBatchHeader.SIZE - RecordBatchHeader.LOG_OVERHEAD + records.length);
        b.putInt(-1);
        b.put((byte) 2);
        b.putInt(0); // crc later
        b.putShort((short) 0);
        b.putInt(values.length - 1);
        b.putLong(baseTs);
        b.putLong(maxTs);
        b.putLong(producerId);
        b.putShort(epoch);
        b.putInt(baseSeq);
        b.putInt(values.length);
        b.put(records);
        b.flip();
        fixCrc(b, 0);
        return b;
    }

    static void fixCrc(ByteBuffer b, int pos) {
        int total = RecordBatchHeader.totalSize(b, pos);
        CRC32C crc = new CRC32C();
        crc.update(b.slice(pos + RecordBatchHeader.ATTRIBUTES, total - RecordBatchHeader.ATTRIBUTES));
        b.putInt(pos + RecordBatchHeader.CRC, (int) crc.getValue());
    }

    static MemoryRecords records(ByteBuffer... batches) {
        int size = 0;
        for (ByteBuffer b : batches) {
            size += b.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        for (ByteBuffer b : batches) {
            all.put(b.duplicate());
        }
        return new MemoryRecords(all.flip());
    }

    /** A plain (non-idempotent) batch of n records with fixed-size values. */
    static MemoryRecords plain(long timestamp, int n, int valueSize) {
        String[] values = new String[n];
        for (int i = 0; i < n; i++) {
            values[i] = "v".repeat(valueSize);
        }
        return records(batch(-1, (short) -1, -1, timestamp, values));
    }

    /** Base offsets of the batches in a buffer. */
    static List<Long> baseOffsets(ByteBuffer b) {
        List<Long> out = new ArrayList<>();
        for (int pos = b.position(); pos < b.limit(); pos += RecordBatchHeader.totalSize(b, pos)) {
            out.add(RecordBatchHeader.baseOffset(b, pos));
        }
        return out;
    }

    /** Checks each batch's CRC; true if all are intact and whole. */
    static boolean allValid(ByteBuffer b) {
        for (int pos = b.position(); pos < b.limit(); ) {
            if (b.limit() - pos < RecordBatchHeader.SIZE) {
                return false;
            }
            int total = RecordBatchHeader.totalSize(b, pos);
            if (pos + total > b.limit()) {
                return false;
            }
            CRC32C crc = new CRC32C();
            crc.update(b.slice(pos + RecordBatchHeader.ATTRIBUTES, total - RecordBatchHeader.ATTRIBUTES));
            if (crc.getValue() != RecordBatchHeader.crc(b, pos)) {
                return false;
            }
            pos += total;
        }
        return true;
    }

    private static void writeVarlong(ByteArrayOutputStream out, long v) {
        long z = (v << 1) ^ (v >> 63);
        while ((z & ~0x7FL) != 0) {
            out.write((int) ((z & 0x7F) | 0x80));
            z >>>= 7;
        }
        out.write((int) z);
    }
}
