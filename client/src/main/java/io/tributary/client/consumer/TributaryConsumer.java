package io.tributary.client.consumer;

import static io.tributary.client.consumer.internals.ApplicationWaits.deadline;
import static io.tributary.client.consumer.internals.ApplicationWaits.millis;

import io.tributary.client.common.PartitionInfo;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.errors.InvalidGroupIdException;
import io.tributary.client.consumer.internals.ApplicationEvent;
import io.tributary.client.consumer.internals.ApplicationThreadGuard;
import io.tributary.client.consumer.internals.ApplicationWaits;
import io.tributary.client.consumer.internals.BackgroundEvent;
import io.tributary.client.consumer.internals.BackgroundEventProcessor;
import io.tributary.client.consumer.internals.BackgroundEventQueue;
import io.tributary.client.consumer.internals.ClassicMembership;
import io.tributary.client.consumer.internals.CommitTracker;
import io.tributary.client.consumer.internals.CompletedFetchCollector;
import io.tributary.client.consumer.internals.ConsumerArguments;
import io.tributary.client.consumer.internals.ConsumerNetworkThread;
import io.tributary.client.consumer.internals.ConsumerProtocolMembership;
import io.tributary.client.consumer.internals.FetchBuffer;
import io.tributary.client.consumer.internals.Generation;
import io.tributary.client.consumer.internals.GroupMembership;
import io.tributary.client.consumer.internals.NoOpRebalanceListener;
import io.tributary.client.consumer.internals.OffsetQueries;
import io.tributary.client.consumer.internals.PollLoop;
import io.tributary.client.consumer.internals.RebalanceCallbackInvoker;
import io.tributary.client.consumer.internals.SubscriptionState;
import io.tributary.client.serialization.Deserializer;
import java.time.Duration;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Tributary consumer. The application thread calls the {@link Consumer} methods; a
 * background network thread owns the sockets, fetches ahead, resolves positions and (with a
 * subscription) runs group membership and heartbeats. The two meet through typed events with
 * deadlines, a fetch buffer and a queue of background events; rebalance and commit callbacks
 * always run on the application thread inside poll, commit*, or close.
 *
 * <p>One application thread at a time: a concurrent call from a second thread fails with
 * {@link ConcurrentModificationException}; only {@link #wakeup()} is safe from any thread.
 *
 * <p>This class keeps the API methods thin; the work behind them lives in {@code internals}:
 * {@link ApplicationThreadGuard} (thread confinement), {@link ApplicationWaits} (waits with
 * deadlines, wakeup), {@link CommitTracker} (commits, auto-commit, the O4 retry),
 * {@link BackgroundEventProcessor} and {@link RebalanceCallbackInvoker} (callbacks asked for by
 * the network thread), {@link OffsetQueries} (ListOffsets-based queries) and
 * {@link ConsumerNetworkThread#create} (the network side, bootstrap parsing included), {@link PollLoop}
 * (one poll).
 */
public class TributaryConsumer<K, V> implements Consumer<K, V> {
    private static final Logger LOG = LoggerFactory.getLogger(TributaryConsumer.class);
    private static final AtomicInteger CLIENT_SEQUENCE = new AtomicInteger(1);

    private final ConsumerConfig config;
    private final String clientId;
    private final String groupId;
    private final Deserializer<K> keyDeserializer;
    private final Deserializer<V> valueDeserializer;
    private final SubscriptionState subscriptions;
    private final FetchBuffer fetchBuffer = new FetchBuffer();
    private final BackgroundEventQueue backgroundEvents = new BackgroundEventQueue();
    private final ConsumerNetworkThread networkThread;
    private final PollLoop<K, V> pollLoop;
    private final long defaultApiTimeoutMs;
    private final ApplicationWaits waits;
    private final CommitTracker commits;
    private final BackgroundEventProcessor backgroundEventProcessor;
    private final OffsetQueries offsets;

    private final ApplicationThreadGuard guard = new ApplicationThreadGuard();

    public TributaryConsumer(Properties properties) {
        this(ConsumerConfig.toMap(properties), null, null);
    }

    public TributaryConsumer(
            Properties properties, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        this(ConsumerConfig.toMap(properties), keyDeserializer, valueDeserializer);
    }

    public TributaryConsumer(Map<String, Object> configs) {
        this(configs, null, null);
    }

    public TributaryConsumer(
            Map<String, Object> configs, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        this.config = new ConsumerConfig(configs, keyDeserializer != null, valueDeserializer != null);
        String rawGroupId = config.getString(ConsumerConfig.GROUP_ID_CONFIG);
        if (rawGroupId != null && rawGroupId.isBlank()) {
            // Kafka 4 refuses this at construction rather than treating it as "no group".
            throw new InvalidGroupIdException("The configured group.id should not be an empty string or whitespace.");
        }
        this.groupId = config.groupId();
        String cid = config.getString(ConsumerConfig.CLIENT_ID_CONFIG);
        this.clientId = cid == null || cid.isEmpty()
                ? "consumer-" + (groupId == null ? "" : groupId + "-") + CLIENT_SEQUENCE.getAndIncrement()
                : cid;
        this.keyDeserializer = config.deserializer(keyDeserializer, true);
        this.valueDeserializer = config.deserializer(valueDeserializer, false);
        this.defaultApiTimeoutMs = config.getInt(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
        this.subscriptions = new SubscriptionState(config.autoOffsetReset(), groupId != null);
        subscriptions.onNoPosition(fetchBuffer::wakeup);
        boolean partitionEof = config.getBoolean(ConsumerConfig.ENABLE_PARTITION_EOF_CONFIG);
        CompletedFetchCollector<K, V> collector = new CompletedFetchCollector<>(
                subscriptions, fetchBuffer, this.keyDeserializer, this.valueDeserializer, partitionEof);

        this.networkThread = ConsumerNetworkThread.create(
                config,
                clientId,
                subscriptions,
                fetchBuffer,
                this::backgroundError,
                partitionEof,
                groupId == null ? null : membershipFactory());
        this.waits = new ApplicationWaits(fetchBuffer);
        this.commits = new CommitTracker(networkThread, backgroundEvents, waits, subscriptions, config);
        this.offsets = new OffsetQueries(networkThread, waits);
        this.backgroundEventProcessor = new BackgroundEventProcessor(
                backgroundEvents,
                new RebalanceCallbackInvoker(
                        subscriptions,
                        networkThread.metadata(),
                        fetchBuffer,
                        networkThread,
                        commits,
                        defaultApiTimeoutMs));
        this.pollLoop = new PollLoop<>(
                subscriptions,
                networkThread,
                backgroundEventProcessor,
                commits,
                collector,
                waits,
                config.getInt(ConsumerConfig.MAX_POLL_RECORDS_CONFIG),
                groupId != null);
        // Fetch-ahead: a drained partition is fetched again at once.
        fetchBuffer.onFetchTaken(networkThread::wakeupLoop);
        networkThread.start();
        LOG.info("Tributary consumer {} started (group {})", clientId, groupId);
    }

    /** Group membership used by subscribe(): classic (JoinGroup/SyncGroup) or consumer (KIP-848) by group.protocol. */
    protected GroupMembership.Factory membershipFactory() {
        return config.consumerProtocol()
                ? ConsumerProtocolMembership.factory(config, backgroundEvents, fetchBuffer)
                : ClassicMembership.factory(config, backgroundEvents, fetchBuffer);
    }

    private void backgroundError(RuntimeException e) {
        backgroundEvents.add(new BackgroundEvent.Error(e));
        fetchBuffer.wakeup();
    }

    // ---- wakeup ----

    @Override
    public void wakeup() {
        waits.wakeup();
    }

    // ---- background events (callbacks and errors run here, on the application thread) ----

    private void processBackgroundEvents() {
        backgroundEventProcessor.process(true);
    }

    // ---- subscription ----

    @Override
    public Set<TopicPartition> assignment() {
        return guard.call(() -> java.util.Collections.unmodifiableSet(subscriptions.assignedPartitions()));
    }

    @Override
    public Set<String> subscription() {
        return guard.call(() -> subscriptions.hasAutoAssignment()
                ? java.util.Collections.unmodifiableSet(subscriptions.subscription())
                : Set.of());
    }

    @Override
    public void subscribe(Collection<String> topics) {
        subscribe(topics, new NoOpRebalanceListener());
    }

    /** An empty collection unsubscribes (Kafka's contract). */
    @Override
    public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
        subscribeChecked(listener, () -> ConsumerArguments.checkTopics(topics), () -> {
            if (topics.isEmpty()) {
                unsubscribeLocked();
            } else {
                subscriptions.subscribe(new java.util.LinkedHashSet<>(topics), listener);
            }
        });
    }

    @Override
    public void subscribe(Pattern pattern) {
        subscribe(pattern, new NoOpRebalanceListener());
    }

    @Override
    public void subscribe(Pattern pattern, ConsumerRebalanceListener listener) {
        subscribeChecked(
                listener,
                () -> ConsumerArguments.checkPattern(pattern),
                () -> subscriptions.subscribe(pattern, listener));
    }

    @Override
    public void subscribe(SubscriptionPattern pattern) {
        subscribe(pattern, new NoOpRebalanceListener());
    }

    @Override
    public void subscribe(SubscriptionPattern pattern, ConsumerRebalanceListener listener) {
        subscribeChecked(
                listener,
                () -> ConsumerArguments.checkPattern(pattern, config.consumerProtocol()),
                () -> subscriptions.subscribeBrokerRegex(pattern.pattern(), listener));
    }

    private void subscribeChecked(ConsumerRebalanceListener listener, Runnable check, Runnable subscribe) {
        guard.run(() -> {
            throwIfNoGroup();
            check.run();
            ConsumerArguments.checkListener(listener);
            subscribe.run();
            networkThread.submit(new ApplicationEvent.SubscriptionChanged());
        });
    }

    private void throwIfNoGroup() {
        ConsumerArguments.checkGroup(groupId);
    }

    @Override
    public void unsubscribe() {
        guard.run(() -> unsubscribeLocked());
    }

    private void unsubscribeLocked() {
        if (subscriptions.hasAutoAssignment()) {
            GroupMembership m = networkThread.membership();
            if (m != null) {
                // Revocation callbacks run in the loop below as the network thread asks for them.
                CompletableFuture<Void> left = new CompletableFuture<>();
                networkThread
                        .submit(new ApplicationEvent.Rejoin(ApplicationEvent.Rejoin.UNSUBSCRIBE))
                        .whenComplete((v, e) -> left.complete(null));
                ApplicationWaits.awaitWithCallbacks(left, deadline(defaultApiTimeoutMs), this::processBackgroundEvents);
            }
        }
        subscriptions.unsubscribe();
        fetchBuffer.removeIf(f -> true);
        networkThread.submit(new ApplicationEvent.SubscriptionChanged());
    }

    @Override
    public void assign(Collection<TopicPartition> partitions) {
        guard.run(() -> {
            if (ConsumerArguments.checkAssignment(partitions).isEmpty()) {
                unsubscribeLocked();
                return;
            }
            commits.maybeAutoCommitBeforeAssign();
            subscriptions.assignFromUser(new java.util.LinkedHashSet<>(partitions));
            Set<TopicPartition> now = subscriptions.assignedPartitions();
            fetchBuffer.removeIf(f -> !now.contains(f.partition()));
            networkThread.submit(new ApplicationEvent.SubscriptionChanged());
        });
    }

    // ---- poll ----

    @Override
    public ConsumerRecords<K, V> poll(Duration timeout) {
        long timeoutMs = millis(timeout);
        return guard.call(() -> pollLoop.poll(deadline(timeoutMs)));
    }

    // ---- commits ----

    @Override
    public void commitSync() {
        commitSync(Duration.ofMillis(defaultApiTimeoutMs));
    }

    @Override
    public void commitSync(Duration timeout) {
        guard.run(() -> commitSyncLocked(subscriptions.allConsumed(), millis(timeout)));
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        commitSync(offsets, Duration.ofMillis(defaultApiTimeoutMs));
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
        guard.run(() -> commitSyncLocked(new LinkedHashMap<>(offsets), millis(timeout)));
    }

    private void commitSyncLocked(Map<TopicPartition, OffsetAndMetadata> offsets, long timeoutMs) {
        throwIfNoGroup();
        commits.commitSync(offsets, timeoutMs);
    }

    @Override
    public void commitAsync() {
        commitAsync(null);
    }

    @Override
    public void commitAsync(OffsetCommitCallback callback) {
        guard.run(() -> commitAsyncLocked(subscriptions.allConsumed(), callback));
    }

    @Override
    public void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
        guard.run(() -> commitAsyncLocked(new LinkedHashMap<>(offsets), callback));
    }

    private void commitAsyncLocked(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
        throwIfNoGroup();
        commits.commitAsync(offsets, callback);
    }

    // ---- positions ----

    @Override
    public void seek(TopicPartition partition, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("seek offset must not be a negative number");
        }
        guard.run(() -> {
            LOG.info("Seeking to offset {} for partition {}", offset, partition);
            seekLocked(partition, offset, -1);
        });
    }

    @Override
    public void seek(TopicPartition partition, OffsetAndMetadata offsetAndMetadata) {
        guard.run(() -> seekLocked(
                partition,
                offsetAndMetadata.offset(),
                offsetAndMetadata.leaderEpoch().orElse(-1)));
    }

    /** A user seek: always wins over in-flight fetches and lookups (the partition's version moves). */
    private void seekLocked(TopicPartition partition, long offset, int leaderEpoch) {
        subscriptions.seek(partition, offset, leaderEpoch);
        fetchBuffer.removeIf(f -> f.partition().equals(partition));
        networkThread.wakeupLoop();
    }

    @Override
    public void seekToBeginning(Collection<TopicPartition> partitions) {
        resetTo(partitions, "earliest");
    }

    @Override
    public void seekToEnd(Collection<TopicPartition> partitions) {
        resetTo(partitions, "latest");
    }

    private void resetTo(Collection<TopicPartition> partitions, String where) {
        if (partitions == null) {
            throw new IllegalArgumentException("Partitions collection cannot be null");
        }
        guard.run(() -> {
            Collection<TopicPartition> parts = partitions.isEmpty() ? subscriptions.assignedPartitions() : partitions;
            for (TopicPartition tp : parts) {
                subscriptions.requestReset(tp, where);
            }
            Set<TopicPartition> set = new HashSet<>(parts);
            fetchBuffer.removeIf(f -> set.contains(f.partition()));
            networkThread.wakeupLoop();
        });
    }

    @Override
    public long position(TopicPartition partition) {
        return position(partition, Duration.ofMillis(defaultApiTimeoutMs));
    }

    @Override
    public long position(TopicPartition partition, Duration timeout) {
        return withDeadline(timeout, deadlineMs -> {
            if (!subscriptions.isAssigned(partition)) {
                throw new IllegalStateException(
                        "You can only check the position for partitions assigned to this consumer.");
            }
            networkThread.wakeupLoop();
            return waits.awaitPosition(
                    subscriptions, partition, deadlineMs, timeout.toMillis(), this::processBackgroundEvents);
        });
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions) {
        return committed(partitions, Duration.ofMillis(defaultApiTimeoutMs));
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions, Duration timeout) {
        return withDeadline(timeout, deadlineMs -> {
            throwIfNoGroup();
            if (partitions.isEmpty()) {
                return Map.of();
            }
            return request(
                    new ApplicationEvent.FetchCommitted(new HashSet<>(partitions), deadlineMs),
                    "Fetching committed offsets for " + partitions);
        });
    }

    // ---- metadata and offsets queries ----

    /**
     * A blocking call: the deadline is taken before the guard (as Kafka counts the timeout from
     * the call), then {@code call} runs as the owning thread with it.
     */
    private <T> T withDeadline(Duration timeout, LongFunction<T> call) {
        long deadlineMs = deadline(millis(timeout));
        return guard.call(() -> call.apply(deadlineMs));
    }

    /** Hands a request to the network thread and waits for its answer until the event's deadline. */
    private <T> T request(ApplicationEvent<T> event, String what) {
        return waits.await(networkThread.submit(event), event.deadlineMs, what);
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
        return partitionsFor(topic, Duration.ofMillis(defaultApiTimeoutMs));
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
        return withDeadline(timeout, deadlineMs -> {
            if (topic == null || topic.isEmpty()) {
                throw new IllegalArgumentException("Topic name cannot be null or empty");
            }
            Map<String, List<PartitionInfo>> m =
                    request(new ApplicationEvent.TopicMetadata(topic, deadlineMs), "Getting metadata of " + topic);
            return m.getOrDefault(topic, List.of());
        });
    }

    @Override
    public Map<String, List<PartitionInfo>> listTopics() {
        return listTopics(Duration.ofMillis(defaultApiTimeoutMs));
    }

    @Override
    public Map<String, List<PartitionInfo>> listTopics(Duration timeout) {
        return withDeadline(
                timeout, deadlineMs -> request(new ApplicationEvent.TopicMetadata(null, deadlineMs), "Listing topics"));
    }

    @Override
    public Set<TopicPartition> paused() {
        return guard.call(() -> java.util.Collections.unmodifiableSet(subscriptions.paused()));
    }

    @Override
    public void pause(Collection<TopicPartition> partitions) {
        guard.run(() -> subscriptions.pause(partitions));
    }

    @Override
    public void resume(Collection<TopicPartition> partitions) {
        guard.run(() -> {
            subscriptions.resume(partitions);
            networkThread.wakeupLoop();
        });
    }

    @Override
    public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestampsToSearch) {
        return offsetsForTimes(timestampsToSearch, Duration.ofMillis(defaultApiTimeoutMs));
    }

    @Override
    public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(
            Map<TopicPartition, Long> timestampsToSearch, Duration timeout) {
        ConsumerArguments.checkTimestamps(timestampsToSearch);
        return withDeadline(timeout, deadlineMs -> offsets.offsetsForTimes(timestampsToSearch, deadlineMs));
    }

    @Override
    public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
        return beginningOffsets(partitions, Duration.ofMillis(defaultApiTimeoutMs));
    }

    @Override
    public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions, Duration timeout) {
        return withDeadline(timeout, deadlineMs -> offsets.beginningOffsets(partitions, deadlineMs));
    }

    @Override
    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
        return endOffsets(partitions, Duration.ofMillis(defaultApiTimeoutMs));
    }

    @Override
    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions, Duration timeout) {
        return withDeadline(timeout, deadlineMs -> offsets.endOffsets(partitions, deadlineMs));
    }

    @Override
    public OptionalLong currentLag(TopicPartition partition) {
        return guard.call(() -> {
            Long lag = subscriptions.lag(partition, config.readCommitted());
            return lag == null ? OptionalLong.empty() : OptionalLong.of(lag);
        });
    }

    @Override
    public ConsumerGroupMetadata groupMetadata() {
        return guard.call(() -> {
            throwIfNoGroup();
            GroupMembership m = networkThread.membership();
            Generation g = m == null ? Generation.NO_GENERATION : m.generation();
            return new ConsumerGroupMetadata(
                    groupId, g.generationId(), g.memberId(), Optional.ofNullable(config.groupInstanceId()));
        });
    }

    @Override
    public void enforceRebalance() {
        enforceRebalance(null);
    }

    @Override
    public void enforceRebalance(String reason) {
        guard.run(() -> {
            throwIfNoGroup();
            networkThread.submit(
                    new ApplicationEvent.Rejoin(reason == null ? "the user called enforceRebalance" : reason));
        });
    }

    // ---- close ----

    @Override
    public void close() {
        close(Duration.ofMillis(30_000));
    }

    @Override
    public void close(Duration timeout) {
        long timeoutMs = millis(timeout);
        guard.acquire();
        try {
            if (guard.closed()) {
                return;
            }
            long deadlineMs = deadline(timeoutMs);
            waits.clearWakeup();
            try {
                commits.maybeAutoCommitOnClose(deadlineMs);
                CompletableFuture<Void> closing = networkThread.submit(new ApplicationEvent.Close(deadlineMs));
                ApplicationWaits.awaitWithCallbacks(closing, deadlineMs, () -> backgroundEventProcessor.process(false));
                commits.runCommitCallbacks();
            } finally {
                guard.markClosed();
                networkThread.awaitStopped(deadlineMs);
                keyDeserializer.close();
                valueDeserializer.close();
                LOG.info("Tributary consumer {} closed", clientId);
            }
        } finally {
            guard.release();
        }
    }
}
