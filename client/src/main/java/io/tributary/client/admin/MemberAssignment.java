package io.tributary.client.admin;

import io.tributary.client.common.TopicPartition;
import java.util.Set;

/** Kafka's {@code MemberAssignment}: the partitions a group member owns. Immutable. */
public class MemberAssignment {
    private final Set<TopicPartition> topicPartitions;

    public MemberAssignment(Set<TopicPartition> topicPartitions) {
        this.topicPartitions = topicPartitions == null ? Set.of() : Set.copyOf(topicPartitions);
    }

    public Set<TopicPartition> topicPartitions() {
        return topicPartitions;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MemberAssignment m && m.topicPartitions.equals(topicPartitions);
    }

    @Override
    public int hashCode() {
        return topicPartitions.hashCode();
    }

    @Override
    public String toString() {
        return "(topicPartitions=" + topicPartitions + ")";
    }
}
