package io.tributary.client.admin;

import io.tributary.client.common.KafkaFuture;
import java.util.LinkedHashMap;
import java.util.Map;

/** The result of describeTopics by name (Kafka's class of the same name). */
public class DescribeTopicsResult {
    private final Map<String, KafkaFuture<TopicDescription>> futures;

    public DescribeTopicsResult(Map<String, KafkaFuture<TopicDescription>> futures) {
        this.futures = futures;
    }

    public Map<String, KafkaFuture<TopicDescription>> topicNameValues() {
        return futures;
    }

    public KafkaFuture<Map<String, TopicDescription>> allTopicNames() {
        return KafkaFuture.allOf(futures.values().toArray(new KafkaFuture<?>[0]))
                .thenApply(v -> {
                    Map<String, TopicDescription> out = new LinkedHashMap<>();
                    futures.forEach((t, f) -> out.put(
                            t, f.toCompletionStage().toCompletableFuture().join()));
                    return out;
                });
    }
}
