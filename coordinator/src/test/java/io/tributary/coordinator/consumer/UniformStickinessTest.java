package io.tributary.coordinator.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The uniform assignor (issue 14) moves only what a joining member is to get: no partition passes
 * between members that stay (each such pass costs the group another revoke-then-assign round of
 * heartbeats, which the rebalance benchmark showed as ~2 s more than Apache's to settle).
 */
class UniformStickinessTest {
    private static final UUID T = new UUID(3, 3);

    private static TreeMap<String, Set<UUID>> members(int n) {
        TreeMap<String, Set<UUID>> out = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            out.put(String.format("m%02d", i), Set.of(T));
        }
        return out;
    }

    private static void assertBalanced(TreeMap<String, TreeMap<UUID, TreeSet<Integer>>> a, int total) {
        int min = a.values().stream().mapToInt(Partitions::count).min().orElseThrow();
        int max = a.values().stream().mapToInt(Partitions::count).max().orElseThrow();
        assertThat(max - min).isLessThanOrEqualTo(1);
        assertThat(a.values().stream().mapToInt(Partitions::count).sum()).isEqualTo(total);
    }

    @Test
    void aJoinOnlyTakesFromTheOthersAndNothingPassesBetweenThem() {
        for (int n : new int[] {10, 50}) {
            var before = ServerAssignors.assign("uniform", members(n), Map.of(T, 900), Map.of(), (t, p) -> 0);
            var after = ServerAssignors.assign("uniform", members(n + 1), Map.of(T, 900), before, (t, p) -> 0);
            assertBalanced(after, 900);
            before.forEach((m, had) -> assertThat(had.get(T))
                    .as("%s of %d", m, n)
                    .containsAll(after.get(m).get(T)));
        }
    }

    @Test
    void aLeaveOnlyGivesAwayTheLeaversPartitions() {
        var before = ServerAssignors.assign("uniform", members(11), Map.of(T, 900), Map.of(), (t, p) -> 0);
        var previous = new TreeMap<>(before);
        previous.remove("m10");
        var after = ServerAssignors.assign("uniform", members(10), Map.of(T, 900), previous, (t, p) -> 0);
        assertBalanced(after, 900);
        after.forEach(
                (m, has) -> assertThat(has.get(T)).containsAll(before.get(m).get(T)));
    }
}
