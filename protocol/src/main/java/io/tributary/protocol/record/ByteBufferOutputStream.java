package io.tributary.protocol.record;

import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * A growable heap buffer written as a stream (by codecs) or directly (by the batch builder).
 * Owned by one builder, single-threaded.
 */
final class ByteBufferOutputStream extends OutputStream {
    private ByteBuffer buf;

    ByteBufferOutputStream(int initialCapacity) {
        buf = ByteBuffer.allocate(Math.max(64, initialCapacity));
    }

    /**
     * Writes into {@code initial} from its start (a pooled buffer lent by the caller). Outgrowing it
     * moves the bytes to a fresh heap buffer; the caller's buffer is then no longer written.
     */
    ByteBufferOutputStream(ByteBuffer initial) {
        buf = initial.clear();
    }

    /** The backing buffer, position = bytes written. Replaced when it grows: do not keep it. */
    ByteBuffer buffer() {
        return buf;
    }

    int position() {
        return buf.position();
    }

    void position(int pos) {
        ensureRemaining(pos - buf.position());
        buf.position(pos);
    }

    void ensureRemaining(int n) {
        if (buf.remaining() < n) {
            int needed = buf.position() + n;
            if (needed < 0) {
                throw new IllegalStateException("Record buffer would exceed 2 GiB");
            }
            int cap = Math.max(needed, (int) Math.min(Integer.MAX_VALUE - 8, (long) buf.capacity() * 2));
            ByteBuffer bigger = ByteBuffer.allocate(cap);
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
    }

    @Override
    public void write(int b) {
        ensureRemaining(1);
        buf.put((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensureRemaining(len);
        buf.put(b, off, len);
    }

    void write(ByteBuffer src) {
        ensureRemaining(src.remaining());
        buf.put(src.duplicate());
    }
}
