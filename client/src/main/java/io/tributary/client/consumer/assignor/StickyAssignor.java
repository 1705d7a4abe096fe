package io.tributary.client.consumer.assignor;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.ConsumerGroupMetadata;
import io.tributary.protocol.ProtocolReader;
import io.tributary.protocol.ProtocolWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The eager sticky assignor ("sticky"). Eager members give up everything before rejoining, so
 * each member carries its previous assignment and generation in its subscription user data, in
 * Kafka's StickyAssignorUserData v1 layout (array of topic + int32 partitions, then int32
 * generation), which lets it mix with Apache consumers. Owned by the consumer's network thread.
 */
public class StickyAssignor extends AbstractStickyAssignor {
    public static final String STICKY_ASSIGNOR_NAME = "sticky";

    private List<TopicPartition> memberAssignment;
    private int generation = DEFAULT_GENERATION;

    @Override
    public String name() {
        return STICKY_ASSIGNOR_NAME;
    }

    @Override
    public void onAssignment(Assignment assignment, ConsumerGroupMetadata metadata) {
        memberAssignment = assignment.partitions();
        generation = metadata.generationId();
    }

    @Override
    public ByteBuffer subscriptionUserData(Set<String> topics) {
        return memberAssignment == null ? null : serialize(memberAssignment, Optional.of(generation));
    }

    @Override
    protected MemberData memberData(Subscription subscription) {
        ByteBuffer userData = subscription.userData();
        if (userData == null || !userData.hasRemaining()) {
            return new MemberData(List.of(), Optional.empty());
        }
        return deserialize(userData);
    }

    static ByteBuffer serialize(List<TopicPartition> partitions, Optional<Integer> generation) {
        Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
        partitions.forEach(tp ->
                byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
        ProtocolWriter w = new ProtocolWriter();
        w.writeInt(byTopic.size());
        byTopic.forEach((topic, ps) -> {
            w.writeString(topic);
            w.writeInt(ps.size());
            ps.forEach(w::writeInt);
        });
        generation.ifPresent(w::writeInt);
        return ByteBuffer.wrap(w.toByteArray());
    }

    static MemberData deserialize(ByteBuffer buf) {
        ProtocolReader r = new ProtocolReader(buf.duplicate());
        List<TopicPartition> parts = new ArrayList<>();
        int topics = r.readInt();
        for (int i = 0; i < topics; i++) {
            String topic = r.readString();
            int n = r.readInt();
            for (int j = 0; j < n; j++) {
                parts.add(new TopicPartition(topic, r.readInt()));
            }
        }
        // v0 user data has no generation.
        Optional<Integer> generation = r.remaining() >= 4 ? Optional.of(r.readInt()) : Optional.empty();
        return new MemberData(parts, generation);
    }
}
