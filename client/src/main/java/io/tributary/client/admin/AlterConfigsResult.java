package io.tributary.client.admin;

import io.tributary.client.common.KafkaFuture;
import java.util.Map;

/** The result of incrementalAlterConfigs, by resource. Kafka's class of the same name: one future per entity, and {@link #all()}. */
public class AlterConfigsResult {
    private final Map<io.tributary.client.common.config.ConfigResource, KafkaFuture<Void>> futures;

    public AlterConfigsResult(Map<io.tributary.client.common.config.ConfigResource, KafkaFuture<Void>> futures) {
        this.futures = futures;
    }

    /** One future per entity, failing with that entity's Kafka exception. */
    public Map<io.tributary.client.common.config.ConfigResource, KafkaFuture<Void>> values() {
        return futures;
    }

    /** Succeeds when every entity succeeded; fails with the first failure. */
    public KafkaFuture<Void> all() {
        return KafkaFuture.allOf(futures.values().toArray(new KafkaFuture<?>[0]));
    }
}
