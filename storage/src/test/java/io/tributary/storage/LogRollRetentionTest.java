package io.tributary.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.protocol.Errors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogRollRetentionTest {
    @TempDir
    Path dir;

    private final ManualTime time = new ManualTime(1_000_000L);
    private Log log;

    private Log open(Map<String, String> overrides) throws IOException {
        Map<String, String> all = new HashMap<>(Map.of("segment.index.bytes", "4096"));
        all.putAll(overrides);
        log = Log.open(dir.resolve("t-0"), LogConfig.create(Map.of(), all), time);
        return log;
    }

    @AfterEach
    void close() throws IOException {
        if (log != null) {
            log.close();
        }
    }

    private void appendAtNow(int batches) {
        for (int i = 0; i < batches; i++) {
            assertThat(log.append(TestBatches.plain(time.milliseconds(), 1, 100))
                            .error())
                    .isEqualTo(Errors.NONE);
        }
    }

    private long filesEndingWith(String suffix) throws IOException {
        try (Stream<Path> s = Files.list(log.dir())) {
            return s.filter(p -> p.toString().endsWith(suffix)).count();
        }
    }

    @Test
    void rollsBySize() throws IOException {
        open(Map.of("segment.bytes", "1000"));
        appendAtNow(30); // ~170 bytes each: 5 per segment
        assertThat(log.numberOfSegments()).isEqualTo(6);
        List<Long> bases = log.segmentBaseOffsets();
        assertThat(bases).containsExactly(0L, 5L, 10L, 15L, 20L, 25L);
        assertThat(Files.exists(log.dir().resolve("00000000000000000005.log"))).isTrue();
        assertThat(Files.exists(log.dir().resolve("00000000000000000005.index")))
                .isTrue();
        assertThat(Files.exists(log.dir().resolve("00000000000000000005.timeindex")))
                .isTrue();
        assertThat(Files.exists(log.dir().resolve("00000000000000000005.snapshot")))
                .isTrue();
    }

    @Test
    void deleteSegmentsBelowRemovesOnlyWholeSegmentsUnderTheOffset() throws IOException {
        open(Map.of("segment.bytes", "1000", "file.delete.delay.ms", "0"));
        appendAtNow(30); // segments start at 0, 5, 10, 15, 20, 25
        assertThat(log.deleteSegmentsBelow(12)).isEqualTo(2);
        assertThat(log.segmentBaseOffsets()).containsExactly(10L, 15L, 20L, 25L);
        assertThat(log.logStartOffset()).isEqualTo(10L);
        assertThat(log.read(10, 1 << 20, true).error()).isEqualTo(Errors.NONE);
        // The active segment stays even when the offset lies beyond the end.
        assertThat(log.deleteSegmentsBelow(1_000)).isEqualTo(3);
        assertThat(log.segmentBaseOffsets()).containsExactly(25L);
        assertThat(log.logEndOffset()).isEqualTo(30L);
    }

    @Test
    void batchLargerThanSegmentIsRefused() throws IOException {
        open(Map.of("segment.bytes", "100"));
        assertThat(log.append(TestBatches.plain(1, 1, 100)).error()).isEqualTo(Errors.RECORD_LIST_TOO_LARGE);
    }

    @Test
    void rollsByTimeMeasuredFromTheFirstBatchTimestamp() throws IOException {
        open(Map.of("segment.ms", "1000"));
        appendAtNow(1);
        time.advanceMs(600);
        appendAtNow(1);
        assertThat(log.numberOfSegments()).isEqualTo(1);
        time.advanceMs(600); // 1200 ms after the first batch
        appendAtNow(1);
        assertThat(log.numberOfSegments()).isEqualTo(2);
        assertThat(log.segmentBaseOffsets()).containsExactly(0L, 2L);
        // an empty active segment never rolls, however old
        time.advanceMs(10_000);
        log.roll(true);
        assertThat(log.numberOfSegments()).isEqualTo(3);
        log.roll(true);
        assertThat(log.numberOfSegments()).isEqualTo(3);
    }

    @Test
    void retentionByTimeDeletesExpiredSegmentsAfterTheDeleteDelay() throws IOException {
        open(Map.of("segment.bytes", "1000", "retention.ms", "10000", "file.delete.delay.ms", "5000"));
        appendAtNow(10); // offsets 0..9, two segments, timestamps T
        time.advanceMs(8000);
        appendAtNow(10); // offsets 10..19, timestamps T+8000
        assertThat(log.numberOfSegments()).isEqualTo(4);
        time.advanceMs(2001); // first two segments are 10001 ms old
        assertThat(log.deleteOldSegments()).isEqualTo(2);
        assertThat(log.logStartOffset()).isEqualTo(10);
        assertThat(log.read(5, 1000, true).error()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
        assertThat(log.read(10, 1000, true).records().firstOffset()).isEqualTo(10);
        assertThat(filesEndingWith(".log.deleted")).isEqualTo(2);
        time.advanceMs(5000);
        log.deleteOldSegments();
        assertThat(filesEndingWith(".deleted")).isZero();
        assertThat(filesEndingWith(".log")).isEqualTo(2);
    }

    @Test
    void whenEverythingExpiredTheActiveSegmentGoesAndANewOneStartsAtTheEnd() throws IOException {
        open(Map.of("segment.bytes", "1000", "retention.ms", "1000"));
        appendAtNow(7);
        time.advanceMs(5000);
        assertThat(log.deleteOldSegments()).isEqualTo(2);
        assertThat(log.numberOfSegments()).isEqualTo(1);
        assertThat(log.logStartOffset()).isEqualTo(7);
        assertThat(log.logEndOffset()).isEqualTo(7);
        assertThat(log.read(7, 1000, false).records().sizeInBytes()).isZero();
        // the empty active segment is never deleted
        time.advanceMs(5000);
        assertThat(log.deleteOldSegments()).isZero();
        appendAtNow(1);
        assertThat(log.read(7, 1000, false).records().firstOffset()).isEqualTo(7);
    }

    @Test
    void retentionBySizeDeletesOldestSegmentsWhileOverTheLimit() throws IOException {
        open(Map.of("segment.bytes", "1000", "retention.bytes", "2000"));
        appendAtNow(23); // 4 full segments of 5 + active with 3
        assertThat(log.numberOfSegments()).isEqualTo(5);
        int segmentSize = 5 * TestBatches.plain(1, 1, 100).sizeInBytes();
        // as in Kafka, a segment goes only if the log stays at or above the limit without it,
        // so the log may end up to one segment over retention.bytes
        int deleted = log.deleteOldSegments();
        assertThat(deleted).isEqualTo(2);
        assertThat(log.logStartOffset()).isEqualTo(10);
        assertThat(log.size()).isGreaterThan(2000).isLessThan(2000 + segmentSize);
        log.updateConfig(LogConfig.create(Map.of(), Map.of("segment.bytes", "1000", "retention.bytes", "0")));
        assertThat(log.deleteOldSegments()).isEqualTo(3); // the active one too, after a roll
        assertThat(log.size()).isZero();
        assertThat(log.logStartOffset()).isEqualTo(23);
    }

    @Test
    void retentionDisabledByMinusOneAndByCompactPolicy() throws IOException {
        open(Map.of("segment.bytes", "1000", "retention.ms", "-1", "retention.bytes", "-1"));
        appendAtNow(20);
        time.advanceMs(365L * 24 * 3600 * 1000);
        assertThat(log.deleteOldSegments()).isZero();
        log.updateConfig(LogConfig.create(
                Map.of(), Map.of("segment.bytes", "1000", "retention.ms", "1", "cleanup.policy", "compact")));
        assertThat(log.deleteOldSegments()).isZero();
        log.updateConfig(LogConfig.create(Map.of(), Map.of("segment.bytes", "1000", "retention.ms", "1")));
        assertThat(log.deleteOldSegments()).isEqualTo(4);
    }

    @Test
    void retentionSurvivesReopenAndLogStartIsTheFirstSegment() throws IOException {
        open(Map.of("segment.bytes", "1000", "retention.bytes", "1000", "file.delete.delay.ms", "0"));
        appendAtNow(20);
        log.deleteOldSegments();
        long start = log.logStartOffset();
        assertThat(start).isPositive();
        log.close();
        log = Log.open(dir.resolve("t-0"), LogConfig.create(Map.of(), Map.of("segment.bytes", "1000")), time);
        assertThat(log.logStartOffset()).isEqualTo(start);
        assertThat(log.logEndOffset()).isEqualTo(20);
    }

    @Test
    void truncateToRemovesWholeBatchesAndLaterSegments() throws IOException {
        open(Map.of("segment.bytes", "600"));
        for (int i = 0; i < 10; i++) {
            log.append(TestBatches.plain(time.milliseconds(), 2, 60)); // 2 records per batch
        }
        assertThat(log.numberOfSegments()).isGreaterThan(2);
        assertThat(log.truncateTo(7)).isTrue(); // batch 6..7 straddles: it goes entirely
        assertThat(log.logEndOffset()).isEqualTo(6);
        assertThat(log.append(TestBatches.plain(1, 1, 5)).baseOffset()).isEqualTo(6);
        log.truncateFullyAndStartAt(100);
        assertThat(log.logStartOffset()).isEqualTo(100);
        assertThat(log.logEndOffset()).isEqualTo(100);
        assertThat(log.append(TestBatches.plain(1, 1, 5)).baseOffset()).isEqualTo(100);
    }

    @Test
    void truncatingInsideAnIndexedBatchKeepsTheIndexUsable() throws IOException {
        open(Map.of("index.interval.bytes", "0"));
        for (int i = 0; i < 6; i++) {
            log.append(TestBatches.plain(time.milliseconds(), 3, 10)); // batches at 0,3,6,9,12,15
        }
        assertThat(log.truncateTo(10)).isTrue(); // removes batch 9..11 although 9 is indexed
        assertThat(log.logEndOffset()).isEqualTo(9);
        for (int i = 0; i < 3; i++) {
            assertThat(log.append(TestBatches.plain(time.milliseconds(), 3, 10)).error())
                    .isEqualTo(Errors.NONE);
        }
        for (long o = 0; o < log.logEndOffset(); o++) {
            assertThat(log.read(o, 1, true).records().firstOffset()).isEqualTo(o - o % 3);
        }
        log.close();
        log = Log.open(dir.resolve("t-0"), LogConfig.create(Map.of(), Map.of("index.interval.bytes", "0")), time);
        assertThat(log.logEndOffset()).isEqualTo(18);
        assertThat(log.read(16, 1, true).records().firstOffset()).isEqualTo(15);
    }
}
