package io.tributary.client.consumer.assignor;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.assignor.ConsumerPartitionAssignor.Assignment;
import io.tributary.client.consumer.assignor.ConsumerPartitionAssignor.Subscription;
import io.tributary.protocol.ProtocolException;
import io.tributary.protocol.ProtocolReader;
import io.tributary.protocol.ProtocolWriter;
import io.tributary.protocol.message.ConsumerProtocolAssignmentData;
import io.tributary.protocol.message.ConsumerProtocolSubscriptionData;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The bytes of the "consumer" protocol type inside JoinGroup and SyncGroup: an int16 version,
 * then ConsumerProtocolSubscription / ConsumerProtocolAssignment at that version (Kafka's
 * format, so mixed groups of Tributary and Apache consumers agree). Stateless.
 */
public final class ConsumerProtocol {
    public static final String PROTOCOL_TYPE = "consumer";
    public static final short SUBSCRIPTION_VERSION = ConsumerProtocolSubscriptionData.HIGHEST_SUPPORTED_VERSION;
    public static final short ASSIGNMENT_VERSION = ConsumerProtocolAssignmentData.HIGHEST_SUPPORTED_VERSION;

    private ConsumerProtocol() {}

    private static final Comparator<TopicPartition> ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    public static byte[] serializeSubscription(Subscription s, short version) {
        ConsumerProtocolSubscriptionData d = new ConsumerProtocolSubscriptionData();
        List<String> topics = new ArrayList<>(s.topics());
        topics.sort(null);
        d.setTopics(topics);
        d.setUserData(bytes(s.userData()));
        List<TopicPartition> owned = new ArrayList<>(s.ownedPartitions());
        owned.sort(ORDER);
        ConsumerProtocolSubscriptionData.TopicPartition cur = null;
        for (TopicPartition tp : owned) {
            if (cur == null || !cur.topic.equals(tp.topic())) {
                cur = new ConsumerProtocolSubscriptionData.TopicPartition().setTopic(tp.topic());
                d.ownedPartitions.add(cur);
            }
            cur.partitions.add(tp.partition());
        }
        d.setGenerationId(s.generationId().orElse(-1));
        d.setRackId(s.rackId().orElse(null));
        ProtocolWriter w = new ProtocolWriter();
        w.writeShort(version);
        d.write(w, version);
        return w.toByteArray();
    }

    public static Subscription deserializeSubscription(ByteBuffer buf) {
        ProtocolReader r = new ProtocolReader(buf.duplicate());
        short version = r.readShort();
        if (version < ConsumerProtocolSubscriptionData.LOWEST_SUPPORTED_VERSION) {
            throw new ProtocolException("Unsupported subscription version " + version);
        }
        // Newer versions only add fields at the end, so read them as the newest we know.
        short readAs = (short) Math.min(version, ConsumerProtocolSubscriptionData.HIGHEST_SUPPORTED_VERSION);
        ConsumerProtocolSubscriptionData d = new ConsumerProtocolSubscriptionData();
        d.read(r, readAs);
        List<TopicPartition> owned = new ArrayList<>();
        for (ConsumerProtocolSubscriptionData.TopicPartition t : d.ownedPartitions) {
            for (int p : t.partitions) {
                owned.add(new TopicPartition(t.topic, p));
            }
        }
        return new Subscription(
                d.topics,
                d.userData == null ? null : ByteBuffer.wrap(d.userData),
                owned,
                Optional.empty(),
                d.generationId < 0 ? Optional.empty() : Optional.of(d.generationId),
                Optional.ofNullable(d.rackId));
    }

    public static byte[] serializeAssignment(Assignment a, short version) {
        ConsumerProtocolAssignmentData d = new ConsumerProtocolAssignmentData();
        ConsumerProtocolAssignmentData.TopicPartition cur = null;
        // Group by topic keeping the assignor's order within a topic.
        List<TopicPartition> parts = new ArrayList<>(a.partitions());
        List<String> topicOrder = new ArrayList<>();
        parts.forEach(tp -> {
            if (!topicOrder.contains(tp.topic())) {
                topicOrder.add(tp.topic());
            }
        });
        for (String topic : topicOrder) {
            cur = new ConsumerProtocolAssignmentData.TopicPartition().setTopic(topic);
            for (TopicPartition tp : parts) {
                if (tp.topic().equals(topic)) {
                    cur.partitions.add(tp.partition());
                }
            }
            d.assignedPartitions.add(cur);
        }
        d.setUserData(bytes(a.userData()));
        ProtocolWriter w = new ProtocolWriter();
        w.writeShort(version);
        d.write(w, version);
        return w.toByteArray();
    }

    public static Assignment deserializeAssignment(ByteBuffer buf) {
        if (!buf.hasRemaining()) {
            return new Assignment(List.of());
        }
        ProtocolReader r = new ProtocolReader(buf.duplicate());
        short version = r.readShort();
        short readAs = (short) Math.min(version, ConsumerProtocolAssignmentData.HIGHEST_SUPPORTED_VERSION);
        ConsumerProtocolAssignmentData d = new ConsumerProtocolAssignmentData();
        d.read(r, readAs);
        List<TopicPartition> parts = new ArrayList<>();
        for (ConsumerProtocolAssignmentData.TopicPartition t : d.assignedPartitions) {
            for (int p : t.partitions) {
                parts.add(new TopicPartition(t.topic, p));
            }
        }
        return new Assignment(parts, d.userData == null ? null : ByteBuffer.wrap(d.userData));
    }

    private static byte[] bytes(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
