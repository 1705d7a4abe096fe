package io.tributary.client.producer.internals;

import io.tributary.client.common.TributaryException;
import io.tributary.client.common.errors.BufferExhaustedException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The producer's batch memory (issue 12): at most {@code buffer.memory} bytes, handed out as buffers of {@code
 * batch.size} that are kept and reused once their batch is done, or as one-off buffers of another size (a record
 * larger than batch.size) that are counted while in use and then left to the GC. Free pooled buffers are part of the
 * total: a one-off allocation that needs their room releases them. An allocation waits up to max.block.ms, oldest
 * waiter first, then throws {@link BufferExhaustedException}. Thread-safe.
 */
public final class BufferPool {
    private final long totalMemory;
    private final int poolableSize;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Deque<ByteBuffer> free = new ArrayDeque<>();
    private final Deque<Condition> waiters = new ArrayDeque<>();
    /** Memory neither in use nor held by a free pooled buffer. */
    private long nonPooledAvailable;

    public BufferPool(long totalMemory, int poolableSize) {
        this.totalMemory = totalMemory;
        this.poolableSize = poolableSize;
        this.nonPooledAvailable = totalMemory;
    }

    /**
     * A buffer of {@code size} bytes (position 0, limit = capacity), a pooled one when {@code size} is the pool's
     * buffer size. Blocks up to {@code maxBlockMs} for memory to be freed.
     *
     * @throws BufferExhaustedException if no memory came free in time
     * @throws IllegalArgumentException if {@code size} exceeds the whole pool (the producer checks this first)
     */
    public ByteBuffer allocate(int size, long maxBlockMs) {
        if (size > totalMemory) {
            throw new IllegalArgumentException("Attempt to allocate " + size + " bytes, but there is a hard limit of "
                    + totalMemory + " on memory allocations (buffer.memory).");
        }
        lock.lock();
        try {
            if (size == poolableSize && !free.isEmpty()) {
                return free.pollFirst();
            }
            if (waiters.isEmpty() && available() >= size) {
                freeUp(size);
                nonPooledAvailable -= size;
                return ByteBuffer.allocate(size);
            }
            return allocateWaiting(size, maxBlockMs);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits in line for {@code size} bytes, taking memory as it is freed (so a large request is not starved by small
     * ones); gives what it took back when the time runs out.
     */
    private ByteBuffer allocateWaiting(int size, long maxBlockMs) {
        Condition turn = lock.newCondition();
        waiters.addLast(turn);
        long accumulated = 0;
        long remainingNs = TimeUnit.MILLISECONDS.toNanos(maxBlockMs);
        ByteBuffer pooled = null;
        try {
            while (accumulated < size) {
                if (accumulated == 0 && size == poolableSize && !free.isEmpty()) {
                    pooled = free.pollFirst();
                    break;
                }
                freeUp(size - accumulated);
                long got = Math.min(size - accumulated, nonPooledAvailable);
                nonPooledAvailable -= got;
                accumulated += got;
                if (accumulated < size) {
                    if (remainingNs <= 0) {
                        throw new BufferExhaustedException("Failed to allocate " + size
                                + " bytes within the configured max blocking time " + maxBlockMs
                                + " ms (max.block.ms). Total memory: " + totalMemory
                                + " bytes (buffer.memory). Available memory: " + (available() + accumulated)
                                + " bytes. Poolable size: " + poolableSize + " bytes (batch.size).");
                    }
                    remainingNs = turn.awaitNanos(remainingNs);
                }
            }
            accumulated = 0;
            return pooled != null ? pooled : ByteBuffer.allocate(size);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TributaryException("Interrupted while waiting for buffer memory", e);
        } finally {
            nonPooledAvailable += accumulated; // a failed wait returns what it had taken
            waiters.remove(turn);
            signalNext();
        }
    }

    /**
     * Gives a buffer back. A pooled-size buffer is kept for the next batch, so the caller must be sure nothing still
     * reads or writes it (the batch's request was answered or failed, nothing will retry it); any other is dropped
     * and only its size counted back.
     */
    public void deallocate(ByteBuffer buffer, int size) {
        lock.lock();
        try {
            if (size == poolableSize && buffer != null && buffer.capacity() == poolableSize) {
                buffer.clear();
                free.addLast(buffer);
            } else {
                nonPooledAvailable += size;
            }
            signalNext();
        } finally {
            lock.unlock();
        }
    }

    /** Counts a buffer's memory back without keeping the buffer (it may still be referenced elsewhere). */
    public void deallocateUnpooled(int size) {
        deallocate(null, size);
    }

    private void signalNext() {
        Condition next = waiters.peekFirst();
        if (next != null) {
            next.signal();
        }
    }

    /** Drops free pooled buffers until {@code size} bytes are unpooled (or none are left to drop). */
    private void freeUp(long size) {
        while (nonPooledAvailable < size && !free.isEmpty()) {
            free.pollLast();
            nonPooledAvailable += poolableSize;
        }
    }

    private long available() {
        return nonPooledAvailable + (long) free.size() * poolableSize;
    }

    /** Memory not in use (free pooled buffers included). */
    public long availableMemory() {
        lock.lock();
        try {
            return available();
        } finally {
            lock.unlock();
        }
    }

    /** Pooled buffers waiting for reuse. */
    public int freeBuffers() {
        lock.lock();
        try {
            return free.size();
        } finally {
            lock.unlock();
        }
    }

    public long totalMemory() {
        return totalMemory;
    }

    public int poolableSize() {
        return poolableSize;
    }
}
