package io.tributary.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.protocol.Errors;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogManagerTest {
    @TempDir
    Path dataDir;

    private final ManualTime time = new ManualTime();
    private final List<LogManager> managers = new ArrayList<>();

    private LogManager start(Path dir, Map<String, String> props) throws IOException {
        LogManager m = new LogManager(dir, props, time);
        managers.add(m);
        m.startup();
        return m;
    }

    @AfterEach
    void closeAll() throws IOException {
        for (LogManager m : managers) {
            m.close();
        }
    }

    private static Errors errorOf(ThrowingRunnable r) {
        try {
            r.run();
            return Errors.NONE;
        } catch (StorageException e) {
            return e.error();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws IOException;
    }

    @Test
    void createsTopicsWithPartitionDirectoriesAndRefusesBadRequests() throws IOException {
        LogManager m = start(dataDir, Map.of());
        TopicMetadata t = m.createTopic("orders", 3, Map.of("retention.ms", "5000"));
        assertThat(t.partitions()).isEqualTo(3);
        assertThat(t.config().retentionMs).isEqualTo(5000);
        for (int p = 0; p < 3; p++) {
            assertThat(Files.isDirectory(dataDir.resolve("orders-" + p))).isTrue();
            assertThat(m.log("orders", p)).isPresent();
        }
        assertThat(m.log("orders", 3)).isEmpty();
        assertThat(m.topicById(t.topicId())).contains(t);

        assertThat(errorOf(() -> m.createTopic("orders", 1, Map.of()))).isEqualTo(Errors.TOPIC_ALREADY_EXISTS);
        assertThat(errorOf(() -> m.createTopic("bad/name", 1, Map.of()))).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
        assertThat(errorOf(() -> m.createTopic("..", 1, Map.of()))).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
        assertThat(errorOf(() -> m.createTopic("x".repeat(250), 1, Map.of())))
                .isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
        assertThat(errorOf(() -> m.createTopic("a.b", 1, Map.of()))).isEqualTo(Errors.NONE);
        assertThat(errorOf(() -> m.createTopic("a_b", 1, Map.of()))).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
        assertThat(errorOf(() -> m.createTopic("zero", 0, Map.of()))).isEqualTo(Errors.INVALID_PARTITIONS);
        assertThat(errorOf(() -> m.createTopic("cfg", 1, Map.of("retention.ms", "soon"))))
                .isEqualTo(Errors.INVALID_CONFIG);
        assertThat(Files.exists(dataDir.resolve("cfg-0"))).isFalse();
        assertThat(m.topics()).extracting(TopicMetadata::name).containsExactly("a.b", "orders");
    }

    @Test
    void topicsConfigsAndDataSurviveARestart() throws IOException {
        LogManager m = start(dataDir, Map.of("log.retention.hours", "1"));
        UUID id = m.createTopic("events", 2, Map.of("segment.bytes", "2000")).topicId();
        Log log = m.log("events", 1).orElseThrow();
        for (int i = 0; i < 30; i++) {
            log.append(TestBatches.plain(time.milliseconds(), 1, 50));
        }
        m.close();
        assertThat(Files.exists(dataDir.resolve(LogManager.CLEAN_SHUTDOWN_FILE)))
                .isTrue();

        LogManager again = start(dataDir, Map.of("log.retention.hours", "1"));
        assertThat(Files.exists(dataDir.resolve(LogManager.CLEAN_SHUTDOWN_FILE)))
                .isFalse();
        TopicMetadata t = again.topic("events").orElseThrow();
        assertThat(t.topicId()).isEqualTo(id);
        assertThat(again.topicById(id)).contains(t);
        assertThat(t.partitions()).isEqualTo(2);
        assertThat(t.overrides()).containsExactlyEntriesOf(Map.of("segment.bytes", "2000"));
        assertThat(t.config().retentionMs).isEqualTo(3_600_000L);
        Log reloaded = again.log("events", 1).orElseThrow();
        assertThat(reloaded.logEndOffset()).isEqualTo(30);
        assertThat(reloaded.numberOfSegments()).isGreaterThan(1);
        assertThat(reloaded.config().segmentBytes).isEqualTo(2000);
        assertThat(again.log("events", 0).orElseThrow().logEndOffset()).isZero();
    }

    @Test
    void aSecondManagerCannotUseALockedDirectory() throws IOException {
        start(dataDir, Map.of());
        LogManager second = new LogManager(dataDir, Map.of(), time);
        assertThatThrownBy(second::startup)
                .isInstanceOfSatisfying(
                        StorageException.class, e -> assertThat(e.error()).isEqualTo(Errors.KAFKA_STORAGE_ERROR));
        second.close();
        managers.get(0).close();
        LogManager third = start(dataDir, Map.of());
        assertThat(third.topics()).isEmpty();
    }

    @Test
    void addsPartitionsAndAltersConfigs() throws IOException {
        LogManager m = start(dataDir, Map.of());
        m.createTopic("t", 1, Map.of());
        UUID id = m.topic("t").orElseThrow().topicId();
        assertThat(m.createPartitions("t", 4).partitions()).isEqualTo(4);
        assertThat(m.topicById(id).orElseThrow().partitions()).isEqualTo(4);
        assertThat(m.log("t", 3)).isPresent();
        assertThat(errorOf(() -> m.createPartitions("t", 4))).isEqualTo(Errors.INVALID_PARTITIONS);
        assertThat(errorOf(() -> m.createPartitions("nope", 4))).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);

        m.alterTopicConfig("t", Map.of("retention.bytes", "100"));
        assertThat(m.log("t", 2).orElseThrow().config().retentionBytes).isEqualTo(100);
        m.close();
        LogManager again = start(dataDir, Map.of());
        assertThat(again.topic("t").orElseThrow().partitions()).isEqualTo(4);
        assertThat(again.log("t", 3).orElseThrow().config().retentionBytes).isEqualTo(100);
    }

    @Test
    void deletedTopicsAreGoneAndCanBeRecreatedEmpty() throws IOException {
        LogManager m = start(dataDir, Map.of());
        UUID first = m.createTopic("t", 2, Map.of()).topicId();
        m.log("t", 0).orElseThrow().append(TestBatches.plain(1, 3, 10));
        m.deleteTopic("t");
        assertThat(m.topic("t")).isEmpty();
        assertThat(m.log("t", 0)).isEmpty();
        assertThat(Files.exists(dataDir.resolve("t-0"))).isFalse();
        assertThat(errorOf(() -> m.deleteTopic("t"))).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(m.topicById(first)).isEmpty();
        TopicMetadata again = m.createTopic("t", 1, Map.of());
        assertThat(again.topicId()).isNotEqualTo(first);
        assertThat(m.topicById(first)).isEmpty();
        assertThat(m.topicById(again.topicId())).contains(again);
        assertThat(m.log("t", 0).orElseThrow().logEndOffset()).isZero();
        m.close();
        assertThat(start(dataDir, Map.of()).topic("t").orElseThrow().partitions())
                .isEqualTo(1);
    }

    @Test
    void startupRemovesOrphanAndDeletedDirectories() throws IOException {
        Files.createDirectories(dataDir.resolve("ghost-0"));
        Files.writeString(dataDir.resolve("ghost-0").resolve("00000000000000000000.log"), "x");
        Files.createDirectories(dataDir.resolve("old-1.abc-delete"));
        Files.createDirectories(dataDir.resolve("not-a-partition"));
        start(dataDir, Map.of());
        assertThat(Files.exists(dataDir.resolve("ghost-0"))).isFalse();
        assertThat(Files.exists(dataDir.resolve("old-1.abc-delete"))).isFalse();
        assertThat(Files.exists(dataDir.resolve("not-a-partition"))).isTrue();
    }

    @Test
    void backgroundRetentionDeletesExpiredSegments() throws IOException {
        LogManager m = start(dataDir, Map.of(LogConfig.LOG_RETENTION_CHECK_INTERVAL_MS, "20"));
        m.createTopic("r", 1, Map.of("segment.bytes", "1000", "retention.ms", "60000", "file.delete.delay.ms", "0"));
        Log log = m.log("r", 0).orElseThrow();
        for (int i = 0; i < 20; i++) {
            log.append(TestBatches.plain(time.milliseconds(), 1, 100));
        }
        int before = log.numberOfSegments();
        assertThat(before).isGreaterThan(2);
        time.advanceMs(60_001);
        await().atMost(Duration.ofSeconds(10)).until(() -> log.numberOfSegments() == 1);
        assertThat(log.logStartOffset()).isEqualTo(20);
        try (Stream<Path> s = Files.list(log.dir())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                try (Stream<Path> s2 = Files.list(log.dir())) {
                    return s2.noneMatch(p -> p.toString().endsWith(".deleted"));
                }
            });
            assertThat(s.count()).isPositive();
        }
    }

    @Test
    void crashImageRecoversFromTheCheckpointAndCutsATornTail() throws IOException {
        // Without the journal, so that acks=all fsyncs the partition and the checkpoint shows it (JournalTest has the
        // rest).
        LogManager m = start(dataDir.resolve("live"), Map.of(LogConfig.LOG_JOURNAL_FILE_BYTES, "0"));
        m.createTopic("c", 1, Map.of("segment.bytes", "2000", "segment.index.bytes", "4096"));
        Log log = m.log("c", 0).orElseThrow();
        for (int i = 0; i < 40; i++) {
            AppendResult r = log.append(TestBatches.plain(time.milliseconds(), 1, 60));
            log.flushUpTo(r.lastOffset() + 1).join();
        }
        m.checkpointRecoveryPoints();
        AppendResult unflushed = log.append(TestBatches.plain(time.milliseconds(), 1, 60));
        assertThat(unflushed.baseOffset()).isEqualTo(40);
        // copy the live directory as a crash would leave it, then tear the last batch
        Path image = dataDir.resolve("image");
        try (Stream<Path> s = Files.walk(dataDir.resolve("live"))) {
            for (Path p : s.toList()) {
                Path target =
                        image.resolve(dataDir.resolve("live").relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        assertThat(Files.exists(image.resolve(LogManager.CLEAN_SHUTDOWN_FILE))).isFalse();
        assertThat(Files.readString(image.resolve(LogManager.RECOVERY_POINT_CHECKPOINT)))
                .contains("c 0 40");
        Path lastLog;
        try (Stream<Path> s = Files.list(image.resolve("c-0"))) {
            lastLog = s.filter(p -> p.toString().endsWith(".log"))
                    .sorted()
                    .reduce((a, b) -> b)
                    .orElseThrow();
        }
        try (FileChannel ch = FileChannel.open(lastLog, StandardOpenOption.WRITE)) {
            // the batches end before the file does when zeros were written ahead (SegmentZeroTail)
            ch.truncate(log.active.size() - 10);
        }
        LogManager recovered = start(image, Map.of());
        Log r = recovered.log("c", 0).orElseThrow();
        assertThat(r.logEndOffset()).isEqualTo(40); // everything fsynced is there, the torn batch is not
        assertThat(r.recoveryPoint()).isEqualTo(40);
        assertThat(r.append(TestBatches.plain(time.milliseconds(), 1, 60)).baseOffset())
                .isEqualTo(40);
    }
}
