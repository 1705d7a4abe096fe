package io.tributary.client.consumer.internals;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.errors.FencedInstanceIdException;
import io.tributary.client.consumer.ConsumerGroupMetadata;
import io.tributary.client.consumer.assignor.ConsumerPartitionAssignor;
import io.tributary.client.consumer.assignor.ConsumerPartitionAssignor.Assignment;
import io.tributary.client.consumer.assignor.ConsumerPartitionAssignor.RebalanceProtocol;
import io.tributary.client.consumer.assignor.ConsumerPartitionAssignor.Subscription;
import io.tributary.client.consumer.assignor.ConsumerProtocol;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.JoinGroupRequestData;
import io.tributary.protocol.message.JoinGroupResponseData;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The join phases of a {@link ClassicMembership}: the callbacks due before JoinGroup
 * (PREPARING), JoinGroup and the leader's assignment (JOINING), SyncGroup (SYNCING) and the new
 * assignment's callbacks (COMPLETING, then STABLE). Builds the requests and handles their
 * responses; the member's state stays in the membership. Network thread only.
 */
final class ClassicJoin {
    private static final Logger LOG = LoggerFactory.getLogger(ClassicJoin.class);

    private final ClassicMembership m;

    ClassicJoin(ClassicMembership membership) {
        this.m = membership;
    }

    /** Runs the callbacks due before joining, then sends JoinGroup. */
    void prepare(long nowMs) {
        m.transitionTo(MembershipPhase.PREPARING);
        Set<TopicPartition> owned = m.subscriptions.assignedPartitions();
        if (!owned.isEmpty() && !m.hasValidGeneration()) {
            // Ownership is already gone (session lost, fenced, poll timeout): nothing may be committed.
            m.callback(BackgroundEvent.RebalanceCallback.Kind.LOST, owned, () -> sendJoin(m.time.milliseconds()));
        } else if (!owned.isEmpty() && m.protocol == RebalanceProtocol.EAGER) {
            // The application thread commits (auto-commit) and revokes in one go, as Kafka's
            // onJoinPrepare does, so no record is handed out between the commit and the revoke.
            m.callback(BackgroundEvent.RebalanceCallback.Kind.REVOKED, owned, () -> sendJoin(m.time.milliseconds()));
        } else if (!owned.isEmpty()) {
            Set<TopicPartition> unsubscribed = new HashSet<>();
            Set<String> topics = m.subscriptions.subscription();
            owned.forEach(tp -> {
                if (!topics.contains(tp.topic())) {
                    unsubscribed.add(tp);
                }
            });
            if (unsubscribed.isEmpty()) {
                sendJoin(nowMs);
            } else {
                m.callback(
                        BackgroundEvent.RebalanceCallback.Kind.REVOKED,
                        unsubscribed,
                        () -> sendJoin(m.time.milliseconds()));
            }
        } else {
            sendJoin(nowMs);
        }
    }

    private void sendJoin(long nowMs) {
        m.transitionTo(MembershipPhase.JOINING);
        m.clearRejoinNeeded();
        JoinGroupRequestData req = joinRequest();
        LOG.info("(Re-)joining group {} (member id '{}', reason: {})", m.groupId, m.memberId(), m.rejoinReason());
        long timeout = Math.max(m.requestTimeoutMs, m.rebalanceTimeoutMs + 5_000L);
        m.coordinator.send(ApiMessageType.JOIN_GROUP, req, nowMs, timeout).whenComplete((resp, err) -> {
            if (m.phase() != MembershipPhase.JOINING) {
                return;
            }
            if (err != null) {
                retry("JoinGroup failed: " + Retries.unwrap(err).getMessage());
                return;
            }
            handleJoin(resp.data(), m.time.milliseconds());
        });
    }

