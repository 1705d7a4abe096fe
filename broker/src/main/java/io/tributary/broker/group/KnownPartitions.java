package io.tributary.broker.group;

import io.tributary.broker.topic.TopicInfo;
import io.tributary.broker.topic.TopicManager;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The check Kafka's KafkaApis makes before it hands offsets to the coordinator: a requested
 * partition is known when its topic exists and its index is within the partition count. The one
 * owner of that rule for OffsetCommit and OffsetDelete, and of topic id ↔ name for their id-bearing versions. Stateless over the thread-safe
 * {@link TopicManager}; used from any event loop.
 */
final class KnownPartitions {
    private final TopicManager topics;

    KnownPartitions(TopicManager topics) {
        this.topics = topics;
    }

    /** The name of the topic with this id (OffsetCommit/OffsetFetch v10 name topics by id), or null. */
    String nameOf(UUID topicId) {
        TopicInfo info = topics.topic(topicId);
        return info == null ? null : info.name();
    }

    /** The id of the named topic, or null when it does not exist. */
    UUID idOf(String name) {
        TopicInfo info = topics.topic(name);
        return info == null ? null : info.topicId();
    }

    /**
     * The topics of a request cut down to their known partitions, in request order: each topic
     * with at least one is rebuilt by {@code withKnown} (topic, its known partitions); every
     * other partition is passed to {@code unknown} (topic name, partition), all of a topic's when
     * the topic does not exist.
     */
    <T, P> List<T> retainKnown(
            List<T> requested,
            Function<T, String> name,
            Function<T, List<P>> partitionsOf,
            ToIntFunction<P> index,
            BiFunction<T, List<P>, T> withKnown,
            BiConsumer<String, P> unknown) {
        List<T> out = new ArrayList<>();
        for (T t : requested) {
            String topic = name.apply(t);
            TopicInfo info = topics.topic(topic);
            List<P> known = new ArrayList<>();
            for (P p : partitionsOf.apply(t)) {
                int i = index.applyAsInt(p);
                if (info != null && i >= 0 && i < info.partitions()) {
                    known.add(p);
                } else {
                    unknown.accept(topic, p);
                }
            }
            if (!known.isEmpty()) {
                out.add(withKnown.apply(t, known));
            }
        }
        return out;
    }
}
