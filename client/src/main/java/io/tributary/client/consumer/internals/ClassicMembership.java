package io.tributary.client.consumer.internals;

import io.tributary.client.consumer.CommitFailedException;
import io.tributary.client.consumer.ConsumerConfig;
import io.tributary.client.consumer.ConsumerGroupMetadata;
import io.tributary.client.consumer.FencedInstanceIdException;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.consumer.TopicPartition;
import io.tributary.client.consumer.assignor.Assignors;
import io.tributary.client.consumer.assignor.ConsumerPartitionAssignor;
import io.tributary.client.consumer.assignor.ConsumerPartitionAssignor.Assignment;
import io.tributary.client.consumer.assignor.ConsumerPartitionAssignor.RebalanceProtocol;
import io.tributary.client.consumer.assignor.ConsumerPartitionAssignor.Subscription;
import io.tributary.client.consumer.assignor.ConsumerProtocol;
import io.tributary.client.network.NetworkClient;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.HeartbeatRequestData;
import io.tributary.protocol.message.HeartbeatResponseData;
import io.tributary.protocol.message.JoinGroupRequestData;
import io.tributary.protocol.message.JoinGroupResponseData;
import io.tributary.protocol.message.LeaveGroupRequestData;
import io.tributary.protocol.message.SyncGroupRequestData;
import io.tributary.protocol.message.SyncGroupResponseData;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * <p>Owned by the network thread. Rebalance callbacks are handed to the application thread as
 * {@link BackgroundEvent.RebalanceCallback}s; the membership waits (still heartbeating) for
 * the matching {@link #onCallbackDone} before it goes on, so callbacks run inside poll exactly
 * where Kafka's contract puts them: revoked before the partitions are given up, assigned after
 * the new assignment is known, lost when ownership is already gone.
 */
public final class ClassicMembership implements GroupMembership {
    private static final Logger LOG = LoggerFactory.getLogger(ClassicMembership.class);

    private enum Phase {
        IDLE,
        PREPARING,
        JOINING,
        SYNCING,
        COMPLETING,
        STABLE,
        LEAVING
    }

    private final NetworkClient client;
    private final MetadataManager metadata;
    private final SubscriptionState subscriptions;
    private final CoordinatorManager coordinator;
    private final BackgroundEventQueue events;
    private final FetchBuffer buffer;
    private final String groupId;
    private final String instanceId;
    private final int sessionTimeoutMs;
    private final int rebalanceTimeoutMs;
    private final int heartbeatIntervalMs;
    private final long retryBackoffMs;
    private final long requestTimeoutMs;
    private final boolean autoCommit;
    private final boolean excludeInternalTopics;
    private final String rack;
    private final List<ConsumerPartitionAssignor> assignors;
    private final RebalanceProtocol protocol;

    private Phase phase = Phase.IDLE;
    private String memberId = "";
    private Generation generation = Generation.NO_GENERATION;
    private boolean rejoinNeeded = true;
    private String rejoinReason = "initial join";
    private long nextJoinMs;
    private long lastPollMs = System.currentTimeMillis();
    private long nextHeartbeatMs;
    private long lastHeartbeatOkMs = System.currentTimeMillis();
    private boolean heartbeatInFlight;
    private BackgroundEvent.RebalanceCallback awaited;
    private Runnable afterCallback;
    private Map<String, Integer> assignedTopicCounts = Map.of();
    private RuntimeException fatal;

    private ClassicMembership(
            ConsumerConfig config,
            NetworkClient client,
            MetadataManager metadata,
            SubscriptionState subscriptions,
            CoordinatorManager coordinator,
            BackgroundEventQueue events,
            FetchBuffer buffer) {
        this.client = client;
        this.metadata = metadata;
        this.subscriptions = subscriptions;
        this.coordinator = coordinator;
        this.events = events;
        this.buffer = buffer;
        this.groupId = config.groupId();
        this.instanceId = config.groupInstanceId();
        this.sessionTimeoutMs = config.getInt(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG);
        this.rebalanceTimeoutMs = config.getInt(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG);
        this.heartbeatIntervalMs = config.getInt(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG);
        this.retryBackoffMs = config.getLong(ConsumerConfig.RETRY_BACKOFF_MS_CONFIG);
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
    }

    /** Validates the assignors at construction (fail fast, C1) and builds the membership later. */
    public static GroupMembership.Factory factory(
            ConsumerConfig config, BackgroundEventQueue events, FetchBuffer buffer) {
        Assignors.resolve(
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                config.getList(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG));
        return (client, metadata, subscriptions, coordinator, scheduler) ->
                new ClassicMembership(config, client, metadata, subscriptions, coordinator, events, buffer);
    }

    @Override
    public Generation generation() {
        return generation;
    }

    private boolean hasValidGeneration() {
        return generation.generationId() >= 0 && !generation.memberId().isEmpty();
    }

    // ---- driven by the network thread loop ----

    @Override
    public void poll(long nowMs) {
        if (fatal != null || phase == Phase.LEAVING) {
            return;
        }
        if (!subscriptions.hasAutoAssignment()) {
            return;
        }
        maybeUpdatePatternSubscription();
        maybeDetectPartitionChange();
        if (hasValidGeneration() && nowMs - lastPollMs > rebalanceTimeoutMs) {
            pollTimeout(nowMs);
            return;
        }
        maybeHeartbeat(nowMs);
        if (awaited != null
                || phase == Phase.JOINING
                || phase == Phase.SYNCING
                || phase == Phase.PREPARING
                || phase == Phase.COMPLETING) {
            return;
        }
        if (rejoinNeeded && nowMs >= nextJoinMs) {
            if (!coordinator.known()) {
                coordinator.coordinator(nowMs).whenComplete((id, err) -> {
                    if (err != null && !Retries.retriable(err) && Retries.unwrap(err) instanceof RuntimeException re) {
                        // Retrying cannot help (a broker without group APIs, GROUP_AUTHORIZATION_FAILED,
                        // an invalid group id): say so from poll instead of spinning.
                        fail(re);
                    } else if (err != null) {
                        nextJoinMs = System.currentTimeMillis() + retryBackoffMs;
                    }
                });
                return;
            }
            prepareJoin(nowMs);
        }
    }

    @Override
    public void onPoll(long nowMs) {
        lastPollMs = nowMs;
        if (fatal != null) {
            RuntimeException e = fatal;
            events.add(new BackgroundEvent.Error(e));
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

    private void callback(BackgroundEvent.RebalanceCallback.Kind kind, Set<TopicPartition> partitions, Runnable then) {
        boolean commitFirst = autoCommit && kind == BackgroundEvent.RebalanceCallback.Kind.REVOKED;
        BackgroundEvent.RebalanceCallback cb =
                new BackgroundEvent.RebalanceCallback(kind, Set.copyOf(partitions), commitFirst);
        awaited = cb;
        afterCallback = then;
        events.add(cb);
        buffer.wakeup();
    }

    // ---- join ----

    private void prepareJoin(long nowMs) {
        phase = Phase.PREPARING;
        Set<TopicPartition> owned = subscriptions.assignedPartitions();
        if (!owned.isEmpty() && !hasValidGeneration()) {
            // Ownership is already gone (session lost, fenced, poll timeout): nothing may be committed.
            callback(BackgroundEvent.RebalanceCallback.Kind.LOST, owned, () -> {
                subscriptions.setAssignment(List.of());
                sendJoin(System.currentTimeMillis());
            });
        } else if (!owned.isEmpty() && protocol == RebalanceProtocol.EAGER) {
            // The application thread commits (auto-commit) and revokes in one go, as Kafka's
            // onJoinPrepare does, so no record is handed out between the commit and the revoke.
            callback(BackgroundEvent.RebalanceCallback.Kind.REVOKED, owned, () -> {
                subscriptions.setAssignment(List.of());
                sendJoin(System.currentTimeMillis());
            });
        } else if (!owned.isEmpty()) {
            Set<TopicPartition> unsubscribed = new HashSet<>();
            Set<String> topics = subscriptions.subscription();
            owned.forEach(tp -> {
                if (!topics.contains(tp.topic())) {
                    unsubscribed.add(tp);
                }
            });
            if (unsubscribed.isEmpty()) {
                sendJoin(nowMs);
            } else {
                callback(BackgroundEvent.RebalanceCallback.Kind.REVOKED, unsubscribed, () -> {
                    Set<TopicPartition> keep = new LinkedHashSet<>(subscriptions.assignedPartitions());
                    keep.removeAll(unsubscribed);
                    subscriptions.setAssignment(keep);
                    sendJoin(System.currentTimeMillis());
                });
            }
        } else {
            sendJoin(nowMs);
        }
    }

    private void sendJoin(long nowMs) {
        phase = Phase.JOINING;
        rejoinNeeded = false;
        List<String> topics = new ArrayList<>(new TreeSet<>(subscriptions.subscription()));
        List<TopicPartition> owned = protocol == RebalanceProtocol.COOPERATIVE
                ? new ArrayList<>(subscriptions.assignedPartitions())
                : List.of();
        JoinGroupRequestData req = new JoinGroupRequestData()
                .setGroupId(groupId)
                .setSessionTimeoutMs(sessionTimeoutMs)
                .setRebalanceTimeoutMs(rebalanceTimeoutMs)
                .setMemberId(memberId)
                .setGroupInstanceId(instanceId)
                .setProtocolType(ConsumerProtocol.PROTOCOL_TYPE)
                .setReason(rejoinReason);
        List<JoinGroupRequestData.JoinGroupRequestProtocol> protocols = new ArrayList<>();
        for (ConsumerPartitionAssignor a : assignors) {
            Subscription s = new Subscription(
                    topics,
                    a.subscriptionUserData(new HashSet<>(topics)),
                    owned,
                    Optional.empty(),
                    hasValidGeneration() ? Optional.of(generation.generationId()) : Optional.empty(),
                    Optional.ofNullable(rack));
            protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol()
                    .setName(a.name())
                    .setMetadata(ConsumerProtocol.serializeSubscription(s, ConsumerProtocol.SUBSCRIPTION_VERSION)));
        }
        req.setProtocols(protocols);
        LOG.info("(Re-)joining group {} (member id '{}', reason: {})", groupId, memberId, rejoinReason);
        long timeout = Math.max(requestTimeoutMs, rebalanceTimeoutMs + 5_000L);
        coordinator.send(ApiMessageType.JOIN_GROUP, req, nowMs, timeout).whenComplete((resp, err) -> {
            if (phase != Phase.JOINING) {
                return;
            }
            if (err != null) {
                retryJoin("JoinGroup failed: " + Retries.unwrap(err).getMessage());
                return;
            }
            handleJoin(resp.data(), System.currentTimeMillis());
        });
    }

    private void retryJoin(String why) {
        LOG.info("{}; will retry joining group {}", why, groupId);
        phase = hasValidGeneration() ? Phase.STABLE : Phase.IDLE;
        rejoinNeeded = true;
        nextJoinMs = System.currentTimeMillis() + retryBackoffMs;
    }

    private void handleJoin(JoinGroupResponseData resp, long nowMs) {
        Errors error = Errors.forCode(resp.errorCode);
        switch (error) {
            case NONE -> {
                memberId = resp.memberId;
                Generation next = new Generation(resp.generationId, resp.memberId, resp.protocolName);
                LOG.info(
                        "Successfully joined group {} with generation {} as {} (leader: {}, protocol: {})",
                        groupId,
                        resp.generationId,
                        resp.memberId,
                        resp.leader,
                        resp.protocolName);
                if (resp.leader.equals(resp.memberId) && !resp.skipAssignment) {
                    performAssignment(resp, next, nowMs);
                } else {
                    sendSync(next, List.of(), nowMs);
                }
            }
            case MEMBER_ID_REQUIRED -> {
                // The two-step join: retry at once with the member id the broker gave us.
                memberId = resp.memberId;
                phase = Phase.IDLE;
                rejoinNeeded = true;
                nextJoinMs = 0;
            }
            case UNKNOWN_MEMBER_ID -> {
                memberId = "";
                generation = Generation.NO_GENERATION;
                retryJoin("JoinGroup: unknown member id");
            }
            case COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR -> {
                coordinator.markUnknown(error.name());
                retryJoin("JoinGroup: " + error);
            }
            case COORDINATOR_LOAD_IN_PROGRESS, REBALANCE_IN_PROGRESS, REQUEST_TIMED_OUT ->
                retryJoin("JoinGroup: " + error);
            case FENCED_INSTANCE_ID ->
                fail(new FencedInstanceIdException("The broker rejected this static consumer"
                        + " since another consumer with the same group.instance.id " + instanceId + " has registered"));
            default -> fail(GroupErrors.exception(error, groupId, "JoinGroup for group " + groupId));
        }
    }

    private void fail(RuntimeException e) {
        LOG.error("Group {} membership failed: {}", groupId, e.getMessage());
        fatal = e;
        phase = Phase.IDLE;
        events.add(new BackgroundEvent.Error(e));
        buffer.wakeup();
    }

    private void performAssignment(JoinGroupResponseData resp, Generation next, long nowMs) {
        ConsumerPartitionAssignor assignor = assignors.stream()
                .filter(a -> a.name().equals(resp.protocolName))
                .findFirst()
                .orElse(null);
        if (assignor == null) {
            fail(new IllegalStateException("Coordinator selected invalid assignment protocol: " + resp.protocolName));
            return;
        }
        Map<String, Subscription> subs = new HashMap<>();
        Set<String> allTopics = new HashSet<>();
        for (JoinGroupResponseData.JoinGroupResponseMember m : resp.members) {
            Subscription s = ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(m.metadata))
                    .withGroupInstanceId(Optional.ofNullable(m.groupInstanceId));
            subs.put(m.memberId, s);
            allTopics.addAll(s.topics());
        }
        // The leader needs partition counts of every member's topics, not only its own.
        metadata.fetch(allTopics, nowMs).whenComplete((cluster, err) -> {
            if (phase != Phase.JOINING) {
                return;
            }
            if (err != null) {
                retryJoin("Metadata for the assignment failed: " + err.getMessage());
                return;
            }
            Map<String, Integer> counts = new HashMap<>();
            for (String t : allTopics) {
                Integer n = cluster.partitionCount(t);
                if (n != null) {
                    counts.put(t, n);
                }
            }
            Map<String, Assignment> result;
            try {
                result = assignor.assign(counts, new ConsumerPartitionAssignor.GroupSubscription(subs))
                        .groupAssignment();
            } catch (RuntimeException e) {
                fail(new IllegalStateException("Assignor " + assignor.name() + " failed", e));
                return;
            }
            assignedTopicCounts = Map.copyOf(counts);
            List<SyncGroupRequestData.SyncGroupRequestAssignment> assignments = new ArrayList<>();
            for (String member : subs.keySet()) {
                Assignment a = result.getOrDefault(member, new Assignment(List.of()));
                assignments.add(new SyncGroupRequestData.SyncGroupRequestAssignment()
                        .setMemberId(member)
                        .setAssignment(ConsumerProtocol.serializeAssignment(a, ConsumerProtocol.ASSIGNMENT_VERSION)));
            }
            LOG.info(
                    "Leader {} computed the {} assignment for group {}: {}",
                    memberId,
                    assignor.name(),
                    groupId,
                    result);
            sendSync(next, assignments, System.currentTimeMillis());
        });
    }

    private void sendSync(
            Generation next, List<SyncGroupRequestData.SyncGroupRequestAssignment> assignments, long nowMs) {
        phase = Phase.SYNCING;
        SyncGroupRequestData req = new SyncGroupRequestData()
                .setGroupId(groupId)
                .setGenerationId(next.generationId())
                .setMemberId(next.memberId())
                .setGroupInstanceId(instanceId)
                .setProtocolType(ConsumerProtocol.PROTOCOL_TYPE)
                .setProtocolName(next.protocolName())
                .setAssignments(assignments);
        coordinator.send(ApiMessageType.SYNC_GROUP, req, nowMs).whenComplete((resp, err) -> {
            if (phase != Phase.SYNCING) {
                return;
            }
            if (err != null) {
                retryJoin("SyncGroup failed: " + Retries.unwrap(err).getMessage());
                return;
            }
            SyncGroupResponseData data = resp.data();
            Errors error = Errors.forCode(data.errorCode);
            switch (error) {
                case NONE -> {
                    generation = next;
                    lastHeartbeatOkMs = System.currentTimeMillis();
                    onJoinComplete(ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(data.assignment)));
                }
                case REBALANCE_IN_PROGRESS -> retryJoin("SyncGroup: rebalance in progress");
                case UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION -> {
                    if (error == Errors.UNKNOWN_MEMBER_ID) {
                        memberId = "";
                    }
                    generation = Generation.NO_GENERATION;
                    retryJoin("SyncGroup: " + error);
                }
                case COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR -> {
                    coordinator.markUnknown(error.name());
                    retryJoin("SyncGroup: " + error);
                }
                case FENCED_INSTANCE_ID ->
                    fail(new FencedInstanceIdException("Static consumer with" + " group.instance.id " + instanceId
                            + " was fenced during SyncGroup"));
                default -> fail(GroupErrors.exception(error, groupId, "SyncGroup for group " + groupId));
            }
        });
    }

    private void onJoinComplete(Assignment assignment) {
        phase = Phase.COMPLETING;
        ConsumerGroupMetadata gm = new ConsumerGroupMetadata(
                groupId, generation.generationId(), generation.memberId(), Optional.ofNullable(instanceId));
        assignors.stream()
                .filter(a -> a.name().equals(generation.protocolName()))
                .findFirst()
                .ifPresent(a -> a.onAssignment(assignment, gm));
        Set<TopicPartition> assigned = new LinkedHashSet<>(assignment.partitions());
        nextHeartbeatMs = System.currentTimeMillis() + heartbeatIntervalMs;
        if (protocol == RebalanceProtocol.EAGER) {
            subscriptions.setAssignment(assigned);
            LOG.info("Adding newly assigned partitions: {}", assigned);
            callback(BackgroundEvent.RebalanceCallback.Kind.ASSIGNED, assigned, () -> phase = Phase.STABLE);
            return;
        }
        Set<TopicPartition> owned = subscriptions.assignedPartitions();
        Set<TopicPartition> added = new LinkedHashSet<>(assigned);
        added.removeAll(owned);
        Set<TopicPartition> revoked = new LinkedHashSet<>(owned);
        revoked.removeAll(assigned);
        Runnable assignStep = () -> {
            subscriptions.setAssignment(assigned);
            LOG.info("Updating assignment with added partitions {} and revoked partitions {}", added, revoked);
            callback(BackgroundEvent.RebalanceCallback.Kind.ASSIGNED, added, () -> {
                phase = Phase.STABLE;
                if (!revoked.isEmpty()) {
                    // G9: the partitions we gave up go to their new owner in a follow-up rebalance.
                    requestRejoin("need to re-join with the latest assignment after revoking " + revoked);
                }
            });
        };
        if (revoked.isEmpty()) {
            assignStep.run();
        } else {
            callback(BackgroundEvent.RebalanceCallback.Kind.REVOKED, revoked, () -> {
                Set<TopicPartition> keep = new LinkedHashSet<>(subscriptions.assignedPartitions());
                keep.removeAll(revoked);
                subscriptions.setAssignment(keep);
                assignStep.run();
            });
        }
    }

    // ---- heartbeats and liveness ----

    private void maybeHeartbeat(long nowMs) {
        if (!hasValidGeneration()
                || heartbeatInFlight
                || nowMs < nextHeartbeatMs
                || phase == Phase.JOINING
                || phase == Phase.SYNCING) {
            return;
        }
        if (nowMs - lastHeartbeatOkMs > sessionTimeoutMs && coordinator.known()) {
            coordinator.markUnknown("no successful heartbeat within session.timeout.ms");
        }
        heartbeatInFlight = true;
        nextHeartbeatMs = nowMs + heartbeatIntervalMs;
        HeartbeatRequestData req = new HeartbeatRequestData()
                .setGroupId(groupId)
                .setGenerationId(generation.generationId())
                .setMemberId(generation.memberId())
                .setGroupInstanceId(instanceId);
        Generation sentWith = generation;
        coordinator.send(ApiMessageType.HEARTBEAT, req, nowMs).whenComplete((resp, err) -> {
            heartbeatInFlight = false;
            if (err != null) {
                nextHeartbeatMs = System.currentTimeMillis() + retryBackoffMs;
                return;
            }
            HeartbeatResponseData data = resp.data();
            Errors error = Errors.forCode(data.errorCode);
            switch (error) {
                case NONE -> lastHeartbeatOkMs = System.currentTimeMillis();
                case REBALANCE_IN_PROGRESS -> {
                    lastHeartbeatOkMs = System.currentTimeMillis();
                    requestRejoin("group is already rebalancing");
                }
                case ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID -> {
                    if (generation == sentWith) {
                        LOG.info(
                                "Heartbeat of group {} failed with {}; the member lost its partitions", groupId, error);
                        if (error == Errors.UNKNOWN_MEMBER_ID) {
                            memberId = "";
                        }
                        generation = Generation.NO_GENERATION;
                        requestRejoin("heartbeat failed with " + error);
                    }
                }
                case COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR -> coordinator.markUnknown(error.name());
                case FENCED_INSTANCE_ID ->
                    fail(new FencedInstanceIdException("Static consumer with group.instance.id " + instanceId
                            + " was fenced by another consumer with the same id"));
                case GROUP_AUTHORIZATION_FAILED, INVALID_GROUP_ID ->
                    fail(GroupErrors.exception(error, groupId, "Heartbeat of group " + groupId));
                default -> LOG.warn("Heartbeat of group {} failed with {}", groupId, error);
            }
        });
    }

    private void pollTimeout(long nowMs) {
        LOG.warn(
                "consumer poll timeout has expired. This means the time between subsequent calls to poll() was"
                        + " longer than the configured max.poll.interval.ms ({} ms), which typically implies that the poll"
                        + " loop is spending too much time processing messages. Leaving group {}.",
                rebalanceTimeoutMs,
                groupId);
        sendLeave(nowMs, "consumer poll timeout has expired.");
        generation = Generation.NO_GENERATION;
        if (instanceId == null) {
            memberId = "";
        }
        phase = Phase.IDLE;
        requestRejoin("the poll timeout expired");
    }

    // ---- leave ----

    @Override
    public CompletableFuture<Void> leave(long nowMs, String reason) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Set<TopicPartition> owned = subscriptions.hasAutoAssignment() ? subscriptions.assignedPartitions() : Set.of();
        Runnable finish = () -> {
            subscriptions.setAssignment(List.of());
            sendLeave(System.currentTimeMillis(), reason).whenComplete((v, e) -> {
                generation = Generation.NO_GENERATION;
                memberId = "";
                phase = Phase.IDLE;
                // A later subscribe() asks for the next join (onSubscriptionChanged).
                rejoinNeeded = false;
                done.complete(null);
            });
        };
        phase = Phase.LEAVING;
        awaited = null;
        if (owned.isEmpty()) {
            finish.run();
        } else {
            callback(
                    hasValidGeneration()
                            ? BackgroundEvent.RebalanceCallback.Kind.REVOKED
                            : BackgroundEvent.RebalanceCallback.Kind.LOST,
                    owned,
                    finish);
        }
        return done;
    }

    /** LeaveGroup for dynamic members; static members leave by session timeout (as Kafka). */
    private CompletableFuture<Void> sendLeave(long nowMs, String reason) {
        if (instanceId != null || memberId.isEmpty() || !coordinator.known()) {
            return CompletableFuture.completedFuture(null);
        }
        LOG.info(
                "Member {} sending LeaveGroup request to coordinator of group {} due to {}", memberId, groupId, reason);
        LeaveGroupRequestData req = new LeaveGroupRequestData()
                .setGroupId(groupId)
                .setMemberId(memberId)
                .setMembers(List.of(new LeaveGroupRequestData.MemberIdentity()
                        .setMemberId(memberId)
                        .setReason(reason)));
        return coordinator.send(ApiMessageType.LEAVE_GROUP, req, nowMs).handle((r, e) -> null);
    }

    // ---- commits, subscriptions, metadata ----

    @Override
    public CompletableFuture<Void> commit(Map<TopicPartition, OffsetAndMetadata> offsets, long nowMs) {
        if (subscriptions.hasAutoAssignment() && !hasValidGeneration()) {
            return CompletableFuture.failedFuture(new CommitFailedException("Offset commit cannot be completed since"
                    + " the consumer is not part of an active group for auto partition assignment; it is likely that"
                    + " the consumer was kicked out of the group."));
        }
        return coordinator.commit(offsets, nowMs);
    }

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
        if (assignedTopicCounts.isEmpty() || phase != Phase.STABLE) {
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
