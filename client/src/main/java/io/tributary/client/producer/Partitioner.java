package io.tributary.client.producer;

import io.tributary.client.common.PartitionInfo;
import java.io.Closeable;
import java.util.List;
import java.util.Map;

/**
 * Chooses the partition of a record without one, as Kafka's {@code Partitioner} (issue 12); set
 * with partitioner.class. The cluster view is the topic's partitions as metadata knows them.
 */
public interface Partitioner extends Closeable {
    default void configure(Map<String, ?> configs) {}

    int partition(
            String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, List<PartitionInfo> partitions);

    @Override
    default void close() {}
}
