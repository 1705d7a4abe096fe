package io.tributary.broker.fetch;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request parked in the {@link Purgatory} until it can complete or its timeout passes. Exactly
 * one caller wins {@link #forceComplete()} (an append on some thread, the timer, or shutdown), so
 * the response is built and sent once. Thread-safe.
 */
public abstract class DelayedOperation {
    private final AtomicBoolean completed = new AtomicBoolean();
    private volatile ScheduledFuture<?> timer;
    private volatile Runnable unregister;

    /** True when enough has happened (e.g. enough bytes appended) to answer now. Must not block. */
    protected abstract boolean isSatisfied();

    /** Builds and sends the response; runs once, on the thread that completed the operation. */
    protected abstract void onComplete();

    public final boolean tryComplete() {
        return !completed.get() && isSatisfied() && forceComplete();
    }

    public final boolean forceComplete() {
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
        onComplete();
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
