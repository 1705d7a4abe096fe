package io.tributary.client.admin;

import io.tributary.client.common.KafkaFuture;
import java.util.Map;

/** The result of createPartitions, by topic name. Kafka's class of the same name: one future per entity, and {@link #all()}. */
public class CreatePartitionsResult {
    private final Map<String, KafkaFuture<Void>> futures;

    public CreatePartitionsResult(Map<String, KafkaFuture<Void>> futures) {
        this.futures = futures;
    }

    /** One future per entity, failing with that entity's Kafka exception. */
    public Map<String, KafkaFuture<Void>> values() {
        return futures;
    }

    /** Succeeds when every entity succeeded; fails with the first failure. */
    public KafkaFuture<Void> all() {
        return KafkaFuture.allOf(futures.values().toArray(new KafkaFuture<?>[0]));
    }
}
