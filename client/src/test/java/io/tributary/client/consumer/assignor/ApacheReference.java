package io.tributary.client.consumer.assignor;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.assignor.ConsumerPartitionAssignor.Subscription;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;

/** Runs Apache's assignor on the same input as ours and converts the result for comparison. */
final class ApacheReference {
    static {
        // Apache logs every assignment, and every conflicting claim the random groups contain.
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "off");
    }

    private ApacheReference() {}

    static Map<String, List<TopicPartition>> assign(
            org.apache.kafka.clients.consumer.ConsumerPartitionAssignor apache,
            Map<String, Integer> partitionsPerTopic,
            Map<String, Subscription> subscriptions) {
        Node node = new Node(0, "localhost", 9092);
        List<PartitionInfo> parts = new ArrayList<>();
        partitionsPerTopic.forEach((topic, n) -> {
            for (int p = 0; p < n; p++) {
                parts.add(new PartitionInfo(topic, p, node, new Node[] {node}, new Node[] {node}));
            }
        });
        Cluster cluster = new Cluster("c", List.of(node), parts, Set.of(), Set.of());
        Map<String, org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription> subs = new HashMap<>();
        subscriptions.forEach((member, s) -> subs.put(
                member,
                new org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription(
                        s.topics(),
                        // Apache's assignors consume the buffer; ours must still see the whole user data.
                        s.userData() == null ? null : s.userData().duplicate(),
                        toApache(s.ownedPartitions()),
                        s.generationId().orElse(-1),
                        s.rackId())));
        subscriptions.forEach((member, s) -> subs.get(member).setGroupInstanceId(s.groupInstanceId()));
        var result = apache.assign(
                cluster, new org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupSubscription(subs));
        Map<String, List<TopicPartition>> out = new HashMap<>();
        result.groupAssignment().forEach((member, a) -> out.put(member, fromApache(a.partitions())));
        return out;
    }

    static List<org.apache.kafka.common.TopicPartition> toApache(List<TopicPartition> tps) {
        List<org.apache.kafka.common.TopicPartition> out = new ArrayList<>();
        tps.forEach(tp -> out.add(new org.apache.kafka.common.TopicPartition(tp.topic(), tp.partition())));
        return out;
    }

    static List<TopicPartition> fromApache(List<org.apache.kafka.common.TopicPartition> tps) {
        List<TopicPartition> out = new ArrayList<>();
        tps.forEach(tp -> out.add(new TopicPartition(tp.topic(), tp.partition())));
        return out;
    }

    static Map<String, List<TopicPartition>> ours(
            ConsumerPartitionAssignor assignor,
            Map<String, Integer> partitionsPerTopic,
            Map<String, Subscription> subscriptions) {
        Map<String, List<TopicPartition>> out = new HashMap<>();
        assignor.assign(partitionsPerTopic, new ConsumerPartitionAssignor.GroupSubscription(subscriptions))
                .groupAssignment()
                .forEach((m, a) -> out.put(m, a.partitions()));
        return out;
    }

    /** Every partition of a subscribed topic is owned by exactly one member subscribed to it. */
    static void checkValid(
            Map<String, Integer> partitionsPerTopic,
            Map<String, Subscription> subscriptions,
            Map<String, List<TopicPartition>> assignment) {
        String problem = problem(partitionsPerTopic, subscriptions, assignment, false);
        if (problem != null) {
            throw new AssertionError(problem);
        }
    }

    /**
     * Why {@code assignment} is invalid, or null: a partition assigned twice, to a member not
     * subscribed to its topic, or that does not exist, or a partition of a subscribed topic left
     * unassigned. With {@code cooperative}, a partition some member reports owning may be left out
     * (it is being revoked first, KIP-429).
     */
    static String problem(
            Map<String, Integer> partitionsPerTopic,
            Map<String, Subscription> subscriptions,
            Map<String, List<TopicPartition>> assignment,
            boolean cooperative) {
        Set<TopicPartition> seen = new HashSet<>();
        for (Map.Entry<String, List<TopicPartition>> e : assignment.entrySet()) {
            for (TopicPartition tp : e.getValue()) {
                if (!subscriptions.get(e.getKey()).topics().contains(tp.topic())) {
                    return e.getKey() + " got " + tp + " without subscribing";
                }
                if (tp.partition() < 0 || tp.partition() >= partitionsPerTopic.getOrDefault(tp.topic(), 0)) {
                    return e.getKey() + " got " + tp + ", which does not exist";
                }
                if (!seen.add(tp)) {
                    return tp + " assigned twice: " + assignment;
                }
            }
        }
        Set<TopicPartition> revoking = new HashSet<>();
        if (cooperative) {
            subscriptions.values().forEach(s -> revoking.addAll(s.ownedPartitions()));
        }
        Set<String> subscribed = new HashSet<>();
        subscriptions.values().forEach(s -> subscribed.addAll(s.topics()));
        for (String topic : subscribed) {
            for (int p = 0; p < partitionsPerTopic.getOrDefault(topic, 0); p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                if (!seen.contains(tp) && !revoking.contains(tp)) {
                    return tp + " unassigned: " + assignment;
                }
            }
        }
        return null;
    }
}
