package io.tributary.coordinator.consumer;

import io.tributary.coordinator.record.Protocol;
import java.util.List;
import java.util.function.Predicate;

/**
 * A group's classic members as they cross between the two kinds of group (KIP-848 online
 * migration): from a classic group into a new consumer group (upgrade), and from a consumer group
 * whose last new-protocol member left back into a classic group (downgrade). Assignments are
 * ConsumerProtocolAssignment bytes, as the classic group stores them.
 */
public record ClassicSnapshot(int generationId, String protocolName, List<Member> members) {

    public record Member(
            String memberId,
            String instanceId,
            String clientId,
            String clientHost,
            int rebalanceTimeoutMs,
            int sessionTimeoutMs,
            List<Protocol> protocols,
            byte[] assignment) {}

    /** What the consumer group needs of the classic side, implemented by the shard. */
    public interface ClassicSide {
        /** Whether a classic group with members (or pending ones) holds the id. */
        boolean inUse(String groupId);

        /** Deletes an empty classic group (offsets only) that a first consumer member takes over. */
        void takeOverEmpty(String groupId);

        /**
         * Ends the classic group (its waiting members are told to rejoin) and returns its members,
         * or null, changing nothing, when group.consumer.migration.policy or the group's protocol
         * forbid the upgrade or its members fail {@code convertible}.
         */
        ClassicSnapshot upgrade(String groupId, Predicate<ClassicSnapshot> convertible);

        /**
         * Creates the classic group from the remaining members; it then rebalances, unless the
         * downgrade came from a classic static member replacing the last new-protocol one.
         */
        void downgrade(String groupId, ClassicSnapshot members, boolean rebalance);
    }
}
