package io.tributary.interop.support;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Hand-encodes uncompressed magic-2 record batches, byte for byte as PROTOCOL-COMPAT.md lays them
 * out, so tests can send batches that are valid, or broken in exactly one chosen way.
 * Stateless and thread-safe.
 */
public final class RecordBatches {
    /** Offset of the CRC field from the start of the batch. */
    public static final int CRC_OFFSET = 17;
    /** Offset of the attributes field, where the CRC coverage starts. */
    public static final int ATTRIBUTES_OFFSET = 21;

    private RecordBatches() {}

    /** One batch with one record per key/value pair, no producer id, correct CRC-32C. */
    public static byte[] uncompressed(long timestampMs, byte[][] keys, byte[][] values) {
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        for (int i = 0; i < keys.length; i++) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.write(0); // record attributes
            writeVarlong(body, 0); // timestamp delta
            writeVarlong(body, i); // offset delta
            writeBytes(body, keys[i]);
            writeBytes(body, values[i]);
            writeVarlong(body, 0); // header count
            writeVarlong(records, body.size());
            records.writeBytes(body.toByteArray());
        }
        byte[] recordBytes = records.toByteArray();
        ByteBuffer batch = ByteBuffer.allocate(61 + recordBytes.length);
        batch.putLong(0L); // base offset: the broker assigns it
        batch.putInt(batch.capacity() - 12); // batch length: everything after this field
        batch.putInt(-1); // partition leader epoch
        batch.put((byte) 2); // magic
        batch.putInt(0); // CRC, filled below
        batch.putShort((short) 0); // attributes: no compression, CreateTime
        batch.putInt(keys.length - 1); // last offset delta
        batch.putLong(timestampMs); // base timestamp
        batch.putLong(timestampMs); // max timestamp
        batch.putLong(-1L); // producer id
        batch.putShort((short) -1); // producer epoch
        batch.putInt(-1); // base sequence
        batch.putInt(keys.length);
        batch.put(recordBytes);
        CRC32C crc = new CRC32C();
        crc.update(batch.array(), ATTRIBUTES_OFFSET, batch.capacity() - ATTRIBUTES_OFFSET);
        batch.putInt(CRC_OFFSET, (int) crc.getValue());
        return batch.array();
    }

    private static void writeBytes(ByteArrayOutputStream out, byte[] bytes) {
        if (bytes == null) {
            writeVarlong(out, -1);
            return;
        }
        writeVarlong(out, bytes.length);
        out.writeBytes(bytes);
    }

    /** Zig-zag varint, the record-level integer encoding. */
    private static void writeVarlong(ByteArrayOutputStream out, long value) {
        long v = (value << 1) ^ (value >> 63);
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
