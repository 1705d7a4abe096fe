package io.tributary.interop.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Judges a group from what its {@link MemberProcess}es printed: stable assignments, exclusive
 * ownership over time, hand-over latencies, and what was consumed. Stateless; called from the
 * test thread.
 */
public final class Ownership {
    private Ownership() {}

    /** A member's hold on one partition, from its ASSIGNED callback to its REVOKED/LOST/exit. */
    record Interval(String member, int partition, long fromNanos, long toNanos) {}

    /**
     * Waits until every member in {@code live} has completed the same generation, their owned
     * sets are disjoint and together cover all {@code partitions}. Fails at once if a live member
     * dies or reports an error. Returns that generation.
     */
    public static int awaitStable(String what, List<MemberProcess> live, int partitions, Duration atMost) {
        int[] generation = {-1};
        try {
            await(what).atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> {
                for (MemberProcess m : live) {
                    if (!m.isAlive() || m.printed("ERROR") || m.printed("FENCED")) {
                        throw new AssertionError(
                                "member " + m + " failed while waiting for: " + what + "\n" + m.diagnostics());
                    }
                }
                Set<Integer> generations =
                        live.stream().map(MemberProcess::lastAssignedGeneration).collect(Collectors.toSet());
                if (generations.size() != 1 || generations.contains(-1)) {
                    return false;
                }
                Set<Integer> union = new HashSet<>();
                int total = 0;
                for (MemberProcess m : live) {
                    Set<Integer> owned = m.owned();
                    total += owned.size();
                    union.addAll(owned);
                }
                generation[0] = generations.iterator().next();
                return total == partitions && union.size() == partitions;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(what + ": no stable assignment within " + atMost + "\n" + describe(live), e);
        }
        return generation[0];
    }

    /** Current owned partitions per member. */
    public static Map<String, Set<Integer>> assignment(List<MemberProcess> members) {
        Map<String, Set<Integer>> result = new TreeMap<>();
        members.forEach(m -> result.put(m.name(), m.owned()));
        return result;
    }

    /** Every assignor here balances a single topic: owned counts differ by at most one. */
    public static void assertBalanced(List<MemberProcess> live) {
        List<Integer> counts = live.stream().map(m -> m.owned().size()).toList();
        assertThat(counts.stream().mapToInt(Integer::intValue).max().orElse(0)
                        - counts.stream().mapToInt(Integer::intValue).min().orElse(0))
                .as("partitions per member should differ by at most one: %s", assignment(live))
                .isLessThanOrEqualTo(1);
    }

    /**
     * No partition was ever held by two members at once: each member's holds run from its
     * ASSIGNED callback to its REVOKED/LOST callback, or to its exit if it never gave it up.
     */
    public static void assertNeverOwnedTwice(List<MemberProcess> members) {
        Map<Integer, List<Interval>> byPartition = new TreeMap<>();
        for (MemberProcess m : members) {
            for (Interval i : intervals(m)) {
                byPartition
                        .computeIfAbsent(i.partition(), p -> new ArrayList<>())
                        .add(i);
            }
        }
        for (Map.Entry<Integer, List<Interval>> e : byPartition.entrySet()) {
            List<Interval> holds = new ArrayList<>(e.getValue());
            holds.sort(Comparator.comparingLong(Interval::fromNanos));
            for (int k = 1; k < holds.size(); k++) {
                Interval previous = holds.get(k - 1);
                Interval next = holds.get(k);
                assertThat(next.fromNanos())
                        .as(
                                "partition %d: %s took it at %d while %s held it until %d",
                                e.getKey(), next.member(), next.fromNanos(), previous.member(), previous.toNanos())
                        .isGreaterThanOrEqualTo(previous.toNanos());
            }
        }
    }

    static List<Interval> intervals(MemberProcess m) {
        List<Interval> result = new ArrayList<>();
        Map<Integer, Long> open = new HashMap<>();
        long end = Long.MAX_VALUE;
        for (MemberProcess.Event e : m.events()) {
            switch (e.kind()) {
                case "ASSIGNED" -> e.partitions().forEach(p -> open.putIfAbsent(p, e.nanos()));
                case "REVOKED", "LOST" ->
                    e.partitions().forEach(p -> {
                        Long from = open.remove(p);
                        if (from != null) {
                            result.add(new Interval(m.name(), p, from, e.nanos()));
                        }
                    });
                case "CLOSED" -> end = e.nanos();
                default -> {}
            }
        }
        if (m.deadAtNanos() >= 0) {
            // Dead for sure once waitFor returned; before that it might still have fetched.
            end = Math.min(end, m.deadAtNanos());
        }
        long until = end;
        open.forEach((p, from) -> result.add(new Interval(m.name(), p, from, until)));
        return result;
    }

    /**
     * When {@code partitions} reached other members after {@code sinceNanos}: the first ASSIGNED
     * callback that took one of them, and the one that completed the set.
     */
    static long[] handover(List<MemberProcess> others, Set<Integer> partitions, long sinceNanos) {
        Map<Integer, Long> takenAt = new HashMap<>();
        for (MemberProcess m : others) {
            for (MemberProcess.Event e : m.events()) {
                if (e.kind().equals("ASSIGNED") && e.nanos() >= sinceNanos) {
                    for (int p : e.partitions()) {
                        if (partitions.contains(p)) {
                            takenAt.merge(p, e.nanos(), Math::min);
                        }
                    }
                }
            }
        }
        assertThat(takenAt.keySet()).as("partitions handed over to %s", others).isEqualTo(partitions);
        return new long[] {
            takenAt.values().stream().mapToLong(Long::longValue).min().orElseThrow(),
            takenAt.values().stream().mapToLong(Long::longValue).max().orElseThrow()
        };
    }

    /** Values of every RECORD line of every member. */
    public static Set<String> consumedValues(List<MemberProcess> members) {
        Set<String> values = new HashSet<>();
        for (MemberProcess m : members) {
            for (MemberProcess.Event e : m.events()) {
                if (e.kind().equals("RECORD")) {
                    values.add(e.value());
                }
            }
        }
        return values;
    }

    public static Set<Integer> allPartitions(int partitions) {
        return IntStream.range(0, partitions).boxed().collect(Collectors.toCollection(TreeSet::new));
    }

    public static String describe(List<MemberProcess> members) {
        StringBuilder sb = new StringBuilder();
        members.forEach(m -> sb.append(m.diagnostics()));
        return sb.toString();
    }
}
