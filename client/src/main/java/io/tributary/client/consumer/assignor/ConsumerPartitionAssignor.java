package io.tributary.client.consumer.assignor;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.ConsumerGroupMetadata;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A client-side assignor for the classic group protocol: the group leader calls {@link #assign}
 * with every member's subscription; every member gets {@link #onAssignment}. Shaped as Kafka's
 * interface of the same name. Called on the consumer's network thread (the leader assigns there
 * while the group waits in SyncGroup); implementations need no locking.
 */
public interface ConsumerPartitionAssignor {

    enum RebalanceProtocol {
        EAGER,
        COOPERATIVE
    }

    /** One member's subscription as carried in JoinGroup metadata (ConsumerProtocolSubscription). */
    record Subscription(
            List<String> topics,
            ByteBuffer userData,
            List<TopicPartition> ownedPartitions,
            Optional<String> groupInstanceId,
            Optional<Integer> generationId,
            Optional<String> rackId) {
        public Subscription(List<String> topics) {
            this(topics, null, List.of(), Optional.empty(), Optional.empty(), Optional.empty());
        }

        public Subscription(List<String> topics, ByteBuffer userData, List<TopicPartition> ownedPartitions) {
            this(topics, userData, ownedPartitions, Optional.empty(), Optional.empty(), Optional.empty());
        }

        public Subscription withGroupInstanceId(Optional<String> id) {
            return new Subscription(topics, userData, ownedPartitions, id, generationId, rackId);
        }
    }

    /** What one member gets (ConsumerProtocolAssignment). */
    record Assignment(List<TopicPartition> partitions, ByteBuffer userData) {
        public Assignment(List<TopicPartition> partitions) {
            this(partitions, null);
        }
    }

    record GroupSubscription(Map<String, Subscription> groupSubscription) {}

    record GroupAssignment(Map<String, Assignment> groupAssignment) {}

    /** Extra bytes this member sends in its subscription (sticky assignors carry state here). */
    default ByteBuffer subscriptionUserData(Set<String> topics) {
        return null;
    }

    /**
     * @param partitionsPerTopic partition count of every subscribed topic that metadata knows;
     *                           topics missing here are not assigned
     */
    GroupAssignment assign(Map<String, Integer> partitionsPerTopic, GroupSubscription subscriptions);

    default void onAssignment(Assignment assignment, ConsumerGroupMetadata metadata) {}

    default List<RebalanceProtocol> supportedProtocols() {
        return List.of(RebalanceProtocol.EAGER);
    }

    default short version() {
        return 0;
    }

    /** The protocol name in JoinGroup; must match Kafka's for mixed groups ("range", ...). */
    String name();
}
