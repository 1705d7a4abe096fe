package io.tributary.coordinator.runtime;

/**
 * The single thread that owns all coordinator state, with its clock and timers. The real one is
 * {@link ThreadEventLoop}; tests use {@code testing.ManualEventLoop}, whose clock only moves when told.
 */
public interface CoordinatorEventLoop extends AutoCloseable {
    long nowMs();

    /**
     * Runs the task on the loop thread, after the tasks already queued.
     *
     * @throws java.util.concurrent.RejectedExecutionException once the loop is closed
     */
    void execute(Runnable task);

    /** Runs the task on the loop thread after the delay; the returned action cancels it. */
    Runnable schedule(long delayMs, Runnable task);

    @Override
    void close();
}
