package io.tributary.coordinator.runtime;

import java.util.concurrent.CompletableFuture;

/**
 * What the state machine may do besides changing its own fields: read the clock, emit records,
 * answer requests and set timers. Implemented by {@link CoordinatorRuntime}; only callable on the
 * coordinator thread, inside an operation.
 */
public interface ShardContext {
    long nowMs();

    /**
     * Emits a record: it is replayed into the state machine at once (so the state always equals
     * the replay of what was emitted) and appended to the log when the operation ends.
     */
    void append(CoordinatorRecord record);

    /**
     * Completes a response once every record emitted so far (by this and earlier operations) is
     * durable; if a write fails the response fails with NOT_COORDINATOR instead.
     */
    <T> void respond(CompletableFuture<T> future, T response);

    /** Runs op as an operation after delayMs, replacing any timer with the same key. */
    void schedule(String key, long delayMs, Runnable op);

    void cancel(String key);

    boolean isScheduled(String key);
}
