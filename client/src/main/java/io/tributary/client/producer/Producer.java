package io.tributary.client.producer;

import io.tributary.client.common.PartitionInfo;
import java.io.Closeable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

/** The producer API in Kafka's shape ({@code org.apache.kafka.clients.producer.Producer}), issue 12. */
public interface Producer<K, V> extends Closeable {
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