    private JoinGroupRequestData joinRequest() {
        List<String> topics = new ArrayList<>(new TreeSet<>(m.subscriptions.subscription()));
        List<TopicPartition> owned = m.protocol == RebalanceProtocol.COOPERATIVE
                ? new ArrayList<>(m.subscriptions.assignedPartitions())
                : List.of();
        Generation generation = m.generation();
        List<JoinGroupRequestData.JoinGroupRequestProtocol> protocols = new ArrayList<>();
        for (ConsumerPartitionAssignor a : m.assignors) {
            Subscription s = new Subscription(
                    topics,
                    a.subscriptionUserData(new HashSet<>(topics)),
                    owned,
                    Optional.empty(),
                    m.hasValidGeneration() ? Optional.of(generation.generationId()) : Optional.empty(),
                    Optional.ofNullable(m.rack));
            protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol()
                    .setName(a.name())
                    .setMetadata(ConsumerProtocol.serializeSubscription(s, ConsumerProtocol.SUBSCRIPTION_VERSION)));
        }
        return new JoinGroupRequestData()
                .setGroupId(m.groupId)
                .setSessionTimeoutMs(m.sessionTimeoutMs)
                .setRebalanceTimeoutMs(m.rebalanceTimeoutMs)
                .setMemberId(m.memberId())
                .setGroupInstanceId(m.instanceId)
                .setProtocolType(ConsumerProtocol.PROTOCOL_TYPE)
                .setReason(m.rejoinReason())
                .setProtocols(protocols);
    }

    /** A JoinGroup or SyncGroup round failed in a way the next attempt may fix. */
    private void retry(String why) {
        LOG.info("{}; will retry joining group {}", why, m.groupId);
        m.transitionTo(m.hasValidGeneration() ? MembershipPhase.STABLE : MembershipPhase.IDLE);
        m.rejoinAt(m.time.milliseconds() + m.retryBackoffMs);
    }

    private void handleJoin(JoinGroupResponseData resp, long nowMs) {
        Errors error = Errors.forCode(resp.errorCode);
        switch (error) {
            case NONE -> {
                m.setMemberId(resp.memberId);
                Generation next = new Generation(resp.generationId, resp.memberId, resp.protocolName);
                LOG.info(
                        "Successfully joined group {} with generation {} as {} (leader: {}, protocol: {})",
                        m.groupId,
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
                m.setMemberId(resp.memberId);
                m.transitionTo(MembershipPhase.IDLE);
                m.rejoinAt(0);
            }
            case UNKNOWN_MEMBER_ID -> {
                m.setMemberId("");
                m.setGeneration(Generation.NO_GENERATION);
                retry("JoinGroup: unknown member id");
            }
            case COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR -> {
                m.coordinator.markUnknown(error.name());
                retry("JoinGroup: " + error);
            }
            case COORDINATOR_LOAD_IN_PROGRESS, REBALANCE_IN_PROGRESS, REQUEST_TIMED_OUT -> retry("JoinGroup: " + error);
            case FENCED_INSTANCE_ID ->
                m.fail(new FencedInstanceIdException("The broker rejected this static consumer"
                        + " since another consumer with the same group.instance.id " + m.instanceId
                        + " has registered"));
            default -> m.fail(GroupErrors.exception(error, m.groupId, "JoinGroup for group " + m.groupId));
        }
    }

    private void performAssignment(JoinGroupResponseData resp, Generation next, long nowMs) {
        ConsumerPartitionAssignor assignor = m.assignors.stream()
                .filter(a -> a.name().equals(resp.protocolName))
                .findFirst()
                .orElse(null);
        if (assignor == null) {
            m.fail(new IllegalStateException("Coordinator selected invalid assignment protocol: " + resp.protocolName));
            return;
        }
        Map<String, Subscription> subs = new HashMap<>();
        Set<String> allTopics = new HashSet<>();
        for (JoinGroupResponseData.JoinGroupResponseMember member : resp.members) {
            Subscription s = ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(member.metadata))
                    .withGroupInstanceId(Optional.ofNullable(member.groupInstanceId));
            subs.put(member.memberId, s);
            allTopics.addAll(s.topics());
        }
        // The leader needs partition counts of every member's topics, not only its own.
        m.metadata.fetch(allTopics, nowMs).whenComplete((cluster, err) -> {
            if (m.phase() != MembershipPhase.JOINING) {
                return;
            }
            if (err != null) {
                retry("Metadata for the assignment failed: " + err.getMessage());
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
                m.fail(new IllegalStateException("Assignor " + assignor.name() + " failed", e));
                return;
            }
            m.setAssignedTopicCounts(counts);
            List<SyncGroupRequestData.SyncGroupRequestAssignment> assignments = new ArrayList<>();
            for (String member : subs.keySet()) {
                Assignment a = result.getOrDefault(member, new Assignment(List.of()));
                assignments.add(new SyncGroupRequestData.SyncGroupRequestAssignment()
                        .setMemberId(member)
                        .setAssignment(ConsumerProtocol.serializeAssignment(a, ConsumerProtocol.ASSIGNMENT_VERSION)));
            }
            LOG.info(
                    "Leader {} computed the {} assignment for group {}: {}",
                    m.memberId(),
                    assignor.name(),
                    m.groupId,
                    result);
            sendSync(next, assignments, m.time.milliseconds());
        });
    }

    private void sendSync(
            Generation next, List<SyncGroupRequestData.SyncGroupRequestAssignment> assignments, long nowMs) {
        m.transitionTo(MembershipPhase.SYNCING);
        SyncGroupRequestData req = new SyncGroupRequestData()
                .setGroupId(m.groupId)
                .setGenerationId(next.generationId())
                .setMemberId(next.memberId())
                .setGroupInstanceId(m.instanceId)
                .setProtocolType(ConsumerProtocol.PROTOCOL_TYPE)
                .setProtocolName(next.protocolName())
                .setAssignments(assignments);
        m.coordinator.send(ApiMessageType.SYNC_GROUP, req, nowMs).whenComplete((resp, err) -> {
            if (m.phase() != MembershipPhase.SYNCING) {
                return;
            }
            if (err != null) {
                retry("SyncGroup failed: " + Retries.unwrap(err).getMessage());
                return;
            }
            handleSync(next, resp.data());
        });
    }

    private void handleSync(Generation next, SyncGroupResponseData data) {
        Errors error = Errors.forCode(data.errorCode);
        switch (error) {
            case NONE -> {
                m.setGeneration(next);
                m.heartbeat().sessionAlive(m.time.milliseconds());
                onJoinComplete(ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(data.assignment)));
            }
            case REBALANCE_IN_PROGRESS -> retry("SyncGroup: rebalance in progress");
            case UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION -> {
                if (error == Errors.UNKNOWN_MEMBER_ID) {
                    m.setMemberId("");
                }
                m.setGeneration(Generation.NO_GENERATION);
                retry("SyncGroup: " + error);
            }
            case COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR -> {
                m.coordinator.markUnknown(error.name());
                retry("SyncGroup: " + error);
            }
            case FENCED_INSTANCE_ID ->
                m.fail(new FencedInstanceIdException("Static consumer with" + " group.instance.id " + m.instanceId
                        + " was fenced during SyncGroup"));
            default -> m.fail(GroupErrors.exception(error, m.groupId, "SyncGroup for group " + m.groupId));
        }
    }

    /**
     * Takes the new assignment: eager assigns it all; cooperative first revokes what moved away,
     * then assigns what was added, then rejoins if anything was revoked (G9).
     */
    private void onJoinComplete(Assignment assignment) {
        m.transitionTo(MembershipPhase.COMPLETING);
        Generation generation = m.generation();
        ConsumerGroupMetadata gm = new ConsumerGroupMetadata(
                m.groupId, generation.generationId(), generation.memberId(), Optional.ofNullable(m.instanceId));
        m.assignors.stream()
                .filter(a -> a.name().equals(generation.protocolName()))
                .findFirst()
                .ifPresent(a -> a.onAssignment(assignment, gm));
        Set<TopicPartition> assigned = new LinkedHashSet<>(assignment.partitions());
        m.heartbeat().scheduleNext(m.time.milliseconds());
        if (m.protocol == RebalanceProtocol.EAGER) {
            m.subscriptions.setAssignment(assigned);
            LOG.info("Adding newly assigned partitions: {}", assigned);
            m.callback(
                    BackgroundEvent.RebalanceCallback.Kind.ASSIGNED,
                    assigned,
                    () -> m.transitionTo(MembershipPhase.STABLE));
            return;
        }
        Set<TopicPartition> owned = m.subscriptions.assignedPartitions();
        Set<TopicPartition> added = new LinkedHashSet<>(assigned);
        added.removeAll(owned);
        Set<TopicPartition> revoked = new LinkedHashSet<>(owned);
        revoked.removeAll(assigned);
        Runnable assignStep = () -> {
            m.subscriptions.setAssignment(assigned);
            LOG.info("Updating assignment with added partitions {} and revoked partitions {}", added, revoked);
            m.callback(BackgroundEvent.RebalanceCallback.Kind.ASSIGNED, added, () -> {
                m.transitionTo(MembershipPhase.STABLE);
                if (!revoked.isEmpty()) {
                    // G9: the partitions we gave up go to their new owner in a follow-up rebalance.
                    m.requestRejoin("need to re-join with the latest assignment after revoking " + revoked);
                }
            });
        };
        if (revoked.isEmpty()) {
            assignStep.run();
        } else {
            // The application thread drops the revoked partitions right after their listener ran.
            m.callback(BackgroundEvent.RebalanceCallback.Kind.REVOKED, revoked, assignStep);
        }
    }
}
