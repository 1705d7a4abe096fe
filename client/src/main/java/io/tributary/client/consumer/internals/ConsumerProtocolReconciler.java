package io.tributary.client.consumer.internals;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.internals.Cluster;
import io.tributary.protocol.message.ConsumerGroupHeartbeatRequestData;
import io.tributary.protocol.message.ConsumerGroupHeartbeatResponseData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a {@link ConsumerProtocolMembership}'s partitions to the broker's target assignment,
 * one step at a time as KIP-848 asks: first the partitions that left the target are revoked
 * (committed first with auto-commit, onPartitionsRevoked, dropped by the application thread),
 * then the added ones join the assignment (onPartitionsAssigned), then the next heartbeat
 * acknowledges with the partitions now owned. A target that changes meanwhile is reconciled
 * once the current one is done.
 *
 * <p>The target names topics by id: ids metadata does not know yet (a topic just created) stay
 * out of this round and a metadata refresh is asked for; the next round adds them.
 * Network thread only.
 */
final class ConsumerProtocolReconciler {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerProtocolReconciler.class);

    private final ConsumerProtocolMembership m;
    /** The latest target from the broker; null when none arrived since the member (re)joined. */
    private Map<UUID, Set<Integer>> target;
    /** Topic ids of the topics reconciled so far, for the acknowledgement. */
    private final Map<String, UUID> ids = new HashMap<>();

    private boolean reconciling;
    private boolean firstSinceJoin = true;

    ConsumerProtocolReconciler(ConsumerProtocolMembership membership) {
        this.m = membership;
    }

    void setTarget(List<ConsumerGroupHeartbeatResponseData.TopicPartitions> assignment) {
        Map<UUID, Set<Integer>> next = new HashMap<>();
        for (ConsumerGroupHeartbeatResponseData.TopicPartitions tp : assignment) {
            next.computeIfAbsent(tp.topicId, id -> new TreeSet<>()).addAll(tp.partitions);
        }
        target = next;
    }

    /** The member left or lost its partitions: forget the target and any round in progress. */
    void reset() {
        target = null;
        reconciling = false;
        firstSinceJoin = true;
    }

    /** The partitions owned now, by topic id, for the heartbeat. */
    List<ConsumerGroupHeartbeatRequestData.TopicPartitions> ownedByTopicId() {
        Cluster cluster = m.metadata.cluster();
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        for (TopicPartition tp : m.subscriptions.assignedPartitions()) {
            byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
        }
        List<ConsumerGroupHeartbeatRequestData.TopicPartitions> out = new ArrayList<>();
        byTopic.forEach((topic, partitions) -> {
            UUID id = ids.containsKey(topic) ? ids.get(topic) : cluster.topicId(topic);
            if (id != null) {
                partitions.sort(null);
                out.add(new ConsumerGroupHeartbeatRequestData.TopicPartitions()
                        .setTopicId(id)
                        .setPartitions(partitions));
            }
        });
        return out;
    }

    /** Starts a round if the target differs from what is owned and no round is running. */
    void maybeReconcile() {
        if (target == null || reconciling || m.state() != ConsumerProtocolMembership.State.STABLE) {
            return;
        }
        Cluster cluster = m.metadata.cluster();
        Set<TopicPartition> desired = new LinkedHashSet<>();
        Set<UUID> unknown = new TreeSet<>();
        target.forEach((id, partitions) -> {
            String name = cluster.topicName(id);
            if (name == null) {
                unknown.add(id);
                return;
            }
            ids.put(name, id);
            partitions.forEach(p -> desired.add(new TopicPartition(name, p)));
        });
        if (!unknown.isEmpty()) {
            m.metadata.requestUpdate();
        }
        Set<TopicPartition> owned = m.subscriptions.assignedPartitions();
        Set<TopicPartition> revoked = new LinkedHashSet<>(owned);
        revoked.removeAll(desired);
        Set<TopicPartition> added = new LinkedHashSet<>(desired);
        added.removeAll(owned);
        if (revoked.isEmpty() && added.isEmpty() && (!firstSinceJoin || !unknown.isEmpty())) {
            return;
        }
        reconciling = true;
        LOG.info(
                "Group {}: reconciling the target assignment, revoking {} and adding {}{}",
                m.groupId,
                revoked,
                added,
                unknown.isEmpty() ? "" : " (topic ids not in metadata yet: " + unknown + ")");
        Runnable assign = () -> {
            m.heartbeatSoon();
            // Revoked partitions were dropped by the application thread after their listener ran.
            Set<TopicPartition> now = m.subscriptions.assignedPartitions();
            now.addAll(added);
            m.subscriptions.setAssignment(now);
            Runnable done = () -> {
                reconciling = false;
                firstSinceJoin = false;
                // The acknowledgement: the next heartbeat carries what is owned now.
                m.heartbeatSoon();
                maybeReconcile();
            };
            if (added.isEmpty() && !firstSinceJoin) {
                done.run();
            } else {
                m.callback(BackgroundEvent.RebalanceCallback.Kind.ASSIGNED, added, done);
            }
        };
        if (revoked.isEmpty()) {
            assign.run();
        } else {
            m.callback(BackgroundEvent.RebalanceCallback.Kind.REVOKED, revoked, assign);
        }
    }
}
