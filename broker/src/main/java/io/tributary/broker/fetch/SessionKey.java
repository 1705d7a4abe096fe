package io.tributary.broker.fetch;

import io.tributary.protocol.Uuids;
import java.util.Objects;
import java.util.UUID;

/**
 * A partition inside a fetch session. Fetch v13+ names topics by id, older versions by name: a
 * key with a topic id (not {@link Uuids#ZERO}) is matched by id and partition, a key without one
 * by name and partition. A session holds keys of one kind only (see
 * {@link FetchSession#usesTopicIds()}), so the two never meet. The name of an id key is what the
 * broker resolved it to when the partition entered the session, and may be null for an unknown id.
 */
public final class SessionKey {
    private final UUID topicId;
    private final String topic;
    private final int partition;

    public SessionKey(UUID topicId, String topic, int partition) {
        this.topicId = topicId == null ? Uuids.ZERO : topicId;
        this.topic = topic;
        this.partition = partition;
    }

    public static SessionKey byName(String topic, int partition) {
        return new SessionKey(Uuids.ZERO, topic, partition);
    }

    public UUID topicId() {
        return topicId;
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    public boolean hasTopicId() {
        return !topicId.equals(Uuids.ZERO);
    }

    /** Same topic (by id when there is one, else by name), whatever the partition. */
    boolean sameTopic(SessionKey o) {
        return topicId.equals(o.topicId) && (hasTopicId() || Objects.equals(topic, o.topic));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionKey k && partition == k.partition && sameTopic(k);
    }

    @Override
    public int hashCode() {
        return 31 * (hasTopicId() ? topicId.hashCode() : Objects.hashCode(topic)) + partition;
    }

    @Override
    public String toString() {
        return (hasTopicId() ? Uuids.toBase64(topicId) + "/" : "") + topic + "-" + partition;
    }
}
