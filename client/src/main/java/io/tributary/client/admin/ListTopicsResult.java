package io.tributary.client.admin;

import io.tributary.client.common.KafkaFuture;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/** The result of listTopics (Kafka's class of the same name). */
public class ListTopicsResult {
    private final KafkaFuture<Map<String, TopicListing>> future;

    public ListTopicsResult(KafkaFuture<Map<String, TopicListing>> future) {
        this.future = future;
    }

    public KafkaFuture<Map<String, TopicListing>> namesToListings() {
        return future;
    }

    public KafkaFuture<Collection<TopicListing>> listings() {
        return future.thenApply(Map::values);
    }

    public KafkaFuture<Set<String>> names() {
        return future.thenApply(Map::keySet);
    }
}
