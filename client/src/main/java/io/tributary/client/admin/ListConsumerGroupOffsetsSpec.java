package io.tributary.client.admin;

import io.tributary.client.common.TopicPartition;
import java.util.Collection;
import java.util.List;

/** Kafka's {@code ListConsumerGroupOffsetsSpec}: which partitions of a group to list (null = all committed). */
public class ListConsumerGroupOffsetsSpec {
    private Collection<TopicPartition> topicPartitions;

    public ListConsumerGroupOffsetsSpec topicPartitions(Collection<TopicPartition> topicPartitions) {
        this.topicPartitions = topicPartitions == null ? null : List.copyOf(topicPartitions);
        return this;
    }

    public Collection<TopicPartition> topicPartitions() {
        return topicPartitions;
    }
}
