package io.tributary.coordinator.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.ToLongBiFunction;
import org.junit.jupiter.api.Test;

/** The lag-aware server-side assignor (issue 14, feature X6): balance by lag and count, stickiness, ties. */
class LagAwareAssignorTest {
    private static final UUID FOO = new UUID(1, 1);
    private static final UUID BAR = new UUID(2, 2);

    private static TreeMap<String, Set<UUID>> members(String... ids) {
        TreeMap<String, Set<UUID>> out = new TreeMap<>();
        for (String id : ids) {
            out.put(id, Set.of(FOO));
        }
        return out;
    }

    private static long lagOf(TreeMap<UUID, TreeSet<Integer>> a, ToLongBiFunction<UUID, Integer> lag) {
        long sum = 0;
        for (Map.Entry<UUID, TreeSet<Integer>> t : a.entrySet()) {
            for (int p : t.getValue()) {
                sum += lag.applyAsLong(t.getKey(), p);
            }
        }
        return sum;
    }

    /** Every partition of the topics once. */
    private static void assertComplete(TreeMap<String, TreeMap<UUID, TreeSet<Integer>>> a, Map<UUID, Integer> topics) {
        Map<UUID, List<Integer>> seen = new HashMap<>();
        a.values()
                .forEach(m ->
                        m.forEach((t, ps) -> ps.forEach(p -> seen.computeIfAbsent(t, k -> new java.util.ArrayList<>())
                                .add(p))));
        topics.forEach((t, n) ->
                assertThat(seen.get(t)).as("partitions of %s", t).hasSize(n).doesNotHaveDuplicates());
    }

    @Test
    void aSkewedBacklogIsSpreadWhereUniformPilesItOnOneMember() {
        // The backlog sits on partitions 0, 3 and 6: exactly the ones uniform gives one member.
        ToLongBiFunction<UUID, Integer> lag = (t, p) -> p % 3 == 0 ? 1_000 : 0;
        Map<UUID, Integer> topics = Map.of(FOO, 9);

        var uniform = ServerAssignors.assign("uniform", members("a", "b", "c"), topics, Map.of(), lag);
        assertThat(uniform.values().stream().mapToLong(m -> lagOf(m, lag)).max().orElseThrow())
                .isEqualTo(3_000);

        var lagAware = ServerAssignors.assign(LagAwareAssignor.NAME, members("a", "b", "c"), topics, Map.of(), lag);
        assertComplete(lagAware, topics);
        for (var m : lagAware.values()) {
            assertThat(lagOf(m, lag)).isEqualTo(1_000);
            assertThat(Partitions.count(m)).isEqualTo(3);
        }
    }

    @Test
    void randomLagsEndBalancedByCountAndWithinOnePartitionsLagOfEachOther() {
        Random random = new Random(14);
        for (int round = 0; round < 50; round++) {
            int n = 5 + random.nextInt(60);
            int m = 1 + random.nextInt(8);
            long[] lags = new long[n];
            long maxLag = 0;
            for (int p = 0; p < n; p++) {
                lags[p] = random.nextInt(4) == 0 ? random.nextInt(100_000) : random.nextInt(100);
                maxLag = Math.max(maxLag, lags[p]);
            }
            ToLongBiFunction<UUID, Integer> lag = (t, p) -> lags[p];
            String[] ids = new String[m];
            for (int i = 0; i < m; i++) {
                ids[i] = "m" + i;
            }
            var a = LagAwareAssignor.assign(members(ids), Map.of(FOO, n), Map.of(), lag);
            assertComplete(a, Map.of(FOO, n));
            int minCount = a.values().stream().mapToInt(Partitions::count).min().orElseThrow();
            int maxCount = a.values().stream().mapToInt(Partitions::count).max().orElseThrow();
            assertThat(maxCount - minCount).as("round %d counts", round).isLessThanOrEqualTo(1);
            long minLag =
                    a.values().stream().mapToLong(x -> lagOf(x, lag)).min().orElseThrow();
            long maxMemberLag =
                    a.values().stream().mapToLong(x -> lagOf(x, lag)).max().orElseThrow();
            assertThat(maxMemberLag - minLag).as("round %d lags", round).isLessThanOrEqualTo(maxLag);
        }
    }

