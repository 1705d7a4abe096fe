package io.tributary.client.admin;

import io.tributary.client.common.KafkaFuture;
import io.tributary.client.common.TopicPartition;
import java.util.Map;

/** The result of deleteRecords (Kafka's class of the same name): per partition, its new low watermark. */
public class DeleteRecordsResult {
    private final Map<TopicPartition, KafkaFuture<DeletedRecords>> futures;

    public DeleteRecordsResult(Map<TopicPartition, KafkaFuture<DeletedRecords>> futures) {
        this.futures = futures;
    }

    public Map<TopicPartition, KafkaFuture<DeletedRecords>> lowWatermarks() {
        return futures;
    }

    public KafkaFuture<Void> all() {
        return KafkaFuture.allOf(futures.values().toArray(new KafkaFuture<?>[0]));
    }
}
