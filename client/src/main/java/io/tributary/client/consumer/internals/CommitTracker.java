package io.tributary.client.consumer.internals;

import io.tributary.client.common.TributaryException;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.consumer.OffsetCommitCallback;
import io.tributary.client.consumer.TopicPartition;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application thread's side of offset commits: sync commits waited for until their
 * deadline, async commits whose callbacks come back as background events, the count of
 * commits sent and the safe retry of async commits (O4, {@code tributary.async.commit.retries}).
 * Application thread only (the thread holding the consumer); the network thread only completes
 * the futures it is handed.
 */
public final class CommitTracker {
    private static final Logger LOG = LoggerFactory.getLogger(CommitTracker.class);

    private final ConsumerNetworkThread networkThread;
    private final BackgroundEventQueue backgroundEvents;
    private final ApplicationWaits waits;
    private final int asyncCommitRetries;
    private final long defaultApiTimeoutMs;
    /** Counts commits sent (async and sync); a retry is sent only if none was sent after its attempt. */
    private long commitsSent;

    public CommitTracker(
            ConsumerNetworkThread networkThread,
            BackgroundEventQueue backgroundEvents,
            ApplicationWaits waits,
            int asyncCommitRetries,
            long defaultApiTimeoutMs) {
        this.networkThread = networkThread;
        this.backgroundEvents = backgroundEvents;
        this.waits = waits;
        this.asyncCommitRetries = asyncCommitRetries;
        this.defaultApiTimeoutMs = defaultApiTimeoutMs;
    }

    /** Commits and waits until done or the deadline; pending async commit callbacks run first and after. */
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, long timeoutMs) {
        runCommitCallbacks();
        long deadlineMs = ApplicationWaits.deadline(timeoutMs);
        commitsSent++;
        try {
            waits.await(
                    networkThread.submit(new ApplicationEvent.Commit(offsets, true, deadlineMs)),
                    deadlineMs,
                    "Committing offsets " + offsets);
        } finally {
            runCommitCallbacks();
        }
    }

    /** Sends an async commit; its callback (null: log failures) runs in a later consumer call. */
    public void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
        runCommitCallbacks();
        sendAsync(offsets, callback, 0);
    }

    /**
     * Runs the callbacks of finished async commits, in order. Errors and rebalance work wait for
     * the next poll, where Kafka surfaces them.
     */
    public void runCommitCallbacks() {
        backgroundEvents.runCommitCallbacks(CommitTracker::invokeCallback);
    }

    /** Runs one finished commit's callback; a callback that throws is logged, not rethrown. */
    static void invokeCallback(BackgroundEvent.CommitCompleted c) {
        if (c.callback() == null) {
            if (c.exception() != null) {
                LOG.warn(
                        "Asynchronous auto-commit of offsets {} failed: {}",
                        c.offsets(),
                        c.exception().getMessage());
            }
            return;
        }
        try {
            c.callback().onComplete(c.offsets(), c.exception());
        } catch (RuntimeException ex) {
            LOG.error("Offset commit callback threw", ex);
        }
    }

    /**
     * Sends one async commit. With tributary.async.commit.retries (O4), a retriable failure is
     * retried from the polling thread when its callback would run, but only if no newer commit was
     * sent since: a late retry of older offsets must never overwrite newer ones. The user's
     * callback runs once, with the final outcome.
     */
    private void sendAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback, int attempt) {
        long sequence = ++commitsSent;
        OffsetCommitCallback onDone = asyncCommitRetries == 0
                ? callback
                : (committed, error) -> {
                    if (error != null
                            && attempt < asyncCommitRetries
                            && sequence == commitsSent
                            && Retries.retriable(Retries.unwrap(error))) {
                        LOG.debug("Retrying async commit of {} after {}", offsets, error.toString());
                        sendAsync(offsets, callback, attempt + 1);
                    } else if (callback != null) {
                        callback.onComplete(committed, error);
                    } else if (error != null) {
                        LOG.warn("Asynchronous commit of offsets {} failed: {}", committed, error.getMessage());
                    }
                };
        ApplicationEvent.Commit event =
                new ApplicationEvent.Commit(offsets, false, ApplicationWaits.deadline(defaultApiTimeoutMs));
        networkThread.submit(event).whenComplete((v, err) -> {
            Exception ex = err == null ? null : err instanceof Exception e ? e : new TributaryException("commit", err);
            backgroundEvents.add(new BackgroundEvent.CommitCompleted(onDone, offsets, ex));
        });
    }
}
