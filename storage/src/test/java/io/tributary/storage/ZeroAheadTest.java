package io.tributary.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zeros written ahead of an fsynced active segment (issue 16: cheaper fdatasyncs): the file is
 * longer than the segment while it is active, never afterwards, and no zero ever lands on a
 * batch; a crash image with the zeros recovers every batch and cuts only the zeros.
 */
class ZeroAheadTest {
    @TempDir
    Path dir;

    private final ExecutorService flusher = Executors.newFixedThreadPool(2);
    private final List<Log> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (Log l : opened) {
            l.close();
        }
        flusher.shutdown();
        assertThat(flusher.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private Log open(Path d, Map<String, String> overrides, long recoveryPoint) throws IOException {
        Log log = Log.open(
                d,
                LogConfig.create(Map.of(), overrides),
                Time.SYSTEM,
                flusher,
                recoveryPoint,
                Log.DEFAULT_PRODUCER_ID_EXPIRATION_MS);
        opened.add(log);
        return log;
    }

    private static long appendDurably(Log log, int batches) {
        long last = -1;
        for (int i = 0; i < batches; i++) {
            AppendResult r = log.append(TestBatches.plain(i, 3, 100));
            assertThat(r.error()).isEqualTo(io.tributary.protocol.Errors.NONE);
            log.flushUpTo(r.lastOffset() + 1).join();
            last = r.lastOffset();
        }
        return last;
    }

    private static Path activeFile(Log log) {
        return log.active.logFile();
    }

    @Test
    void anFsyncedActiveSegmentGetsZerosAheadAndACloseCutsThem() throws IOException {
        Path d = dir.resolve("z-0");
        Log log = open(d, Map.of(), 0);
        appendDurably(log, 20);
        Path file = activeFile(log);
        int size = log.active.size();
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.size(file) >= size + SegmentZeroTail.MIN_WINDOW / 2);
        byte[] all = Files.readAllBytes(file);
        byte[] tail = java.util.Arrays.copyOfRange(all, size, all.length);
        assertThat(tail).containsOnly((byte) 0);
        TestBatches.assertWholeBatchesFromStart(log, 3);

        log.close();
        opened.remove(log);
        assertThat(Files.size(file)).isEqualTo(size);
        Log reopened = open(d, Map.of(), Long.MAX_VALUE);
        assertThat(reopened.logEndOffset()).isEqualTo(60);
        TestBatches.assertWholeBatchesFromStart(reopened, 3);
    }

    @Test
    void aRollCutsTheOldSegmentsZerosBeforeTheNextSegmentExists() throws IOException {
        Path d = dir.resolve("r-0");
        Log log = open(d, Map.of("segment.bytes", "20000"), 0);
        appendDurably(log, 200); // several rolls, each after zeros were asked for
        assertThat(log.segments.size()).isGreaterThan(3);
        for (LogSegment seg : log.segments.values()) {
            if (seg != log.active) {
                assertThat(Files.size(seg.logFile())).as(seg.toString()).isEqualTo(seg.size());
            }
        }
        // zeros never pass segment.bytes
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.size(activeFile(log)) > log.active.size());
        assertThat(Files.size(activeFile(log))).isLessThanOrEqualTo(20000);
        TestBatches.assertWholeBatchesFromStart(log, 3);
    }

    @Test
    void aCrashImageWithZerosRecoversEveryBatchAndCutsOnlyTheZeros() throws IOException {
        Path a = dir.resolve("a-0");
        Log log = open(a, Map.of(), 0);
        appendDurably(log, 30);
        int size = log.active.size();
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.size(activeFile(log)) > size);
        Path b = dir.resolve("b-0");
        Files.createDirectories(b);
        try (Stream<Path> s = Files.list(a)) {
            for (Path p : s.toList()) {
                Files.copy(p, b.resolve(p.getFileName()));
            }
        }
        Log recovered = open(b, Map.of(), 0);
        assertThat(recovered.logEndOffset()).isEqualTo(90);
        assertThat(recovered.active.lastCutWasZeros()).isTrue();
        assertThat(Files.size(activeFile(recovered))).isEqualTo(size);
        TestBatches.assertWholeBatchesFromStart(recovered, 3);
        assertThat(recovered.append(TestBatches.plain(1, 3, 100)).baseOffset()).isEqualTo(90);
    }

    @Test
    void zerosNeverOverwriteBatchesWrittenWhileTheyAreWritten() throws Exception {
        // Small batches and a small window: the zeroer and the appender meet often.
        Path d = dir.resolve("race-0");
        Log log = open(d, Map.of("segment.bytes", String.valueOf(1 << 20)), 0);
        log.zeroAheadMaxBytes = SegmentZeroTail.MIN_WINDOW;
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (int i = 0; i < 8000; i++) {
            AppendResult r = log.append(TestBatches.plain(i, 3, 100));
            acks.add(log.flushUpTo(r.lastOffset() + 1));
            if (i % 10 == 0) {
                // lets the zeroer run between appends; fsyncs stay small enough to get zeros
                acks.get(i).join();
            }
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture<?>[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(log.segments.size()).isGreaterThan(1);
        TestBatches.assertWholeBatchesFromStart(log, 3);
        log.close();
        opened.remove(log);
        Log reopened = open(d, Map.of("segment.bytes", String.valueOf(1 << 20)), 0);
        assertThat(reopened.logEndOffset()).isEqualTo(24000);
        TestBatches.assertWholeBatchesFromStart(reopened, 3);
    }

    @Test
    void noZerosWhenTurnedOffWithoutFsyncsOrForLargeFsyncs() throws IOException {
        Log off = open(dir.resolve("off-0"), Map.of(), 0);
        off.zeroAheadMaxBytes = 0;
        appendDurably(off, 10);
        Log acksOne = open(dir.resolve("one-0"), Map.of(), 0);
        for (int i = 0; i < 10; i++) {
            acksOne.append(TestBatches.plain(i, 3, 100));
        }
        Log bigFsyncs = open(dir.resolve("big-0"), Map.of(), 0);
        for (int i = 0; i < 10; i++) {
            AppendResult r = bigFsyncs.append(TestBatches.plain(i, 100, 1000)); // ~100 KB per fsync
            bigFsyncs.flushUpTo(r.lastOffset() + 1).join();
        }
        // a durable append on a third log: once its zeros exist, the zeroer has run past any request of the others
        Log probe = open(dir.resolve("probe-0"), Map.of(), 0);
        appendDurably(probe, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.size(activeFile(probe)) > probe.active.size());
        assertThat(Files.size(activeFile(off))).isEqualTo(off.active.size());
        assertThat(Files.size(activeFile(acksOne))).isEqualTo(acksOne.active.size());
        assertThat(Files.size(activeFile(bigFsyncs))).isEqualTo(bigFsyncs.active.size());
    }

    @Test
    void theWindowGrowsWithTheSegmentUpToTheMaximum() {
        assertThat(SegmentZeroTail.window(0, 4 << 20)).isEqualTo(SegmentZeroTail.MIN_WINDOW);
        assertThat(SegmentZeroTail.window(100_000, 4 << 20)).isEqualTo(128 * 1024);
        assertThat(SegmentZeroTail.window(50 << 20, 4 << 20)).isEqualTo(4 << 20);
        assertThat(SegmentZeroTail.window(50 << 20, 1000)).isEqualTo(SegmentZeroTail.MIN_WINDOW);
    }
}
