package io.tributary.storage;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The byte layout of the write-ahead journal's files (see {@link Journal}). A file is named by
 * its sequence number ({@code 00000000000000000007.wal}); a free file kept for reuse ends in
 * {@code .free}. Every entry carries its file's sequence number, so the stale bytes of a reused
 * file are never mistaken for entries. Each group commit starts on a block boundary; the bytes
 * after its last entry up to the next boundary are zeros.
 *
 * <pre>
 * magic int | fileSeq long | type byte | topicId 16 bytes | partition int | offset long |
 * payloadLength int | crc32c int (of everything from fileSeq to the payload's end but itself) | payload
 * </pre>
 */
final class JournalFormat {
    static final int MAGIC = 0x54524a31; // "TRJ1"
    static final int HEADER = 4 + 8 + 1 + 16 + 4 + 8 + 4 + 4;
    static final int CRC_AT = HEADER - 4;
    static final int BLOCK = 4096;
    static final String SUFFIX = ".wal";
    static final String FREE_SUFFIX = ".free";

    /** Batches of an append, as written to the partition (offsets assigned); offset = the first one. */
    static final byte APPEND = 1;
    /** The log was truncated to offset (everything at and above it removed). */
    static final byte TRUNCATE = 2;
    /** The log was emptied and restarted at offset. */
    static final byte RESTART = 3;

    private JournalFormat() {}

    static int entrySize(int payload) {
        return HEADER + payload;
    }

    static long alignUp(long n) {
        return (n + BLOCK - 1) & -BLOCK;
    }

    static String fileName(long seq, String suffix) {
        return StorageFiles.padded20(seq) + suffix;
    }

    /** The sequence number a journal file name carries, or -1 for any other name. */
    static long seqOf(Path file, String suffix) {
        String n = file.getFileName().toString();
        if (!n.endsWith(suffix) || n.length() != 20 + suffix.length()) {
            return -1;
        }
        try {
            return Long.parseLong(n.substring(0, 20));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Writes an entry's header at dst's position, whose payload of length bytes is already in
     * place after it, and moves dst past the entry.
     */
    static void writeHeader(
            ByteBuffer dst, long fileSeq, byte type, UUID topicId, int partition, long offset, int length) {
        int start = dst.position();
        dst.putInt(MAGIC)
                .putLong(fileSeq)
                .put(type)
                .putLong(topicId.getMostSignificantBits())
                .putLong(topicId.getLeastSignificantBits())
                .putInt(partition)
                .putLong(offset)
                .putInt(length)
                .putInt(0);
        dst.position(start + HEADER + length);
        dst.putInt(start + CRC_AT, crc(dst, start, length));
    }

    /** The file sequence number is part of the CRC, so is the position of nothing else. */
    static int crc(ByteBuffer b, int entryStart, int payloadLength) {
        CRC32C c = new CRC32C();
        c.update(b.duplicate().position(entryStart + 4).limit(entryStart + CRC_AT));
        c.update(b.duplicate().position(entryStart + HEADER).limit(entryStart + HEADER + payloadLength));
        return (int) c.getValue();
    }

    /** One entry read back. */
    record Entry(byte type, UUID topicId, int partition, long offset, ByteBuffer payload) {}

    /**
     * The entry at b's position when it is whole and belongs to file fileSeq (b then moves past
     * it), else null (b unmoved): a zero or stale header, a torn or cut entry.
     */
    static Entry read(ByteBuffer b, long fileSeq) {
        int p = b.position();
        if (b.remaining() < HEADER || b.getInt(p) != MAGIC || b.getLong(p + 4) != fileSeq) {
            return null;
        }
        byte type = b.get(p + 12);
        int len = b.getInt(p + CRC_AT - 4);
        if (len < 0 || len > b.remaining() - HEADER || (type != APPEND && type != TRUNCATE && type != RESTART)) {
            return null;
        }
        if (b.getInt(p + CRC_AT) != crc(b, p, len)) {
            return null;
        }
        UUID id = new UUID(b.getLong(p + 13), b.getLong(p + 21));
        int partition = b.getInt(p + 29);
        long offset = b.getLong(p + 33);
        ByteBuffer payload = b.slice(p + HEADER, len);
        b.position(p + HEADER + len);
        return new Entry(type, id, partition, offset, payload);
    }
}
