package io.tributary.broker.topic;

/**
 * A topic name and partition index: how the topic manager, the handlers and the fetch purgatory
 * name one partition. A value type used as a map key; immutable.
 */
public record TopicPartition(String topic, int partition) {
    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
