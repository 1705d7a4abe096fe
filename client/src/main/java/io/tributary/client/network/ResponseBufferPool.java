package io.tributary.client.network;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reused direct buffers for large Fetch responses (issue 16). A fetch answer of megabytes read
 * into a fresh {@code byte[]} costs the JVM a humongous allocation, the zeroing of every byte
 * just before the socket read overwrites them, and the JDK's copy of every byte out of its own
 * temporary direct buffer (a heap array cannot be handed to the kernel); a direct buffer a
 * consumed answer gave back saves all three, and the records are decoded from it in place
 * ({@code RecordCursor}). Each response read into the pool is a {@link Frame} with a reference
 * count: the response holds one, every buffered partition fetch holding its records takes one,
 * and the buffer returns to the pool only when the last is released, that is when every record
 * of it has been turned into a {@code ConsumerRecord} (whose key, value and headers are copies)
 * or dropped. Nothing the application gets ever points into a pooled buffer.
 *
 * <p>Bounded: the pool keeps at most {@code maxFreeBytes} of buffers (fetch.max.bytes for the
 * consumer); beyond that a released buffer is left to the garbage collector (which frees its
 * native memory), and a response that finds no free buffer large enough gets a new one. Buffers
 * in use are bounded by what the consumer buffers. A frame that is never released (a consumer
 * closed with fetches buffered) is simply collected. Thread-safe: frames are taken on the
 * network thread and released on the application thread.
 */
public final class ResponseBufferPool {
    /** Smaller responses are heap allocations: their zeroing and copy are cheap and they are TLAB allocations. */
    public static final int MIN_POOLED_SIZE = 64 * 1024;

    private final long maxFreeBytes;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private long freeBytes;

    public ResponseBufferPool(long maxFreeBytes) {
        this.maxFreeBytes = maxFreeBytes;
    }

    /**
     * A frame of exactly {@code size} bytes (position 0, limit {@code size}) over a free buffer at
     * least that large, the smallest that fits, or a new one; its count starts at 1.
     */
    public Frame take(int size) {
        ByteBuffer whole = null;
        synchronized (this) {
            for (Iterator<ByteBuffer> it = free.iterator(); it.hasNext(); ) {
                ByteBuffer b = it.next();
                if (b.capacity() >= size && (whole == null || b.capacity() < whole.capacity())) {
                    whole = b;
                }
            }
            if (whole != null) {
                free.remove(whole);
                freeBytes -= whole.capacity();
            }
        }
        if (whole == null) {
            whole = ByteBuffer.allocateDirect(capacityFor(size));
        }
        return new Frame(this, whole, size);
    }

    /** Rounded up to a power of two, so answers of varying size fit buffers given back before. */
    static int capacityFor(int size) {
        if (size <= MIN_POOLED_SIZE) {
            return MIN_POOLED_SIZE;
        }
        int c = Integer.highestOneBit(size - 1) << 1;
        return c <= 0 ? size : c;
    }

    private synchronized void give(ByteBuffer whole) {
        if (freeBytes + whole.capacity() > maxFreeBytes) {
            return;
        }
        free.add(whole);
        freeBytes += whole.capacity();
    }

    /** Bytes of buffers waiting to be reused. */
    public synchronized long freeBytes() {
        return freeBytes;
    }

    /** One response's buffer and how many still read it. */
    public static final class Frame {
        private final ResponseBufferPool pool;
        private final ByteBuffer whole;
        private final ByteBuffer buffer;
        private final AtomicInteger refs = new AtomicInteger(1);

        private Frame(ResponseBufferPool pool, ByteBuffer whole, int size) {
            this.pool = pool;
            this.whole = whole;
            this.buffer = whole.duplicate().clear().limit(size);
        }

        /** The (direct) buffer the response is read into. */
        public ByteBuffer buffer() {
            return buffer;
        }

        /** One more reader; the frame must not have been given back already. */
        public void retain() {
            int n;
            do {
                n = refs.get();
                if (n <= 0) {
                    throw new IllegalStateException("Response frame retained after its release");
                }
            } while (!refs.compareAndSet(n, n + 1));
        }

        /** One reader fewer; the last gives the buffer back to the pool. */
        public void release() {
            int n = refs.decrementAndGet();
            if (n == 0) {
                pool.give(whole);
            } else if (n < 0) {
                throw new IllegalStateException("Response frame released more often than retained");
            }
        }

        /** Readers left (tests). */
        public int references() {
            return refs.get();
        }
    }
}
