package io.tributary.coordinator.testing;

import io.tributary.coordinator.runtime.CoordinatorLog;
import io.tributary.coordinator.runtime.CoordinatorRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A {@link CoordinatorLog} held in memory: a test double (see the package note). Appends are durable at
 * once unless durability is held back ({@link #holdDurability()}), which lets tests check that
 * responses wait for the write. A second coordinator started on the same instance sees every
 * record, like a broker restarted on the same disk. Synchronized: tests may inspect it from
 * their own thread.
 */
public final class InMemoryCoordinatorLog implements CoordinatorLog {
    private final List<CoordinatorRecord> records = new ArrayList<>();
    private long startOffset;
    private boolean holding;
    private final Deque<CompletableFuture<Void>> held = new ArrayDeque<>();
    private RuntimeException failNext;

    @Override
    public synchronized CompletableFuture<Void> append(List<CoordinatorRecord> batch) {
        if (failNext != null) {
            RuntimeException e = failNext;
            failNext = null;
            return CompletableFuture.failedFuture(e);
        }
        records.addAll(batch);
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (holding) {
            held.add(f);
            return f;
        }
        f.complete(null);
        return f;
    }

    @Override
    public synchronized long endOffset() {
        return startOffset + records.size();
    }

    @Override
    public void replay(Consumer<CoordinatorRecord> sink) {
        List<CoordinatorRecord> copy;
        synchronized (this) {
            copy = new ArrayList<>(records);
        }
        copy.forEach(sink);
    }

    @Override
    public synchronized void truncateBefore(long offset) {
        long drop = Math.min(offset - startOffset, records.size());
        if (drop > 0) {
            records.subList(0, (int) drop).clear();
            startOffset += drop;
        }
    }

    /** From now on appends stay pending until {@link #releaseDurability()}. */
    public synchronized void holdDurability() {
        holding = true;
    }

    /** Makes every held append durable, in order, and stops holding. */
    public void releaseDurability() {
        List<CompletableFuture<Void>> toComplete;
        synchronized (this) {
            holding = false;
            toComplete = new ArrayList<>(held);
            held.clear();
        }
        toComplete.forEach(f -> f.complete(null));
    }

    /** The next append fails with this exception and writes nothing. */
    public synchronized void failNextAppend(RuntimeException e) {
        failNext = e;
    }

    public synchronized int size() {
        return records.size();
    }

    public synchronized long startOffset() {
        return startOffset;
    }

    public synchronized List<CoordinatorRecord> records() {
        return new ArrayList<>(records);
    }
}
