package io.tributary.protocol.record;

import java.nio.ByteBuffer;

/** Zig-zag varints of the v2 record format, read and written relative to a buffer's position. */
final class Varints {
    private Varints() {}

    static int readVarint(ByteBuffer b) {
        int value = 0;
        int shift = 0;
        while (true) {
            byte x = b.get();
            value |= (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                break;
            }
            shift += 7;
            if (shift > 28) {
                throw new CorruptRecordException("Varint is too long");
            }
        }
        return (value >>> 1) ^ -(value & 1);
    }

    static long readVarlong(ByteBuffer b) {
        long value = 0;
        int shift = 0;
        while (true) {
            byte x = b.get();
            value |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                break;
            }
            shift += 7;
            if (shift > 63) {
                throw new CorruptRecordException("Varlong is too long");
            }
        }
        return (value >>> 1) ^ -(value & 1);
    }

    static void writeVarint(ByteBuffer b, int v) {
        int value = (v << 1) ^ (v >> 31);
        while ((value & 0xffffff80) != 0) {
            b.put((byte) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        b.put((byte) value);
    }

    static void writeVarlong(ByteBuffer b, long v) {
        long value = (v << 1) ^ (v >> 63);
        while ((value & 0xffffffffffffff80L) != 0) {
            b.put((byte) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        b.put((byte) value);
    }

    // Seven bits per byte: one byte for each started group of 7 significant bits of the zigzag
    // value (at least one). Without a loop: the producer sizes every record with these.
    static int sizeOfVarint(int v) {
        int value = (v << 1) ^ (v >> 31);
        return 1 + (31 - Integer.numberOfLeadingZeros(value | 1)) / 7;
    }

    static int sizeOfVarlong(long v) {
        long value = (v << 1) ^ (v >> 63);
        return 1 + (63 - Long.numberOfLeadingZeros(value | 1)) / 7;
    }
}
