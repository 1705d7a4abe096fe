package io.tributary.client.admin;

import io.tributary.client.common.TopicPartitionInfo;
import io.tributary.client.common.Uuid;
import java.util.List;
import java.util.Objects;

/** Kafka's {@code TopicDescription}: name, id, internal flag and partitions (leader, replicas, ISR). Immutable. */
public class TopicDescription {
    private final String name;
    private final boolean internal;
    private final List<TopicPartitionInfo> partitions;
    private final Uuid topicId;

    public TopicDescription(String name, boolean internal, List<TopicPartitionInfo> partitions, Uuid topicId) {
        this.name = name;
        this.internal = internal;
        this.partitions = List.copyOf(partitions);
        this.topicId = topicId;
    }

    public String name() {
        return name;
    }

    public boolean isInternal() {
        return internal;
    }

    /** Sorted by partition id. */
    public List<TopicPartitionInfo> partitions() {
        return partitions;
    }

    public Uuid topicId() {
        return topicId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicDescription d
                && d.name.equals(name)
                && d.internal == internal
                && d.partitions.equals(partitions)
                && Objects.equals(d.topicId, topicId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, internal, partitions, topicId);
    }

    @Override
    public String toString() {
        return "(name=" + name + ", internal=" + internal + ", partitions=" + partitions + ", topicId=" + topicId + ")";
    }
}
