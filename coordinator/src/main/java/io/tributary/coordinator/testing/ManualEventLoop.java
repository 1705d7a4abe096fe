package io.tributary.coordinator.testing;

import io.tributary.coordinator.runtime.CoordinatorEventLoop;
import java.util.ArrayDeque;
import java.util.PriorityQueue;

/**
 * A deterministic event loop for tests: tasks run on the caller's thread as soon as they are
 * queued, and time only advances in {@link #sleep(long)}, which fires due timers in deadline
 * order (ties in scheduling order). Timers already due fire right after the current task, as
 * the real loop would. Single-threaded: use it from one thread only.
 */
public final class ManualEventLoop implements CoordinatorEventLoop {
    private long nowMs;
    private long seq;
    private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
    private final PriorityQueue<Timed> timers = new PriorityQueue<>();
    private boolean draining;
    private boolean closed;

    private static final class Timed implements Comparable<Timed> {
        final long deadlineMs;
        final long seq;
        final Runnable task;
        boolean cancelled;

        Timed(long deadlineMs, long seq, Runnable task) {
            this.deadlineMs = deadlineMs;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public int compareTo(Timed o) {
            int c = Long.compare(deadlineMs, o.deadlineMs);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    public ManualEventLoop() {
        this(1_700_000_000_000L);
    }

    public ManualEventLoop(long startMs) {
        this.nowMs = startMs;
    }

    @Override
    public long nowMs() {
        return nowMs;
    }

    @Override
    public void execute(Runnable task) {
        if (closed) {
            throw new java.util.concurrent.RejectedExecutionException("event loop is closed");
        }
        ready.add(task);
        drain();
    }

    @Override
    public Runnable schedule(long delayMs, Runnable task) {
        if (closed) {
            return () -> {};
        }
        Timed t = new Timed(nowMs + Math.max(0, delayMs), seq++, task);
        timers.add(t);
        return () -> t.cancelled = true;
    }

    /** Advances the clock by ms, running every timer that falls due on the way. */
    public void sleep(long ms) {
        long target = nowMs + ms;
        while (true) {
            Timed next = timers.peek();
            if (next == null || next.deadlineMs > target) {
                break;
            }
            timers.poll();
            nowMs = Math.max(nowMs, next.deadlineMs);
            if (!next.cancelled && !closed) {
                execute(next.task);
            }
        }
        nowMs = target;
        drain();
    }

    /** Number of live (not cancelled) timers. */
    public int pendingTimers() {
        int n = 0;
        for (Timed t : timers) {
            if (!t.cancelled) {
                n++;
            }
        }
        return n;
    }

    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (true) {
                Runnable r = ready.poll();
                if (r == null) {
                    Timed due = timers.peek();
                    if (due == null || due.deadlineMs > nowMs) {
                        break;
                    }
                    timers.poll();
                    if (!due.cancelled) {
                        due.task.run();
                    }
                    continue;
                }
                r.run();
            }
        } finally {
            draining = false;
        }
    }

    @Override
    public void close() {
        closed = true;
        ready.clear();
        timers.clear();
    }
}
