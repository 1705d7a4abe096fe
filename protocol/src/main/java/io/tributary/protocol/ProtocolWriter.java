package io.tributary.protocol;

import io.tributary.protocol.record.BaseRecords;
import io.tributary.protocol.record.MemoryRecords;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes protocol primitives into a growable heap buffer. Record data that is not in memory (a
 * file region of a log segment) is not copied: it ends the current chunk and stands as a chunk of
 * its own, so a fetch response becomes [bytes, file region, bytes, ...] for the network layer. A
 * {@link #gathering()} writer does the same with in-memory records: the records' own buffer
 * becomes a chunk, for a gathering socket write (a producer's batches go out without a copy).
 */
public final class ProtocolWriter {
    private ByteBuffer buf;
    private final List<Object> chunks = new ArrayList<>();
    private int chunkedBytes;
    private final boolean gathering;

    public ProtocolWriter() {
        this(256);
    }

    public ProtocolWriter(int initialCapacity) {
        this(initialCapacity, false);
    }

    private ProtocolWriter(int initialCapacity, boolean gathering) {
        buf = ByteBuffer.allocate(Math.max(16, initialCapacity));
        this.gathering = gathering;
    }

    /**
     * A writer that keeps {@link MemoryRecords} as chunks of their own (views of the records'
     * buffers, not copies): {@link #chunks()} then lists [bytes, records, bytes, records, ...]. The
     * records' buffers must stay unchanged until the chunks are written.
     */
    public static ProtocolWriter gathering() {
        return new ProtocolWriter(256, true);
    }

    private void ensure(int n) {
        if (buf.remaining() < n) {
            int need = buf.position() + n;
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(need, buf.capacity() * 2));
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
    }

    public void writeByte(byte v) {
        ensure(1);
        buf.put(v);
    }

    public void writeShort(short v) {
        ensure(2);
        buf.putShort(v);
    }

    public void writeUnsignedShort(int v) {
        writeShort((short) v);
    }

    public void writeInt(int v) {
        ensure(4);
        buf.putInt(v);
    }

    public void writeUnsignedInt(long v) {
        writeInt((int) v);
    }

    public void writeLong(long v) {
        ensure(8);
        buf.putLong(v);
    }

    public void writeDouble(double v) {
        writeLong(Double.doubleToRawLongBits(v));
    }

    public void writeBoolean(boolean v) {
        writeByte(v ? (byte) 1 : (byte) 0);
    }

    public void writeUuid(UUID v) {
        UUID u = v == null ? Uuids.ZERO : v;
        writeLong(u.getMostSignificantBits());
        writeLong(u.getLeastSignificantBits());
    }

    public void writeUnsignedVarint(int v) {
        ensure(5);
        while ((v & 0xffffff80) != 0) {
            buf.put((byte) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        buf.put((byte) v);
    }

    public void writeVarint(int v) {
        writeUnsignedVarint((v << 1) ^ (v >> 31));
    }

    public void writeUnsignedVarlong(long v) {
        ensure(10);
        while ((v & 0xffffffffffffff80L) != 0L) {
            buf.put((byte) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        buf.put((byte) v);
    }

    public void writeVarlong(long v) {
        writeUnsignedVarlong((v << 1) ^ (v >> 63));
    }

    public void writeString(String s) {
        if (s == null) {
            writeShort((short) -1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > Short.MAX_VALUE) {
            throw new ProtocolException("string of " + b.length + " bytes is longer than 32767");
        }
        writeShort((short) b.length);
        writeRaw(b);
    }

    public void writeCompactString(String s) {
        if (s == null) {
            writeUnsignedVarint(0);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeUnsignedVarint(b.length + 1);
        writeRaw(b);
    }

    public void writeBytes(byte[] b) {
        if (b == null) {
            writeInt(-1);
            return;
        }
        writeInt(b.length);
        writeRaw(b);
    }

    public void writeCompactBytes(byte[] b) {
        if (b == null) {
            writeUnsignedVarint(0);
            return;
        }
        writeUnsignedVarint(b.length + 1);
        writeRaw(b);
    }

    public void writeRaw(byte[] b) {
        writeRaw(b, 0, b.length);
    }

    public void writeRaw(byte[] b, int off, int len) {
        ensure(len);
        buf.put(b, off, len);
    }

    public void writeRaw(ByteBuffer b) {
        ensure(b.remaining());
        buf.put(b.duplicate());
    }

    /** Writes record data (its length prefix is the caller's); file-backed records become a chunk. */
    public void writeRecords(BaseRecords records) {
        if (records == null) {
            return;
        }
        if (records instanceof MemoryRecords mem && !gathering) {
            writeRaw(mem.buffer());
            return;
        }
        closeChunk();
        chunks.add(records instanceof MemoryRecords mem ? mem.buffer().duplicate() : records);
        chunkedBytes += records.sizeInBytes();
    }

    private void closeChunk() {
        if (buf.position() > 0) {
            int end = buf.position();
            chunks.add(buf.duplicate().flip());
            chunkedBytes += end;
            // The next chunk continues in the same array's unused tail (grown by a copy of its own bytes only).
            buf = end < buf.capacity() - 16 ? buf.slice(end, buf.capacity() - end) : ByteBuffer.allocate(256);
        }
    }

    /**
     * Overwrites 4 bytes at an absolute position of the first chunk (used for size prefixes that
     * are only known once the whole message is written).
     */
    public void patchInt(int position, int value) {
        ByteBuffer first = chunks.isEmpty() ? buf : (ByteBuffer) chunks.get(0);
        first.putInt(position, value);
    }

    /** Bytes written so far, including file-backed chunks. */
    public int size() {
        return chunkedBytes + buf.position();
    }

    /** True if everything written is in one buffer (no file-backed or gathered chunks). */
    public boolean isContiguous() {
        return chunks.isEmpty();
    }

    /** The written bytes as one buffer; only valid when {@link #isContiguous()}. */
    public ByteBuffer toByteBuffer() {
        if (!chunks.isEmpty()) {
            throw new IllegalStateException("writer holds file-backed records; use chunks()");
        }
        ByteBuffer out = buf.duplicate();
        out.flip();
        return out;
    }

    public byte[] toByteArray() {
        ByteBuffer b = toByteBuffer();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** The written data in order: each element is a ByteBuffer or a non-memory {@link BaseRecords}. */
    public List<Object> chunks() {
        closeChunk();
        return chunks;
    }
}
