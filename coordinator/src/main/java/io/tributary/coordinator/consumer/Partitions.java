package io.tributary.coordinator.consumer;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Sets of partitions named by topic id (KIP-848 names partitions by id), as sorted maps of
 * sorted sets so that records, responses and assignors see them in one deterministic order.
 * Every method returns a fresh map and leaves its arguments alone.
 */
final class Partitions {
    private Partitions() {}

    static TreeMap<UUID, TreeSet<Integer>> empty() {
        return new TreeMap<>();
    }

    static TreeMap<UUID, TreeSet<Integer>> copy(Map<UUID, ? extends Set<Integer>> a) {
        TreeMap<UUID, TreeSet<Integer>> out = new TreeMap<>();
        a.forEach((t, ps) -> {
            if (!ps.isEmpty()) {
                out.put(t, new TreeSet<>(ps));
            }
        });
        return out;
    }

    /** What {@code a} holds that {@code b} does not. */
    static TreeMap<UUID, TreeSet<Integer>> minus(
            Map<UUID, ? extends Set<Integer>> a, Map<UUID, ? extends Set<Integer>> b) {
        TreeMap<UUID, TreeSet<Integer>> out = new TreeMap<>();
        a.forEach((t, ps) -> {
            TreeSet<Integer> left = new TreeSet<>(ps);
            Set<Integer> other = b.get(t);
            if (other != null) {
                left.removeAll(other);
            }
            if (!left.isEmpty()) {
                out.put(t, left);
            }
        });
        return out;
    }

    static TreeMap<UUID, TreeSet<Integer>> intersect(
            Map<UUID, ? extends Set<Integer>> a, Map<UUID, ? extends Set<Integer>> b) {
        return minus(a, minus(a, b));
    }

    static boolean contains(Map<UUID, ? extends Set<Integer>> a, UUID topic, int partition) {
        Set<Integer> ps = a.get(topic);
        return ps != null && ps.contains(partition);
    }

    static void add(Map<UUID, TreeSet<Integer>> a, UUID topic, int partition) {
        a.computeIfAbsent(topic, t -> new TreeSet<>()).add(partition);
    }

    static boolean disjoint(Map<UUID, ? extends Set<Integer>> a, Map<UUID, ? extends Set<Integer>> b) {
        return intersect(a, b).isEmpty();
    }

    static int count(Map<UUID, ? extends Set<Integer>> a) {
        int n = 0;
        for (Set<Integer> ps : a.values()) {
            n += ps.size();
        }
        return n;
    }

    static boolean same(Map<UUID, ? extends Set<Integer>> a, Map<UUID, ? extends Set<Integer>> b) {
        return copy(a).equals(copy(b));
    }
}
