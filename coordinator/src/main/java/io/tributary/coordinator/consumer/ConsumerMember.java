package io.tributary.coordinator.consumer;

import io.tributary.coordinator.record.Protocol;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * One member of a consumer group (KIP-848): what it subscribed to, its member epoch, the
 * partitions it owns (assigned) and those it was asked to give up and has not yet confirmed
 * (revoking). A partition is owned by a member while it is in either set: no other member is
 * given it before. Mutable; owned by the coordinator thread.
 */
final class ConsumerMember {
    /** The member epoch of a static member that left temporarily (memberEpoch -2 in the request). */
    static final int TEMPORARILY_LEFT = -2;

    String memberId;
    String instanceId;
    String rackId;
    String clientId;
    String clientHost;
    int rebalanceTimeoutMs;
    List<String> subscribedTopicNames = List.of();
    String subscribedTopicRegex;
    String serverAssignor;
    int memberEpoch;
    int previousMemberEpoch;
    TreeMap<UUID, TreeSet<Integer>> assigned = Partitions.empty();
    TreeMap<UUID, TreeSet<Integer>> revoking = Partitions.empty();
    /**
     * For a member that speaks the classic protocol inside this consumer group (KIP-848 online
     * migration): the protocols it offered in its last JoinGroup, else null.
     */
    List<Protocol> classicProtocols;

    int classicSessionTimeoutMs;

    ConsumerMember(String memberId) {
        this.memberId = memberId;
    }

    boolean usesClassicProtocol() {
        return classicProtocols != null;
    }

    /** The protocol name a classic member is told in JoinGroup and must repeat in SyncGroup. */
    String classicProtocolName() {
        return classicProtocols.get(0).name();
    }

    boolean owns(UUID topic, int partition) {
        return Partitions.contains(assigned, topic, partition) || Partitions.contains(revoking, topic, partition);
    }
}
