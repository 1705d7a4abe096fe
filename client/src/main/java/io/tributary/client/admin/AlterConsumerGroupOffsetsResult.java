package io.tributary.client.admin;

import io.tributary.client.common.KafkaFuture;
import io.tributary.client.common.TopicPartition;
import java.util.Map;

/** The result of alterConsumerGroupOffsets (Kafka's class of the same name). */
public class AlterConsumerGroupOffsetsResult extends GroupPartitionResults {
    /**
     * @param perPartition completes (or fails, for a group-level error) with one future per partition
     */
    public AlterConsumerGroupOffsetsResult(KafkaFuture<Map<TopicPartition, KafkaFuture<Void>>> perPartition) {
        super(perPartition);
    }
}
