package io.tributary.client.common;

import java.util.Objects;

/** A topic name and a partition number. Immutable, usable as a map key from any thread. */
public final class TopicPartition implements Comparable<TopicPartition> {
    private final String topic;
    private final int partition;

    public TopicPartition(String topic, int partition) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.partition = partition;
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    @Override
    public int compareTo(TopicPartition o) {
        int c = topic.compareTo(o.topic);
        return c != 0 ? c : Integer.compare(partition, o.partition);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicPartition tp && partition == tp.partition && topic.equals(tp.topic);
    }

    @Override
    public int hashCode() {
        return 31 * topic.hashCode() + partition;
    }

    /** Kafka's rendering, "topic-3", which users grep for in logs. */
    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
