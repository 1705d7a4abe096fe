package io.tributary.client.consumer;

import static io.tributary.client.consumer.internals.ApplicationWaits.deadline;
import static io.tributary.client.consumer.internals.ApplicationWaits.millis;

import io.tributary.client.common.ConfigException;
import io.tributary.client.common.TimeoutException;
import io.tributary.client.common.TributaryException;
import io.tributary.client.consumer.internals.ApplicationEvent;
import io.tributary.client.consumer.internals.ApplicationWaits;
import io.tributary.client.consumer.internals.BackgroundEvent;
import io.tributary.client.consumer.internals.BackgroundEventProcessor;
import io.tributary.client.consumer.internals.BackgroundEventQueue;
import io.tributary.client.consumer.internals.BootstrapServers;
import io.tributary.client.consumer.internals.ClassicMembership;
import io.tributary.client.consumer.internals.CommitTracker;
import io.tributary.client.consumer.internals.CompletedFetchCollector;
import io.tributary.client.consumer.internals.ConsumerNetworkThread;
import io.tributary.client.consumer.internals.CoordinatorManager;
import io.tributary.client.consumer.internals.FetchBuffer;
import io.tributary.client.consumer.internals.Generation;
import io.tributary.client.consumer.internals.GroupMembership;
import io.tributary.client.consumer.internals.MetadataManager;
import io.tributary.client.consumer.internals.RebalanceCallbackInvoker;
import io.tributary.client.consumer.internals.SubscriptionState;
import io.tributary.client.network.NetworkClient;
import io.tributary.client.serialization.Deserializer;
import java.time.Duration;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
 */
public class TributaryConsumer<K, V> implements Consumer<K, V> {
    private static final Logger LOG = LoggerFactory.getLogger(TributaryConsumer.class);
    private static final AtomicInteger CLIENT_SEQUENCE = new AtomicInteger(1);
    private static final long NO_CURRENT_THREAD = -1L;

    private final ConsumerConfig config;
    private final String clientId;
    private final String groupId;
    private final Deserializer<K> keyDeserializer;
    private final Deserializer<V> valueDeserializer;
    private final SubscriptionState subscriptions;
    private final FetchBuffer fetchBuffer = new FetchBuffer();
    private final BackgroundEventQueue backgroundEvents = new BackgroundEventQueue();
    private final ConsumerNetworkThread networkThread;
    private final MetadataManager metadata;
    private final CompletedFetchCollector<K, V> collector;
    private final int maxPollRecords;
    private final long defaultApiTimeoutMs;
    private final boolean autoCommit;
    private final ApplicationWaits waits;
    private final CommitTracker commits;
    private final BackgroundEventProcessor backgroundEventProcessor;

    private final long autoCommitIntervalMs;
    private long nextAutoCommitMs;
    private final AtomicLong currentThread = new AtomicLong(NO_CURRENT_THREAD);
    private final AtomicInteger refCount = new AtomicInteger();
    private volatile boolean closed;

    public TributaryConsumer(Properties properties) {
        this(propsToMap(properties), null, null);
    }

