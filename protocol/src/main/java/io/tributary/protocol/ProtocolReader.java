package io.tributary.protocol;

import io.tributary.protocol.record.MemoryRecords;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Reads protocol primitives from a ByteBuffer. Every length is checked against what remains, so
 * a malformed or truncated message fails with {@link ProtocolException} instead of allocating
 * absurd arrays. Byte and record fields are read as slices of the buffer (no copy of records).
 */
public final class ProtocolReader {
    private final ByteBuffer buf;

    public ProtocolReader(ByteBuffer buf) {
        this.buf = buf;
    }

    public ByteBuffer buffer() {
        return buf;
    }

    public int remaining() {
        return buf.remaining();
    }

    public byte readByte() {
        try {
            return buf.get();
        } catch (BufferUnderflowException e) {
            throw truncated();
        }
    }

    public short readShort() {
        try {
            return buf.getShort();
        } catch (BufferUnderflowException e) {
            throw truncated();
        }
    }

    public int readUnsignedShort() {
        return readShort() & 0xffff;
    }

    public int readInt() {
        try {
            return buf.getInt();
        } catch (BufferUnderflowException e) {
            throw truncated();
        }
    }

    public long readUnsignedInt() {
        return readInt() & 0xffffffffL;
    }

    public long readLong() {
        try {
            return buf.getLong();
        } catch (BufferUnderflowException e) {
            throw truncated();
        }
    }

    public double readDouble() {
        return Double.longBitsToDouble(readLong());
    }

    public boolean readBoolean() {
        return readByte() != 0;
    }

    public UUID readUuid() {
        long msb = readLong();
        long lsb = readLong();
        return new UUID(msb, lsb);
    }

    public int readUnsignedVarint() {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = readByte();
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new ProtocolException("varint is longer than 5 bytes");
    }

    public int readVarint() {
        int raw = readUnsignedVarint();
        return (raw >>> 1) ^ -(raw & 1);
    }

    public long readUnsignedVarlong() {
        long value = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            byte b = readByte();
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new ProtocolException("varlong is longer than 10 bytes");
    }

    public long readVarlong() {
        long raw = readUnsignedVarlong();
        return (raw >>> 1) ^ -(raw & 1);
    }

    /** Int16-length string; -1 means null. */
    public String readString() {
        return readStringOfLength(readShort());
    }

    /** Unsigned-varint (length + 1) string; 0 means null. */
    public String readCompactString() {
        return readStringOfLength(readUnsignedVarint() - 1);
    }

    private String readStringOfLength(int len) {
        if (len < 0) {
            return null;
        }
        checkLength(len);
        if (!buf.hasArray()) {
            // A direct buffer (the broker parses Produce in place in the network frame).
            byte[] b = new byte[len];
            buf.get(b);
            return new String(b, StandardCharsets.UTF_8);
        }
        String s = new String(buf.array(), buf.arrayOffset() + buf.position(), len, StandardCharsets.UTF_8);
        buf.position(buf.position() + len);
        return s;
    }

    /** Int32-length bytes; -1 means null. */
    public byte[] readBytes() {
        return readBytesOfLength(readInt());
    }

    /** Unsigned-varint (length + 1) bytes; 0 means null. */
    public byte[] readCompactBytes() {
        return readBytesOfLength(readUnsignedVarint() - 1);
    }

    public byte[] readBytesOfLength(int len) {
        if (len < 0) {
            return null;
        }
        checkLength(len);
        byte[] out = new byte[len];
        buf.get(out);
        return out;
    }

    /** Record data whose length was already read; -1 means null. A slice of the buffer, not a copy. */
    public MemoryRecords readRecords(int len) {
        if (len < 0) {
            return null;
        }
        checkLength(len);
        ByteBuffer slice = buf.slice();
        slice.limit(len);
        buf.position(buf.position() + len);
        return new MemoryRecords(slice);
    }

    /** Array element count in the legacy (int32) encoding: -1 means null. */
    public int readArrayLength() {
        int n = readInt();
        checkArrayLength(n);
        return n;
    }

    /** Array element count in the compact (uvarint + 1) encoding: -1 means null. */
    public int readCompactArrayLength() {
        int n = readUnsignedVarint() - 1;
        checkArrayLength(n);
        return n;
    }

    private void checkArrayLength(int n) {
        // Every element takes at least one byte, so a count beyond what remains is malformed.
        if (n < -1 || n > buf.remaining()) {
            throw new ProtocolException("array length " + n + " exceeds the " + buf.remaining() + " bytes left");
        }
    }

    public void skip(int len) {
        // A tagged field's size is an unsigned varint: above 2^31 it reads negative here.
        if (len < 0) {
            throw new ProtocolException("field of negative length " + len);
        }
        checkLength(len);
        buf.position(buf.position() + len);
    }

    private void checkLength(int len) {
        if (len > buf.remaining()) {
            throw new ProtocolException("field of " + len + " bytes exceeds the " + buf.remaining() + " bytes left");
        }
    }

    private static ProtocolException truncated() {
        return new ProtocolException("message is truncated");
    }
}
