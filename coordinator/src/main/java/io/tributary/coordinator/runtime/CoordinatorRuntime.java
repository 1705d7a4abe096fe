package io.tributary.coordinator.runtime;

import io.tributary.protocol.Errors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link CoordinatorShard} on one event loop: every request, timer and load step is an
 * operation executed on the loop thread, one at a time. An operation's records are replayed
 * into the shard as they are emitted and appended to the {@link CoordinatorLog} when it ends;
 * every response it produced is released only when those records, and all earlier ones, are
 * durable. Owns the shard, the keyed timers and the snapshot schedule; the loop thread owns
 * all of them.
 *
 * <p>Log growth: once the records appended since the last snapshot outnumber the live records
 * (and a minimum), the shard's snapshot is appended and, when durable, everything before it is
 * declared obsolete with {@link CoordinatorLog#truncateBefore(long)}.
 *
 * <p>A failed append means the in-memory state is ahead of the log: every waiting response fails
 * with NOT_COORDINATOR (clients rediscover the coordinator and retry) and the state is rebuilt
 * by replaying the log.
 */
public final class CoordinatorRuntime implements ShardContext {
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorRuntime.class);

    private final CoordinatorEventLoop loop;
    private final CoordinatorLog log;
    private final Function<ShardContext, CoordinatorShard> shardFactory;
    private final int snapshotMinRecords;
    private final Set<CompletableFuture<?>> outstanding = ConcurrentHashMap.newKeySet();
    private final Map<String, Runnable> timers = new HashMap<>();

    private CoordinatorShard shard;
    private boolean loaded;
    private volatile boolean closed;
    // Completes once everything appended so far is durable.
    private CompletableFuture<Void> durableTail = CompletableFuture.completedFuture(null);
    private long recordsSinceSnapshot;
    private volatile long failedOperations;
    private boolean snapshotInFlight;
    private int reloadEpoch;

    // The operation in progress (loop thread only).
    private List<CoordinatorRecord> opRecords;
    private List<Completion<?>> opCompletions;
    private boolean replayingLoad;

    private record Completion<T>(CompletableFuture<T> future, T value) {
        void complete() {
            future.complete(value);
        }
    }

    public CoordinatorRuntime(
            CoordinatorEventLoop loop,
            CoordinatorLog log,
            Function<ShardContext, CoordinatorShard> shardFactory,
            int snapshotMinRecords) {
        this.loop = loop;
        this.log = log;
        this.shardFactory = shardFactory;
        this.snapshotMinRecords = Math.max(1, snapshotMinRecords);
    }

    /** Replays the log into a new shard on the loop thread; completes when requests can be served. */
    public CompletableFuture<Void> start() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                load();
                done.complete(null);
            } catch (Throwable t) {
                LOG.error("Loading the group coordinator state failed", t);
                done.completeExceptionally(t);
            }
        });
        return done;
    }

    private void load() {
        long startNs = System.nanoTime();
        shard = shardFactory.apply(this);
        int[] count = {0};
        replayingLoad = true;
        try {
            log.replay(r -> {
                try {
                    shard.replay(r, true);
                } catch (RuntimeException e) {
                    // A record this version cannot read must not keep every group from loading.
                    LOG.error("Skipping unreadable coordinator record {}", r, e);
                }
                count[0]++;
            });
        } finally {
            replayingLoad = false;
        }
        recordsSinceSnapshot = count[0];
        loaded = true;
        runOperation("load", () -> shard.onLoaded());
        LOG.info(
                "Loaded group coordinator state from {} records in {} ms",
                count[0],
                (System.nanoTime() - startNs) / 1_000_000);
    }

    /**
     * Runs op on the loop thread as an operation; it answers through {@link #respond}. The returned
     * future is the one op must complete; it fails with a {@link CoordinatorException} if the
     * coordinator is not running or op throws.
     */
    public <T> CompletableFuture<T> submit(String name, Consumer<CompletableFuture<T>> op) {
        CompletableFuture<T> response = new CompletableFuture<>();
        if (closed) {
            response.completeExceptionally(new CoordinatorException(Errors.NOT_COORDINATOR, "coordinator is closed"));
            return response;
        }
        outstanding.add(response);
        response.whenComplete((r, t) -> outstanding.remove(response));
        executeOrFail(response, () -> {
            if (!loaded || closed) {
                response.completeExceptionally(new CoordinatorException(
                        closed ? Errors.NOT_COORDINATOR : Errors.COORDINATOR_LOAD_IN_PROGRESS,
                        "coordinator not ready"));
                return;
            }
            runOperation(name, () -> {
                try {
                    op.accept(response);
                } catch (RuntimeException e) {
                    LOG.error("Operation {} failed", name, e);
                    failedOperations++;
                    response.completeExceptionally(e);
                }
            });
        });
        return response;
    }

    private void executeOrFail(CompletableFuture<?> response, Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            response.completeExceptionally(
                    new CoordinatorException(Errors.NOT_COORDINATOR, "coordinator is shut down"));
        }
    }

    private void runOperation(String name, Runnable body) {
        List<CoordinatorRecord> records = new ArrayList<>();
        List<Completion<?>> completions = new ArrayList<>();
        opRecords = records;
        opCompletions = completions;
        try {
            body.run();
        } catch (RuntimeException e) {
            LOG.error("Coordinator operation {} failed", name, e);
            failedOperations++;
        } finally {
            opRecords = null;
            opCompletions = null;
        }
        if (!records.isEmpty()) {
            CompletableFuture<Void> appended = appendSafely(records);
            durableTail = CompletableFuture.allOf(durableTail, appended);
            recordsSinceSnapshot += records.size();
        }
        if (!completions.isEmpty()) {
            int epoch = reloadEpoch;
            durableTail.whenComplete((v, t) -> {
                if (t == null) {
                    completions.forEach(Completion::complete);
                } else {
                    completions.forEach(c -> c.future()
                            .completeExceptionally(
                                    new CoordinatorException(Errors.NOT_COORDINATOR, "coordinator write failed")));
                    loop.execute(() -> maybeReload(epoch, t));
                }
            });
        } else if (!records.isEmpty()) {
            int epoch = reloadEpoch;
            durableTail.whenComplete((v, t) -> {
                if (t != null) {
                    loop.execute(() -> maybeReload(epoch, t));
                }
            });
        }
        maybeSnapshot();
    }

    private CompletableFuture<Void> appendSafely(List<CoordinatorRecord> records) {
        try {
            return log.append(records);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void maybeReload(int epoch, Throwable cause) {
        if (epoch != reloadEpoch || closed) {
            return;
        }
        reloadEpoch++;
        LOG.error("Coordinator log append failed; rebuilding the state from the log", cause);
        timers.values().forEach(Runnable::run);
        timers.clear();
        failOutstanding(Errors.NOT_COORDINATOR);
        durableTail = CompletableFuture.completedFuture(null);
        snapshotInFlight = false;
        loaded = false;
        load();
    }

    private void maybeSnapshot() {
        if (snapshotInFlight || recordsSinceSnapshot < Math.max(snapshotMinRecords, shard.liveRecordCount())) {
            return;
        }
        long snapshotStart = log.endOffset();
        List<CoordinatorRecord> snapshot = shard.snapshot();
        snapshotInFlight = true;
        recordsSinceSnapshot = 0;
        if (!snapshot.isEmpty()) {
            durableTail = CompletableFuture.allOf(durableTail, appendSafely(snapshot));
        }
        int epoch = reloadEpoch;
        durableTail.whenComplete((v, t) -> loop.execute(() -> {
            if (epoch != reloadEpoch) {
                return;
            }
            snapshotInFlight = false;
            if (t == null) {
                log.truncateBefore(snapshotStart);
                LOG.debug("Coordinator log snapshot of {} records at offset {}", snapshot.size(), snapshotStart);
            } else {
                maybeReload(epoch, t);
            }
        }));
    }

    // ---- ShardContext

    @Override
    public long nowMs() {
        return loop.nowMs();
    }

    @Override
    public void append(CoordinatorRecord record) {
        if (replayingLoad) {
            throw new IllegalStateException("records cannot be emitted while loading");
        }
        if (opRecords == null) {
            throw new IllegalStateException("records can only be emitted inside an operation");
        }
        opRecords.add(record);
        shard.replay(record, false);
    }

    @Override
    public <T> void respond(CompletableFuture<T> future, T response) {
        if (future == null) {
            return;
        }
        if (opCompletions == null) {
            throw new IllegalStateException("responses can only be sent inside an operation");
        }
        opCompletions.add(new Completion<>(future, response));
    }

    @Override
    public void schedule(String key, long delayMs, Runnable op) {
        cancel(key);
        Runnable[] self = new Runnable[1];
        Runnable cancelAction = loop.schedule(delayMs, () -> {
            if (timers.get(key) != self[0] || closed) {
                return;
            }
            timers.remove(key);
            runOperation("timer " + key, op);
        });
        self[0] = cancelAction;
        timers.put(key, cancelAction);
    }

    @Override
    public void cancel(String key) {
        Runnable c = timers.remove(key);
        if (c != null) {
            c.run();
        }
    }

    @Override
    public boolean isScheduled(String key) {
        return timers.containsKey(key);
    }

    private void failOutstanding(Errors error) {
        for (CompletableFuture<?> f : List.copyOf(outstanding)) {
            f.completeExceptionally(new CoordinatorException(error, "coordinator state was reset"));
        }
    }

    /** Fails every waiting response and stops; the loop itself belongs to the caller. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            loop.execute(() -> {
                timers.values().forEach(Runnable::run);
                timers.clear();
            });
        } catch (RejectedExecutionException e) {
            // The loop is already gone, and its timers with it.
        }
        failOutstanding(Errors.NOT_COORDINATOR);
    }

    /** How many operations threw (a bug: handlers answer errors, they do not throw). */
    public long failedOperations() {
        return failedOperations;
    }

    /** Test hook: the live timer keys (loop thread only). */
    public Set<String> timerKeys() {
        return Set.copyOf(timers.keySet());
    }
}
