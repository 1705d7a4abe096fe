package io.tributary.client.consumer.internals;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.errors.FencedInstanceIdException;
import io.tributary.client.common.errors.GroupAuthorizationException;
import io.tributary.client.consumer.CommitFailedException;
import io.tributary.client.consumer.ConsumerConfig;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.internals.Cluster;
import io.tributary.client.internals.MetadataManager;
import io.tributary.protocol.Errors;
import io.tributary.protocol.Uuids;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.ConsumerGroupHeartbeatRequestData;
import io.tributary.protocol.message.ConsumerGroupHeartbeatResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Membership of a consumer-protocol group (group.protocol=consumer, KIP-848): the broker owns
 * the assignment and the member only heartbeats with ConsumerGroupHeartbeat. It joins with
 * member epoch 0 and a member id it generated itself (KIP-1082), sends its subscription,
 * rebalance timeout (max.poll.interval.ms), server assignor (group.remote.assignor) and
 * instance id, heartbeats at the interval the broker returns, and reconciles each target
 * assignment incrementally ({@link ConsumerProtocolReconciler}). FENCED_MEMBER_EPOCH and
 * UNKNOWN_MEMBER_ID lose the partitions (onPartitionsLost) and join again with epoch 0. Close and
 * unsubscribe revoke, then leave with epoch -1 (-2 for a static member, whose partitions wait for
 * its return).
 *
 * <p>A {@code java.util.regex.Pattern} subscription is resolved here against metadata and sent
 * as topic names, as Apache's consumer does for {@code subscribe(Pattern)}; a
 * {@code SubscriptionPattern} (RE2/J) goes to the broker as {@code subscribedTopicRegex} and the
 * broker resolves it. Commits carry the member epoch as generation id ({@link #generation()}).
 *
 * <p>Owned by the network thread; rebalance callbacks run on the application thread, asked for
 * and answered as in {@link ClassicMembership}.
 */
public final class ConsumerProtocolMembership implements GroupMembership {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerProtocolMembership.class);
    /** The epoch a leaving dynamic member sends; its partitions are reassigned at once. */
    static final int LEAVE_EPOCH = -1;
    /** The epoch a leaving static member sends; its partitions wait for its return (session timeout). */
    static final int STATIC_LEAVE_EPOCH = -2;

    enum State {
        /** Not subscribed, or left. */
        UNJOINED,
        /** Epoch 0 heartbeat due or in flight. */
        JOINING,
        /** In the group (epoch above 0), reconciling whatever target the broker sent. */
        STABLE,
        /** Fenced or unknown: losing the partitions before joining again. */
        FENCED,
        LEAVING,
        FATAL
    }

    final MetadataManager metadata;
    final SubscriptionState subscriptions;
    final CoordinatorChannel coordinator;
    final Time time;
    final String groupId;
    final String instanceId;
    private final String rack;
    private final String serverAssignor;
    private final int rebalanceTimeoutMs;
    private final long retryBackoffMs;
    private final long retryBackoffMaxMs;
    private final boolean autoCommit;
    private final boolean excludeInternalTopics;
    private final BackgroundEventQueue events;
    private final FetchBuffer buffer;
    private final ConsumerProtocolReconciler reconciler;

    private final String memberId = Uuids.toBase64(Uuids.random());
    private State state = State.UNJOINED;
    private int memberEpoch;
    private int heartbeatIntervalMs;
    private long nextHeartbeatMs;
    private boolean heartbeatInFlight;
    /**
     * Bumped whenever the membership starts over (leave, fencing, poll timeout): an answer to a
     * heartbeat sent before must neither apply to the new membership nor block its join.
     */
    private int incarnation;

    private long lastPollMs;
    private boolean pollTimedOut;
    private RuntimeException fatal;
    private BackgroundEvent.RebalanceCallback awaited;
    private Runnable afterCallback;

    ConsumerProtocolMembership(
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
        String r = config.getString(ConsumerConfig.CLIENT_RACK_CONFIG);
        this.rack = r == null || r.isEmpty() ? null : r;
        this.serverAssignor = config.getString(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG);
        this.rebalanceTimeoutMs = config.getInt(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG);
        this.retryBackoffMs = config.getLong(ConsumerConfig.RETRY_BACKOFF_MS_CONFIG);
        this.retryBackoffMaxMs = Math.max(retryBackoffMs, config.getLong(ConsumerConfig.RETRY_BACKOFF_MAX_MS_CONFIG));
        this.autoCommit = config.getBoolean(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);
        this.excludeInternalTopics = config.getBoolean(ConsumerConfig.EXCLUDE_INTERNAL_TOPICS_CONFIG);
        this.lastPollMs = time.milliseconds();
        this.reconciler = new ConsumerProtocolReconciler(this);
    }

    public static GroupMembership.Factory factory(
            ConsumerConfig config, BackgroundEventQueue events, FetchBuffer buffer) {
        return (client, metadata, subscriptions, coordinator, scheduler) -> new ConsumerProtocolMembership(
                config, metadata, subscriptions, coordinator, events, buffer, Time.SYSTEM);
    }

    /**
     * The member epoch stands in for the generation id (OffsetCommit v9 semantics), while the
     * member is in the group: also while it leaves, so the commit before its revocation counts.
     */
    @Override
    public Generation generation() {
        return memberEpoch > 0 && (state == State.STABLE || state == State.LEAVING)
                ? new Generation(memberEpoch, memberId, null)
                : Generation.NO_GENERATION;
    }

    @Override
    public void poll(long nowMs) {
        if (state == State.FATAL || state == State.LEAVING || !subscriptions.hasAutoAssignment()) {
            return;
        }
        if (maybeUpdatePatternSubscription()) {
            heartbeatSoon();
        }
        if (state == State.UNJOINED && !pollTimedOut) {
            LOG.info("Joining group {} as member {} with the consumer protocol", groupId, memberId);
            state = State.JOINING;
            memberEpoch = 0;
        }
        if (state == State.STABLE && nowMs - lastPollMs > rebalanceTimeoutMs) {
            pollTimeout();
            return;
        }
        if (state == State.STABLE && awaited == null) {
            reconciler.maybeReconcile();
        }
        maybeHeartbeat(nowMs);
    }

    @Override
    public void onPoll(long nowMs) {
        lastPollMs = nowMs;
        if (fatal != null) {
            events.add(new BackgroundEvent.Error(fatal));
        }
        if (pollTimedOut && awaited == null) {
            // The group already gave our partitions away: lose them, then join again.
            pollTimedOut = false;
            loseAndRejoin();
        }
    }

    @Override
    public void onSubscriptionChanged() {
        if (subscriptions.hasAutoAssignment()) {
            heartbeatSoon();
        }
    }

    /** The broker decides when to rebalance under this protocol (Apache's consumer ignores the ask too). */
    @Override
    public void requestRejoin(String reason) {
        LOG.debug("Group {} uses the consumer protocol; rejoin request ignored ({})", groupId, reason);
    }

    @Override
    public void onCallbackDone(BackgroundEvent.RebalanceCallback callback, Throwable error) {
        if (callback != awaited) {
            return;
        }
        awaited = null;
        Runnable next = afterCallback;
        afterCallback = null;
        if (state == State.FENCED && callback.kind() != BackgroundEvent.RebalanceCallback.Kind.LOST) {
            // Fenced while the callback ran: its follow-up is moot, the partitions are lost now.
            loseAndRejoin();
            return;
        }
        if (next != null) {
            next.run();
        }
    }

    @Override
    public CompletableFuture<Void> leave(long nowMs, String reason) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        boolean member = state == State.STABLE;
        boolean joined = member || state == State.JOINING;
        Set<TopicPartition> owned = subscriptions.hasAutoAssignment() ? subscriptions.assignedPartitions() : Set.of();
        state = State.LEAVING;
        startOver();
        awaited = null;
        afterCallback = null;
        reconciler.reset();
        Runnable finish = () -> {
            CompletableFuture<Void> sent = joined ? sendLeave(reason) : CompletableFuture.completedFuture(null);
            sent.whenComplete((v, e) -> {
                state = State.UNJOINED;
                memberEpoch = 0;
                done.complete(null);
            });
        };
        if (owned.isEmpty()) {
            finish.run();
        } else {
            callback(
                    member
                            ? BackgroundEvent.RebalanceCallback.Kind.REVOKED
                            : BackgroundEvent.RebalanceCallback.Kind.LOST,
                    owned,
                    finish);
        }
        return done;
    }

    @Override
    public CompletableFuture<Void> commit(Map<TopicPartition, OffsetAndMetadata> offsets, long nowMs) {
        if (subscriptions.hasAutoAssignment() && state != State.STABLE && state != State.LEAVING) {
            return CompletableFuture.failedFuture(new CommitFailedException("Offset commit cannot be completed since"
                    + " the consumer is not part of an active group for auto partition assignment; it is likely that"
                    + " the consumer was kicked out of the group."));
        }
        return coordinator.commit(offsets, nowMs);
    }

    // ---- heartbeats ----

    /** The next loop sends a heartbeat (join, acknowledgement, subscription change). */
    void heartbeatSoon() {
        nextHeartbeatMs = 0;
    }

    private void maybeHeartbeat(long nowMs) {
        if ((state != State.JOINING && state != State.STABLE) || heartbeatInFlight || nowMs < nextHeartbeatMs) {
            return;
        }
        heartbeatInFlight = true;
        int sentEpoch = memberEpoch;
        int sentIn = incarnation;
        nextHeartbeatMs = nowMs + Math.max(heartbeatIntervalMs, retryBackoffMs);
        coordinator
                .send(ApiMessageType.CONSUMER_GROUP_HEARTBEAT, request(sentEpoch), nowMs)
                .whenComplete((resp, err) -> {
                    if (sentIn != incarnation) {
                        return;
                    }
                    heartbeatInFlight = false;
                    if (state != State.JOINING && state != State.STABLE) {
                        return;
                    }
                    if (err != null) {
                        LOG.debug("ConsumerGroupHeartbeat of group {} failed: {}", groupId, err.toString());
                        nextHeartbeatMs = time.milliseconds() + retryBackoffMs;
                        return;
                    }
                    handle(resp.data(), sentEpoch);
                });
    }

    /** Every field, every time: the broker treats a repeated value as unchanged. */
    private ConsumerGroupHeartbeatRequestData request(int epoch) {
        String regex = subscriptions.brokerRegex();
        return new ConsumerGroupHeartbeatRequestData()
                .setGroupId(groupId)
                .setMemberId(memberId)
                .setMemberEpoch(epoch)
                .setInstanceId(instanceId)
                .setRackId(rack)
                .setRebalanceTimeoutMs(rebalanceTimeoutMs)
                .setSubscribedTopicNames(
                        regex != null ? null : new ArrayList<>(new TreeSet<>(subscriptions.subscription())))
                .setSubscribedTopicRegex(regex)
                .setServerAssignor(serverAssignor)
                .setTopicPartitions(reconciler.ownedByTopicId());
    }

    private void handle(ConsumerGroupHeartbeatResponseData resp, int sentEpoch) {
        Errors error = Errors.forCode(resp.errorCode);
        long now = time.milliseconds();
        switch (error) {
            case NONE -> {
                if (resp.heartbeatIntervalMs > 0) {
                    heartbeatIntervalMs = resp.heartbeatIntervalMs;
                    nextHeartbeatMs = Math.min(nextHeartbeatMs, now + heartbeatIntervalMs);
                }
                if (state == State.JOINING) {
                    LOG.info("Member {} joined group {} with epoch {}", memberId, groupId, resp.memberEpoch);
                    state = State.STABLE;
                }
                memberEpoch = resp.memberEpoch;
                if (resp.assignment != null) {
                    reconciler.setTarget(resp.assignment.topicPartitions);
                }
                if (awaited == null) {
                    reconciler.maybeReconcile();
                }
            }
            case FENCED_MEMBER_EPOCH, UNKNOWN_MEMBER_ID -> {
                if (sentEpoch == memberEpoch) {
                    LOG.info(
                            "Member {} of group {} was fenced ({}); its partitions are lost", memberId, groupId, error);
                    state = State.FENCED;
                    if (awaited == null) {
                        loseAndRejoin();
                    }
                }
            }
            case NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE -> {
                coordinator.markUnknown(error.name());
                nextHeartbeatMs = now + retryBackoffMs;
            }
            case COORDINATOR_LOAD_IN_PROGRESS, REQUEST_TIMED_OUT -> nextHeartbeatMs = now + retryBackoffMs;
            case FENCED_INSTANCE_ID ->
                fail(new FencedInstanceIdException("The broker rejected this static consumer since another consumer"
                        + " with the same group.instance.id " + instanceId + " has registered"));
            case UNRELEASED_INSTANCE_ID ->
                fail(GroupErrors.exception(
                        error, groupId, "Static member " + instanceId + " cannot join group " + groupId));
            default ->
                fail(GroupErrors.exception(
                        error,
                        groupId,
                        "ConsumerGroupHeartbeat of group " + groupId
                                + (resp.errorMessage == null ? "" : " (" + resp.errorMessage + ")")));
        }
    }

    /** Fenced or timed out: the partitions are gone without a commit; join again with epoch 0. */
    private void loseAndRejoin() {
        state = State.FENCED;
        startOver();
        memberEpoch = 0;
        reconciler.reset();
        Runnable rejoin = () -> {
            if (state == State.FENCED) {
                state = State.JOINING;
                heartbeatSoon();
            }
        };
        Set<TopicPartition> owned = subscriptions.assignedPartitions();
        if (owned.isEmpty()) {
            rejoin.run();
        } else {
            callback(BackgroundEvent.RebalanceCallback.Kind.LOST, owned, rejoin);
        }
    }

    /** max.poll.interval.ms expired: leave now, so the group moves on; lose and rejoin at the next poll. */
    private void pollTimeout() {
        LOG.warn(
                "consumer poll timeout has expired. This means the time between subsequent calls to poll() was"
                        + " longer than the configured max.poll.interval.ms ({} ms). Leaving group {}.",
                rebalanceTimeoutMs,
                groupId);
        sendLeave("consumer poll timeout has expired.");
        // A callback still unanswered is moot: everything owned is lost at the next poll.
        awaited = null;
        afterCallback = null;
        reconciler.reset();
        startOver();
        state = State.UNJOINED;
        memberEpoch = 0;
        pollTimedOut = true;
    }

    private void startOver() {
        incarnation++;
        heartbeatInFlight = false;
    }

    private CompletableFuture<Void> sendLeave(String reason) {
        int epoch = instanceId == null ? LEAVE_EPOCH : STATIC_LEAVE_EPOCH;
        LOG.info("Member {} leaving group {} with epoch {} ({})", memberId, groupId, epoch, reason);
        ConsumerGroupHeartbeatRequestData req = new ConsumerGroupHeartbeatRequestData()
                .setGroupId(groupId)
                .setMemberId(memberId)
                .setMemberEpoch(epoch)
                .setInstanceId(instanceId);
        return coordinator
                .send(ApiMessageType.CONSUMER_GROUP_HEARTBEAT, req, time.milliseconds())
                .handle((r, e) -> null);
    }

    // ---- shared with the reconciler (network thread) ----

    State state() {
        return state;
    }

    boolean autoCommit() {
        return autoCommit;
    }

    /**
     * Asks the application thread to run a rebalance callback and runs {@code then} when it
     * answers; until then the membership only heartbeats. A revocation commits first with
     * auto-commit on.
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

    private void fail(RuntimeException e) {
        LOG.error("Group {} membership failed: {}", groupId, e.getMessage());
        if (!(e instanceof GroupAuthorizationException)) {
            state = State.FATAL;
        } else {
            // An ACL grant lets the same consumer join later (as the classic membership retries).
            state = State.UNJOINED;
            nextHeartbeatMs = time.milliseconds() + retryBackoffMaxMs;
        }
        fatal = state == State.FATAL ? e : null;
        events.add(new BackgroundEvent.Error(e));
        buffer.wakeup();
    }

    /** For a pattern subscription: true when the matching topics changed. */
    private boolean maybeUpdatePatternSubscription() {
        Pattern pattern = subscriptions.pattern();
        Cluster cluster = metadata.cluster();
        if (pattern == null || cluster.updatedMs() == 0) {
            return false;
        }
        List<String> matched = new ArrayList<>();
        cluster.topics().forEach((name, t) -> {
            if (t.error() == Errors.NONE
                    && !(excludeInternalTopics && t.internal())
                    && pattern.matcher(name).matches()) {
                matched.add(name);
            }
        });
        return subscriptions.setPatternTopics(new TreeSet<>(matched));
    }
}
