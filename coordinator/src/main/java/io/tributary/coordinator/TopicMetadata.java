package io.tributary.coordinator;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * What the consumer group protocol (KIP-848) needs to know of the cluster's topics: the broker
 * implements it over its topic registry. Read on the coordinator thread, so an implementation
 * must be thread-safe; a change (topic created, deleted, grown) is noticed at the next heartbeat
 * of a group that subscribes to it, which bumps that group's epoch.
 */
public interface TopicMetadata {
    /** One topic as the assignors see it. */
    record Topic(String name, UUID id, int partitions) {}

    /** The named topic, or null. */
    Topic byName(String name);

    /** The topic with this id, or null (a scan by default; implementations may index). */
    default Topic byId(UUID id) {
        for (String n : names()) {
            Topic t = byName(n);
            if (t != null && t.id().equals(id)) {
                return t;
            }
        }
        return null;
    }

    /** Every topic's name (regular-expression subscriptions are matched against them). */
    Collection<String> names();

    TopicMetadata EMPTY = new TopicMetadata() {
        @Override
        public Topic byName(String name) {
            return null;
        }

        @Override
        public Collection<String> names() {
            return List.of();
        }
    };
}
