package io.tributary.client.admin;

import io.tributary.client.common.Uuid;

/** Kafka's {@code TopicListing}: a topic's name, id and whether it is internal. Immutable. */
public class TopicListing {
    private final String name;
    private final Uuid topicId;
    private final boolean internal;

    public TopicListing(String name, Uuid topicId, boolean internal) {
        this.name = name;
        this.topicId = topicId;
        this.internal = internal;
    }

    public String name() {
        return name;
    }

    public Uuid topicId() {
        return topicId;
    }

    public boolean isInternal() {
        return internal;
    }

    @Override
    public String toString() {
        return "(name=" + name + ", topicId=" + topicId + ", internal=" + internal + ")";
    }
}
