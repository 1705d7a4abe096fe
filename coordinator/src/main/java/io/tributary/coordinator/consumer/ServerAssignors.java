package io.tributary.coordinator.consumer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.ToLongBiFunction;

/**
 * The server-side assignors of KIP-848, chosen by name ({@code group.remote.assignor} on the
 * client, {@code group.consumer.assignors} on the broker). Pure functions of their inputs, so a
 * replayed group computes what the live one did.
 * <ul>
 *   <li>{@code uniform}: every member gets within one partition of the others among the topics it
 *       subscribes to, and keeps what it had in the previous target as far as that allows (few
 *       partitions move, so few are revoked).
 *   <li>{@code range}: per topic, the members subscribed to it in member id order get contiguous
 *       ranges, the first ones one partition more.
 *   <li>{@code lag-aware} (ours, feature X6): balances each member's total lag as well as its
 *       partition count; see {@link LagAwareAssignor}. Its input changes with every produce and
 *       commit, so it is a function of the lags at the moment the target is computed (the target
 *       itself is persisted, so a replay does not recompute it).
 * </ul>
 */
final class ServerAssignors {
    static final String UNIFORM = "uniform";
    static final String RANGE = "range";

    private ServerAssignors() {}

    static boolean known(String name) {
        return UNIFORM.equals(name) || RANGE.equals(name) || LagAwareAssignor.NAME.equals(name);
    }

    /**
     * @param subscriptions member id to the ids of the existing topics it subscribes to
     * @param partitions topic id to partition count
     * @param previous the previous target, by member id
     * @param lagOf a partition's lag for the group, asked only by {@code lag-aware}
     */
    static TreeMap<String, TreeMap<UUID, TreeSet<Integer>>> assign(
            String name,
            SortedMap<String, Set<UUID>> subscriptions,
            Map<UUID, Integer> partitions,
            Map<String, TreeMap<UUID, TreeSet<Integer>>> previous,
            ToLongBiFunction<UUID, Integer> lagOf) {
        if (LagAwareAssignor.NAME.equals(name)) {
            return LagAwareAssignor.assign(subscriptions, partitions, previous, lagOf);
        }
        return RANGE.equals(name) ? range(subscriptions, partitions) : uniform(subscriptions, partitions, previous);
    }

    private static TreeMap<String, TreeMap<UUID, TreeSet<Integer>>> range(
            SortedMap<String, Set<UUID>> subscriptions, Map<UUID, Integer> partitions) {
        TreeMap<String, TreeMap<UUID, TreeSet<Integer>>> out = emptyTarget(subscriptions);
        for (Map.Entry<UUID, Integer> topic : new TreeMap<>(partitions).entrySet()) {
            List<String> subscribers = new ArrayList<>();
            subscriptions.forEach((m, topics) -> {
                if (topics.contains(topic.getKey())) {
                    subscribers.add(m);
                }
            });
            if (subscribers.isEmpty()) {
                continue;
            }
            int n = topic.getValue();
            int each = n / subscribers.size();
            int extra = n % subscribers.size();
            int next = 0;
            for (int i = 0; i < subscribers.size(); i++) {
                int count = each + (i < extra ? 1 : 0);
                for (int p = next; p < next + count; p++) {
                    Partitions.add(out.get(subscribers.get(i)), topic.getKey(), p);
                }
                next += count;
            }
        }
        return out;
    }

    private static TreeMap<String, TreeMap<UUID, TreeSet<Integer>>> uniform(
            SortedMap<String, Set<UUID>> subscriptions,
            Map<UUID, Integer> partitions,
            Map<String, TreeMap<UUID, TreeSet<Integer>>> previous) {
        TreeMap<String, TreeMap<UUID, TreeSet<Integer>>> out = emptyTarget(subscriptions);
        if (subscriptions.isEmpty()) {
            return out;
        }
        // Every subscribed partition, in (topic id, partition) order.
        int total = 0;
        TreeMap<UUID, TreeSet<Integer>> unassigned = Partitions.empty();
        for (Map.Entry<UUID, Integer> t : new TreeMap<>(partitions).entrySet()) {
            boolean subscribed = subscriptions.values().stream().anyMatch(s -> s.contains(t.getKey()));
            for (int p = 0; subscribed && p < t.getValue(); p++) {
                Partitions.add(unassigned, t.getKey(), p);
                total++;
            }
        }
        // Stickiness: each member keeps up to its fair share of what it had and still may have;
        // the first (total % members) members that had more keep one more, so that when a member
        // joins only the partitions it is to get move (none pass between the others, each such
        // pass costing one more revoke-then-assign round of heartbeats).
        int quota = total / subscriptions.size();
        int extra = total % subscriptions.size();
        for (Map.Entry<String, Set<UUID>> m : subscriptions.entrySet()) {
            TreeMap<UUID, TreeSet<Integer>> had = previous.getOrDefault(m.getKey(), Partitions.empty());
            int kept = 0;
            int limit = quota;
            for (Map.Entry<UUID, TreeSet<Integer>> t : had.entrySet()) {
                if (!m.getValue().contains(t.getKey())) {
                    continue;
                }
                for (int p : t.getValue()) {
                    if (!Partitions.contains(unassigned, t.getKey(), p)) {
                        continue;
                    }
                    if (kept == quota && limit == quota && extra > 0) {
                        limit++;
                        extra--;
                    }
                    if (kept < limit) {
                        Partitions.add(out.get(m.getKey()), t.getKey(), p);
                        unassigned.get(t.getKey()).remove(p);
                        kept++;
                    }
                }
            }
        }
        // The rest, one at a time, to the least loaded member subscribed to the topic.
        Comparator<String> byLoad = Comparator.<String>comparingInt(m -> Partitions.count(out.get(m)))
                .thenComparing(m -> m);
        for (Map.Entry<UUID, TreeSet<Integer>> t : unassigned.entrySet()) {
            for (int p : t.getValue()) {
                String best = null;
                for (Map.Entry<String, Set<UUID>> m : subscriptions.entrySet()) {
                    if (m.getValue().contains(t.getKey()) && (best == null || byLoad.compare(m.getKey(), best) < 0)) {
                        best = m.getKey();
                    }
                }
                Partitions.add(out.get(best), t.getKey(), p);
            }
        }
        return out;
    }

    private static TreeMap<String, TreeMap<UUID, TreeSet<Integer>>> emptyTarget(
            SortedMap<String, Set<UUID>> subscriptions) {
        TreeMap<String, TreeMap<UUID, TreeSet<Integer>>> out = new TreeMap<>();
        subscriptions.keySet().forEach(m -> out.put(m, Partitions.empty()));
        return out;
    }
}
