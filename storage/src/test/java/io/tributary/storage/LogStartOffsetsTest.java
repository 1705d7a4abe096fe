package io.tributary.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.protocol.Errors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10 item 3: DeleteRecords moves the log start offset, durably (log-start-offset-checkpoint). */
class LogStartOffsetsTest {
    private static final Map<String, String> SMALL_SEGMENTS = Map.of("segment.bytes", "2000");

    @TempDir
    Path dataDir;

    private final ManualTime time = new ManualTime();
    private final List<LogManager> managers = new ArrayList<>();

    private LogManager start(Path dir) throws IOException {
        LogManager m = new LogManager(dir, Map.of(), time);
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

    private static Log fill(LogManager m, String topic, Map<String, String> config, int records) throws IOException {
        m.createTopic(topic, 1, config);
        Log log = m.log(topic, 0).orElseThrow();
        for (int i = 0; i < records; i++) {
            assertThat(log.append(TestBatches.plain(1_000 + i, 1, 60)).error()).isEqualTo(Errors.NONE);
        }
        return log;
    }

    private static Errors errorOf(LogManager m, String topic, int partition, long offset) throws IOException {
        try {
            m.deleteRecords(topic, partition, offset);
            return Errors.NONE;
        } catch (StorageException e) {
            return e.error();
        }
    }

    @Test
    void theStartMovesInsideASegmentReadsBelowItAreOutOfRangeAndWholeSegmentsBelowGo() throws IOException {
        LogManager m = start(dataDir);
        Log log = fill(m, "d", SMALL_SEGMENTS, 60);
        int segmentsBefore = log.numberOfSegments();
        long sizeBefore = log.size();
        List<Long> bases = log.segmentBaseOffsets();
        long newStart = bases.get(2) + 3; // inside the third segment

        assertThat(m.deleteRecords("d", 0, newStart)).isEqualTo(newStart);

        assertThat(log.logStartOffset()).isEqualTo(newStart);
        assertThat(log.segmentBaseOffsets().get(0)).isEqualTo(bases.get(2));
        assertThat(log.numberOfSegments()).isEqualTo(segmentsBefore - 2);
        assertThat(log.size()).isLessThan(sizeBefore);
        assertThat(log.read(newStart - 1, 10_000, true).error()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
        assertThat(log.read(0, 10_000, true).error()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
        LogReadResult atStart = log.read(newStart, 10_000, true);
        assertThat(atStart.error()).isEqualTo(Errors.NONE);
        assertThat(atStart.logStartOffset()).isEqualTo(newStart);
        assertThat(log.offsetForTimestamp(Log.EARLIEST_TIMESTAMP)).isEqualTo(newStart);
        assertThat(log.offsetForTimestamp(0))
                .as("first timestamp at or after 0, from the start")
                .isEqualTo(newStart);
        // An offset at or below the current start changes nothing and answers the current start.
        assertThat(m.deleteRecords("d", 0, 1)).isEqualTo(newStart);
        assertThat(Files.readString(dataDir.resolve(LogManager.LOG_START_OFFSET_CHECKPOINT)))
                .contains("d 0 " + newStart);
    }

    @Test
    void minusOneMeansTheHighWatermarkAndBadOffsetsAreRefusedAsKafkaDoes() throws IOException {
        LogManager m = start(dataDir);
        Log log = fill(m, "hw", SMALL_SEGMENTS, 30);
        fill(m, "compacted", Map.of("cleanup.policy", "compact"), 0);
        assertThat(errorOf(m, "hw", 0, 31)).isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
        assertThat(errorOf(m, "hw", 0, -2)).isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
        assertThat(errorOf(m, "hw", 1, 0)).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(errorOf(m, "nope", 0, 0)).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(errorOf(m, "compacted", 0, 1)).isEqualTo(Errors.POLICY_VIOLATION);
        assertThat(log.logStartOffset()).as("nothing refused moved the start").isZero();

        assertThat(m.deleteRecords("hw", 0, -1)).isEqualTo(30);
        assertThat(log.logStartOffset()).isEqualTo(30);
        assertThat(log.read(29, 10_000, true).error()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
        assertThat(log.append(TestBatches.plain(5_000, 1, 60)).baseOffset()).isEqualTo(30);
    }

    @Test
    void theStartSurvivesACleanRestartAndACrashImage() throws IOException {
        Path live = dataDir.resolve("live");
        LogManager m = start(live);
        fill(m, "k", SMALL_SEGMENTS, 40);
        m.deleteRecords("k", 0, 17);
        // A crash: the directory as a SIGKILL leaves it, no clean-shutdown marker, no close.
        Path image = dataDir.resolve("image");
        copy(live, image);
        assertThat(Files.exists(image.resolve(LogManager.CLEAN_SHUTDOWN_FILE))).isFalse();

        LogManager crashed = start(image);
        assertThat(crashed.log("k", 0).orElseThrow().logStartOffset()).isEqualTo(17);
        assertThat(crashed.log("k", 0).orElseThrow().logEndOffset()).isEqualTo(40);

        m.close();
        LogManager restarted = start(live);
        Log log = restarted.log("k", 0).orElseThrow();
        assertThat(log.logStartOffset()).isEqualTo(17);
        assertThat(log.read(16, 10_000, true).error()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
        assertThat(log.read(17, 10_000, true).error()).isEqualTo(Errors.NONE);
    }

    @Test
    void aCheckpointedStartPastTheRecoveredEndStartsTheLogEmptyThere() throws IOException {
        Path live = dataDir.resolve("live");
        LogManager m = start(live);
        fill(m, "lost", SMALL_SEGMENTS, 10);
        m.close();
        // As after an OS crash that lost unflushed data the start had already covered.
        Files.writeString(live.resolve(LogManager.LOG_START_OFFSET_CHECKPOINT), "0\n1\nlost 0 25\n");
        Log log = start(live).log("lost", 0).orElseThrow();
        assertThat(log.logStartOffset()).isEqualTo(25);
        assertThat(log.logEndOffset()).isEqualTo(25);
        assertThat(log.append(TestBatches.plain(1_000, 1, 60)).baseOffset()).isEqualTo(25);
    }

    @Test
    void aTopicDeletedAndCreatedAgainStartsAtZero() throws IOException {
        Path live = dataDir.resolve("live");
        LogManager m = start(live);
        fill(m, "again", SMALL_SEGMENTS, 10);
        m.deleteRecords("again", 0, 5);
        m.deleteTopic("again");
        fill(m, "again", SMALL_SEGMENTS, 2);
        Path image = dataDir.resolve("image");
        copy(live, image);
        Log log = start(image).log("again", 0).orElseThrow();
        assertThat(log.logStartOffset()).isZero();
        assertThat(log.logEndOffset()).isEqualTo(2);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals(LogManager.LOCK_FILE)) {
                    Files.copy(p, target);
                }
            }
        }
    }
}
