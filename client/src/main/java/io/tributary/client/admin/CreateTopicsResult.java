package io.tributary.client.admin;

import io.tributary.client.common.KafkaFuture;
import io.tributary.client.common.Uuid;
import java.util.Map;

/** The result of createTopics (Kafka's class of the same name): per topic, its id, partitions and configs. */
public class CreateTopicsResult {
    /** What the broker reports about a topic it created (or would create, with validateOnly). */
    public record TopicMetadataAndConfig(Uuid topicId, int numPartitions, int replicationFactor, Config config) {}

    private final Map<String, KafkaFuture<TopicMetadataAndConfig>> futures;

    public CreateTopicsResult(Map<String, KafkaFuture<TopicMetadataAndConfig>> futures) {
        this.futures = futures;
    }

    public Map<String, KafkaFuture<Void>> values() {
        Map<String, KafkaFuture<Void>> out = new java.util.LinkedHashMap<>();
        futures.forEach((t, f) -> out.put(t, f.thenApply(v -> null)));
        return out;
    }

    public KafkaFuture<Void> all() {
        return KafkaFuture.allOf(futures.values().toArray(new KafkaFuture<?>[0]));
    }

    public KafkaFuture<Uuid> topicId(String topic) {
        return future(topic).thenApply(TopicMetadataAndConfig::topicId);
    }

    public KafkaFuture<Integer> numPartitions(String topic) {
        return future(topic).thenApply(TopicMetadataAndConfig::numPartitions);
    }

    public KafkaFuture<Integer> replicationFactor(String topic) {
        return future(topic).thenApply(TopicMetadataAndConfig::replicationFactor);
    }

    public KafkaFuture<Config> config(String topic) {
        return future(topic).thenApply(TopicMetadataAndConfig::config);
    }

    private KafkaFuture<TopicMetadataAndConfig> future(String topic) {
        KafkaFuture<TopicMetadataAndConfig> f = futures.get(topic);
        if (f == null) {
            throw new IllegalArgumentException("Topic " + topic + " was not part of the createTopics call");
        }
        return f;
    }
}
