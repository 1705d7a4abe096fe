package io.tributary.client.admin;

import io.tributary.client.common.KafkaFuture;
import io.tributary.client.common.TopicPartition;
import java.util.Map;

/** The result of deleteConsumerGroupOffsets (Kafka's class of the same name). */
public class DeleteConsumerGroupOffsetsResult extends GroupPartitionResults {
    /**
     * @param perPartition completes (or fails, for a group-level error) with one future per partition
     */
    public DeleteConsumerGroupOffsetsResult(KafkaFuture<Map<TopicPartition, KafkaFuture<Void>>> perPartition) {
        super(perPartition);
    }
}
