package io.tributary.client.consumer.internals;

/**
 * Handles the background events waiting for the application thread, in order: commit
 * callbacks and rebalance callbacks run, and the first error is thrown once all were handled.
 * Application thread only.
 */
public final class BackgroundEventProcessor {
    private final BackgroundEventQueue events;
    private final RebalanceCallbackInvoker rebalanceCallbacks;

    public BackgroundEventProcessor(BackgroundEventQueue events, RebalanceCallbackInvoker rebalanceCallbacks) {
        this.events = events;
        this.rebalanceCallbacks = rebalanceCallbacks;
    }

    /** @param throwErrors false while closing: pending errors no longer matter to the caller */
    public void process(boolean throwErrors) {
        RuntimeException first = null;
        BackgroundEvent e;
        while ((e = events.poll()) != null) {
            if (e instanceof BackgroundEvent.Error err) {
                if (first == null) {
                    first = err.exception();
                }
            } else if (e instanceof BackgroundEvent.CommitCompleted c) {
                CommitTracker.invokeCallback(c);
            } else if (e instanceof BackgroundEvent.RebalanceCallback rc) {
                rebalanceCallbacks.invoke(rc);
            }
        }
        if (first != null && throwErrors) {
            throw first;
        }
    }
}
