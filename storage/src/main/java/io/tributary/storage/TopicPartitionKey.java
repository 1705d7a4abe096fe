package io.tributary.storage;

/** A partition's name on disk: the topic and the partition number (directory {@code <topic>-<p>}). Immutable. */
record TopicPartitionKey(String topic, int partition) {}
