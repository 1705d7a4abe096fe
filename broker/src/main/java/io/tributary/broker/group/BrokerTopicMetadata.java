package io.tributary.broker.group;

import io.tributary.broker.topic.TopicInfo;
import io.tributary.broker.topic.TopicManager;
import io.tributary.coordinator.TopicMetadata;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The broker's topics as the consumer group protocol sees them (names, ids, partition counts),
 * read live from the thread-safe {@link TopicManager}: the coordinator notices a created,
 * deleted or grown topic at the next heartbeat of a group subscribed to it. Internal topics are
 * hidden, as from Kafka's regular-expression subscriptions.
 */
final class BrokerTopicMetadata implements TopicMetadata {
    private final TopicManager topics;

    BrokerTopicMetadata(TopicManager topics) {
        this.topics = topics;
    }

    @Override
    public Topic byName(String name) {
        return of(topics.topic(name));
    }

    @Override
    public Topic byId(UUID id) {
        return of(topics.topic(id));
    }

    @Override
    public Collection<String> names() {
        List<String> out = new ArrayList<>();
        for (TopicInfo t : topics.topics()) {
            if (!t.internal()) {
                out.add(t.name());
            }
        }
        return out;
    }

    private static Topic of(TopicInfo t) {
        return t == null ? null : new Topic(t.name(), t.topicId(), t.partitions());
    }
}
