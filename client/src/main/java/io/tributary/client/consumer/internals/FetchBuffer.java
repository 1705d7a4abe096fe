package io.tributary.client.consumer.internals;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.network.ResponseBufferPool;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Completed fetches waiting to be returned by poll, in arrival order. The network thread adds,
 * the application thread takes and waits; {@link #wakeup()} ends a wait early (new data, the
 * user's wakeup, a background event). Thread-safe.
 *
 * <p>Whenever a fetch is taken, its partition may be fetched again (from its position when
 * nothing is left, or ahead of what is left, see {@link Fetcher}), so the take listener (the
 * network thread's wakeup) runs and the next fetch goes out at once instead of when the network
 * thread next wakes up on its own.
 */
public final class FetchBuffer {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<CompletedFetch> queue = new ArrayDeque<>();
    private boolean woken;
    private long bytes;
    private volatile Runnable takeListener = () -> {};

    /** What is buffered: per partition the number of fetches and the newest one, and the bytes of all. */
    public record Contents(Map<TopicPartition, Tail> tails, long bytes) {}

    /** A partition's buffered fetches: how many, and the last to arrive. */
    public record Tail(int count, CompletedFetch last) {}

    /** Runs (on the taking thread, outside the lock) whenever a fetch leaves the buffer through {@link #poll}. */
    public void onFetchTaken(Runnable listener) {
        this.takeListener = listener;
    }

    public void add(CompletedFetch f) {
        add(f, null);
    }

    /**
     * Adds a fetch whose records are in {@code frame}'s pooled array (null: not pooled); the
     * fetch holds a reference to it until it leaves the buffer ({@link #poll}, {@link #removeIf}).
     */
    public void add(CompletedFetch f, ResponseBufferPool.Frame frame) {
        f.holdFrame(frame);
        lock.lock();
        try {
            queue.add(f);
            bytes += f.sizeInBytes();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public CompletedFetch peek() {
        lock.lock();
        try {
            return queue.peek();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes the oldest fetch, done with: its pooled array (if any) is given back, so its
     * records must not be read any more (the collector has built them all, or drops them).
     */
    public CompletedFetch poll() {
        CompletedFetch taken;
        lock.lock();
        try {
            taken = queue.poll();
            if (taken != null) {
                bytes -= taken.sizeInBytes();
            }
        } finally {
            lock.unlock();
        }
        if (taken != null) {
            taken.releaseFrame();
            takeListener.run();
        }
        return taken;
    }

    public boolean isEmpty() {
        lock.lock();
        try {
            return queue.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Partitions with data already buffered, with their newest fetch: the fetcher fetches only ahead of it. */
    public Contents contents() {
        lock.lock();
        try {
            Map<TopicPartition, Tail> out = new HashMap<>();
            for (CompletedFetch f : queue) {
                Tail t = out.get(f.partition);
                out.put(f.partition, new Tail(t == null ? 1 : t.count() + 1, f));
            }
            return new Contents(out, bytes);
        } finally {
            lock.unlock();
        }
    }

    /** Drops the fetches {@code p} selects (their pooled arrays given back). */
    public void removeIf(java.util.function.Predicate<CompletedFetch> p) {
        List<CompletedFetch> removed = new ArrayList<>();
        lock.lock();
        try {
            queue.removeIf(f -> {
                if (p.test(f)) {
                    bytes -= f.sizeInBytes();
                    removed.add(f);
                    return true;
                }
                return false;
            });
        } finally {
            lock.unlock();
        }
        removed.forEach(CompletedFetch::releaseFrame);
    }

    /** Waits until data arrives, {@link #wakeup()} is called, or the timeout passes. */
    public void awaitNotEmpty(long timeoutMs) throws InterruptedException {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (queue.isEmpty() && !woken && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            woken = false;
        } finally {
            lock.unlock();
        }
    }

    public void wakeup() {
        lock.lock();
        try {
            woken = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
