package io.tributary.client.consumer.internals;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.errors.GroupAuthorizationException;
import io.tributary.client.consumer.CommitFailedException;
import io.tributary.client.consumer.ConsumerConfig;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.consumer.assignor.Assignors;
import io.tributary.client.consumer.assignor.ConsumerPartitionAssignor;
import io.tributary.client.consumer.assignor.ConsumerPartitionAssignor.RebalanceProtocol;
import io.tributary.client.internals.Cluster;
import io.tributary.client.internals.MetadataManager;
import io.tributary.protocol.Errors;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Membership of a classic-protocol consumer group (G2-G10): FindCoordinator, JoinGroup (with
 * the MEMBER_ID_REQUIRED second step), the leader's client-side assignment, SyncGroup,
 * heartbeats every heartbeat.interval.ms, LeaveGroup on close/unsubscribe (dynamic members
 * only, as Kafka), eager or cooperative rebalancing, static membership (group.instance.id),
 * max.poll.interval.ms, pattern subscriptions and rejoining when a subscribed topic's partition
 * count changes.
 *
 * <p>This class holds the member's state (phase, member id, generation, the callback it waits
 * for) and drives it from {@link #poll}; the phases' request work lives beside it:
 * {@link ClassicJoin} (JoinGroup, assignment, SyncGroup, the new assignment's callbacks),
 * {@link ClassicHeartbeat} (heartbeats and session liveness) and {@link ClassicLeave} (leave,
 * poll timeout). Phase changes go through {@link #transitionTo}, which checks them
 * ({@link MembershipPhase}). Time comes from the {@code nowMs} it is given or the injected
 * {@link Time}, never from the system clock directly.
 *
 * <p>Owned by the network thread. Rebalance callbacks are handed to the application thread as
 * {@link BackgroundEvent.RebalanceCallback}s; the membership waits (still heartbeating) for
 * the matching {@link #onCallbackDone} before it goes on, so callbacks run inside poll exactly
 * where Kafka's contract puts them: revoked before the partitions are given up, assigned after
 * the new assignment is known, lost when ownership is already gone. The membership sets the
 * assignment when a new one arrives; revoked and lost partitions are removed by the application
 * thread right after their listener ran ({@link RebalanceCallbackInvoker}), never here.
 */
public final class ClassicMembership implements GroupMembership {
    private static final Logger LOG = LoggerFactory.getLogger(ClassicMembership.class);

    final MetadataManager metadata;
    final SubscriptionState subscriptions;
    final CoordinatorChannel coordinator;
    final Time time;
    final String groupId;
    final String instanceId;
    final int sessionTimeoutMs;
    final int rebalanceTimeoutMs;
    final int heartbeatIntervalMs;
    final long retryBackoffMs;
    private final long retryBackoffMaxMs;
    final long requestTimeoutMs;
    final String rack;
    final List<ConsumerPartitionAssignor> assignors;
    final RebalanceProtocol protocol;
    private final BackgroundEventQueue events;
    private final FetchBuffer buffer;
    private final boolean autoCommit;
    private final boolean excludeInternalTopics;
    private final ClassicJoin join;
    private final ClassicHeartbeat heartbeat;
    private final ClassicLeave leave;

    private MembershipPhase phase = MembershipPhase.IDLE;
    private String memberId = "";
    private Generation generation = Generation.NO_GENERATION;
    private boolean rejoinNeeded = true;
    private String rejoinReason = "initial join";
    private long nextJoinMs;
    private long lastPollMs;
    private BackgroundEvent.RebalanceCallback awaited;
    private Runnable afterCallback;
    /** Partition counts of the topics the leader last assigned (a change means rejoin). */
    private Map<String, Integer> assignedTopicCounts = Map.of();

    private RuntimeException fatal;
    /** The group's last ACL refusal, said again by every poll until a join gets through (then null). */
    private GroupAuthorizationException refused;

    ClassicMembership(
            ConsumerConfig config,
            MetadataManager metadata,
            SubscriptionState subscriptions,
            CoordinatorChannel coordinator,
            BackgroundEventQueue events,
            FetchBuffer buffer,
            Time time) {
        this.metadata = metadata;
        this.subscriptions = subscriptions;
        this.coordinator = coordinator;
        this.events = events;
        this.buffer = buffer;
        this.time = time;
        this.groupId = config.groupId();
        this.instanceId = config.groupInstanceId();
        this.sessionTimeoutMs = config.getInt(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG);
        this.rebalanceTimeoutMs = config.getInt(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG);
        this.heartbeatIntervalMs = config.getInt(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG);
        this.retryBackoffMs = config.getLong(ConsumerConfig.RETRY_BACKOFF_MS_CONFIG);
        this.retryBackoffMaxMs = Math.max(retryBackoffMs, config.getLong(ConsumerConfig.RETRY_BACKOFF_MAX_MS_CONFIG));
        this.requestTimeoutMs = config.getInt(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG);
        this.autoCommit = config.getBoolean(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);
        this.excludeInternalTopics = config.getBoolean(ConsumerConfig.EXCLUDE_INTERNAL_TOPICS_CONFIG);
        String r = config.getString(ConsumerConfig.CLIENT_RACK_CONFIG);
        this.rack = r == null || r.isEmpty() ? null : r;
        this.assignors = Assignors.resolve(
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                config.getList(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG));
        // Cooperative only when every configured assignor supports it, as Kafka decides.
        boolean allCooperative =
                assignors.stream().allMatch(a -> a.supportedProtocols().contains(RebalanceProtocol.COOPERATIVE));
        this.protocol = allCooperative ? RebalanceProtocol.COOPERATIVE : RebalanceProtocol.EAGER;
        this.lastPollMs = time.milliseconds();
        this.join = new ClassicJoin(this);
        this.heartbeat = new ClassicHeartbeat(this);
        this.leave = new ClassicLeave(this);
    }

    /** Validates the assignors at construction (fail fast, C1) and builds the membership later. */
    public static GroupMembership.Factory factory(
            ConsumerConfig config, BackgroundEventQueue events, FetchBuffer buffer) {
        Assignors.resolve(
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                config.getList(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG));
        return (client, metadata, subscriptions, coordinator, scheduler) ->
                new ClassicMembership(config, metadata, subscriptions, coordinator, events, buffer, Time.SYSTEM);
    }

    @Override
    public Generation generation() {
        return generation;
    }

    // ---- driven by the network thread loop ----

    @Override
    public void poll(long nowMs) {
        if (fatal != null || phase == MembershipPhase.LEAVING) {
            return;
        }
        if (!subscriptions.hasAutoAssignment()) {
            return;
        }
        maybeUpdatePatternSubscription();
        maybeDetectPartitionChange();
        if (hasValidGeneration() && nowMs - lastPollMs > rebalanceTimeoutMs) {
            leave.pollTimeout(nowMs);
            return;
        }
        heartbeat.maybeSend(nowMs);
        if (awaited != null
                || phase == MembershipPhase.JOINING
                || phase == MembershipPhase.SYNCING
                || phase == MembershipPhase.PREPARING
                || phase == MembershipPhase.COMPLETING) {
            return;
        }
        if (rejoinNeeded && nowMs >= nextJoinMs) {
            if (!coordinator.known()) {
                coordinator.coordinator(nowMs).whenComplete((id, err) -> {
                    if (err != null && !Retries.retriable(err) && Retries.unwrap(err) instanceof RuntimeException re) {
                        // Retrying cannot help (a broker without group APIs, an invalid group id; an ACL
                        // refusal is retried by fail): say so from poll instead of spinning.
                        fail(re);
                    } else if (err != null) {
                        nextJoinMs = time.milliseconds() + retryBackoffMs;
                    }
                });
                return;
            }
            join.prepare(nowMs);
        }
    }

    @Override
    public void onPoll(long nowMs) {
        lastPollMs = nowMs;
        if (fatal != null) {
            RuntimeException e = fatal;
            events.add(new BackgroundEvent.Error(e));
        } else if (refused != null) {
            events.add(new BackgroundEvent.Error(refused));
        }
    }

    @Override
    public void onSubscriptionChanged() {
        if (subscriptions.hasAutoAssignment()) {
            requestRejoin("the subscription changed");
        }
    }

    @Override
    public void requestRejoin(String reason) {
        if (!rejoinNeeded) {
            LOG.info("Request joining group {} due to: {}", groupId, reason);
        }
        rejoinNeeded = true;
        rejoinReason = reason;
    }

    @Override
    public void onCallbackDone(BackgroundEvent.RebalanceCallback callback, Throwable error) {
        if (callback != awaited) {
            return;
        }
        awaited = null;
        Runnable next = afterCallback;
        afterCallback = null;
        if (next != null) {
            next.run();
        }
    }

    @Override
    public CompletableFuture<Void> leave(long nowMs, String reason) {
        return leave.leave(reason);
    }

    @Override
    public CompletableFuture<Void> commit(Map<TopicPartition, OffsetAndMetadata> offsets, long nowMs) {
        if (subscriptions.hasAutoAssignment() && !hasValidGeneration()) {
            return CompletableFuture.failedFuture(new CommitFailedException("Offset commit cannot be completed since"
                    + " the consumer is not part of an active group for auto partition assignment; it is likely that"
                    + " the consumer was kicked out of the group."));
        }
        return coordinator.commit(offsets, nowMs);
    }

    // ---- state shared with the phases' classes (network thread) ----

    MembershipPhase phase() {
        return phase;
    }

    /** Moves to {@code next}; an IllegalStateException names both phases if it may not follow this one. */
    void transitionTo(MembershipPhase next) {
        phase = next.checkTransitionFrom(phase);
        if (next == MembershipPhase.SYNCING || next == MembershipPhase.STABLE) {
            refused = null;
        }
    }

    boolean hasValidGeneration() {
        return generation.generationId() >= 0 && !generation.memberId().isEmpty();
    }

    void setGeneration(Generation next) {
        generation = next;
    }

    String memberId() {
        return memberId;
    }

    void setMemberId(String id) {
        memberId = id;
    }

    String rejoinReason() {
        return rejoinReason;
    }

    /** A join starts: no other is needed until something asks for one. */
    void clearRejoinNeeded() {
        rejoinNeeded = false;
    }

    /** Join again at {@code atMs} (0: at once). */
    void rejoinAt(long atMs) {
        rejoinNeeded = true;
        nextJoinMs = atMs;
    }

    void setAssignedTopicCounts(Map<String, Integer> counts) {
        assignedTopicCounts = Map.copyOf(counts);
    }

    ClassicHeartbeat heartbeat() {
        return heartbeat;
    }

    /** Forgets the callback being waited for (leaving makes it moot). */
    void abandonCallback() {
        awaited = null;
    }

    /**
     * Asks the application thread to run a rebalance callback and runs {@code then} when it
     * answers ({@link #onCallbackDone}); until then the membership only heartbeats.
     */
    void callback(BackgroundEvent.RebalanceCallback.Kind kind, Set<TopicPartition> partitions, Runnable then) {
        boolean commitFirst = autoCommit && kind == BackgroundEvent.RebalanceCallback.Kind.REVOKED;
        BackgroundEvent.RebalanceCallback cb =
                new BackgroundEvent.RebalanceCallback(kind, Set.copyOf(partitions), commitFirst);
        awaited = cb;
        afterCallback = then;
        events.add(cb);
        buffer.wakeup();
    }

    /**
     * Retrying cannot help: every later poll throws {@code e}. Except an ACL refusal of the group: every poll throws it
     * while the member retries every {@code retry.backoff.max.ms}, so a grant (kafka-acls.sh) lets the same consumer
     * join without a restart (issue 9 acceptance).
     */
    void fail(RuntimeException e) {
        if (e instanceof GroupAuthorizationException denied) {
            refused = denied;
            LOG.warn("Group {} refused: {}; retrying in {} ms", groupId, e.getMessage(), retryBackoffMaxMs);
            transitionTo(MembershipPhase.IDLE);
            rejoinNeeded = true;
            nextJoinMs = time.milliseconds() + retryBackoffMaxMs;
            events.add(new BackgroundEvent.Error(e));
            buffer.wakeup();
            return;
        }
        LOG.error("Group {} membership failed: {}", groupId, e.getMessage());
        fatal = e;
        transitionTo(MembershipPhase.IDLE);
        events.add(new BackgroundEvent.Error(e));
        buffer.wakeup();
    }

    // ---- subscriptions and metadata ----

    private void maybeUpdatePatternSubscription() {
        Pattern pattern = subscriptions.pattern();
        if (pattern == null) {
            return;
        }
        Cluster cluster = metadata.cluster();
        if (cluster.updatedMs() == 0) {
            return;
        }
        Set<String> matched = new TreeSet<>();
        cluster.topics().forEach((name, t) -> {
            if (t.error() == Errors.NONE
                    && !(excludeInternalTopics && t.internal())
                    && pattern.matcher(name).matches()) {
                matched.add(name);
            }
        });
        if (subscriptions.setPatternTopics(matched)) {
            requestRejoin("the topics matching the subscribed pattern changed to " + matched);
        }
    }

    private void maybeDetectPartitionChange() {
        if (assignedTopicCounts.isEmpty() || phase != MembershipPhase.STABLE) {
            return;
        }
        Cluster cluster = metadata.cluster();
        for (Map.Entry<String, Integer> e : assignedTopicCounts.entrySet()) {
            Cluster.TopicMetadata t = cluster.topics().get(e.getKey());
            if (t != null && t.error() == Errors.UNKNOWN_TOPIC_OR_PARTITION) {
                // Deleted: the next assignment leaves it out, so its partitions are revoked (as Kafka).
                assignedTopicCounts = Map.of();
                requestRejoin("topic " + e.getKey() + " no longer exists");
                return;
            }
            Integer now = cluster.partitionCount(e.getKey());
            if (now != null && !now.equals(e.getValue())) {
                assignedTopicCounts = Map.of();
                requestRejoin(
                        "the partition count of topic " + e.getKey() + " changed from " + e.getValue() + " to " + now);
                return;
            }
        }
    }
}
