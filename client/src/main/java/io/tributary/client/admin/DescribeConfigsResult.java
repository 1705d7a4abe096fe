package io.tributary.client.admin;

import io.tributary.client.common.KafkaFuture;
import io.tributary.client.common.config.ConfigResource;
import java.util.LinkedHashMap;
import java.util.Map;

/** The result of describeConfigs (Kafka's class of the same name). */
public class DescribeConfigsResult {
    private final Map<ConfigResource, KafkaFuture<Config>> futures;

    public DescribeConfigsResult(Map<ConfigResource, KafkaFuture<Config>> futures) {
        this.futures = futures;
    }

    public Map<ConfigResource, KafkaFuture<Config>> values() {
        return futures;
    }

    public KafkaFuture<Map<ConfigResource, Config>> all() {
        return KafkaFuture.allOf(futures.values().toArray(new KafkaFuture<?>[0]))
                .thenApply(v -> {
                    Map<ConfigResource, Config> out = new LinkedHashMap<>();
                    futures.forEach((r, f) -> out.put(
                            r, f.toCompletionStage().toCompletableFuture().join()));
                    return out;
                });
    }
}
