package io.tributary.client.consumer;

import io.tributary.client.common.PartitionInfo;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.errors.RecordDeserializationException;
import io.tributary.client.common.errors.WakeupException;
import java.io.Closeable;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The consumer API, shaped as Apache Kafka's so that Kafka users know it. An instance is used by
 * one application thread; only {@link #wakeup()} may be called from another.
 */
public interface Consumer<K, V> extends Closeable {
    Set<TopicPartition> assignment();

    Set<String> subscription();

    void subscribe(Collection<String> topics);

    void subscribe(Collection<String> topics, ConsumerRebalanceListener listener);

    void subscribe(Pattern pattern);

    void subscribe(Pattern pattern, ConsumerRebalanceListener listener);

    /** Broker-side RE2/J regex (KIP-848); needs group.protocol=consumer. */
    void subscribe(SubscriptionPattern pattern);

    void subscribe(SubscriptionPattern pattern, ConsumerRebalanceListener listener);

    void unsubscribe();

    void assign(Collection<TopicPartition> partitions);

    /**
     * Returns records that are ready, waiting up to {@code timeout} for some. Returns early when
     * records arrive or, with {@code enable.partition.eof=true}, when a partition reaches its
     * end ({@link ConsumerRecords#partitionEofs()}). Throws
     * {@link RecordDeserializationException} at a record that does not deserialize (the position
     * stays there; {@code seek} past it to go on).
     */
    ConsumerRecords<K, V> poll(Duration timeout);

    void commitSync();

    void commitSync(Duration timeout);

    void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets);

    void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout);

    void commitAsync();

    void commitAsync(OffsetCommitCallback callback);

    void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback);

    void seek(TopicPartition partition, long offset);

    void seek(TopicPartition partition, OffsetAndMetadata offsetAndMetadata);

    void seekToBeginning(Collection<TopicPartition> partitions);

    void seekToEnd(Collection<TopicPartition> partitions);

    long position(TopicPartition partition);

    long position(TopicPartition partition, Duration timeout);

    Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions);

    Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions, Duration timeout);

    List<PartitionInfo> partitionsFor(String topic);

    List<PartitionInfo> partitionsFor(String topic, Duration timeout);

    Map<String, List<PartitionInfo>> listTopics();

    Map<String, List<PartitionInfo>> listTopics(Duration timeout);

    Set<TopicPartition> paused();

    void pause(Collection<TopicPartition> partitions);

    void resume(Collection<TopicPartition> partitions);

    Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestampsToSearch);

    Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(
            Map<TopicPartition, Long> timestampsToSearch, Duration timeout);

    Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions);

    Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions, Duration timeout);

    Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions);

    Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions, Duration timeout);

    /** Lag from the last fetch response's high watermark, empty if not known yet. */
    OptionalLong currentLag(TopicPartition partition);

    ConsumerGroupMetadata groupMetadata();

    void enforceRebalance();

    void enforceRebalance(String reason);

    @Override
    void close();

    void close(Duration timeout);

    /** Safe from any thread: makes the current or next blocking call throw {@link WakeupException}. */
    void wakeup();
}
