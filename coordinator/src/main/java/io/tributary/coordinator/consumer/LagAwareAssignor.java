package io.tributary.coordinator.consumer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.ToLongBiFunction;

/**
 * The {@code lag-aware} server-side assignor (feature X6; no Apache counterpart): every member
 * gets about the same number of partitions AND about the same total lag (log end offset minus
 * the group's committed offset), so a backlog that piled up on a few partitions (after an outage
 * of the consumers or a burst on a few keys) is drained by every member at once instead of by
 * whichever member happens to own those partitions.
 *
 * <p>Largest lag first, each partition goes to the subscribed member with the least total lag
 * among those still below their count bound (counts end within one of each other when every
 * member subscribes to the same topics). It is sticky: a partition stays with its previous owner
 * while that owner is below its count bound and either keeping it does not push the owner's lag
 * above the fair share (total lag / members, rounded up) or its lag is negligible (under 1% of
 * the fair share). With no lag anywhere it degrades to a sticky count balancer. Deterministic: ties go by partition count, then to the previous owner, then by
 * member id; partitions of equal lag are taken in (topic id, partition) order.
 */
final class LagAwareAssignor {
    static final String NAME = "lag-aware";

    private LagAwareAssignor() {}

    private record Part(UUID topic, int partition, long lag, String previousOwner) {}

    /**
     * @param subscriptions member id to the ids of the existing topics it subscribes to
     * @param partitions topic id to partition count
     * @param previous the previous target, by member id
     * @param lagOf a partition's lag (never negative; 0 when unknown)
     */
    static TreeMap<String, TreeMap<UUID, TreeSet<Integer>>> assign(
            SortedMap<String, Set<UUID>> subscriptions,
            Map<UUID, Integer> partitions,
            Map<String, TreeMap<UUID, TreeSet<Integer>>> previous,
            ToLongBiFunction<UUID, Integer> lagOf) {
        TreeMap<String, TreeMap<UUID, TreeSet<Integer>>> out = new TreeMap<>();
        subscriptions.keySet().forEach(m -> out.put(m, Partitions.empty()));
        if (subscriptions.isEmpty()) {
            return out;
        }
        List<Part> parts = parts(subscriptions, partitions, previous, lagOf);
        int members = subscriptions.size();
        int floor = parts.size() / members;
        int extra = parts.size() % members;
        long totalLag = 0;
        for (Part p : parts) {
            totalLag += p.lag;
        }
        long fairLag = (totalLag + members - 1) / members;
        // Moving a partition this light would cost a revocation and change no member's lag noticeably.
        long negligible = fairLag / 100;

        Map<String, Long> lag = new HashMap<>();
        Map<String, Integer> count = new HashMap<>();
        subscriptions.keySet().forEach(m -> {
            lag.put(m, 0L);
            count.put(m, 0);
        });
        int[] aboveFloor = {0};
        for (Part p : parts) {
            List<String> eligible = new ArrayList<>();
            List<String> withRoom = new ArrayList<>();
            for (Map.Entry<String, Set<UUID>> m : subscriptions.entrySet()) {
                if (m.getValue().contains(p.topic)) {
                    eligible.add(m.getKey());
                    int c = count.get(m.getKey());
                    if (c < floor || (c == floor && aboveFloor[0] < extra)) {
                        withRoom.add(m.getKey());
                    }
                }
            }
            // Members with different subscriptions can make the count bounds unreachable: then
            // the partition still goes to somebody, the least lagged eligible member.
            List<String> candidates = withRoom.isEmpty() ? eligible : withRoom;
            String chosen;
            if (p.previousOwner != null
                    && candidates.contains(p.previousOwner)
                    && (lag.get(p.previousOwner) + p.lag <= fairLag || p.lag <= negligible)) {
                chosen = p.previousOwner;
            } else {
                Comparator<String> best = Comparator.<String>comparingLong(lag::get)
                        .thenComparingInt(count::get)
                        .thenComparing(m -> !m.equals(p.previousOwner))
                        .thenComparing(m -> m);
                chosen = candidates.stream().min(best).orElseThrow();
            }
            if (count.get(chosen) == floor) {
                aboveFloor[0]++;
            }
            count.merge(chosen, 1, Integer::sum);
            lag.merge(chosen, p.lag, Long::sum);
            Partitions.add(out.get(chosen), p.topic, p.partition);
        }
        return out;
    }

    /** Every partition some member subscribes to, largest lag first. */
    private static List<Part> parts(
            SortedMap<String, Set<UUID>> subscriptions,
            Map<UUID, Integer> partitions,
            Map<String, TreeMap<UUID, TreeSet<Integer>>> previous,
            ToLongBiFunction<UUID, Integer> lagOf) {
        List<Part> parts = new ArrayList<>();
        for (Map.Entry<UUID, Integer> t : new TreeMap<>(partitions).entrySet()) {
            UUID topic = t.getKey();
            if (subscriptions.values().stream().noneMatch(s -> s.contains(topic))) {
                continue;
            }
            for (int p = 0; p < t.getValue(); p++) {
                parts.add(new Part(
                        topic, p, Math.max(0, lagOf.applyAsLong(topic, p)), owner(subscriptions, previous, topic, p)));
            }
        }
        parts.sort(Comparator.comparingLong(Part::lag).reversed());
        return parts;
    }

    /** The member that had the partition in the previous target and may still have it, or null. */
    private static String owner(
            SortedMap<String, Set<UUID>> subscriptions,
            Map<String, TreeMap<UUID, TreeSet<Integer>>> previous,
            UUID topic,
            int partition) {
        for (Map.Entry<String, TreeMap<UUID, TreeSet<Integer>>> e : previous.entrySet()) {
            Set<UUID> subscribed = subscriptions.get(e.getKey());
            if (subscribed != null
                    && subscribed.contains(topic)
                    && Partitions.contains(e.getValue(), topic, partition)) {
                return e.getKey();
            }
        }
        return null;
    }
}
