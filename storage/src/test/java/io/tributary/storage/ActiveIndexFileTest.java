package io.tributary.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.protocol.Errors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The active segment's index entries live on the heap (issue 16: appends through the mapping of
 * the preallocated file faulted page by page): the file stays preallocated and zero-filled while
 * the segment is active, gets exactly its entries at roll and close, and a copy taken while the
 * log is open (a crash) is rebuilt from the log rather than trusted.
 */
class ActiveIndexFileTest {
    private static final int INDEX_BYTES = 4096;
    private static final Map<String, String> SMALL =
            Map.of("segment.bytes", "3000", "index.interval.bytes", "200", "segment.index.bytes", "" + INDEX_BYTES);

    @TempDir
    Path tmp;

    private static Log open(Path dir, long recoveryPoint) throws IOException {
        return Log.open(
                dir,
                LogConfig.create(Map.of(), SMALL),
                new ManualTime(),
                Runnable::run,
                recoveryPoint,
                Log.DEFAULT_PRODUCER_ID_EXPIRATION_MS);
    }

    private static void fill(Log log, int batches) {
        for (int i = 0; i < batches; i++) {
            assertThat(log.append(TestBatches.plain(1000 + i, 2, 40)).error()).isEqualTo(Errors.NONE);
        }
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
        }
    }

    /** Every batch from the start, read through the indexes, at the offsets appended. */
    private static void assertEveryOffsetReadable(Log log) {
        for (long o = 0; o < log.logEndOffset(); o++) {
            ByteBuffer b = log.read(o, 100_000, true).records().toByteBuffer();
            assertThat(TestBatches.allValid(b)).isTrue();
            assertThat(TestBatches.baseOffsets(b).get(0)).isEqualTo(o - o % 2);
        }
    }

    @Test
    void activeIndexIsWrittenAtRollAndClose() throws IOException {
        Path dir = tmp.resolve("t-0");
        Log log = open(dir, 0);
        fill(log, 40);
        // a fresh active segment with a few index entries (each batch is ~150 bytes)
        int segments = log.numberOfSegments();
        while (log.numberOfSegments() == segments) {
            fill(log, 1);
        }
        fill(log, 8);
        assertThat(log.numberOfSegments()).isEqualTo(segments + 1);
        List<Path> indexes = files(dir, LogSegment.INDEX_SUFFIX);
        List<Path> timeIndexes = files(dir, LogSegment.TIME_INDEX_SUFFIX);
        assertThat(indexes).hasSizeGreaterThan(2);
        for (int i = 0; i < indexes.size() - 1; i++) {
            // rolled: trimmed to whole entries, at least one of them
            assertThat(Files.size(indexes.get(i))).isPositive().isLessThan(INDEX_BYTES);
            assertThat(Files.size(indexes.get(i)) % OffsetIndex.ENTRY_SIZE).isZero();
            assertThat(Files.size(timeIndexes.get(i)) % TimeIndex.ENTRY_SIZE).isZero();
        }
        // active: still preallocated and zero-filled, the entries are on the heap
        Path activeIndex = indexes.get(indexes.size() - 1);
        assertThat(Files.size(activeIndex)).isEqualTo(INDEX_BYTES);
        assertThat(Files.readAllBytes(activeIndex)).containsOnly(0);
        assertEveryOffsetReadable(log);
        long end = log.logEndOffset();
        log.close();

        assertThat(Files.size(activeIndex)).isPositive().isLessThan(INDEX_BYTES);
        assertThat(Files.size(activeIndex) % OffsetIndex.ENTRY_SIZE).isZero();
        Log reopened = open(dir, Long.MAX_VALUE);
        try {
            assertThat(reopened.logEndOffset()).isEqualTo(end);
            assertEveryOffsetReadable(reopened);
            fill(reopened, 3);
            assertEveryOffsetReadable(reopened);
        } finally {
            reopened.close();
        }
    }

    @Test
    void preallocatedIndexOfACrashedLogIsRebuiltNotTrusted() throws IOException {
        Path dir = tmp.resolve("t-0");
        Log log = open(dir, 0);
        fill(log, 12);
        assertThat(log.numberOfSegments()).isEqualTo(1);
        // A crash: the files as the open log leaves them (the index preallocated, no entries yet).
        Path crashed = tmp.resolve("crashed-0");
        Files.createDirectories(crashed);
        for (Path p : files(dir, "")) {
            Files.copy(p, crashed.resolve(p.getFileName()));
        }
        log.close();
        long entries = Files.size(files(dir, LogSegment.INDEX_SUFFIX).get(0)) / OffsetIndex.ENTRY_SIZE;
        assertThat(entries).isPositive();

        LogSegment copy = LogSegment.open(crashed, 0, LogConfig.create(Map.of(), SMALL), 0, true);
        try {
            assertThat(copy.indexesSane()).isFalse();
            copy.rebuildIndexes();
            assertThat(copy.indexesSane()).isTrue();
            assertThat(copy.offsetIndexEntries()).isEqualTo((int) entries);
        } finally {
            copy.close();
        }
        Log recovered = open(crashed, 0);
        try {
            assertEveryOffsetReadable(recovered);
            assertThat(recovered.logEndOffset()).isEqualTo(24);
        } finally {
            recovered.close();
        }
    }
}
