package io.tributary.broker.fetch;

/** A topic name and partition index; a value type used as a map key. */
public record TopicPartition(String topic, int partition) {
    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