    public TributaryConsumer(
            Properties properties, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        this(propsToMap(properties), keyDeserializer, valueDeserializer);
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
        this.keyDeserializer = keyDeserializer != null
                ? keyDeserializer
                : newDeserializer(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG);
        this.valueDeserializer = valueDeserializer != null
                ? valueDeserializer
                : newDeserializer(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
        this.keyDeserializer.configure(config.originals(), true);
        this.valueDeserializer.configure(config.originals(), false);
        this.maxPollRecords = config.getInt(ConsumerConfig.MAX_POLL_RECORDS_CONFIG);
        this.defaultApiTimeoutMs = config.getInt(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
        this.autoCommit = config.getBoolean(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);
        this.autoCommitIntervalMs = config.getInt(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG);
        this.nextAutoCommitMs = System.currentTimeMillis() + autoCommitIntervalMs;
        this.subscriptions = new SubscriptionState(config.autoOffsetReset(), groupId != null);
        subscriptions.onNoPosition(fetchBuffer::wakeup);
        boolean partitionEof = config.getBoolean(ConsumerConfig.ENABLE_PARTITION_EOF_CONFIG);
        this.collector = new CompletedFetchCollector<>(
                subscriptions, fetchBuffer, this.keyDeserializer, this.valueDeserializer, partitionEof);

        NetworkClient client = new NetworkClient(
                BootstrapServers.parse(config.getList(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)),
                clientId,
                config.getInt(ConsumerConfig.SEND_BUFFER_CONFIG),
                config.getInt(ConsumerConfig.RECEIVE_BUFFER_CONFIG),
                config.getInt(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG),
                config.getLong(ConsumerConfig.RECONNECT_BACKOFF_MS_CONFIG),
                config.getLong(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG));
        this.metadata = new MetadataManager(
                client,
                config.getLong(ConsumerConfig.METADATA_MAX_AGE_CONFIG),
                config.getLong(ConsumerConfig.RETRY_BACKOFF_MS_CONFIG),
                config.getBoolean(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG));
        AtomicReference<GroupMembership> membershipRef = new AtomicReference<>();
        CoordinatorManager coordinator = groupId == null
                ? null
                : new CoordinatorManager(
                        client,
                        groupId,
                        config.groupInstanceId(),
                        config.readCommitted(),
                        () -> membershipRef.get() == null
                                ? Generation.NO_GENERATION
                                : membershipRef.get().generation());
        ConsumerNetworkThread.Settings settings = new ConsumerNetworkThread.Settings(
                config.getInt(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG),
                config.getInt(ConsumerConfig.FETCH_MIN_BYTES_CONFIG),
                config.getInt(ConsumerConfig.FETCH_MAX_BYTES_CONFIG),
                config.getInt(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
                config.readCommitted(),
                config.getBoolean(ConsumerConfig.CHECK_CRCS_CONFIG),
                config.getString(ConsumerConfig.CLIENT_RACK_CONFIG),
                config.getLong(ConsumerConfig.RETRY_BACKOFF_MS_CONFIG),
                config.getLong(ConsumerConfig.RETRY_BACKOFF_MAX_MS_CONFIG),
                config.getBoolean(ConsumerConfig.EXCLUDE_INTERNAL_TOPICS_CONFIG),
                partitionEof);
        GroupMembership.Factory factory = groupId == null ? null : membershipFactory();
        this.networkThread = new ConsumerNetworkThread(
                "tributary-consumer-network-thread | " + clientId,
                client,
                metadata,
                subscriptions,
                coordinator,
                fetchBuffer,
                this::backgroundError,
                settings,
                factory);
        membershipRef.set(networkThread.membership());
        this.waits = new ApplicationWaits(fetchBuffer);
        this.commits = new CommitTracker(
                networkThread,
                backgroundEvents,
                waits,
                config.getInt(ConsumerConfig.ASYNC_COMMIT_RETRIES_CONFIG),
                defaultApiTimeoutMs);
        this.backgroundEventProcessor = new BackgroundEventProcessor(
                backgroundEvents,
                new RebalanceCallbackInvoker(
                        subscriptions, metadata, fetchBuffer, networkThread, commits, defaultApiTimeoutMs));
        // Fetch-ahead: a drained partition is fetched again at once.
        fetchBuffer.onPartitionDrained(networkThread::wakeupLoop);
        networkThread.start();
        LOG.info("Tributary consumer {} started (group {})", clientId, groupId);
    }

    /** Group membership used by subscribe(): the classic protocol (JoinGroup/SyncGroup/Heartbeat). */
    protected GroupMembership.Factory membershipFactory() {
        return ClassicMembership.factory(config, backgroundEvents, fetchBuffer);
    }

    private static Map<String, Object> propsToMap(Properties props) {
        Map<String, Object> m = new HashMap<>();
        props.forEach((k, v) -> m.put(String.valueOf(k), v));
        return m;
    }

    @SuppressWarnings("unchecked")
    private <T> Deserializer<T> newDeserializer(String key) {
        Class<?> c = config.getClass(key);
        if (!Deserializer.class.isAssignableFrom(c)) {
            throw new ConfigException(
                    key, c.getName(), "Class " + c.getName() + " does not implement " + Deserializer.class.getName());
        }
        try {
            return (Deserializer<T>) c.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new ConfigException(key, c.getName(), "Could not instantiate class " + c.getName() + ": " + e);
        }
    }

    private void backgroundError(RuntimeException e) {
        backgroundEvents.add(new BackgroundEvent.Error(e));
        fetchBuffer.wakeup();
    }

    // ---- thread confinement and wakeup ----

    private void acquireAndEnsureOpen() {
        acquire();
        if (closed) {
            release();
            throw new IllegalStateException("This consumer has already been closed.");
        }
    }

    private void acquire() {
        Thread t = Thread.currentThread();
        long threadId = t.getId();
        if (threadId != currentThread.get() && !currentThread.compareAndSet(NO_CURRENT_THREAD, threadId)) {
            throw new ConcurrentModificationException("TributaryConsumer is not safe for multi-threaded access. "
                    + "currentThread(name: " + t.getName() + ", id: " + threadId + ")"
                    + " otherThread(id: " + currentThread.get() + ")");
        }
        refCount.incrementAndGet();
    }

    private void release() {
        if (refCount.decrementAndGet() == 0) {
            currentThread.set(NO_CURRENT_THREAD);
        }
    }

    @Override
    public void wakeup() {
        waits.wakeup();
    }

    // ---- background events (callbacks and errors run here, on the application thread) ----

    private void processBackgroundEvents() {
        backgroundEventProcessor.process(true);
    }

    /** auto.offset.reset=none and a partition has neither a position nor a committed offset. */
    private void throwIfNoResetPolicy() {
        Set<TopicPartition> undefined = new HashSet<>();
        subscriptions.partitionsNeedingPosition().forEach((tp, pending) -> {
            if (pending == SubscriptionState.Pending.NONE) {
                undefined.add(tp);
            }
        });
        if (!undefined.isEmpty()) {
            throw new NoOffsetForPartitionException(undefined);
        }
    }

    // ---- subscription ----

    @Override
    public Set<TopicPartition> assignment() {
        acquireAndEnsureOpen();
        try {
            return java.util.Collections.unmodifiableSet(subscriptions.assignedPartitions());
        } finally {
            release();
        }
    }

    @Override
    public Set<String> subscription() {
        acquireAndEnsureOpen();
        try {
            return subscriptions.hasAutoAssignment()
                    ? java.util.Collections.unmodifiableSet(subscriptions.subscription())
                    : Set.of();
        } finally {
            release();
        }
    }

    @Override
    public void subscribe(Collection<String> topics) {
        subscribe(topics, new NoOpListener());
    }

    @Override
    public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
        acquireAndEnsureOpen();
        try {
            throwIfNoGroup();
            if (topics == null) {
                throw new IllegalArgumentException("Topic collection to subscribe to cannot be null");
            }
            if (topics.isEmpty()) {
                unsubscribeLocked();
                return;
            }
            for (String t : topics) {
                if (t == null || t.isBlank()) {
                    throw new IllegalArgumentException(
                            "Topic collection to subscribe to cannot contain null or empty topic");
                }
            }
            if (listener == null) {
                throw new IllegalArgumentException("RebalanceListener cannot be null");
            }
            subscriptions.subscribe(new java.util.LinkedHashSet<>(topics), listener);
            networkThread.submit(new ApplicationEvent.SubscriptionChanged());
        } finally {
            release();
        }
    }

    @Override
    public void subscribe(Pattern pattern) {
        subscribe(pattern, new NoOpListener());
    }

    @Override
    public void subscribe(Pattern pattern, ConsumerRebalanceListener listener) {
        acquireAndEnsureOpen();
        try {
            throwIfNoGroup();
            if (pattern == null || pattern.pattern().isEmpty()) {
                throw new IllegalArgumentException(
                        "Topic pattern to subscribe to cannot be " + (pattern == null ? "null" : "empty"));
            }
            if (listener == null) {
                throw new IllegalArgumentException("RebalanceListener cannot be null");
            }
            subscriptions.subscribe(pattern, listener);
            networkThread.submit(new ApplicationEvent.SubscriptionChanged());
        } finally {
            release();
        }
    }

    private void throwIfNoGroup() {
        if (groupId == null) {
            throw new InvalidGroupIdException("To use the group management or offset commit APIs, you must provide a"
                    + " valid group.id in the consumer configuration.");
        }
    }

    @Override
    public void unsubscribe() {
        acquireAndEnsureOpen();
        try {
            unsubscribeLocked();
        } finally {
            release();
        }
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
        acquireAndEnsureOpen();
        try {
            if (partitions == null) {
                throw new IllegalArgumentException("Topic partitions collection to assign to cannot be null");
            }
            if (partitions.isEmpty()) {
                unsubscribeLocked();
                return;
            }
            for (TopicPartition tp : partitions) {
                if (tp == null || tp.topic().isBlank()) {
                    throw new IllegalArgumentException("Topic partitions to assign to cannot have null or empty topic");
                }
            }
            if (autoCommit) {
                commitAsyncLocked(subscriptions.allConsumed(), null);
            }
            subscriptions.assignFromUser(new java.util.LinkedHashSet<>(partitions));
            Set<TopicPartition> now = subscriptions.assignedPartitions();
            fetchBuffer.removeIf(f -> !now.contains(f.partition()));
            networkThread.submit(new ApplicationEvent.SubscriptionChanged());
        } finally {
            release();
        }
    }

    // ---- poll ----

    @Override
    public ConsumerRecords<K, V> poll(Duration timeout) {
        long timeoutMs = millis(timeout);
        acquireAndEnsureOpen();
        try {
            if (subscriptions.type() == SubscriptionState.SubscriptionType.NONE) {
                throw new IllegalStateException("Consumer is not subscribed to any topics or assigned any partitions");
            }
            long deadlineMs = deadline(timeoutMs);
            do {
                waits.maybeThrowWakeup();
                long now = System.currentTimeMillis();
                networkThread.submit(new ApplicationEvent.PollTick(now));
                processBackgroundEvents();
                throwIfNoResetPolicy();
                maybeAutoCommit(now);
                ConsumerRecords<K, V> records = collector.collect(maxPollRecords);
                if (!records.isEmpty() || !records.partitionEofs().isEmpty()) {
                    return records;
                }
                long remaining = deadlineMs - System.currentTimeMillis();
                if (remaining <= 0) {
                    break;
                }
                try {
                    fetchBuffer.awaitNotEmpty(remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TributaryException("poll was interrupted", e);
                }
            } while (System.currentTimeMillis() < deadlineMs);
            waits.maybeThrowWakeup();
            processBackgroundEvents();
            return ConsumerRecords.empty();
        } finally {
            release();
        }
    }

    private void maybeAutoCommit(long now) {
        if (autoCommit && now >= nextAutoCommitMs) {
            nextAutoCommitMs = now + autoCommitIntervalMs;
            Map<TopicPartition, OffsetAndMetadata> offsets = subscriptions.allConsumed();
            if (!offsets.isEmpty()) {
                commitAsyncLocked(offsets, null);
            }
        }
    }

    // ---- commits ----

    @Override
    public void commitSync() {
        commitSync(Duration.ofMillis(defaultApiTimeoutMs));
    }

    @Override
    public void commitSync(Duration timeout) {
        acquireAndEnsureOpen();
        try {
            commitSyncLocked(subscriptions.allConsumed(), millis(timeout));
        } finally {
            release();
        }
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        commitSync(offsets, Duration.ofMillis(defaultApiTimeoutMs));
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
        acquireAndEnsureOpen();
        try {
            commitSyncLocked(new LinkedHashMap<>(offsets), millis(timeout));
        } finally {
            release();
        }
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
        acquireAndEnsureOpen();
        try {
            commitAsyncLocked(subscriptions.allConsumed(), callback);
        } finally {
            release();
        }
    }

    @Override
    public void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
        acquireAndEnsureOpen();
        try {
            commitAsyncLocked(new LinkedHashMap<>(offsets), callback);
        } finally {
            release();
        }
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
        acquireAndEnsureOpen();
        try {
            LOG.info("Seeking to offset {} for partition {}", offset, partition);
            subscriptions.seek(partition, offset, -1);
            fetchBuffer.removeIf(f -> f.partition().equals(partition));
            networkThread.wakeupLoop();
        } finally {
            release();
        }
    }

    @Override
    public void seek(TopicPartition partition, OffsetAndMetadata offsetAndMetadata) {
        acquireAndEnsureOpen();
        try {
            subscriptions.seek(
                    partition,
                    offsetAndMetadata.offset(),
                    offsetAndMetadata.leaderEpoch().orElse(-1));
            fetchBuffer.removeIf(f -> f.partition().equals(partition));
            networkThread.wakeupLoop();
        } finally {
            release();
        }
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
        acquireAndEnsureOpen();
        try {
            Collection<TopicPartition> parts = partitions.isEmpty() ? subscriptions.assignedPartitions() : partitions;
            for (TopicPartition tp : parts) {
                subscriptions.requestReset(tp, where);
            }
            Set<TopicPartition> set = new HashSet<>(parts);
            fetchBuffer.removeIf(f -> set.contains(f.partition()));
            networkThread.wakeupLoop();
        } finally {
            release();
        }
    }

    @Override
    public long position(TopicPartition partition) {
        return position(partition, Duration.ofMillis(defaultApiTimeoutMs));
    }

    @Override
    public long position(TopicPartition partition, Duration timeout) {
        long deadlineMs = deadline(millis(timeout));
        acquireAndEnsureOpen();
        try {
            if (!subscriptions.isAssigned(partition)) {
                throw new IllegalStateException(
                        "You can only check the position for partitions assigned to this consumer.");
            }
            networkThread.wakeupLoop();
            while (true) {
                waits.maybeThrowWakeup();
                processBackgroundEvents();
                throwIfNoResetPolicy();
                Long p = subscriptions.isAssigned(partition) ? subscriptions.position(partition) : null;
                if (p != null) {
                    return p;
                }
                long remaining = deadlineMs - System.currentTimeMillis();
                if (remaining <= 0) {
                    throw new TimeoutException("Timeout of " + timeout.toMillis() + "ms expired before the position for"
                            + " partition " + partition + " could be determined");
                }
                subscriptions.awaitChange(Math.min(remaining, 50));
            }
        } finally {
            release();
        }
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions) {
        return committed(partitions, Duration.ofMillis(defaultApiTimeoutMs));
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions, Duration timeout) {
        long deadlineMs = deadline(millis(timeout));
        acquireAndEnsureOpen();
        try {
            throwIfNoGroup();
            if (partitions.isEmpty()) {
                return Map.of();
            }
            return waits.await(
                    networkThread.submit(new ApplicationEvent.FetchCommitted(new HashSet<>(partitions), deadlineMs)),
                    deadlineMs,
                    "Fetching committed offsets for " + partitions);
        } finally {
            release();
        }
    }

    // ---- metadata and offsets queries ----

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
        return partitionsFor(topic, Duration.ofMillis(defaultApiTimeoutMs));
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
        long deadlineMs = deadline(millis(timeout));
        acquireAndEnsureOpen();
        try {
            if (topic == null || topic.isEmpty()) {
                throw new IllegalArgumentException("Topic name cannot be null or empty");
            }
            Map<String, List<PartitionInfo>> m = waits.await(
                    networkThread.submit(new ApplicationEvent.TopicMetadata(topic, deadlineMs)),
                    deadlineMs,
                    "Getting metadata of " + topic);
            return m.getOrDefault(topic, List.of());
        } finally {
            release();
        }
    }

    @Override
    public Map<String, List<PartitionInfo>> listTopics() {
        return listTopics(Duration.ofMillis(defaultApiTimeoutMs));
    }

    @Override
    public Map<String, List<PartitionInfo>> listTopics(Duration timeout) {
        long deadlineMs = deadline(millis(timeout));
        acquireAndEnsureOpen();
        try {
            return waits.await(
                    networkThread.submit(new ApplicationEvent.TopicMetadata(null, deadlineMs)),
                    deadlineMs,
                    "Listing topics");
        } finally {
            release();
        }
    }

    @Override
    public Set<TopicPartition> paused() {
        acquireAndEnsureOpen();
        try {
            return java.util.Collections.unmodifiableSet(subscriptions.paused());
        } finally {
            release();
        }
    }

    @Override
    public void pause(Collection<TopicPartition> partitions) {
        acquireAndEnsureOpen();
        try {
            subscriptions.pause(partitions);
        } finally {
            release();
        }
    }

    @Override
    public void resume(Collection<TopicPartition> partitions) {
        acquireAndEnsureOpen();
        try {
            subscriptions.resume(partitions);
            networkThread.wakeupLoop();
        } finally {
            release();
        }
    }

    @Override
    public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestampsToSearch) {
        return offsetsForTimes(timestampsToSearch, Duration.ofMillis(defaultApiTimeoutMs));
    }

