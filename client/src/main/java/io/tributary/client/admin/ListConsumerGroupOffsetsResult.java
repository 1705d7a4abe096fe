package io.tributary.client.admin;

import io.tributary.client.common.KafkaFuture;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.OffsetAndMetadata;
import java.util.Map;

/** The result of listConsumerGroupOffsets (Kafka's class of the same name), for one or more groups. */
public class ListConsumerGroupOffsetsResult {
    private final Map<String, KafkaFuture<Map<TopicPartition, OffsetAndMetadata>>> futures;

    public ListConsumerGroupOffsetsResult(Map<String, KafkaFuture<Map<TopicPartition, OffsetAndMetadata>>> futures) {
        this.futures = futures;
    }

    /** The committed offsets of the only group asked for. */
    public KafkaFuture<Map<TopicPartition, OffsetAndMetadata>> partitionsToOffsetAndMetadata() {
        if (futures.size() != 1) {
            throw new IllegalStateException(
                    "Offsets from multiple consumer groups were requested. Use partitionsToOffsetAndMetadata(groupId)"
                            + " instead to get future for a specific group.");
        }
        return futures.values().iterator().next();
    }

    public KafkaFuture<Map<TopicPartition, OffsetAndMetadata>> partitionsToOffsetAndMetadata(String groupId) {
        KafkaFuture<Map<TopicPartition, OffsetAndMetadata>> f = futures.get(groupId);
        if (f == null) {
            throw new IllegalArgumentException("Offsets for consumer group '" + groupId + "' were not requested.");
        }
        return f;
    }

    public KafkaFuture<Map<String, Map<TopicPartition, OffsetAndMetadata>>> all() {
        return KafkaFuture.allOf(futures.values().toArray(new KafkaFuture<?>[0]))
                .thenApply(v -> {
                    Map<String, Map<TopicPartition, OffsetAndMetadata>> out = new java.util.LinkedHashMap<>();
                    futures.forEach((g, f) -> out.put(
                            g, f.toCompletionStage().toCompletableFuture().join()));
                    return out;
                });
    }
}
