package io.tributary.coordinator;

import static io.tributary.coordinator.GroupCoordinatorTestContext.ctx;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.protocol.Errors;
import io.tributary.protocol.message.OffsetFetchRequestData;
import io.tributary.protocol.message.OffsetFetchResponseData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: random interleavings of plain commits, transactional commits of three producers, their
 * commits and aborts (sometimes twice), restarts and frequent snapshots, checked after every step
 * against a model of Kafka's rule: a transaction's offset becomes the committed one at the commit
 * marker unless the partition's committed offset was written after it; pending partitions answer
 * UNSTABLE_OFFSET_COMMIT to require_stable fetches.
 */
class RandomizedTxnOffsetsTest {
    private static final String G = "g";
    private static final int PARTITIONS = 4;

    /** An offset and the logical time its commit was written. */
    private record Written(long offset, long at) {}

    @Test
    void randomTransactionsMatchTheModelAcrossRestartsAndSnapshots() {
        for (long seed = 1; seed <= 10; seed++) {
            run(seed);
        }
    }

    private void run(long seed) {
        Random rnd = new Random(seed);
        GroupCoordinatorTestContext t = new GroupCoordinatorTestContext(
                GroupCoordinatorConfig.defaults().withSnapshotMinRecords(5));
        Map<Integer, Written> committed = new HashMap<>();
        Map<Long, Map<Integer, Written>> pending = new HashMap<>();
        long clock = 0;
        for (int step = 0; step < 300; step++) {
            int partition = rnd.nextInt(PARTITIONS);
            long offset = step;
            long pid = 1 + rnd.nextInt(3);
            int action = rnd.nextInt(10);
            if (action < 3) {
                assertThat(t.commit(G, "", -1, "t", partition, offset)).isEqualTo(Errors.NONE);
                committed.put(partition, new Written(offset, clock++));
            } else if (action < 6) {
                Errors e = Errors.forCode(t.coordinator
                        .txnOffsetCommit(
                                ctx(3), TxnOffsetCommitTest.txnRequest(pid, 0, G, "", -1, "t", partition, offset))
                        .join()
                        .topics
                        .get(0)
                        .partitions
                        .get(0)
                        .errorCode);
                assertThat(e).isEqualTo(Errors.NONE);
                pending.computeIfAbsent(pid, p -> new HashMap<>()).put(partition, new Written(offset, clock++));
            } else if (action < 9) {
                boolean commit = rnd.nextBoolean();
                t.coordinator.completeTransaction(pid, (short) 0, commit).join();
                Map<Integer, Written> txn = pending.remove(pid);
                if (commit && txn != null) {
                    txn.forEach((p, w) -> {
                        Written old = committed.get(p);
                        if (old == null || w.at() > old.at()) {
                            committed.put(p, w);
                        }
                    });
                }
            } else {
                t.restart();
            }
            check(t, committed, pending, "seed " + seed + " step " + step);
        }
        assertThat(t.coordinator.failedOperations()).isZero();
    }

    private static void check(
            GroupCoordinatorTestContext t,
            Map<Integer, Written> committed,
            Map<Long, Map<Integer, Written>> pending,
            String where) {
        List<Short> stable = fetch(t, true).stream().map(p -> p.errorCode).toList();
        List<OffsetFetchResponseData.OffsetFetchResponsePartitions> plain = fetch(t, false);
        for (int p = 0; p < PARTITIONS; p++) {
            int partition = p;
            boolean isPending = pending.values().stream().anyMatch(m -> m.containsKey(partition));
            Written w = committed.get(p);
            assertThat(plain.get(p).committedOffset)
                    .as("%s: committed offset of partition %d", where, p)
                    .isEqualTo(w == null ? -1 : w.offset());
            assertThat(Errors.forCode(stable.get(p)))
                    .as("%s: require_stable on partition %d", where, p)
                    .isEqualTo(isPending ? Errors.UNSTABLE_OFFSET_COMMIT : Errors.NONE);
        }
    }

    private static List<OffsetFetchResponseData.OffsetFetchResponsePartitions> fetch(
            GroupCoordinatorTestContext t, boolean requireStable) {
        List<Integer> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(p);
        }
        OffsetFetchRequestData req = new OffsetFetchRequestData().setRequireStable(requireStable);
        req.groups.add(new OffsetFetchRequestData.OffsetFetchRequestGroup()
                .setGroupId(G)
                .setTopics(new ArrayList<>(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopics()
                        .setName("t")
                        .setPartitionIndexes(partitions)))));
        return t.coordinator
                .offsetFetch(ctx(8), req)
                .join()
                .groups
                .get(0)
                .topics
                .get(0)
                .partitions;
    }
}
