package io.tributary.coordinator.runtime;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Where the coordinator persists its records: an append-only log (the broker adapts a storage
 * partition to it; {@code testing.InMemoryCoordinatorLog} serves tests). The coordinator thread calls
 * every method; futures may complete on any thread.
 */
public interface CoordinatorLog {
    /**
     * Appends the records after everything appended before. The future completes once they are
     * durable (and, since appends are ordered, so is everything before them), or fails if they
     * could not be written.
     */
    CompletableFuture<Void> append(List<CoordinatorRecord> records);

    /** The offset the next appended record will get (counting appends not yet durable). */
    long endOffset();

    /** Feeds every stored record to the sink, oldest first. Called once, at load. */
    void replay(Consumer<CoordinatorRecord> sink);

    /**
     * Records below this offset are obsolete: a snapshot of the whole live state starts there.
     * The log may delete any prefix of them, whole segments at a time or not at all; replaying
     * what remains still yields the same state, because replaying a record is idempotent.
     */
    void truncateBefore(long offset);
}
