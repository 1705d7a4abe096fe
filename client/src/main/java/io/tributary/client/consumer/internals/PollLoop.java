package io.tributary.client.consumer.internals;

import io.tributary.client.consumer.ConsumerRecords;

/**
 * One {@code poll(timeout)} on the application thread: tell the group member that the
 * application polled, run callbacks and throw background errors, auto-commit, hand out buffered
 * records, otherwise wait for fetches until the deadline.
 *
 * <p>Why the member is told sparingly: each tick is an event that wakes the network thread
 * (a selector wakeup and a loop pass). A poll returning {@code max.poll.records} from the buffer
 * at millions of records per second would wake it tens of thousands of times a second for
 * nothing; without a group the tick does nothing at all, and with one its only uses
 * (max.poll.interval.ms liveness, fatal errors, rejoin after a poll timeout) tolerate a tick
 * every {@value #TICK_INTERVAL_MS} ms. So only a poll that follows one which returned records
 * less than that ago skips its tick; any other poll (after an error, an empty poll, a pause)
 * ticks on every pass as before, so a refused member's error is raised by each poll. A poll that
 * finds nothing buffered still wakes the loop, so a fetchable partition gets its fetch before
 * poll waits.
 */
public final class PollLoop<K, V> {
    static final long TICK_INTERVAL_MS = 5;

    private final SubscriptionState subscriptions;
    private final ConsumerNetworkThread networkThread;
    private final BackgroundEventProcessor backgroundEvents;
    private final CommitTracker commits;
    private final CompletedFetchCollector<K, V> collector;
    private final ApplicationWaits waits;
    private final int maxPollRecords;
    private final boolean hasGroup;
    private long lastTickMs;
    private boolean lastReturnedRecords;

    public PollLoop(
            SubscriptionState subscriptions,
            ConsumerNetworkThread networkThread,
            BackgroundEventProcessor backgroundEvents,
            CommitTracker commits,
            CompletedFetchCollector<K, V> collector,
            ApplicationWaits waits,
            int maxPollRecords,
            boolean hasGroup) {
        this.subscriptions = subscriptions;
        this.networkThread = networkThread;
        this.backgroundEvents = backgroundEvents;
        this.commits = commits;
        this.collector = collector;
        this.waits = waits;
        this.maxPollRecords = maxPollRecords;
        this.hasGroup = hasGroup;
    }

    /** The records poll returns by {@code deadlineMs}; empty when none arrived. */
    public ConsumerRecords<K, V> poll(long deadlineMs) {
        if (subscriptions.type() == SubscriptionState.SubscriptionType.NONE) {
            throw new IllegalStateException("Consumer is not subscribed to any topics or assigned any partitions");
        }
        boolean mayCoalesce = lastReturnedRecords;
        lastReturnedRecords = false;
        do {
            waits.maybeThrowWakeup();
            long now = System.currentTimeMillis();
            boolean recentTick = now - lastTickMs < TICK_INTERVAL_MS && now >= lastTickMs;
            if (hasGroup && !(mayCoalesce && recentTick)) {
                lastTickMs = now;
                networkThread.submit(new ApplicationEvent.PollTick(now));
            }
            backgroundEvents.process(true);
            subscriptions.throwIfNoResetPolicy();
            commits.maybeAutoCommit(now);
            ConsumerRecords<K, V> records = collector.collect(maxPollRecords);
            if (!records.isEmpty() || !records.partitionEofs().isEmpty()) {
                lastReturnedRecords = !records.isEmpty();
                return records;
            }
            mayCoalesce = false;
            networkThread.wakeupLoop();
        } while (waits.awaitFetches(deadlineMs));
        waits.maybeThrowWakeup();
        backgroundEvents.process(true);
        return ConsumerRecords.empty();
    }
}
