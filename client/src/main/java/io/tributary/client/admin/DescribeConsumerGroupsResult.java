package io.tributary.client.admin;

import io.tributary.client.common.KafkaFuture;
import java.util.LinkedHashMap;
import java.util.Map;

/** The result of describeConsumerGroups (Kafka's class of the same name). */
public class DescribeConsumerGroupsResult {
    private final Map<String, KafkaFuture<ConsumerGroupDescription>> futures;

    public DescribeConsumerGroupsResult(Map<String, KafkaFuture<ConsumerGroupDescription>> futures) {
        this.futures = futures;
    }

    public Map<String, KafkaFuture<ConsumerGroupDescription>> describedGroups() {
        return futures;
    }

    public KafkaFuture<Map<String, ConsumerGroupDescription>> all() {
        return KafkaFuture.allOf(futures.values().toArray(new KafkaFuture<?>[0]))
                .thenApply(v -> {
                    Map<String, ConsumerGroupDescription> out = new LinkedHashMap<>();
                    futures.forEach((g, f) -> out.put(
                            g, f.toCompletionStage().toCompletableFuture().join()));
                    return out;
                });
    }
}
