package io.tributary.broker.fetch;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request parked in the {@link Purgatory} until it can complete or its timeout passes. Each
 * attempt ({@link #tryComplete()}, on an append) looks once ({@link #attempt()}) and, when that
 * look is enough, completes with what it saw, so nothing is read twice. Exactly one caller wins
 * completion (an append on some thread, the timer, or shutdown), so the response is built and
 * sent once. Thread-safe.
 *
 * @param <R> what one look produces (for a fetch: the read partitions and the response built
 *     from them)
 */
public abstract class DelayedOperation<R> {
    private final AtomicBoolean completed = new AtomicBoolean();
    private volatile ScheduledFuture<?> timer;
    private volatile Runnable unregister;

    /**
     * One look: what to answer with when enough has happened (e.g. enough bytes appended), or
     * null to keep waiting. Must not block.
     */
    protected abstract R attempt();

    /**
     * Builds and sends the response from {@code result}, the look that satisfied it, or, when
     * completion was forced (timeout, shutdown) and {@code result} is null, from a fresh look.
     * Runs once, on the thread that completed the operation.
     */
    protected abstract void onComplete(R result);

    /** Looks once and completes with that look if it is enough; true if this call completed it. */
    public final boolean tryComplete() {
        if (completed.get()) {
            return false;
        }
        R result = attempt();
        return result != null && complete(result);
    }

    /** Completes now whatever has happened (timeout, shutdown); true if this call completed it. */
    public final boolean forceComplete() {
        return complete(null);
    }

    private boolean complete(R result) {
        if (!completed.compareAndSet(false, true)) {
            return false;
        }
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
        Runnable u = unregister;
        if (u != null) {
            u.run();
        }
        onComplete(result);
        return true;
    }

    public final boolean isCompleted() {
        return completed.get();
    }

    void attachUnregister(Runnable unregister) {
        this.unregister = unregister;
        if (completed.get()) {
            unregister.run();
        }
    }

    void attachTimer(ScheduledFuture<?> timer) {
        this.timer = timer;
        if (completed.get()) {
            timer.cancel(false);
        }
    }
}