    @Override
    public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(
            Map<TopicPartition, Long> timestampsToSearch, Duration timeout) {
        for (Map.Entry<TopicPartition, Long> e : timestampsToSearch.entrySet()) {
            if (e.getValue() < 0) {
                throw new IllegalArgumentException("The target time for partition " + e.getKey() + " is " + e.getValue()
                        + ". The target time cannot be negative.");
            }
        }
        Map<TopicPartition, OffsetAndTimestamp> found = listOffsets(timestampsToSearch, timeout);
        Map<TopicPartition, OffsetAndTimestamp> out = new HashMap<>();
        timestampsToSearch.keySet().forEach(tp -> out.put(tp, found.get(tp)));
        return out;
    }

    @Override
    public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
        return beginningOffsets(partitions, Duration.ofMillis(defaultApiTimeoutMs));
    }

    @Override
    public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions, Duration timeout) {
        return offsetsAt(partitions, -2L, timeout);
    }

    @Override
    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
        return endOffsets(partitions, Duration.ofMillis(defaultApiTimeoutMs));
    }

    @Override
    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions, Duration timeout) {
        return offsetsAt(partitions, -1L, timeout);
    }

    private Map<TopicPartition, Long> offsetsAt(
            Collection<TopicPartition> partitions, long timestamp, Duration timeout) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, timestamp));
        Map<TopicPartition, OffsetAndTimestamp> found = listOffsets(query, timeout);
        Map<TopicPartition, Long> out = new HashMap<>();
        found.forEach((tp, ot) -> out.put(tp, ot == null ? null : ot.offset()));
        return out;
    }

    private Map<TopicPartition, OffsetAndTimestamp> listOffsets(Map<TopicPartition, Long> query, Duration timeout) {
        long deadlineMs = deadline(millis(timeout));
        acquireAndEnsureOpen();
        try {
            if (query.isEmpty()) {
                return Map.of();
            }
            return waits.await(
                    networkThread.submit(new ApplicationEvent.ListOffsets(new HashMap<>(query), deadlineMs)),
                    deadlineMs,
                    "Listing offsets of " + query.keySet());
        } finally {
            release();
        }
    }

    @Override
    public OptionalLong currentLag(TopicPartition partition) {
        acquireAndEnsureOpen();
        try {
            Long lag = subscriptions.lag(partition, config.readCommitted());
            return lag == null ? OptionalLong.empty() : OptionalLong.of(lag);
        } finally {
            release();
        }
    }

    @Override
    public ConsumerGroupMetadata groupMetadata() {
        acquireAndEnsureOpen();
        try {
            throwIfNoGroup();
            GroupMembership m = networkThread.membership();
            Generation g = m == null ? Generation.NO_GENERATION : m.generation();
            return new ConsumerGroupMetadata(
                    groupId, g.generationId(), g.memberId(), Optional.ofNullable(config.groupInstanceId()));
        } finally {
            release();
        }
    }

    @Override
    public void enforceRebalance() {
        enforceRebalance(null);
    }

    @Override
    public void enforceRebalance(String reason) {
        acquireAndEnsureOpen();
        try {
            throwIfNoGroup();
            networkThread.submit(
                    new ApplicationEvent.Rejoin(reason == null ? "the user called enforceRebalance" : reason));
        } finally {
            release();
        }
    }

    // ---- close ----

    @Override
    public void close() {
        close(Duration.ofMillis(30_000));
    }

    @Override
    public void close(Duration timeout) {
        long timeoutMs = millis(timeout);
        acquire();
        try {
            if (closed) {
                return;
            }
            long deadlineMs = deadline(timeoutMs);
            waits.clearWakeup();
            try {
                if (autoCommit && groupId != null) {
                    Map<TopicPartition, OffsetAndMetadata> offsets = subscriptions.allConsumed();
                    if (!offsets.isEmpty()) {
                        try {
                            commitSyncLocked(offsets, Math.max(0, deadlineMs - System.currentTimeMillis()));
                        } catch (RuntimeException e) {
                            LOG.warn("Failed to commit offsets on close: {}", e.getMessage());
                        }
                    }
                }
                CompletableFuture<Void> closing = networkThread.submit(new ApplicationEvent.Close(deadlineMs));
                ApplicationWaits.awaitWithCallbacks(closing, deadlineMs, () -> backgroundEventProcessor.process(false));
                commits.runCommitCallbacks();
            } finally {
                closed = true;
                networkThread.wakeupLoop();
                try {
                    networkThread.join(Math.max(1, Math.min(5_000, deadlineMs - System.currentTimeMillis() + 1_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                keyDeserializer.close();
                valueDeserializer.close();
                LOG.info("Tributary consumer {} closed", clientId);
            }
        } finally {
            release();
        }
    }

    /** The listener used when none is given. */
    private static final class NoOpListener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
    }
}