    @Test
    void withoutLagItIsAStickyCountBalancer() {
        ToLongBiFunction<UUID, Integer> none = (t, p) -> 0;
        var two = LagAwareAssignor.assign(members("a", "b"), Map.of(FOO, 6), Map.of(), none);
        assertThat(two.values()).allSatisfy(m -> assertThat(Partitions.count(m)).isEqualTo(3));

        var three = LagAwareAssignor.assign(members("a", "b", "c"), Map.of(FOO, 6), two, none);
        assertComplete(three, Map.of(FOO, 6));
        assertThat(three.values())
                .allSatisfy(m -> assertThat(Partitions.count(m)).isEqualTo(2));
        // The newcomer's two partitions are the only ones that move.
        assertThat(two.get("a").get(FOO)).containsAll(three.get("a").get(FOO));
        assertThat(two.get("b").get(FOO)).containsAll(three.get("b").get(FOO));
    }

    @Test
    void anUnchangedGroupWithUnchangedLagsKeepsItsTarget() {
        Random random = new Random(848);
        long[] lags = new long[30];
        for (int p = 0; p < lags.length; p++) {
            lags[p] = random.nextInt(10_000);
        }
        ToLongBiFunction<UUID, Integer> lag = (t, p) -> lags[p];
        var first = LagAwareAssignor.assign(members("a", "b", "c", "d"), Map.of(FOO, 30), Map.of(), lag);
        var again = LagAwareAssignor.assign(members("a", "b", "c", "d"), Map.of(FOO, 30), first, lag);
        assertThat(again).isEqualTo(first);
    }

    @Test
    void aLeavingMembersPartitionsAreTheOnlyOnesThatMoveWhenLagsAreEven() {
        ToLongBiFunction<UUID, Integer> lag = (t, p) -> 100;
        var three = LagAwareAssignor.assign(members("a", "b", "c"), Map.of(FOO, 9), Map.of(), lag);
        var prev = new TreeMap<>(three);
        prev.remove("c");
        var two = LagAwareAssignor.assign(members("a", "b"), Map.of(FOO, 9), prev, lag);
        assertComplete(two, Map.of(FOO, 9));
        assertThat(two.get("a").get(FOO)).containsAll(three.get("a").get(FOO));
        assertThat(two.get("b").get(FOO)).containsAll(three.get("b").get(FOO));
    }

    @Test
    void tiesAreBrokenByCountThenMemberIdSoTheResultIsFixed() {
        ToLongBiFunction<UUID, Integer> lag = (t, p) -> 7;
        var a = LagAwareAssignor.assign(members("b", "a"), Map.of(FOO, 4), Map.of(), lag);
        // Equal lags, taken in partition order, alternate between the members starting with "a".
        assertThat(a.get("a").get(FOO)).containsExactly(0, 2);
        assertThat(a.get("b").get(FOO)).containsExactly(1, 3);
        assertThat(LagAwareAssignor.assign(members("a", "b"), Map.of(FOO, 4), Map.of(), lag))
                .isEqualTo(a);
    }

    @Test
    void membersOnlyGetTopicsTheySubscribeTo() {
        TreeMap<String, Set<UUID>> subs = new TreeMap<>();
        subs.put("a", Set.of(FOO));
        subs.put("b", Set.of(FOO, BAR));
        subs.put("c", Set.of(BAR));
        ToLongBiFunction<UUID, Integer> lag = (t, p) -> t.equals(FOO) ? 1_000 : 1;
        Map<UUID, Integer> topics = Map.of(FOO, 4, BAR, 4);
        var a = LagAwareAssignor.assign(subs, topics, Map.of(), lag);
        assertComplete(a, topics);
        assertThat(a.get("a")).doesNotContainKey(BAR);
        assertThat(a.get("c")).doesNotContainKey(FOO);
        // The heavy topic is shared by the two members that may have it.
        assertThat(a.get("a").get(FOO)).hasSize(2);
        assertThat(a.get("b").get(FOO)).hasSize(2);
    }

    @Test
    void noMembersNoTarget() {
        assertThat(LagAwareAssignor.assign(new TreeMap<>(), Map.of(FOO, 3), Map.of(), (t, p) -> 1))
                .isEmpty();
    }
}
