package io.tributary.coordinator.consumer;

import io.tributary.coordinator.GroupCoordinatorConfig;
import io.tributary.coordinator.TopicMetadata;
import io.tributary.coordinator.record.Protocol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * KIP-848 online migration between a classic group and a consumer group, the consumer-group side:
 * a classic group's members become classic members of a new consumer group that keep their
 * partitions (each at member epoch = the classic generation, their assignment being the target
 * until the next epoch), and a consumer group left with classic members only becomes their
 * classic group again, with their current partitions as its last assignment. Offsets are keyed
 * by group id and never move. Stateless.
 */
final class GroupMigration {
    private GroupMigration() {}

    static ConsumerGroup fromClassic(
            String groupId,
            ClassicSnapshot snapshot,
            ConsumerGroupStore store,
            TopicMetadata topics,
            GroupCoordinatorConfig config) {
        ConsumerGroup g = store.getOrCreate(groupId);
        g.groupEpoch = snapshot.generationId();
        g.assignmentEpoch = snapshot.generationId();
        g.assignorName = config.consumerAssignors().get(0);
        for (ClassicSnapshot.Member cm : snapshot.members()) {
            ConsumerMember m = new ConsumerMember(cm.memberId());
            m.instanceId = cm.instanceId();
            m.clientId = cm.clientId();
            m.clientHost = cm.clientHost();
            m.rebalanceTimeoutMs = cm.rebalanceTimeoutMs();
            m.classicSessionTimeoutMs = cm.sessionTimeoutMs();
            m.classicProtocols = List.copyOf(cm.protocols());
            ConsumerProtocolBytes.Subscription sub = subscriptionOf(cm.protocols(), snapshot.protocolName());
            m.subscribedTopicNames = List.copyOf(new TreeSet<>(sub.topics()));
            m.rackId = sub.rackId();
            m.assigned = byId(ConsumerProtocolBytes.assignedPartitions(cm.assignment()), topics);
            m.memberEpoch = snapshot.generationId();
            m.previousMemberEpoch = snapshot.generationId();
            g.members.put(m.memberId, m);
            g.target.put(m.memberId, Partitions.copy(m.assigned));
        }
        return g;
    }

    /**
     * Whether every member's embedded subscription (of the protocol in use) and assignment can be
     * read: Kafka refuses to upgrade a group otherwise (GROUP_ID_NOT_FOUND, "the embedded consumer
     * protocol is malformed") rather than guess what the member subscribes to.
     */
    static boolean convertible(ClassicSnapshot snapshot) {
        for (ClassicSnapshot.Member m : snapshot.members()) {
            Protocol chosen = m.protocols().isEmpty() ? null : m.protocols().get(0);
            for (Protocol p : m.protocols()) {
                if (p.name().equals(snapshot.protocolName())) {
                    chosen = p;
                }
            }
            try {
                ConsumerProtocolBytes.subscription(chosen.metadata());
                ConsumerProtocolBytes.checkAssignment(m.assignment());
            } catch (RuntimeException e) {
                return false;
            }
        }
        return true;
    }

    /** The subscription a classic member offered with the protocol in use (else its first); empty if unreadable. */
    static ConsumerProtocolBytes.Subscription subscriptionOf(List<Protocol> protocols, String preferred) {
        Protocol chosen = protocols.isEmpty() ? null : protocols.get(0);
        for (Protocol p : protocols) {
            if (p.name().equals(preferred)) {
                chosen = p;
            }
        }
        try {
            return ConsumerProtocolBytes.subscription(chosen.metadata());
        } catch (RuntimeException e) {
            return new ConsumerProtocolBytes.Subscription(List.of(), new TreeMap<>(), null);
        }
    }

    /** Kafka's validateOnlineDowngrade, after the leaving member is gone. */
    static boolean canDowngrade(ConsumerGroup g, GroupCoordinatorConfig config) {
        if (g.members.isEmpty() || !config.migrationDowngradeEnabled() || g.members.size() > config.maxGroupSize()) {
            return false;
        }
        for (ConsumerMember m : g.members.values()) {
            if (!m.usesClassicProtocol()) {
                return false;
            }
        }
        return true;
    }

    static ClassicSnapshot toClassic(ConsumerGroup g, TopicMetadata topics) {
        List<ClassicSnapshot.Member> members = new ArrayList<>();
        for (ConsumerMember m : g.members.values()) {
            members.add(new ClassicSnapshot.Member(
                    m.memberId,
                    m.instanceId,
                    m.clientId,
                    m.clientHost,
                    m.rebalanceTimeoutMs,
                    m.classicSessionTimeoutMs,
                    m.classicProtocols,
                    ConsumerProtocolBytes.assignment(byName(m.assigned, topics))));
        }
        return new ClassicSnapshot(g.groupEpoch, commonProtocol(g), members);
    }

    /** The first protocol of the first member that every member offers. */
    private static String commonProtocol(ConsumerGroup g) {
        Map<String, Integer> counts = new HashMap<>();
        for (ConsumerMember m : g.members.values()) {
            m.classicProtocols.forEach(p -> counts.merge(p.name(), 1, Integer::sum));
        }
        ConsumerMember first = g.members.firstEntry().getValue();
        for (Protocol p : first.classicProtocols) {
            if (counts.get(p.name()) == g.members.size()) {
                return p.name();
            }
        }
        return first.classicProtocolName();
    }

    static TreeMap<UUID, TreeSet<Integer>> byId(Map<String, TreeSet<Integer>> byName, TopicMetadata topics) {
        TreeMap<UUID, TreeSet<Integer>> out = Partitions.empty();
        byName.forEach((name, ps) -> {
            TopicMetadata.Topic t = topics.byName(name);
            if (t != null) {
                ps.forEach(p -> Partitions.add(out, t.id(), p));
            }
        });
        return out;
    }

    static TreeMap<String, TreeSet<Integer>> byName(Map<UUID, TreeSet<Integer>> byId, TopicMetadata topics) {
        TreeMap<String, TreeSet<Integer>> out = new TreeMap<>();
        byId.forEach((id, ps) -> {
            TopicMetadata.Topic t = topics.byId(id);
            if (t != null) {
                out.computeIfAbsent(t.name(), n -> new TreeSet<>()).addAll(ps);
            }
        });
        return out;
    }
}
