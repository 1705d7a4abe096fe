package io.tributary.client.producer;

import io.tributary.client.common.PartitionInfo;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.ConsumerGroupMetadata;
import io.tributary.client.consumer.OffsetAndMetadata;
import java.io.Closeable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

/** The producer API in Kafka's shape ({@code org.apache.kafka.clients.producer.Producer}), issue 12. */
public interface Producer<K, V> extends Closeable {
    /** Transactions (transactional.id set): get the producer id and fence older producers of the id. */
    void initTransactions();

    void beginTransaction();

    /** KIP-447: the offsets are committed with the transaction, checked against the group's member and generation. */
    void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata);

    void commitTransaction();

    void abortTransaction();

    Future<RecordMetadata> send(ProducerRecord<K, V> record);

    Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback);

    void flush();

    List<PartitionInfo> partitionsFor(String topic);

    /** Simple counters by name (record-send-total, record-error-total, ...). */
    Map<String, Double> metrics();

    @Override
    void close();

    void close(Duration timeout);
}
