package io.tributary.client.consumer.internals;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * Background events from the network thread to the application thread, in the order they were
 * added. {@link #add} is safe from any thread; everything else belongs to the application
 * thread (the one holding the consumer).
 *
 * <p>Commit calls run only the commit callbacks and leave rebalance work and errors for the
 * next poll, where Kafka surfaces them. Those are set aside on the application thread and come
 * first at the next {@link #poll}, never put back into the shared queue: putting them back
 * (drain, clear, re-add) can drop an event the network thread adds in between, and a dropped
 * rebalance callback leaves the membership waiting for its answer forever, heartbeating but
 * never rejoining, which stalls the whole group's rebalance.
 */
public final class BackgroundEventQueue {
    private final ConcurrentLinkedQueue<BackgroundEvent> shared = new ConcurrentLinkedQueue<>();
    /** Events taken off {@link #shared} by {@link #runCommitCallbacks} but not handled yet. */
    private final ArrayDeque<BackgroundEvent> setAside = new ArrayDeque<>();

    /** Any thread. */
    public void add(BackgroundEvent event) {
        shared.add(event);
    }

    /** The next event in order, or null. Application thread. */
    public BackgroundEvent poll() {
        BackgroundEvent e = setAside.poll();
        return e != null ? e : shared.poll();
    }

    /**
     * Hands every pending commit completion to {@code callbacks}, in order, and keeps the other
     * events, in order, for {@link #poll}. Application thread.
     */
    public void runCommitCallbacks(Consumer<BackgroundEvent.CommitCompleted> callbacks) {
        ArrayDeque<BackgroundEvent> others = new ArrayDeque<>();
        BackgroundEvent e;
        while ((e = setAside.poll()) != null) {
            route(e, callbacks, others);
        }
        while ((e = shared.poll()) != null) {
            route(e, callbacks, others);
        }
        setAside.addAll(others);
    }

    private static void route(
            BackgroundEvent e,
            Consumer<BackgroundEvent.CommitCompleted> callbacks,
            ArrayDeque<BackgroundEvent> others) {
        if (e instanceof BackgroundEvent.CommitCompleted c) {
            callbacks.accept(c);
        } else {
            others.add(e);
        }
    }
}
