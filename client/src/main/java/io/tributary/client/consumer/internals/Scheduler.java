package io.tributary.client.consumer.internals;

import java.util.PriorityQueue;

/**
 * Timers of the network thread (retry backoffs, heartbeats): tasks run from the thread's loop
 * once due. Owned by the network thread; not thread-safe.
 */
public final class Scheduler {
    private record Task(long dueMs, long seq, Runnable action) {}

    private final PriorityQueue<Task> tasks = new PriorityQueue<>(
            (a, b) -> a.dueMs != b.dueMs ? Long.compare(a.dueMs, b.dueMs) : Long.compare(a.seq, b.seq));
    private long seq;

    void schedule(long dueMs, Runnable action) {
        tasks.add(new Task(dueMs, seq++, action));
    }

    void runDue(long nowMs) {
        while (!tasks.isEmpty() && tasks.peek().dueMs <= nowMs) {
            tasks.poll().action.run();
        }
    }

    long timeToNextMs(long nowMs) {
        return tasks.isEmpty() ? Long.MAX_VALUE : Math.max(0, tasks.peek().dueMs - nowMs);
    }
}
