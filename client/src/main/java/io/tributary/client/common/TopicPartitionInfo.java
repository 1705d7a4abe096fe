package io.tributary.client.common;

import java.util.List;

/** Kafka's {@code TopicPartitionInfo}: one partition of a described topic. Immutable. */
public record TopicPartitionInfo(int partition, Node leader, List<Node> replicas, List<Node> isr) {
    public TopicPartitionInfo {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
    }
}
