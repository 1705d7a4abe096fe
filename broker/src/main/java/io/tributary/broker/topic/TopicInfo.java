package io.tributary.broker.topic;

import io.tributary.storage.TopicNames;
import java.util.Map;
import java.util.UUID;

/** A topic's identity and shape: name, id, partition count and its config overrides. Immutable. */
public record TopicInfo(String name, UUID topicId, int partitions, Map<String, String> configOverrides) {
    /** Kafka's leader epoch for a partition that never changed leader: every partition here, on one node. */
    public static final int LEADER_EPOCH = 0;

    public TopicInfo {
        configOverrides = Map.copyOf(configOverrides);
    }

    public boolean internal() {
        return TopicNames.isInternal(name);
    }

    public TopicInfo withPartitions(int count) {
        return new TopicInfo(name, topicId, count, configOverrides);
    }
}
