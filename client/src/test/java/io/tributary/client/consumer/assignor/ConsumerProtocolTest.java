package io.tributary.client.consumer.assignor;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.assignor.ConsumerPartitionAssignor.Assignment;
import io.tributary.client.consumer.assignor.ConsumerPartitionAssignor.Subscription;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Subscription and assignment bytes are exactly Apache's, at every version, both ways (G2). */
class ConsumerProtocolTest {
    @Test
    void subscriptionBytesMatchApache() {
        List<TopicPartition> owned =
                List.of(new TopicPartition("b", 1), new TopicPartition("a", 0), new TopicPartition("a", 3));
        Subscription ours = new Subscription(
                List.of("b", "a"),
                ByteBuffer.wrap(new byte[] {1, 2}),
                owned,
                Optional.empty(),
                Optional.of(9),
                Optional.of("rack-1"));
        var apache = new org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription(
                List.of("b", "a"),
                ByteBuffer.wrap(new byte[] {1, 2}),
                ApacheReference.toApache(owned),
                9,
                Optional.of("rack-1"));
        for (short v = 0; v <= ConsumerProtocol.SUBSCRIPTION_VERSION; v++) {
            ByteBuffer expected =
                    org.apache.kafka.clients.consumer.internals.ConsumerProtocol.serializeSubscription(apache, v);
            assertThat(ConsumerProtocol.serializeSubscription(ours, v))
                    .as("v%d", v)
                    .isEqualTo(bytes(expected));
            Subscription back = ConsumerProtocol.deserializeSubscription(expected);
            assertThat(back.topics()).containsExactly("a", "b");
            if (v >= 1) {
                assertThat(back.ownedPartitions()).containsExactlyInAnyOrderElementsOf(owned);
            }
            if (v >= 2) {
                assertThat(back.generationId()).contains(9);
            }
            if (v >= 3) {
                assertThat(back.rackId()).contains("rack-1");
            }
        }
    }

    @Test
    void assignmentRoundTripsWithApache() {
        List<TopicPartition> parts =
                List.of(new TopicPartition("a", 0), new TopicPartition("a", 3), new TopicPartition("b", 1));
        byte[] ours = ConsumerProtocol.serializeAssignment(
                new Assignment(parts, ByteBuffer.wrap(new byte[] {7})), ConsumerProtocol.ASSIGNMENT_VERSION);
        var apache = org.apache.kafka.clients.consumer.internals.ConsumerProtocol.deserializeAssignment(
                ByteBuffer.wrap(ours));
        assertThat(ApacheReference.fromApache(apache.partitions())).containsExactlyInAnyOrderElementsOf(parts);
        assertThat(apache.userData().get(0)).isEqualTo((byte) 7);
        ByteBuffer fromApache =
                org.apache.kafka.clients.consumer.internals.ConsumerProtocol.serializeAssignment(apache);
        assertThat(ConsumerProtocol.deserializeAssignment(fromApache).partitions())
                .containsExactlyInAnyOrderElementsOf(parts);
        assertThat(ConsumerProtocol.deserializeAssignment(ByteBuffer.allocate(0))
                        .partitions())
                .isEmpty();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
