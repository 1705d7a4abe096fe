package io.tributary.broker.topic;

import io.tributary.protocol.Uuids;
import java.util.UUID;

/**
 * One partition as Kafka names it from Fetch v13 on: topic id and partition index, with a topic
 * name. A request by id carries the name the id resolves to here, or {@code null} when the id is
 * unknown (answered with UNKNOWN_TOPIC_ID); a request by name carries that name and the topic's id,
 * {@link Uuids#ZERO} when no such topic exists. Sessions key partitions by {@link #key()}.
 * Immutable.
 */
public record TopicIdPartition(UUID topicId, String topic, int partition) {
    /** (topic id, partition): how a fetch session keys the partitions it caches. */
    public record Key(UUID topicId, int partition) {}

    public Key key() {
        return new Key(topicId, partition);
    }

    /** The name-keyed form the topic manager and the purgatory use; only when there is a name. */
    public TopicPartition topicPartition() {
        if (topic == null) {
            throw new IllegalStateException("topic id " + topicId + " is unknown");
        }
        return new TopicPartition(topic, partition);
    }

    @Override
    public String toString() {
        return (topic == null ? "?" : topic) + ":" + topicId + "-" + partition;
    }
}
