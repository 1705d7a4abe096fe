package io.tributary.broker.fetch;

import io.tributary.broker.topic.TopicPartition;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Parks delayed operations (fetches waiting for fetch.min.bytes) keyed by the partitions they
 * watch. An append to a partition calls {@link #onAppend}, which re-checks only the operations
 * watching it (no polling); a timer on the request's event loop forces completion at
 * fetch.max.wait.ms. Shared by all connections; thread-safe.
 */
public final class Purgatory {
    private final ConcurrentHashMap<TopicPartition, Set<DelayedOperation<?>>> watchers = new ConcurrentHashMap<>();
    private final Set<DelayedOperation<?>> all = ConcurrentHashMap.newKeySet();
    private volatile boolean shuttingDown;

    /**
     * Parks {@code op}, which its caller has just looked at and found not yet satisfied: watches
     * {@code keys} until an append satisfies it or {@code timeoutMs} passes on
     * {@code timerExecutor}. After registering it looks once more, for an append that landed
     * between the caller's look and the registration.
     */
    public void watch(
            DelayedOperation<?> op,
            Collection<TopicPartition> keys,
            long timeoutMs,
            ScheduledExecutorService timerExecutor) {
        if (shuttingDown) {
            op.forceComplete();
            return;
        }
        List<TopicPartition> watched = List.copyOf(keys);
        for (TopicPartition tp : watched) {
            watchers.computeIfAbsent(tp, k -> ConcurrentHashMap.newKeySet()).add(op);
        }
        all.add(op);
        op.attachUnregister(() -> {
            all.remove(op);
            for (TopicPartition tp : watched) {
                Set<DelayedOperation<?>> s = watchers.get(tp);
                if (s != null) {
                    s.remove(op);
                    if (s.isEmpty()) {
                        watchers.remove(tp, s);
                    }
                }
            }
        });
        op.attachTimer(timerExecutor.schedule(op::forceComplete, Math.max(0, timeoutMs), TimeUnit.MILLISECONDS));
        // An append may have landed between the caller's look and the registration above.
        op.tryComplete();
        if (shuttingDown) {
            op.forceComplete();
        }
    }

    /** Re-checks the operations watching {@code tp}; called after every append to it. */
    public void onAppend(TopicPartition tp) {
        Set<DelayedOperation<?>> s = watchers.get(tp);
        if (s == null) {
            return;
        }
        for (DelayedOperation<?> op : s.toArray(new DelayedOperation<?>[0])) {
            op.tryComplete();
        }
    }

    /** Re-checks operations watching any partition of a deleted topic (they now see an error). */
    public void onTopicDeleted(String topic) {
        for (TopicPartition tp : watchers.keySet()) {
            if (tp.topic().equals(topic)) {
                onAppend(tp);
            }
        }
    }

    /** Answers every parked operation now (graceful shutdown). */
    public void shutdown() {
        shuttingDown = true;
        for (DelayedOperation<?> op : all.toArray(new DelayedOperation<?>[0])) {
            op.forceComplete();
        }
    }

    /** Parked operations (for tests and metrics). */
    public int size() {
        return all.size();
    }
}
