package io.tributary.client.consumer.internals;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.TributaryException;
import io.tributary.client.consumer.ConsumerConfig;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.consumer.OffsetCommitCallback;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application thread's side of offset commits: sync commits waited for until their
 * deadline, async commits whose callbacks come back as background events, the auto-commit
 * timer (enable.auto.commit), the count of commits sent and the safe retry of async commits
 * (O4, {@code tributary.async.commit.retries}).
 * Application thread only (the thread holding the consumer); the network thread only completes
 * the futures it is handed.
 */
public final class CommitTracker {
    private static final Logger LOG = LoggerFactory.getLogger(CommitTracker.class);

    private final ConsumerNetworkThread networkThread;
    private final BackgroundEventQueue backgroundEvents;
    private final ApplicationWaits waits;
    private final SubscriptionState subscriptions;
    private final int asyncCommitRetries;
    private final long defaultApiTimeoutMs;
    private final boolean autoCommit;
    private final long autoCommitIntervalMs;
    private long nextAutoCommitMs;
    /** Counts commits sent (async and sync); a retry is sent only if none was sent after its attempt. */
    private long commitsSent;

    public CommitTracker(
            ConsumerNetworkThread networkThread,
            BackgroundEventQueue backgroundEvents,
            ApplicationWaits waits,
            SubscriptionState subscriptions,
            ConsumerConfig config) {
        this.networkThread = networkThread;
        this.backgroundEvents = backgroundEvents;
        this.waits = waits;
        this.subscriptions = subscriptions;
        this.asyncCommitRetries = config.getInt(ConsumerConfig.ASYNC_COMMIT_RETRIES_CONFIG);
        this.defaultApiTimeoutMs = config.getInt(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
        // Only with a group: ConsumerConfig turns enable.auto.commit off without a group.id.
        this.autoCommit = config.getBoolean(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);
        this.autoCommitIntervalMs = config.getInt(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG);
        this.nextAutoCommitMs = System.currentTimeMillis() + autoCommitIntervalMs;
    }

    /** From poll: with auto-commit, commits the consumed positions (async) once the interval passed. */
    public void maybeAutoCommit(long nowMs) {
        if (autoCommit && nowMs >= nextAutoCommitMs) {
            nextAutoCommitMs = nowMs + autoCommitIntervalMs;
            Map<TopicPartition, OffsetAndMetadata> offsets = subscriptions.allConsumed();
            if (!offsets.isEmpty()) {
                commitAsync(offsets, null);
            }
        }
    }

    /** From assign: with auto-commit, commits the consumed positions (async) before the assignment changes. */
    public void maybeAutoCommitBeforeAssign() {
        if (autoCommit) {
            commitAsync(subscriptions.allConsumed(), null);
        }
    }

    /** From close: with auto-commit, commits the consumed positions and waits until the deadline; failures are logged. */
    public void maybeAutoCommitOnClose(long deadlineMs) {
        if (!autoCommit) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = subscriptions.allConsumed();
        if (!offsets.isEmpty()) {
            try {
                commitSync(offsets, Math.max(0, deadlineMs - System.currentTimeMillis()));
            } catch (RuntimeException e) {
                LOG.warn("Failed to commit offsets on close: {}", e.getMessage());
            }
        }
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
