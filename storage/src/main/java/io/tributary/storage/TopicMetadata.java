package io.tributary.storage;

import java.util.Map;
import java.util.UUID;

/** A topic as the log manager keeps it: id, partition count, config overrides and the resolved config. Immutable. */
public record TopicMetadata(
        String name, UUID topicId, int partitions, Map<String, String> overrides, LogConfig config) {}
