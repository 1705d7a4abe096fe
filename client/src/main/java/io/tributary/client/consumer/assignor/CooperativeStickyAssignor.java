package io.tributary.client.consumer.assignor;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.ConsumerGroupMetadata;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cooperative sticky assignor ("cooperative-sticky"): sticky assignment that never moves a
 * partition straight from one member to another in one rebalance. A partition changing owner
 * is left out of this assignment (its old owner revokes it), and the follow-up rebalance gives
 * it to the new owner (G9). Members report owned partitions in the subscription; the user data
 * is the int32 generation, as in Kafka. Owned by the consumer's network thread.
 */
public class CooperativeStickyAssignor extends AbstractStickyAssignor {
    public static final String COOPERATIVE_STICKY_ASSIGNOR_NAME = "cooperative-sticky";

    private int generation = DEFAULT_GENERATION;

    @Override
    public String name() {
        return COOPERATIVE_STICKY_ASSIGNOR_NAME;
    }

    @Override
    public List<RebalanceProtocol> supportedProtocols() {
        return List.of(RebalanceProtocol.COOPERATIVE, RebalanceProtocol.EAGER);
    }

    @Override
    public void onAssignment(Assignment assignment, ConsumerGroupMetadata metadata) {
        generation = metadata.generationId();
    }

    @Override
    public ByteBuffer subscriptionUserData(Set<String> topics) {
        ByteBuffer b = ByteBuffer.allocate(4);
        b.putInt(generation).flip();
        return b;
    }

    @Override
    protected MemberData memberData(Subscription subscription) {
        Optional<Integer> gen = subscription.generationId();
        if (gen.isEmpty()
                && subscription.userData() != null
                && subscription.userData().remaining() >= 4) {
            gen = Optional.of(subscription.userData().duplicate().getInt());
        }
        return new MemberData(subscription.ownedPartitions(), gen);
    }

    @Override
    public Map<String, List<TopicPartition>> assign(
            Map<String, Integer> partitionsPerTopic, Map<String, Subscription> subscriptions) {
        Map<String, List<TopicPartition>> assignment = super.assign(partitionsPerTopic, subscriptions);
        Map<TopicPartition, String> moving = partitionsTransferringOwnership != null
                ? partitionsTransferringOwnership
                : transferring(subscriptions, assignment);
        moving.forEach((tp, newOwner) -> assignment.get(newOwner).remove(tp));
        return assignment;
    }

    private static Map<TopicPartition, String> transferring(
            Map<String, Subscription> subscriptions, Map<String, List<TopicPartition>> assignment) {
        Map<TopicPartition, String> added = new HashMap<>();
        Set<TopicPartition> revoked = new HashSet<>();
        assignment.forEach((member, parts) -> {
            List<TopicPartition> owned = subscriptions.get(member).ownedPartitions();
            for (TopicPartition tp : parts) {
                if (!owned.contains(tp)) {
                    added.put(tp, member);
                }
            }
            for (TopicPartition tp : owned) {
                if (!parts.contains(tp)) {
                    revoked.add(tp);
                }
            }
        });
        added.keySet().retainAll(revoked);
        return added;
    }
}
