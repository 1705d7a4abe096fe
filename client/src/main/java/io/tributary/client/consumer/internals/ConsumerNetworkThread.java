package io.tributary.client.consumer.internals;

import io.tributary.client.common.PartitionInfo;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.errors.ApiException;
import io.tributary.client.common.errors.TimeoutException;
import io.tributary.client.consumer.ConsumerConfig;
import io.tributary.client.internals.BootstrapServers;
import io.tributary.client.internals.MetadataManager;
import io.tributary.client.network.NetworkClient;
import io.tributary.client.network.ResponseBufferPool;
import io.tributary.protocol.Errors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer's background thread. It owns the sockets ({@link NetworkClient}) and every
 * request manager (metadata, coordinator, offsets, fetcher, group membership); the application
 * thread reaches it only through {@link #submit} (typed events with deadlines) and reads back
 * through futures, the {@link FetchBuffer} and the background-event queue. Each loop iteration:
 * handle events, let each manager start the requests that are due, expire events past their
 * deadline, then wait on the sockets.
 */
public final class ConsumerNetworkThread extends Thread {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerNetworkThread.class);
    private static final long MAX_IDLE_MS = 100;

    private final NetworkClient client;
    private final MetadataManager metadata;
    private final SubscriptionState subscriptions;
    private final CoordinatorManager coordinator;
    private final OffsetsManager offsets;
    private final Fetcher fetcher;
    private final GroupMembership membership;
    private final Scheduler scheduler = new Scheduler();
    private final ConcurrentLinkedQueue<ApplicationEvent<?>> events = new ConcurrentLinkedQueue<>();
    private final List<ApplicationEvent<?>> pending = new ArrayList<>();
    private final Consumer<RuntimeException> errors;
    private final long retryBackoffMs;
    private final long retryBackoffMaxMs;
    private final boolean excludeInternalTopics;
    private volatile boolean running = true;
    private CompletableFuture<Void> closing;

    public ConsumerNetworkThread(
            String name,
            NetworkClient client,
            MetadataManager metadata,
            SubscriptionState subscriptions,
            CoordinatorManager coordinator,
            FetchBuffer buffer,
            Consumer<RuntimeException> errors,
            Settings s,
            GroupMembership.Factory membershipFactory) {
        super(name);
        setDaemon(true);
        this.client = client;
        this.metadata = metadata;
        this.subscriptions = subscriptions;
        this.coordinator = coordinator;
        this.errors = errors;
        this.retryBackoffMs = s.retryBackoffMs;
        this.retryBackoffMaxMs = s.retryBackoffMaxMs;
        this.excludeInternalTopics = s.excludeInternalTopics;
        this.offsets = new OffsetsManager(
                client, metadata, subscriptions, coordinator, s.readCommitted, s.retryBackoffMs, errors);
        this.fetcher = new Fetcher(
                client,
                metadata,
                subscriptions,
                buffer,
                errors,
                s.fetchMaxWaitMs,
                s.fetchMinBytes,
                s.fetchMaxBytes,
                s.maxPartitionFetchBytes,
                s.readCommitted,
                s.checkCrcs,
                s.clientRack,
                s.partitionEof);
        this.membership = membershipFactory == null
                ? null
                : membershipFactory.create(client, metadata, subscriptions, coordinator, scheduler);
    }

    /**
     * Builds the network thread and what it owns from the configuration: the network client
     * (bootstrap.servers parsed by {@link BootstrapServers}), the metadata manager, the
     * coordinator manager (with a group) and the group membership ({@code membershipFactory},
     * null without a group). Not started.
     */
    public static ConsumerNetworkThread create(
            ConsumerConfig config,
            String clientId,
            SubscriptionState subscriptions,
            FetchBuffer buffer,
            Consumer<RuntimeException> errors,
            boolean partitionEof,
            GroupMembership.Factory membershipFactory) {
        NetworkClient client = new NetworkClient(
                BootstrapServers.parse(config.getList(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)),
                clientId,
                config.getInt(ConsumerConfig.SEND_BUFFER_CONFIG),
                config.getInt(ConsumerConfig.RECEIVE_BUFFER_CONFIG),
                config.getInt(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG),
                config.getLong(ConsumerConfig.RECONNECT_BACKOFF_MS_CONFIG),
                config.getLong(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG),
                config.channelSecurity());
        // Fetch answers of megabytes are read into reused arrays (issue 16), at most
        // fetch.max.bytes of them kept idle.
        client.poolFetchResponses(new ResponseBufferPool(config.getInt(ConsumerConfig.FETCH_MAX_BYTES_CONFIG)));
        MetadataManager metadata = new MetadataManager(
                client,
                config.getLong(ConsumerConfig.METADATA_MAX_AGE_CONFIG),
                config.getLong(ConsumerConfig.RETRY_BACKOFF_MS_CONFIG),
                config.getBoolean(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG));
        AtomicReference<GroupMembership> membershipRef = new AtomicReference<>();
        String groupId = config.groupId();
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
        Settings settings = new Settings(
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
        ConsumerNetworkThread thread = new ConsumerNetworkThread(
                "tributary-consumer-network-thread | " + clientId,
                client,
                metadata,
                subscriptions,
                coordinator,
                buffer,
                errors,
                settings,
                membershipFactory);
        membershipRef.set(thread.membership());
        return thread;
    }

    /** Fetch and timing settings the managers need, taken from ConsumerConfig. */
    public record Settings(
            int fetchMaxWaitMs,
            int fetchMinBytes,
            int fetchMaxBytes,
            int maxPartitionFetchBytes,
            boolean readCommitted,
            boolean checkCrcs,
            String clientRack,
            long retryBackoffMs,
            long retryBackoffMaxMs,
            boolean excludeInternalTopics,
            boolean partitionEof) {}

    public GroupMembership membership() {
        return membership;
    }

    /** The metadata cache; its {@link MetadataManager#cluster()} may be read from any thread. */
    public MetadataManager metadata() {
        return metadata;
    }

    /** Safe from any thread: hands an event over and wakes the loop. */
    public <T> CompletableFuture<T> submit(ApplicationEvent<T> event) {
        if (!running) {
            event.future.completeExceptionally(new IllegalStateException("This consumer has already been closed."));
            return event.future;
        }
        events.add(event);
        client.wakeup();
        return event.future;
    }

    /** Safe from any thread: run the loop now (new positions or drained buffers). */
    public void wakeupLoop() {
        client.wakeup();
    }

    /**
     * Application thread, at the end of close: wakes the loop and waits for the thread to end,
     * until a second after the close deadline (at most five seconds, at least one millisecond).
     */
    public void awaitStopped(long deadlineMs) {
        wakeupLoop();
        try {
            join(Math.max(1, Math.min(5_000, deadlineMs - System.currentTimeMillis() + 1_000)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        try {
            while (running) {
                long now = System.currentTimeMillis();
                ApplicationEvent<?> e;
                while ((e = events.poll()) != null) {
                    handle(e, now);
                }
                trackTopics();
                metadata.poll(now);
                if (membership != null) {
                    membership.poll(now);
                }
                if (closing == null) {
                    offsets.poll(now);
                    fetcher.poll(now);
                }
                scheduler.runDue(now);
                expire(now);
                long timeout =
                        Math.min(MAX_IDLE_MS, Math.min(scheduler.timeToNextMs(now), metadata.timeToNextUpdateMs(now)));
                client.poll(Math.max(timeout, 1), now);
                failOnAuthentication();
                if (closing != null && closing.isDone()) {
                    running = false;
                }
            }
        } catch (Throwable t) {
            LOG.error("Consumer network thread failed", t);
        } finally {
            running = false;
            client.close();
            for (ApplicationEvent<?> e : pending) {
                e.future.completeExceptionally(new IllegalStateException("The consumer network thread stopped"));
            }
            ApplicationEvent<?> e;
            while ((e = events.poll()) != null) {
                e.future.completeExceptionally(new IllegalStateException("The consumer network thread stopped"));
            }
        }
    }

    /**
     * A failed SASL or TLS login is not retried until a deadline, as Kafka's consumer does not: the next poll throws
     * it, and every waiting call (commit, committed, offsetsFor...) fails with it now.
     */
    private void failOnAuthentication() {
        io.tributary.client.common.errors.AuthenticationException auth = client.takeAuthenticationFailure();
        if (auth == null) {
            return;
        }
        errors.accept(auth);
        for (ApplicationEvent<?> e : pending) {
            if (!(e instanceof ApplicationEvent.Close)) {
                e.future.completeExceptionally(auth);
            }
        }
        pending.removeIf(e -> e.future.isDone());
    }

    private void trackTopics() {
        Set<String> topics = new HashSet<>();
        for (TopicPartition tp : subscriptions.assignedPartitions()) {
            topics.add(tp.topic());
        }
        topics.addAll(subscriptions.subscription());
        metadata.setTopics(topics, subscriptions.type() == SubscriptionState.SubscriptionType.AUTO_PATTERN);
    }

    private void expire(long now) {
        pending.removeIf(e -> e.future.isDone());
        for (ApplicationEvent<?> e : new ArrayList<>(pending)) {
            if (now >= e.deadlineMs) {
                e.future.completeExceptionally(
                        new TimeoutException(e.getClass().getSimpleName() + " timed out before it could complete"));
            }
        }
        pending.removeIf(e -> e.future.isDone());
    }

    private <T> void track(ApplicationEvent<T> e, CompletableFuture<T> work) {
        pending.add(e);
        work.whenComplete((v, err) -> {
            if (err != null) {
                e.future.completeExceptionally(Retries.unwrap(err));
            } else {
                e.future.complete(v);
            }
        });
    }

    /** The event's work, retried with backoff until it succeeds, fails for good or the event's deadline passes. */
    private <T> CompletableFuture<T> retrying(
            ApplicationEvent<T> e, LongFunction<CompletableFuture<T>> attempt, String what) {
        return Retries.withRetries(scheduler, e.deadlineMs, retryBackoffMs, retryBackoffMaxMs, attempt, what);
    }

    private void handle(ApplicationEvent<?> event, long now) {
        io.tributary.client.common.errors.AuthenticationException auth = client.authenticationFailure();
        if (auth != null
                && (event instanceof ApplicationEvent.ListOffsets
                        || event instanceof ApplicationEvent.Commit
                        || event instanceof ApplicationEvent.FetchCommitted
                        || event instanceof ApplicationEvent.TopicMetadata)) {
            // As Kafka's consumer: calls that need a broker fail at once while logins fail.
            event.future.completeExceptionally(auth);
            return;
        }
        if (event instanceof ApplicationEvent.ListOffsets e) {
            track(e, retrying(e, t -> offsets.listOffsets(e.timestamps, t), "ListOffsets"));
        } else if (event instanceof ApplicationEvent.Commit e) {
            if (coordinator == null) {
                e.future.completeExceptionally(
                        new io.tributary.client.common.TributaryException("Committing offsets needs a group.id"));
                return;
            }
            if (e.offsets.isEmpty()) {
                e.future.complete(null);
                return;
            }
            CompletableFuture<Void> work = e.retry ? retrying(e, t -> commitOnce(e, t), "Commit") : commitOnce(e, now);
            track(e, work);
        } else if (event instanceof ApplicationEvent.FetchCommitted e) {
            if (coordinator == null) {
                e.future.completeExceptionally(new io.tributary.client.common.TributaryException(
                        "Fetching committed offsets needs a group.id"));
                return;
            }
            track(e, retrying(e, t -> offsets.committed(e.partitions, t), "OffsetFetch"));
        } else if (event instanceof ApplicationEvent.TopicMetadata e) {
            track(e, retrying(e, t -> topicMetadata(e.topic, t), "Metadata"));
        } else if (event instanceof ApplicationEvent.SubscriptionChanged e) {
            trackTopics();
            metadata.requestUpdate();
            if (membership != null) {
                membership.onSubscriptionChanged();
            }
            e.future.complete(null);
        } else if (event instanceof ApplicationEvent.PollTick e) {
            if (membership != null) {
                membership.onPoll(e.nowMs);
            }
            e.future.complete(null);
        } else if (event instanceof ApplicationEvent.CallbackDone e) {
            if (membership != null) {
                membership.onCallbackDone(e.callback, e.error);
            }
            e.future.complete(null);
        } else if (event instanceof ApplicationEvent.Rejoin e) {
            if (membership != null && ApplicationEvent.Rejoin.UNSUBSCRIBE.equals(e.reason)) {
                track(e, membership.leave(now, "the consumer unsubscribed"));
                return;
            }
            if (membership != null) {
                membership.requestRejoin(e.reason);
            }
            e.future.complete(null);
        } else if (event instanceof ApplicationEvent.Close e) {
            CompletableFuture<Void> leave = membership == null
                    ? CompletableFuture.completedFuture(null)
                    : membership.leave(now, "the consumer is being closed");
            // Fetch sessions end with the close (epoch -1); bounded by the close deadline.
            CompletableFuture<Void> sessions = fetcher.closeSessions(now, Math.max(1, e.deadlineMs - now));
            CompletableFuture<Void> done = new CompletableFuture<>();
            CompletableFuture.allOf(leave.handle((v, err) -> null), sessions)
                    .whenComplete((v, err) -> done.complete(null));
            scheduler.schedule(e.deadlineMs, () -> done.complete(null));
            closing = done;
            track(e, done);
        }
    }

    private CompletableFuture<Void> commitOnce(ApplicationEvent.Commit e, long now) {
        return membership == null ? coordinator.commit(e.offsets, now) : membership.commit(e.offsets, now);
    }

    private CompletableFuture<Map<String, List<PartitionInfo>>> topicMetadata(String topic, long now) {
        return metadata.fetch(topic == null ? null : List.of(topic), now).thenApply(cluster -> {
            Map<String, List<PartitionInfo>> out = new HashMap<>();
            cluster.topics().forEach((name, t) -> {
                if (t.error() == Errors.NONE) {
                    if (topic == null && excludeInternalTopics && t.internal()) {
                        return;
                    }
                    out.put(name, t.partitions());
                } else if (topic != null && t.error() != Errors.UNKNOWN_TOPIC_OR_PARTITION) {
                    // Retried by the caller while the error is retriable (ApiException.retriable()).
                    throw new ApiException(t.error(), "Metadata for topic " + name);
                }
            });
            return out;
        });
    }
}
