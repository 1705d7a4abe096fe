package io.tributary.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.coordinator.GroupCoordinator;
import io.tributary.coordinator.GroupCoordinatorConfig;
import io.tributary.coordinator.RequestContext;
import io.tributary.coordinator.runtime.CoordinatorRecord;
import io.tributary.protocol.message.OffsetCommitRequestData;
import io.tributary.protocol.message.OffsetCommitResponseData;
import io.tributary.protocol.message.OffsetFetchRequestData;
import io.tributary.protocol.message.OffsetFetchResponseData;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coordinator's log on real files: durability, replay, torn tails, trimming by whole segments. */
class StorageCoordinatorLogTest {
    private static final int SEGMENT_BYTES = 4096;

    @TempDir
    Path dir;

    private static CoordinatorRecord rec(String key, String value) {
        return new CoordinatorRecord(
                key.getBytes(StandardCharsets.UTF_8), value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> replayed(StorageCoordinatorLog log) {
        List<String> out = new ArrayList<>();
        log.replay(r -> out.add(new String(r.key(), StandardCharsets.UTF_8) + "="
                + (r.value() == null ? "null" : new String(r.value(), StandardCharsets.UTF_8))));
        return out;
    }

    @Test
    void appendCompletesOnlyOnceFsyncedAndReplaysInOrderAfterReopen() throws Exception {
        try (StorageCoordinatorLog log = StorageCoordinatorLog.open(dir, SEGMENT_BYTES)) {
            assertThat(log.endOffset()).isZero();
            log.append(List.of(rec("a", "1"), rec("b", "2"))).get(10, TimeUnit.SECONDS);
            assertThat(log.recoveryPoint()).isEqualTo(2);
            log.append(List.of(rec("a", null))).get(10, TimeUnit.SECONDS);
            assertThat(log.endOffset()).isEqualTo(3);
            assertThat(log.recoveryPoint()).isEqualTo(3);
        }
        try (StorageCoordinatorLog log = StorageCoordinatorLog.open(dir, SEGMENT_BYTES)) {
            assertThat(replayed(log)).containsExactly("a=1", "b=2", "a=null");
            assertThat(log.endOffset()).isEqualTo(3);
        }
    }

    @Test
    void aTornTailIsCutAtOpenAndTheWholeBatchesBeforeItReplay() throws Exception {
        try (StorageCoordinatorLog log = StorageCoordinatorLog.open(dir, SEGMENT_BYTES)) {
            log.append(List.of(rec("k1", "v1"))).get(10, TimeUnit.SECONDS);
            log.append(List.of(rec("k2", "v2"), rec("k3", "v3"))).get(10, TimeUnit.SECONDS);
        }
        Path segment = dir.resolve(String.format("%020d.log", 0));
        long size = Files.size(segment);
        // A crash in the middle of writing the second batch: its last bytes never made it.
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(size - 5);
            ch.write(ByteBuffer.wrap(new byte[] {9, 9}), size - 5);
        }
        try (StorageCoordinatorLog log = StorageCoordinatorLog.open(dir, SEGMENT_BYTES)) {
            assertThat(replayed(log)).containsExactly("k1=v1");
            assertThat(log.endOffset()).isEqualTo(1);
            log.append(List.of(rec("k4", "v4"))).get(10, TimeUnit.SECONDS);
            assertThat(replayed(log)).containsExactly("k1=v1", "k4=v4");
        }
    }

    @Test
    void truncateBeforeDeletesOnlyWholeSegmentsBelowTheOffset() throws Exception {
        String value = "x".repeat(200);
        try (StorageCoordinatorLog log = StorageCoordinatorLog.open(dir, SEGMENT_BYTES)) {
            for (int i = 0; i < 100; i++) {
                log.append(List.of(rec("k" + i, value))).get(10, TimeUnit.SECONDS);
            }
            int segmentsBefore = log.numberOfSegments();
            assertThat(segmentsBefore).isGreaterThan(4);
            log.truncateBefore(60);
            assertThat(log.logStartOffset()).isBetween(1L, 60L);
            assertThat(log.numberOfSegments()).isLessThan(segmentsBefore);
            List<String> left = replayed(log);
            // Everything from the offset on is still there, and nothing after the start is lost.
            assertThat(left).hasSize((int) (100 - log.logStartOffset()));
            assertThat(left.get(left.size() - 1)).startsWith("k99=");
            assertThat(left).contains("k60=" + value);
            log.append(List.of(rec("after", "1"))).get(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.equals(String.format("%020d.log", 0)))
                    .noneMatch(n -> n.endsWith(".deleted"));
        }
        try (StorageCoordinatorLog log = StorageCoordinatorLog.open(dir, SEGMENT_BYTES)) {
            List<String> left = replayed(log);
            assertThat(left.get(left.size() - 1)).isEqualTo("after=1");
            assertThat(left).contains("k60=" + value, "k99=" + value);
        }
    }

    @Test
    void largeAppendsAreSplitIntoBatchesThatFitTheSegments() throws Exception {
        List<CoordinatorRecord> many = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            many.add(rec("key-" + i, "v".repeat(100)));
        }
        try (StorageCoordinatorLog log = StorageCoordinatorLog.open(dir, SEGMENT_BYTES)) {
            log.append(many).get(10, TimeUnit.SECONDS);
            assertThat(log.endOffset()).isEqualTo(200);
            assertThat(log.numberOfSegments()).isGreaterThan(1);
        }
        try (StorageCoordinatorLog log = StorageCoordinatorLog.open(dir, SEGMENT_BYTES)) {
            List<String> back = replayed(log);
            assertThat(back).hasSize(200);
            assertThat(back.get(0)).startsWith("key-0=");
            assertThat(back.get(199)).startsWith("key-199=");
        }
    }

