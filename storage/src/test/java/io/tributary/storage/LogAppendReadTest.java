package io.tributary.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.protocol.Errors;
import io.tributary.protocol.record.MemoryRecords;
import io.tributary.protocol.record.RecordBatchHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogAppendReadTest {
    @TempDir
    Path dir;

    private final ManualTime time = new ManualTime();
    private Log log;

    private Log open(Map<String, String> overrides) throws IOException {
        log = Log.open(dir.resolve("t-0"), LogConfig.create(Map.of(), overrides), time);
        return log;
    }

    @AfterEach
    void close() throws IOException {
        if (log != null) {
            log.close();
        }
    }

    @Test
    void appendAssignsConsecutiveOffsetsByRewritingBaseOffsetInPlace() throws IOException {
        open(Map.of());
        MemoryRecords first = TestBatches.plain(time.milliseconds(), 3, 10);
        MemoryRecords second = TestBatches.plain(time.milliseconds(), 2, 10);

        AppendResult r1 = log.append(first);
        AppendResult r2 = log.append(second, 7);

        assertThat(r1.error()).isEqualTo(Errors.NONE);
        assertThat(r1.baseOffset()).isZero();
        assertThat(r1.lastOffset()).isEqualTo(2);
        assertThat(r2.baseOffset()).isEqualTo(3);
        assertThat(r2.lastOffset()).isEqualTo(4);
        assertThat(RecordBatchHeader.baseOffset(second.buffer(), 0)).isEqualTo(3);
        assertThat(second.buffer().getInt(RecordBatchHeader.PARTITION_LEADER_EPOCH))
                .isEqualTo(7);
        assertThat(log.logEndOffset()).isEqualTo(5);
        assertThat(log.highWatermark()).isEqualTo(5);
        assertThat(log.logStartOffset()).isZero();

        LogReadResult read = log.read(0, 1 << 20, false);
        assertThat(read.error()).isEqualTo(Errors.NONE);
        ByteBuffer bytes = read.records().toByteBuffer();
        assertThat(TestBatches.baseOffsets(bytes)).containsExactly(0L, 3L);
        assertThat(TestBatches.allValid(bytes)).isTrue();
        assertThat(bytes.remaining()).isEqualTo(first.sizeInBytes() + second.sizeInBytes());
    }

    @Test
    void multipleBatchesInOneAppendGetConsecutiveOffsets() throws IOException {
        open(Map.of());
        MemoryRecords recs = TestBatches.records(
                TestBatches.batch(-1, (short) -1, -1, 1, "a", "b"), TestBatches.batch(-1, (short) -1, -1, 1, "c"));
        AppendResult r = log.append(recs);
        assertThat(r.baseOffset()).isZero();
        assertThat(r.lastOffset()).isEqualTo(2);
        assertThat(TestBatches.baseOffsets(log.read(0, 10_000, false).records().toByteBuffer()))
                .containsExactly(0L, 2L);
    }

    @Test
    void readInsideBatchStartsAtThatBatchAndReadsAtEndAreEmpty() throws IOException {
        open(Map.of());
        log.append(TestBatches.plain(1, 5, 10)); // 0..4
        log.append(TestBatches.plain(1, 5, 10)); // 5..9

        LogReadResult mid = log.read(7, 1 << 20, false);
        assertThat(mid.records().firstOffset()).isEqualTo(5);
        assertThat(TestBatches.baseOffsets(mid.records().toByteBuffer())).containsExactly(5L);

        LogReadResult atEnd = log.read(10, 1 << 20, false);
        assertThat(atEnd.error()).isEqualTo(Errors.NONE);
        assertThat(atEnd.records().sizeInBytes()).isZero();

        assertThat(log.read(11, 100, false).error()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
        assertThat(log.read(-1, 100, false).error()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
    }

    @Test
    void byteLimitReturnsWholeBatchesOnlyAndMinOneBatchReturnsAnOversizedFirstBatch() throws IOException {
        open(Map.of());
        int batchSize = 0;
        for (int i = 0; i < 10; i++) {
            MemoryRecords r = TestBatches.plain(1, 2, 50);
            batchSize = r.sizeInBytes();
            log.append(r);
        }
        // room for 3.5 batches: three come back, no partial fourth
        LogReadResult r = log.read(0, batchSize * 3 + batchSize / 2, false);
        assertThat(r.records().sizeInBytes()).isEqualTo(3 * batchSize);
        assertThat(TestBatches.baseOffsets(r.records().toByteBuffer())).containsExactly(0L, 2L, 4L);

        assertThat(log.read(4, batchSize - 1, false).records().sizeInBytes()).isZero();
        LogReadResult one = log.read(4, batchSize - 1, true);
        assertThat(one.records().sizeInBytes()).isEqualTo(batchSize);
        assertThat(one.records().firstOffset()).isEqualTo(4);
        assertThat(log.read(4, 0, true).records().sizeInBytes()).isEqualTo(batchSize);
    }

    @Test
    void sparseIndexFindsEveryOffsetAcrossRolledSegments() throws IOException {
        // small segments and an index entry every batch or so
        open(Map.of("segment.bytes", "2000", "index.interval.bytes", "150"));
        int batches = 120;
        for (int i = 0; i < batches; i++) {
            log.append(TestBatches.plain(1, 1 + (i % 3), 20));
        }
        assertThat(log.numberOfSegments()).isGreaterThan(5);
        long leo = log.logEndOffset();
        for (long o = 0; o < leo; o++) {
            LogReadResult r = log.read(o, 1, true);
            ByteBuffer b = r.records().toByteBuffer();
            long base = RecordBatchHeader.baseOffset(b, 0);
            long last = RecordBatchHeader.lastOffset(b, 0);
            assertThat(o).isBetween(base, last);
        }
        // one read never spans segments but returns as much of one as fits
        LogReadResult big = log.read(0, 1 << 20, false);
        assertThat(big.records().sizeInBytes()).isLessThanOrEqualTo(2000).isGreaterThan(1000);
        List<Long> segs = log.segmentBaseOffsets();
        assertThat(segs.get(0)).isZero();
        assertThat(segs).isSorted();
    }

    @Test
    void indexJumpForLargeReadsLandsOnBatchBoundaries() throws IOException {
        open(Map.of("index.interval.bytes", "100"));
        for (int i = 0; i < 200; i++) {
            log.append(TestBatches.plain(1, 1, 10 + i % 17)); // varied sizes
        }
        for (int limit : new int[] {100, 333, 1000, 2500, 7777}) {
            for (long start : new long[] {0, 13, 150}) {
                ByteBuffer b = log.read(start, limit, false).records().toByteBuffer();
                assertThat(b.remaining()).isLessThanOrEqualTo(limit);
                assertThat(TestBatches.allValid(b)).isTrue();
                List<Long> offs = TestBatches.baseOffsets(b);
                assertThat(offs.get(0)).isEqualTo(start);
                // contiguous: nothing skipped between batches
                for (int i = 1; i < offs.size(); i++) {
                    assertThat(offs.get(i)).isEqualTo(offs.get(i - 1) + 1);
                }
                // and the next batch really would not have fitted
                long next = offs.get(offs.size() - 1) + 1;
                if (next < log.logEndOffset()) {
                    int nextSize = log.read(next, 1, true).records().sizeInBytes();
                    assertThat(b.remaining() + nextSize).isGreaterThan(limit);
                }
            }
        }
    }

    /**
     * A fetch that follows the tail asks for the latest append's first offset, which the log finds
     * at the end it had before that append (no header walk). After a truncation cut that end and
     * other batches were written at the same offsets, a read still returns what is there now.
     */
    @Test
    void tailFollowingReadsFindTheLatestAppendAlsoAfterATruncationRewroteIt() throws IOException {
        open(Map.of());
        for (int i = 0; i < 60; i++) {
            MemoryRecords r = TestBatches.plain(1, 1 + i % 2, 10 + i % 7);
            long first = log.append(r).baseOffset();
            LogReadResult tail = log.read(first, 1 << 20, false);
            assertThat(TestBatches.baseOffsets(tail.records().toByteBuffer())).containsExactly(first);
            assertThat(tail.records().sizeInBytes()).isEqualTo(r.sizeInBytes());
        }
        long cut = log.logEndOffset() - 3;
        long batchStart = log.read(cut, 1, true).records().firstOffset();
        assertThat(log.truncateTo(batchStart)).isTrue();
        MemoryRecords rewritten = TestBatches.plain(1, 4, 33);
        assertThat(log.append(rewritten).baseOffset()).isEqualTo(batchStart);
        LogReadResult again = log.read(batchStart, 1 << 20, false);
        assertThat(TestBatches.baseOffsets(again.records().toByteBuffer())).containsExactly(batchStart);
        assertThat(again.records().sizeInBytes()).isEqualTo(rewritten.sizeInBytes());
        assertThat(TestBatches.allValid(again.records().toByteBuffer())).isTrue();
    }

    /** A position hint is only taken when the header there holds the offset: a wrong one falls back to the index. */
    @Test
    void wrongPositionHintsFallBackToTheIndex() throws IOException {
        open(Map.of("index.interval.bytes", "4096"));
        int[] positions = new int[40];
        int pos = 0;
        for (int i = 0; i < positions.length; i++) {
            positions[i] = pos;
            MemoryRecords r = TestBatches.plain(1, 2, 20);
            pos += r.sizeInBytes();
            log.append(r); // offsets 2i, 2i+1
        }
        SegmentReader reader = log.active.reader();
        int end = log.end.position();
        for (int i = 0; i < positions.length; i++) {
            long target = 2L * i + 1;
            for (int hint :
                    new int[] {-1, positions[i], positions[(i + 7) % positions.length], positions[i] + 5, end}) {
                SegmentReader.BatchPosition bp = reader.translateOffset(target, end, hint);
                assertThat(bp).as("offset %d, hint %d", target, hint).isNotNull();
                assertThat(bp.position()).isEqualTo(positions[i]);
                assertThat(bp.baseOffset()).isEqualTo(2L * i);
                assertThat(bp.lastOffset()).isEqualTo(target);
            }
        }
    }

    @Test
    void rejectsCorruptAndOversizedBatchesWithoutWriting() throws IOException {
        open(Map.of("max.message.bytes", "200"));
        ByteBuffer bad = TestBatches.batch(-1, (short) -1, -1, 1, "x");
        bad.put(bad.limit() - 1, (byte) 'y'); // body changed, CRC not
        assertThat(log.append(TestBatches.records(bad)).error()).isEqualTo(Errors.CORRUPT_MESSAGE);

        ByteBuffer torn = TestBatches.batch(-1, (short) -1, -1, 1, "x");
        torn.limit(torn.limit() - 3);
        assertThat(log.append(new MemoryRecords(torn)).error()).isEqualTo(Errors.CORRUPT_MESSAGE);

        assertThat(log.append(TestBatches.plain(1, 1, 300)).error()).isEqualTo(Errors.MESSAGE_TOO_LARGE);
        assertThat(log.logEndOffset()).isZero();
        assertThat(log.size()).isZero();
        assertThat(log.append(MemoryRecords.EMPTY).baseOffset()).isEqualTo(-1);
    }

    /** Issue 16: the produce path's append skips only the CRC its validator checked; framing and size still refuse. */
    @Test
    void crcCheckedAppendStillRefusesBadFramingAndSize() throws IOException {
        open(Map.of("max.message.bytes", "200"));
        ByteBuffer torn = TestBatches.batch(-1, (short) -1, -1, 1, "x");
        torn.limit(torn.limit() - 3);
        assertThat(log.appendCrcChecked(new MemoryRecords(torn)).error()).isEqualTo(Errors.CORRUPT_MESSAGE);
        assertThat(log.appendCrcChecked(TestBatches.plain(1, 1, 300)).error()).isEqualTo(Errors.MESSAGE_TOO_LARGE);
        assertThat(log.logEndOffset()).isZero();
        assertThat(log.appendCrcChecked(TestBatches.records(TestBatches.batch(-1, (short) -1, -1, 1, "x")))
                        .lastOffset())
                .isZero();
        assertThat(log.logEndOffset()).isEqualTo(1);
    }

    @Test
    void offsetForTimestampUsesRecordTimestamps() throws IOException {
        open(Map.of("segment.bytes", "600", "index.interval.bytes", "100"));
        // offsets 0..29, record timestamps 1000 + 10*offset
        for (int b = 0; b < 10; b++) {
            long[] ts = new long[3];
            for (int i = 0; i < 3; i++) {
                ts[i] = 1000 + 10L * (b * 3 + i);
            }
            log.append(TestBatches.records(TestBatches.batchWithTimestamps(-1, (short) -1, -1, ts, "a", "b", "c")));
        }
        assertThat(log.numberOfSegments()).isGreaterThan(1);
        assertThat(log.offsetForTimestamp(0)).isZero();
        assertThat(log.offsetForTimestamp(1000)).isZero();
        assertThat(log.offsetForTimestamp(1001)).isEqualTo(1);
        assertThat(log.offsetForTimestamp(1040)).isEqualTo(4);
        assertThat(log.offsetForTimestamp(1135)).isEqualTo(14);
        assertThat(log.fetchOffsetByTimestamp(1135).orElseThrow().timestamp()).isEqualTo(1140);
        assertThat(log.offsetForTimestamp(1290)).isEqualTo(29);
        assertThat(log.offsetForTimestamp(1291)).isEqualTo(-1);
        assertThat(log.fetchOffsetByTimestamp(Log.LATEST_TIMESTAMP)
                        .orElseThrow()
                        .offset())
                .isEqualTo(30);
        assertThat(log.fetchOffsetByTimestamp(Log.EARLIEST_TIMESTAMP)
                        .orElseThrow()
                        .offset())
                .isZero();
        TimestampAndOffset max = log.fetchOffsetByTimestamp(Log.MAX_TIMESTAMP).orElseThrow();
        assertThat(max.offset()).isEqualTo(29);
        assertThat(max.timestamp()).isEqualTo(1290);
    }

    @Test
    void offsetForTimestampWithOutOfOrderTimestampsFindsFirstQualifyingRecord() throws IOException {
        open(Map.of("index.interval.bytes", "0"));
        log.append(TestBatches.records(
                TestBatches.batchWithTimestamps(-1, (short) -1, -1, new long[] {500, 100}, "a", "b")));
        log.append(TestBatches.records(
                TestBatches.batchWithTimestamps(-1, (short) -1, -1, new long[] {200, 300}, "c", "d")));
        log.append(TestBatches.records(TestBatches.batchWithTimestamps(-1, (short) -1, -1, new long[] {600}, "e")));
        assertThat(log.offsetForTimestamp(150)).isZero(); // offset 0 has 500 >= 150
        assertThat(log.offsetForTimestamp(550)).isEqualTo(4);
        log.close();
        log = Log.open(dir.resolve("t-0"), LogConfig.create(Map.of(), Map.of("index.interval.bytes", "0")), time);
        assertThat(log.offsetForTimestamp(550)).isEqualTo(4);
        assertThat(log.offsetForTimestamp(501)).isEqualTo(4);
    }

    @Test
    void readsRunConcurrentlyWithAppendsAndNeverSeeAPartialBatch() throws Exception {
        open(Map.of("segment.bytes", "5000", "index.interval.bytes", "200"));
        int total = 400;
        Thread writer = new Thread(() -> {
            for (int i = 0; i < total; i++) {
                log.append(TestBatches.plain(1, 2, 30));
            }
        });
        writer.start();
        long fetched = 0;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (fetched < 2L * total && System.nanoTime() < deadline) {
            LogReadResult r = log.read(fetched, 700, true);
            assertThat(r.error()).isEqualTo(Errors.NONE);
            ByteBuffer b = r.records().toByteBuffer();
            assertThat(TestBatches.allValid(b)).isTrue();
            for (long base : TestBatches.baseOffsets(b)) {
                assertThat(base).isEqualTo(fetched);
                fetched += 2;
            }
        }
        writer.join();
        assertThat(fetched).isEqualTo(2L * total);
    }

    @Test
    void sliceTransfersItsBytesToAChannelWithoutTheHeap() throws IOException {
        open(Map.of());
        for (int i = 0; i < 5; i++) {
            log.append(TestBatches.plain(1, 2, 30));
        }
        FileRecordsSlice slice = log.read(4, 10_000, false).records();
        assertThat(slice.channel()).isNotNull();
        assertThat(slice.position()).isPositive();
        Path out = dir.resolve("out.bin");
        try (java.nio.channels.FileChannel target = java.nio.channels.FileChannel.open(
                out, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
            long sent = 0;
            while (sent < slice.sizeInBytes()) {
                sent += slice.transferTo(target, sent, slice.sizeInBytes() - sent);
            }
        }
        byte[] written = java.nio.file.Files.readAllBytes(out);
        assertThat(ByteBuffer.wrap(written)).isEqualTo(slice.toByteBuffer());
        assertThat(TestBatches.baseOffsets(ByteBuffer.wrap(written))).containsExactly(4L, 6L, 8L);
    }
}
