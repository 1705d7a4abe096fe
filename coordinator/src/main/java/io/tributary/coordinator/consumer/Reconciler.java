package io.tributary.coordinator.consumer;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Moves one member towards its target assignment, KIP-848's incremental way, on each of its
 * heartbeats:
 * <ol>
 *   <li>While it has partitions to revoke, nothing else happens until a heartbeat lists its
 *       owned partitions without them (the member has committed and let them go).
 *   <li>A member behind the assignment epoch first loses what its target no longer holds (those
 *       partitions become "revoking", its epoch stays); with nothing to revoke it moves to the
 *       assignment epoch.
 *   <li>At the assignment epoch it is given the target partitions no other member owns any more
 *       (the others get them on later heartbeats, once released).
 * </ol>
 * So a partition is never owned by two members at once. Stateless.
 */
final class Reconciler {
    private Reconciler() {}

    /** @param owned what the member says it owns, or null when the heartbeat did not say */
    static void reconcile(ConsumerGroup g, ConsumerMember m, TreeMap<UUID, TreeSet<Integer>> owned) {
        if (m.memberEpoch == ConsumerMember.TEMPORARILY_LEFT) {
            return;
        }
        if (!m.revoking.isEmpty()) {
            if (owned == null || !Partitions.disjoint(owned, m.revoking)) {
                return;
            }
            m.revoking = Partitions.empty();
        }
        TreeMap<UUID, TreeSet<Integer>> target = g.targetOf(m.memberId);
        if (m.memberEpoch != g.assignmentEpoch) {
            TreeMap<UUID, TreeSet<Integer>> toRevoke = Partitions.minus(m.assigned, target);
            if (!toRevoke.isEmpty()) {
                m.assigned = Partitions.intersect(m.assigned, target);
                m.revoking = toRevoke;
                return;
            }
            m.previousMemberEpoch = m.memberEpoch;
            m.memberEpoch = g.assignmentEpoch;
        }
        for (Map.Entry<UUID, TreeSet<Integer>> t : target.entrySet()) {
            for (int p : t.getValue()) {
                if (!Partitions.contains(m.assigned, t.getKey(), p) && !g.ownedByOther(m.memberId, t.getKey(), p)) {
                    Partitions.add(m.assigned, t.getKey(), p);
                }
            }
        }
    }
}
