package io.tributary.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.protocol.Errors;
import io.tributary.protocol.record.MemoryRecords;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery at open. A "crash" is simulated by copying the directory of a log that is still open
 * (nothing trimmed, no snapshot at close), then damaging the copy the way a crash or a bad disk
 * would, and opening the copy.
 */
class LogRecoveryTest {
    @TempDir
    Path tmp;

    private final ManualTime time = new ManualTime();
    private final List<Log> opened = new ArrayList<>();
    private static final Map<String, String> SMALL =
            Map.of("segment.bytes", "3000", "index.interval.bytes", "200", "segment.index.bytes", "4096");

    private Log open(Path dir, long recoveryPoint) throws IOException {
        Log l = Log.open(
                dir,
                LogConfig.create(Map.of(), SMALL),
                time,
                Runnable::run,
                recoveryPoint,
                Log.DEFAULT_PRODUCER_ID_EXPIRATION_MS);
        opened.add(l);
        return l;
    }

    @AfterEach
    void closeAll() throws IOException {
        for (Log l : opened) {
            l.close();
        }
    }

    private static void crashCopy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }

    private static Path lastLogFile(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".log"))
                    .sorted()
                    .reduce((a, b) -> b)
                    .orElseThrow();
        }
    }

    /** Appends n batches of 2 records; returns the batch sizes. */
    private static List<Integer> fill(Log log, int n) {
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            MemoryRecords r = TestBatches.plain(1000 + i, 2, 40);
            sizes.add(r.sizeInBytes());
            assertThat(log.append(r).error()).isEqualTo(Errors.NONE);
        }
        return sizes;
    }

    @Test
    void tornTailIsCutToTheLastWholeBatch() throws IOException {
        Path a = tmp.resolve("a-0");
        Log log = open(a, 0);
        List<Integer> sizes = fill(log, 30);
        Path b = tmp.resolve("b-0");
        crashCopy(a, b);
        Path last = lastLogFile(b);
        long len = log.active.size(); // where the batches end; zeros may follow (SegmentZeroTail)
        try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
            ch.truncate(len - sizes.get(29) / 2); // half of the last batch made it
        }
        Log recovered = open(b, 0);
        assertThat(recovered.logEndOffset()).isEqualTo(58);
        TestBatches.assertWholeBatchesFromStart(recovered, 2);
        // and it takes appends again right after
        assertThat(recovered.append(TestBatches.plain(1, 2, 10)).baseOffset()).isEqualTo(58);
        TestBatches.assertWholeBatchesFromStart(recovered, 2);
    }

    @Test
    void garbageAfterTheLastBatchIsCut() throws IOException {
        Path a = tmp.resolve("a-0");
        Log log = open(a, 0);
        fill(log, 10);
        Path b = tmp.resolve("b-0");
        crashCopy(a, b);
        Path last = lastLogFile(b);
        long len = log.active.size(); // where the batches end; zeros may follow (SegmentZeroTail)
        byte[] garbage = new byte[500];
        new java.util.Random(42).nextBytes(garbage);
        Files.write(last, garbage, StandardOpenOption.APPEND);
        // zeros too, as a file system may leave after a crash
        Files.write(last, new byte[300], StandardOpenOption.APPEND);

        Log recovered = open(b, 0);
        assertThat(recovered.logEndOffset()).isEqualTo(20);
        assertThat(Files.size(lastLogFile(b))).isEqualTo(len);
        TestBatches.assertWholeBatchesFromStart(recovered, 2);
    }

    @Test
    void badCrcInTheTailCutsFromThatBatch() throws IOException {
        Path a = tmp.resolve("a-0");
        Log log = open(a, 0);
        List<Integer> sizes = fill(log, 10);
        Path b = tmp.resolve("b-0");
        crashCopy(a, b);
        Path last = lastLogFile(b);
        long len = log.active.size(); // where the batches end; zeros may follow (SegmentZeroTail)
        long lastBatchStart = len - sizes.get(9) - sizes.get(8);
        try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {(byte) 0x5A}), lastBatchStart + 70); // inside batch 8's records
        }
        Log recovered = open(b, 0);
        assertThat(recovered.logEndOffset()).isEqualTo(16);
        TestBatches.assertWholeBatchesFromStart(recovered, 2);
    }

    @Test
    void cleanShutdownStillChecksTheTail() throws IOException {
        Path a = tmp.resolve("a-0");
        Log log = open(a, 0);
        fill(log, 40);
        log.close();
        opened.remove(log);
        Path last = lastLogFile(a);
        long len = Files.size(last);
        Files.write(last, "not a record batch, just text".repeat(5).getBytes(), StandardOpenOption.APPEND);

        Log reopened = open(a, Long.MAX_VALUE);
        assertThat(reopened.logEndOffset()).isEqualTo(80);
        assertThat(Files.size(last)).isEqualTo(len);
        TestBatches.assertWholeBatchesFromStart(reopened, 2);
    }

    /**
     * Issue 15 fuzz finding (LogRecoveryFuzzTest input clean-shutdown-index-entry-mid-batch): after
     * a clean shutdown an index entry whose position is not the start of its batch passed the
     * sanity check, and the tail scan from there cut every acknowledged batch as garbage.
     */
    @Test
    void cleanShutdownIndexEntryPointingMidBatchIsRebuiltNotTrusted() throws IOException {
        Path a = tmp.resolve("a-0");
        Log log = open(a, 0);
        fill(log, 40);
        List<Long> bases = log.segmentBaseOffsets();
        long end = log.logEndOffset();
        log.close();
        opened.remove(log);
        Path index = a.resolve(LogSegment.fileName(bases.get(bases.size() - 1), ".index"));
        // one entry: the segment's base offset, 17 bytes into its first batch
        try (FileChannel ch = FileChannel.open(index, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.allocate(8).putInt(0).putInt(17).flip(), 0);
        }
        Log reopened = open(a, Long.MAX_VALUE);
        assertThat(reopened.logEndOffset()).isEqualTo(end);
        TestBatches.assertWholeBatchesFromStart(reopened, 2);
    }

    @Test
    void deletedIndexFilesAreRebuilt() throws IOException {
        Path a = tmp.resolve("a-0");
        Log log = open(a, 0);
        fill(log, 60);
        assertThat(log.numberOfSegments()).isGreaterThan(2);
        log.close();
        opened.remove(log);
        try (Stream<Path> s = Files.list(a)) {
            for (Path p : s.filter(p -> p.toString().endsWith("index")).toList()) {
                Files.delete(p);
            }
        }
        Log reopened = open(a, Long.MAX_VALUE);
        assertThat(reopened.logEndOffset()).isEqualTo(120);
        try (Stream<Path> s = Files.list(a)) {
            assertThat(s.filter(p -> p.toString().endsWith(".index")).count()).isEqualTo(reopened.numberOfSegments());
        }
        TestBatches.assertWholeBatchesFromStart(reopened, 2);
        for (long o = 0; o < 120; o++) {
            assertThat(reopened.read(o, 1, true).records().firstOffset()).isEqualTo(o - o % 2);
        }
    }

    @Test
    void corruptIndexIsDetectedAndRebuilt() throws IOException {
        Path a = tmp.resolve("a-0");
        Log log = open(a, 0);
        fill(log, 60);
        List<Long> bases = log.segmentBaseOffsets();
        log.close();
        opened.remove(log);
        Path index = a.resolve(LogSegment.fileName(bases.get(0), ".index"));
        assertThat(Files.size(index)).isGreaterThan(8);
        // entries out of order, as random damage would leave them
        try (FileChannel ch = FileChannel.open(index, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).putInt(5000).putInt(1).flip(), 0);
        }
        Path timeIndex = a.resolve(LogSegment.fileName(bases.get(1), ".timeindex"));
        Files.write(timeIndex, new byte[] {1, 2, 3}, StandardOpenOption.APPEND); // not a whole entry
        Log reopened = open(a, Long.MAX_VALUE);
        assertThat(reopened.logEndOffset()).isEqualTo(120);
        for (long o = 0; o < 120; o++) {
            assertThat(reopened.read(o, 1, true).records().firstOffset()).isEqualTo(o - o % 2);
        }
        assertThat(Files.size(timeIndex) % TimeIndex.ENTRY_SIZE).isZero();
        // batch i holds offsets 2i, 2i+1 with timestamps 1000+i, 1001+i
        assertThat(reopened.offsetForTimestamp(1030)).isEqualTo(59);
    }

    @Test
    void corruptionInAnOlderSegmentDropsEverythingAfterIt() throws IOException {
        Path a = tmp.resolve("a-0");
        Log log = open(a, 0);
        fill(log, 60);
        List<Long> bases = log.segmentBaseOffsets();
        assertThat(bases.size()).isGreaterThanOrEqualTo(3);
        Path b = tmp.resolve("b-0");
        crashCopy(a, b);
        Path second = b.resolve(LogSegment.fileName(bases.get(1), ".log"));
        try (FileChannel ch = FileChannel.open(second, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), 200);
        }
        Log recovered = open(b, 0);
        assertThat(recovered.numberOfSegments()).isEqualTo(2);
        assertThat(recovered.logEndOffset()).isGreaterThan(bases.get(1)).isLessThan(bases.get(2));
        TestBatches.assertWholeBatchesFromStart(recovered, 2);
        long leo = recovered.logEndOffset();
        assertThat(recovered.append(TestBatches.plain(1, 2, 10)).baseOffset()).isEqualTo(leo);
    }

    @Test
    void segmentsBelowTheRecoveryPointAreTrustedAndOnlyLaterOnesScanned() throws IOException {
        Path a = tmp.resolve("a-0");
        Log log = open(a, 0);
        fill(log, 60);
        log.flushUpTo(log.logEndOffset()).join();
        long rp = log.recoveryPoint();
        assertThat(rp).isEqualTo(120);
        List<Long> bases = log.segmentBaseOffsets();
        Path b = tmp.resolve("b-0");
        crashCopy(a, b);
        // damage in the first segment goes unnoticed when it is below the recovery point...
        Path first = b.resolve(LogSegment.fileName(bases.get(0), ".log"));
        try (FileChannel ch = FileChannel.open(first, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {9}), 100);
        }
        Log trusted = open(b, bases.get(bases.size() - 1));
        assertThat(trusted.logEndOffset()).isEqualTo(120);
        // ...and is found and cut when recovering everything
        Path c = tmp.resolve("c-0");
        crashCopy(a, c);
        Files.copy(first, c.resolve(first.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Log scanned = open(c, 0);
        assertThat(scanned.logEndOffset()).isLessThan(bases.get(1));
    }

    @Test
    void emptyDirectoryAndEmptyActiveSegmentOpen() throws IOException {
        Path a = tmp.resolve("a-0");
        Log log = open(a, 0);
        assertThat(log.logEndOffset()).isZero();
        fill(log, 5);
        log.roll(true);
        log.close();
        opened.remove(log);
        Log reopened = open(a, Long.MAX_VALUE);
        assertThat(reopened.logEndOffset()).isEqualTo(10);
        assertThat(reopened.numberOfSegments()).isEqualTo(2);
        assertThat(reopened.append(TestBatches.plain(1, 2, 10)).baseOffset()).isEqualTo(10);
        TestBatches.assertWholeBatchesFromStart(reopened, 2);
    }
}
