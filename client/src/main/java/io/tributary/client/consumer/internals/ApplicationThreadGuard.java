package io.tributary.client.consumer.internals;

import java.util.ConcurrentModificationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One application thread at a time (C5): a consumer call from a second thread while another is
 * inside one fails with {@link ConcurrentModificationException}; the same thread may re-enter
 * (a callback calling the consumer). Also remembers that the consumer was closed. Safe from any
 * thread.
 */
public final class ApplicationThreadGuard {
    private static final long NO_CURRENT_THREAD = -1L;

    private final AtomicLong currentThread = new AtomicLong(NO_CURRENT_THREAD);
    private final AtomicInteger refCount = new AtomicInteger();
    private volatile boolean closed;

    /** Runs {@code call} as the owning thread of an open consumer. */
    public <T> T call(Supplier<T> call) {
        acquireAndEnsureOpen();
        try {
            return call.get();
        } finally {
            release();
        }
    }

    /** Runs {@code call} as the owning thread of an open consumer. */
    public void run(Runnable call) {
        acquireAndEnsureOpen();
        try {
            call.run();
        } finally {
            release();
        }
    }

    /** Becomes the owning thread (or fails); every acquire is paired with a {@link #release}. */
    public void acquire() {
        Thread t = Thread.currentThread();
        long threadId = t.getId();
        if (threadId != currentThread.get() && !currentThread.compareAndSet(NO_CURRENT_THREAD, threadId)) {
            throw new ConcurrentModificationException("TributaryConsumer is not safe for multi-threaded access. "
                    + "currentThread(name: " + t.getName() + ", id: " + threadId + ")"
                    + " otherThread(id: " + currentThread.get() + ")");
        }
        refCount.incrementAndGet();
    }

    public void release() {
        if (refCount.decrementAndGet() == 0) {
            currentThread.set(NO_CURRENT_THREAD);
        }
    }

    public boolean closed() {
        return closed;
    }

    public void markClosed() {
        closed = true;
    }

    private void acquireAndEnsureOpen() {
        acquire();
        if (closed) {
            release();
            throw new IllegalStateException("This consumer has already been closed.");
        }
    }
}