    @Test
    void coordinatorSnapshotsKeepTheLogSmallAndItsStateSurvivesReopening() throws Exception {
        GroupCoordinatorConfig config = GroupCoordinatorConfig.defaults().withSnapshotMinRecords(50);
        RequestContext ctx = RequestContext.of(7, "test", "/127.0.0.1");
        try (StorageCoordinatorLog log = StorageCoordinatorLog.open(dir, SEGMENT_BYTES);
                GroupCoordinator c = GroupCoordinator.withOwnThread(config, log)) {
            c.start().get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 1000; i++) {
                OffsetCommitResponseData r =
                        c.offsetCommit(ctx, commit("g", "t", i % 4, i)).get(10, TimeUnit.SECONDS);
                assertThat(r.topics.get(0).partitions.get(0).errorCode).isZero();
            }
            // 1000 commits of 4 live offsets: snapshots let whole segments go.
            assertThat(log.logStartOffset()).isGreaterThan(500);
            assertThat(log.numberOfSegments()).isLessThan(20);
        }
        try (StorageCoordinatorLog log = StorageCoordinatorLog.open(dir, SEGMENT_BYTES);
                GroupCoordinator c = GroupCoordinator.withOwnThread(config, log)) {
            c.start().get(10, TimeUnit.SECONDS);
            OffsetFetchResponseData f = c.offsetFetch(
                            ctx, new OffsetFetchRequestData().setGroupId("g").setTopics(null))
                    .get(10, TimeUnit.SECONDS);
            List<Long> offsets = new ArrayList<>();
            f.topics.get(0).partitions.forEach(p -> offsets.add(p.committedOffset));
            assertThat(offsets).containsExactly(996L, 997L, 998L, 999L);
        }
    }

    static OffsetCommitRequestData commit(String group, String topic, int partition, long offset) {
        return new OffsetCommitRequestData()
                .setGroupId(group)
                .setGenerationIdOrMemberEpoch(-1)
                .setMemberId("")
                .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                        .setName(topic)
                        .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                .setPartitionIndex(partition)
                                .setCommittedOffset(offset)))));
    }
}
