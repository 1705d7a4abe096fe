package io.tributary.client.consumer.internals;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.errors.InvalidGroupIdException;
import io.tributary.client.consumer.ConsumerRebalanceListener;
import io.tributary.client.consumer.SubscriptionPattern;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The consumer API's argument checks, with Kafka's messages: each throws
 * IllegalArgumentException before the call touches any state. Stateless.
 */
public final class ConsumerArguments {
    private ConsumerArguments() {}

    /** Group APIs (subscribe, commits, group metadata) need a group.id. */
    public static void checkGroup(String groupId) {
        if (groupId == null) {
            throw new InvalidGroupIdException("To use the group management or offset commit APIs, you must provide a"
                    + " valid group.id in the consumer configuration.");
        }
    }

    /** @return {@code topics}, when neither null nor holding a null or blank name */
    public static Collection<String> checkTopics(Collection<String> topics) {
        if (topics == null) {
            throw new IllegalArgumentException("Topic collection to subscribe to cannot be null");
        }
        for (String t : topics) {
            if (t == null || t.isBlank()) {
                throw new IllegalArgumentException(
                        "Topic collection to subscribe to cannot contain null or empty topic");
            }
        }
        return topics;
    }

    public static void checkPattern(Pattern pattern) {
        if (pattern == null || pattern.pattern().isEmpty()) {
            throw new IllegalArgumentException(
                    "Topic pattern to subscribe to cannot be " + (pattern == null ? "null" : "empty"));
        }
    }

    /** RE2/J patterns are resolved by a consumer-protocol group coordinator only. */
    public static void checkPattern(SubscriptionPattern pattern, boolean consumerProtocol) {
        if (pattern == null || pattern.pattern().isEmpty()) {
            throw new IllegalArgumentException(
                    "Topic pattern to subscribe to cannot be " + (pattern == null ? "null" : "empty"));
        }
        if (!consumerProtocol) {
            throw new UnsupportedOperationException("Subscribing to an RE2/J regular expression (SubscriptionPattern)"
                    + " is not supported with group.protocol=classic; use group.protocol=consumer");
        }
    }

    public static void checkListener(ConsumerRebalanceListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("RebalanceListener cannot be null");
        }
    }

    /** @return {@code partitions}, when neither null nor holding a null partition or blank topic */
    public static Collection<TopicPartition> checkAssignment(Collection<TopicPartition> partitions) {
        if (partitions == null) {
            throw new IllegalArgumentException("Topic partitions collection to assign to cannot be null");
        }
        for (TopicPartition tp : partitions) {
            if (tp == null || tp.topic().isBlank()) {
                throw new IllegalArgumentException("Topic partitions to assign to cannot have null or empty topic");
            }
        }
        return partitions;
    }

    public static void checkTimestamps(Map<TopicPartition, Long> timestampsToSearch) {
        for (Map.Entry<TopicPartition, Long> e : timestampsToSearch.entrySet()) {
            if (e.getValue() < 0) {
                throw new IllegalArgumentException("The target time for partition " + e.getKey() + " is " + e.getValue()
                        + ". The target time cannot be negative.");
            }
        }
    }
}
