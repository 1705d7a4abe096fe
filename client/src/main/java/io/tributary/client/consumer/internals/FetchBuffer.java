package io.tributary.client.consumer.internals;

import io.tributary.client.common.TopicPartition;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Completed fetches waiting to be returned by poll, in arrival order. The network thread adds,
 * the application thread takes and waits; {@link #wakeup()} ends a wait early (new data, the
 * user's wakeup, a background event). Thread-safe.
 *
 * <p>When a partition's last buffered fetch is taken, the partition becomes fetchable again and
 * the drain listener (the network thread's wakeup) runs, so the next fetch goes out at once
 * instead of when the network thread next wakes up on its own.
 */
public final class FetchBuffer {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<CompletedFetch> queue = new ArrayDeque<>();
    private boolean woken;
    private volatile Runnable drainListener = () -> {};

    /** Runs (on the taking thread, outside the lock) whenever a partition has nothing buffered left. */
    public void onPartitionDrained(Runnable listener) {
        this.drainListener = listener;
    }

    public void add(CompletedFetch f) {
        lock.lock();
        try {
            queue.add(f);
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

    public CompletedFetch poll() {
        CompletedFetch taken;
        boolean drained;
        lock.lock();
        try {
            taken = queue.poll();
            drained = taken != null && queue.stream().noneMatch(f -> f.partition.equals(taken.partition));
        } finally {
            lock.unlock();
        }
        if (drained) {
            drainListener.run();
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

    /** Partitions with data already buffered: the fetcher does not fetch them again yet. */
    public Set<TopicPartition> bufferedPartitions() {
        lock.lock();
        try {
            Set<TopicPartition> out = new HashSet<>();
            queue.forEach(f -> out.add(f.partition));
            return out;
        } finally {
            lock.unlock();
        }
    }

    public void removeIf(java.util.function.Predicate<CompletedFetch> p) {
        lock.lock();
        try {
            queue.removeIf(p);
        } finally {
            lock.unlock();
        }
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
