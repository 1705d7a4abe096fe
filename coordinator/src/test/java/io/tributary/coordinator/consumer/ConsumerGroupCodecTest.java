package io.tributary.coordinator.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.coordinator.record.Protocol;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The consumer group record (key type 5, issue 14): v1 carries classic members' protocols and
 * session timeouts (online migration); v0 records, written before it, still load.
 */
class ConsumerGroupCodecTest {
    private static final UUID FOO = new UUID(3, 3);

    private static ConsumerGroup group(boolean withClassic) {
        ConsumerGroup g = new ConsumerGroup("g");
        g.groupEpoch = 4;
        g.assignmentEpoch = 4;
        g.assignorName = "uniform";
        ConsumerMember n = new ConsumerMember("n1");
        n.subscribedTopicNames = List.of("foo");
        n.memberEpoch = 4;
        n.previousMemberEpoch = 3;
        Partitions.add(n.assigned, FOO, 0);
        g.members.put(n.memberId, n);
        g.target.put(n.memberId, Partitions.copy(n.assigned));
        if (withClassic) {
            ConsumerMember c = new ConsumerMember("c1");
            c.subscribedTopicNames = List.of("foo");
            c.memberEpoch = 4;
            c.classicSessionTimeoutMs = 10_000;
            c.classicProtocols =
                    List.of(new Protocol("range", new byte[] {1, 2}), new Protocol("cooperative-sticky", null));
            Partitions.add(c.assigned, FOO, 1);
            g.members.put(c.memberId, c);
            g.target.put(c.memberId, Partitions.copy(c.assigned));
        }
        return g;
    }

    @Test
    void classicMembersRoundTrip() {
        ConsumerGroup g = group(true);
        byte[] bytes = ConsumerGroupCodec.record(g).value();
        ConsumerGroup back = ConsumerGroupCodec.decode("g", bytes);
        ConsumerMember c = back.members.get("c1");
        assertThat(c.usesClassicProtocol()).isTrue();
        assertThat(c.classicSessionTimeoutMs).isEqualTo(10_000);
        assertThat(c.classicProtocols).isEqualTo(g.members.get("c1").classicProtocols);
        assertThat(back.members.get("n1").usesClassicProtocol()).isFalse();
        assertThat(ConsumerGroupCodec.record(back).value()).isEqualTo(bytes);
    }

    @Test
    void versionZeroRecordsStillLoad() {
        byte[] v1 = ConsumerGroupCodec.record(group(false)).value();
        // v0 is v1 without the per-member classic flag (the last byte for one member) and with version 0.
        byte[] v0 = Arrays.copyOf(v1, v1.length - 1);
        v0[0] = 0;
        v0[1] = 0;
        ConsumerGroup back = ConsumerGroupCodec.decode("g", v0);
        assertThat(back.groupEpoch).isEqualTo(4);
        assertThat(back.members.get("n1").usesClassicProtocol()).isFalse();
        assertThat(back.members.get("n1").assigned).containsKey(FOO);
        assertThat(ConsumerGroupCodec.record(back).value()).isEqualTo(v1);
    }
}
