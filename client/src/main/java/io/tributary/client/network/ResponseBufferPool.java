package io.tributary.client.network;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reused arrays for large Fetch responses (issue 16). A fetch answer of megabytes read into a
 * fresh {@code byte[]} costs the JVM a humongous allocation and the zeroing of every byte just
 * before the socket read overwrites them; reading into an array a consumed answer gave back
 * saves both. Each response read into the pool is a {@link Frame} with a reference count: the
 * response holds one, every buffered partition fetch holding its records takes one, and the
 * array returns to the pool only when the last is released, that is when every record of it
 * has been turned into a {@code ConsumerRecord} (whose key, value and headers are copies) or
 * dropped. Nothing the application gets ever points into a pooled array.
 *
 * <p>Bounded: the pool keeps at most {@code maxFreeBytes} of arrays (fetch.max.bytes for the
 * consumer); beyond that a released array is left to the garbage collector, and a response that
 * finds no free array large enough gets a new one. Arrays in use are bounded by what the
 * consumer buffers. A frame that is never released (a consumer closed with fetches buffered)
 * is simply collected. Thread-safe: frames are taken on the network thread and released on
 * the application thread.
 */
public final class ResponseBufferPool {
    /** Smaller responses are allocated as before: their zeroing is cheap and they are TLAB allocations. */
    public static final int MIN_POOLED_SIZE = 64 * 1024;

    private final long maxFreeBytes;
    private final ArrayDeque<byte[]> free = new ArrayDeque<>();
    private long freeBytes;

    public ResponseBufferPool(long maxFreeBytes) {
        this.maxFreeBytes = maxFreeBytes;
    }

    /**
     * A frame of exactly {@code size} bytes (position 0, limit {@code size}) over a free array at
     * least that large, the smallest that fits, or a new one; its count starts at 1.
     */
    public Frame take(int size) {
        byte[] array = null;
        synchronized (this) {
            for (Iterator<byte[]> it = free.iterator(); it.hasNext(); ) {
                byte[] a = it.next();
                if (a.length >= size && (array == null || a.length < array.length)) {
                    array = a;
                }
            }
            if (array != null) {
                free.remove(array);
                freeBytes -= array.length;
            }
        }
        if (array == null) {
            array = new byte[capacityFor(size)];
        }
        return new Frame(this, array, size);
    }

    /** Rounded up to a power of two, so answers of varying size fit arrays given back before. */
    static int capacityFor(int size) {
        if (size <= MIN_POOLED_SIZE) {
            return MIN_POOLED_SIZE;
        }
        int c = Integer.highestOneBit(size - 1) << 1;
        return c <= 0 ? size : c;
    }

    private synchronized void give(byte[] array) {
        if (freeBytes + array.length > maxFreeBytes) {
            return;
        }
        free.add(array);
        freeBytes += array.length;
    }

    /** Bytes of arrays waiting to be reused. */
    public synchronized long freeBytes() {
        return freeBytes;
    }

    /** One response's array and how many still read it. */
    public static final class Frame {
        private final ResponseBufferPool pool;
        private final byte[] array;
        private final ByteBuffer buffer;
        private final AtomicInteger refs = new AtomicInteger(1);

        private Frame(ResponseBufferPool pool, byte[] array, int size) {
            this.pool = pool;
            this.array = array;
            this.buffer = ByteBuffer.wrap(array, 0, size);
        }

        /** The buffer the response is read into. */
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

        /** One reader fewer; the last gives the array back to the pool. */
        public void release() {
            int n = refs.decrementAndGet();
            if (n == 0) {
                pool.give(array);
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
