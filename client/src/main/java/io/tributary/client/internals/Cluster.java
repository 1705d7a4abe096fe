package io.tributary.client.internals;

import io.tributary.client.common.Node;
import io.tributary.client.common.PartitionInfo;
import io.tributary.client.common.TopicPartition;
import io.tributary.protocol.Errors;
import io.tributary.protocol.Uuids;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An immutable snapshot of cluster metadata: brokers, and per topic its partitions (with leader
 * and leader epoch, and its id where the broker gave one) or the error metadata returned for it. Published by the network thread,
 * read by any thread.
 */
public record Cluster(Map<Integer, Node> nodes, Map<String, TopicMetadata> topics, long updatedMs) {
    public static final Cluster EMPTY = new Cluster(Map.of(), Map.of(), 0L);

    public record TopicMetadata(
            String name,
            Errors error,
            boolean internal,
            List<PartitionInfo> partitions,
            Map<Integer, Integer> leaderEpochs,
            UUID topicId) {
        /** Without a topic id (metadata before v10, or a topic in error). */
        public TopicMetadata(
                String name,
                Errors error,
                boolean internal,
                List<PartitionInfo> partitions,
                Map<Integer, Integer> leaderEpochs) {
            this(name, error, internal, partitions, leaderEpochs, Uuids.ZERO);
        }
    }

    /**
     * The name of the topic with this id, or null when metadata does not know it (the
     * consumer-protocol assignment names topics by id, KIP-848).
     */
    public String topicName(UUID topicId) {
        for (TopicMetadata t : topics.values()) {
            if (t.error == Errors.NONE && topicId.equals(t.topicId)) {
                return t.name;
            }
        }
        return null;
    }

    /** The id of a topic metadata knows without error, or null. */
    public UUID topicId(String topic) {
        TopicMetadata t = topics.get(topic);
        return t == null || t.error != Errors.NONE || Uuids.ZERO.equals(t.topicId) ? null : t.topicId;
    }

    /** The leader of a partition, or null when unknown or leaderless. */
    public Node leaderFor(TopicPartition tp) {
        TopicMetadata t = topics.get(tp.topic());
        if (t == null || t.error != Errors.NONE) {
            return null;
        }
        for (PartitionInfo p : t.partitions) {
            if (p.partition() == tp.partition()) {
                return p.leader();
            }
        }
        return null;
    }

    public int leaderEpochFor(TopicPartition tp) {
        TopicMetadata t = topics.get(tp.topic());
        return t == null ? -1 : t.leaderEpochs.getOrDefault(tp.partition(), -1);
    }

    /** Partition count of a topic metadata knows without error, else null. */
    public Integer partitionCount(String topic) {
        TopicMetadata t = topics.get(topic);
        return t == null || t.error != Errors.NONE ? null : t.partitions.size();
    }
}
