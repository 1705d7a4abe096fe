package io.tributary.storage;

import static io.tributary.storage.CleanerFixture.append;
import static io.tributary.storage.CleanerFixture.batch;
import static io.tributary.storage.CleanerFixture.compactConfig;
import static io.tributary.storage.CleanerFixture.latest;
import static io.tributary.storage.CleanerFixture.records;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.protocol.Errors;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.RecordBatchHeader;
import io.tributary.storage.CleanerFixture.Rec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the cleaner keeps and removes, and when it runs. */
class LogCleanerTest {
    @TempDir
    Path dataDir;

    private final ManualTime time = new ManualTime(1_000_000L);
    private final Map<TopicPartitionKey, Log> logs = new LinkedHashMap<>();
    private LogCleaner cleaner;

    private Log open(String topic, Map<String, String> overrides) throws IOException {
        Log log = Log.open(dataDir.resolve(topic + "-0"), compactConfig(overrides), time);
        logs.put(new TopicPartitionKey(topic, 0), log);
        return log;
    }

    private LogCleaner cleaner(long dedupeBytes) {
        cleaner = new LogCleaner(dataDir, CleanerFixture.settings(dedupeBytes, Double.MAX_VALUE), time, () -> logs);
        return cleaner;
    }

    @AfterEach
    void closeAll() throws IOException {
        if (cleaner != null) {
            cleaner.close();
        }
        for (Log l : logs.values()) {
            l.close();
        }
    }

    @Test
    void keepsTheLatestValuePerKeyWithOffsetsUnchanged() throws IOException {
        Log log = open("big", Map.of("segment.bytes", "262144"));
        Map<String, Rec> expected = new HashMap<>();
        long offset = 0;
        for (int b = 0; b < 1000; b++) {
            String[] kv = new String[200];
            for (int i = 0; i < 100; i++) {
                int n = b * 100 + i;
                String key = "key-" + (n * 7919 % 1000);
                // Every 10th key's final write is a tombstone.
                boolean tombstone = n >= 99_000 && (n * 7919 % 1000) % 10 == 0;
                String value = tombstone ? null : "value-" + n;
                kv[2 * i] = key;
                kv[2 * i + 1] = value;
                expected.put(key, new Rec(offset++, key, value));
            }
            append(log, batch(time.milliseconds(), kv));
        }
        log.roll(true);
        assertThat(log.numberOfSegments()).isGreaterThan(5);
        long sizeBefore = log.size();

        assertThat(cleaner(16 << 20).cleanFilthiestLog()).isTrue();

        List<Rec> after = records(log);
        // Tombstones stay on the first pass (delete.retention.ms has not passed).
        assertThat(after).hasSize(1000);
        assertThat(latest(after)).isEqualTo(expected);
        assertThat(log.size()).isLessThan(sizeBefore / 20);
        assertThat(log.logStartOffset()).isZero();
        assertThat(log.logEndOffset()).isEqualTo(100_000);
        assertThat(cleaner.checkpointedOffset(new TopicPartitionKey("big", 0))).isEqualTo(100_000);
        // Nothing left to clean until new data arrives.
        assertThat(cleaner.cleanFilthiestLog()).isFalse();
        // A read at a cleaned-away offset starts at the next record that exists.
        Rec some = after.get(500);
        LogReadResult r = log.read(some.offset() - 1, 1 << 20, true);
        assertThat(r.error()).isEqualTo(Errors.NONE);
        assertThat(r.records().toByteBuffer().hasRemaining()).isTrue();

        // The cleaned log survives a restart as it is.
        log.close();
        Log reopened = Log.open(log.dir(), log.config(), time);
        logs.put(new TopicPartitionKey("big", 0), reopened);
        assertThat(records(reopened)).isEqualTo(after);
        assertThat(CleanerFixture.files(reopened.dir(), ".cleaned")).isEmpty();
        assertThat(CleanerFixture.files(reopened.dir(), ".swap")).isEmpty();
    }

    @Test
    void tombstonesGoOnlyOnceTheirSegmentIsOlderThanDeleteRetention() throws IOException {
        Log log = open("tomb", tombConfig(86_400_000L));
        // Segment 0 holds a value and its tombstone among unique keys, so it stays big enough
        // not to be merged with its neighbours.
        append(log, batch(time.milliseconds(), "dead", "v1", "u0", "x".repeat(100)));
        append(log, batch(time.milliseconds(), "dead", null));
        int u = 1;
        while (log.numberOfSegments() < 4) {
            append(log, batch(time.milliseconds(), "u" + u++, "x".repeat(100), "u" + u++, "x".repeat(100)));
        }
        log.roll(true);
        LogCleaner c = cleaner(1 << 20);
        assertThat(c.cleanFilthiestLog()).isTrue();
        assertThat(latest(records(log))).containsKey("dead");
        assertThat(latest(records(log)).get("dead").value()).isNull();

        // Make the data dirty again, then age the first segment by two days.
        while (log.numberOfSegments() < 8) {
            append(log, batch(time.milliseconds(), "w" + u++, "x".repeat(100), "w" + u++, "x".repeat(100)));
        }
        log.roll(true);
        long now = System.currentTimeMillis();
        for (long base : log.segmentBaseOffsets()) {
            CleanerFixture.setModified(log.dir(), base, base == 0 ? now - 2 * 86_400_000L : now);
        }
        log.updateConfig(compactConfig(tombConfig(3 * 86_400_000L)));
        assertThat(c.cleanFilthiestLog()).isTrue();
        assertThat(latest(records(log))).as("3 days retention: kept").containsKey("dead");

        while (log.numberOfSegments() < 12) {
            append(log, batch(time.milliseconds(), "y" + u++, "x".repeat(100), "y" + u++, "x".repeat(100)));
        }
        log.roll(true);
        for (long base : log.segmentBaseOffsets()) {
            CleanerFixture.setModified(log.dir(), base, base == 0 ? now - 2 * 86_400_000L : now);
        }
        log.updateConfig(compactConfig(tombConfig(86_400_000L)));
        assertThat(c.cleanFilthiestLog()).isTrue();
        Map<String, Rec> view = latest(records(log));
        assertThat(view).as("1 day retention: gone").doesNotContainKey("dead");
        assertThat(view).containsKeys("u0", "u1");
    }

    private static Map<String, String> tombConfig(long deleteRetentionMs) {
        return Map.of(
                "segment.bytes",
                "2000",
                "min.cleanable.dirty.ratio",
                "0.01",
                "delete.retention.ms",
                String.valueOf(deleteRetentionMs));
    }

    @Test
    void neverTouchesTheActiveSegment() throws IOException {
        Log log = open("active", Map.of());
        append(log, batch(time.milliseconds(), "k", "1", "k", "2"));
        assertThat(cleaner(1 << 20).cleanFilthiestLog())
                .as("only an active segment")
                .isFalse();
        log.roll(true);
        append(log, batch(time.milliseconds(), "k", "3", "k", "4"));
        Path active = log.dir().resolve(LogSegment.fileName(2, ".log"));
        // The batches, not the file: zeros may be written after them meanwhile (SegmentZeroTail).
        int size = log.active.size();
        byte[] before = Arrays.copyOf(Files.readAllBytes(active), size);
        assertThat(cleaner.cleanFilthiestLog()).isTrue();
        byte[] after = Files.readAllBytes(active);
        assertThat(Arrays.copyOf(after, size)).isEqualTo(before);
        // Zeros or nothing past the batches (the zeroer's thread may not have run yet).
        assertThat(java.util.stream.IntStream.range(size, after.length).filter(i -> after[i] != 0))
                .as("non-zero bytes past the batches")
                .isEmpty();
        assertThat(records(log)).extracting(Rec::value).containsExactly("2", "3", "4");
    }

    @Test
    void recordsNewerThanMinCompactionLagStayDirty() throws IOException {
        Log log = open("lag", Map.of("min.compaction.lag.ms", "60000", "min.cleanable.dirty.ratio", "0.1"));
        append(log, batch(time.milliseconds(), "a", "1", "a", "2"));
        log.roll(true);
        time.advanceMs(120_000);
        append(log, batch(time.milliseconds(), "b", "1", "b", "2"));
        log.roll(true);
        append(log, batch(time.milliseconds(), "c", "1"));
        time.advanceMs(30_000);

        LogCleaner c = cleaner(1 << 20);
        LogCleaner.LogToClean ltc = c.cleanable(new TopicPartitionKey("lag", 0), log, time.milliseconds());
        assertThat(ltc.firstUncleanableOffset()).isEqualTo(2);
        assertThat(c.cleanFilthiestLog()).isTrue();
        assertThat(records(log)).extracting(Rec::value).containsExactly("2", "1", "2", "1");

        time.advanceMs(60_000);
        assertThat(c.cleanFilthiestLog()).isTrue();
        assertThat(records(log)).extracting(Rec::value).containsExactly("2", "2", "1");
    }

    @Test
    void choosesTheDirtiestLogAboveTheMinimumRatio() throws IOException {
        Log low = open("low", Map.of());
        Log high = open("high", Map.of());
        for (Log l : List.of(low, high)) {
            for (int i = 0; i < 10; i++) {
                append(l, batch(time.milliseconds(), "k" + i, "v"));
            }
            l.roll(true);
        }
        LogCleaner c = cleaner(1 << 20);
        assertThat(c.cleanFilthiestLog()).isTrue();
        assertThat(c.cleanFilthiestLog()).isTrue();
        assertThat(c.cleanFilthiestLog()).isFalse();
        // low: 1 small dirty segment after 10 clean keys; high: as much dirty as clean.
        append(low, batch(time.milliseconds(), "k0", "w"));
        low.roll(true);
        for (int i = 0; i < 11; i++) {
            append(high, batch(time.milliseconds(), "k" + (i % 10), "w"));
        }
        high.roll(true);
        TopicPartitionKey lowKey = new TopicPartitionKey("low", 0);
        TopicPartitionKey highKey = new TopicPartitionKey("high", 0);
        assertThat(c.cleanable(lowKey, low, time.milliseconds())).isNull();
        assertThat(c.cleanable(highKey, high, time.milliseconds()).dirtyRatio()).isGreaterThan(0.5);
        assertThat(c.cleanFilthiestLog()).isTrue();
        assertThat(c.checkpointedOffset(highKey)).isEqualTo(21);
        assertThat(c.checkpointedOffset(lowKey)).isEqualTo(10);
        assertThat(c.cleanFilthiestLog()).isFalse();

        // max.compaction.lag.ms makes the barely dirty log due once its dirty data is old.
        low.updateConfig(compactConfig(Map.of("max.compaction.lag.ms", "1000")));
        assertThat(c.cleanFilthiestLog()).isFalse();
        time.advanceMs(1001);
        assertThat(c.cleanFilthiestLog()).isTrue();
        assertThat(c.checkpointedOffset(lowKey)).isEqualTo(11);
        assertThat(latest(records(low)).get("k0").value()).isEqualTo("w");
    }

    /** Kafka cleans only above the ratio: at 1.0 a wholly dirty log waits for max.compaction.lag.ms (issue 10). */
    @Test
    void aRatioOfOneIsNotAboveTheMinimum() throws IOException {
        Log log = open("ratio", Map.of("min.cleanable.dirty.ratio", "1.0", "max.compaction.lag.ms", "60000"));
        append(log, batch(time.milliseconds(), "k", "1", "k", "2"));
        log.roll(true);
        LogCleaner c = cleaner(1 << 20);
        TopicPartitionKey key = new TopicPartitionKey("ratio", 0);
        assertThat(c.cleanable(key, log, time.milliseconds())).isNull();
        assertThat(c.cleanFilthiestLog()).isFalse();
        time.advanceMs(60_001);
        assertThat(c.cleanFilthiestLog()).isTrue();
        assertThat(records(log)).extracting(Rec::value).containsExactly("2");
    }

    @Test
    void maxCompactionLagAlsoRollsTheActiveSegment() throws IOException {
        Log log = open("roll", Map.of("max.compaction.lag.ms", "1000"));
        append(log, batch(time.milliseconds(), "k", "1"));
        time.advanceMs(1001);
        append(log, batch(time.milliseconds(), "k", "2"));
        assertThat(log.segmentBaseOffsets()).containsExactly(0L, 1L);
    }

    @Test
    void compressedBatchesAreRebuiltWithTheirCodec() throws IOException {
        Log log = open("zip", Map.of());
        for (CompressionType codec : List.of(CompressionType.GZIP, CompressionType.LZ4, CompressionType.ZSTD)) {
            append(log, CleanerFixture.batch(codec, time.milliseconds(), "a", "1", "b", "1", "c", "1"));
        }
        append(log, batch(time.milliseconds(), "a", "2"));
        log.roll(true);
        assertThat(cleaner(1 << 20).cleanFilthiestLog()).isTrue();
        List<ByteBuffer> batches = CleanerFixture.batches(log);
        // gzip batch lost every record (all superseded); lz4 kept none; zstd keeps b, c.
        assertThat(batches).hasSize(2);
        assertThat(RecordBatchHeader.compressionId(batches.get(0), 0)).isEqualTo(CompressionType.ZSTD.id);
        assertThat(RecordBatchHeader.baseOffset(batches.get(0), 0)).isEqualTo(6);
        assertThat(RecordBatchHeader.lastOffset(batches.get(0), 0)).isEqualTo(8);
        assertThat(records(log)).containsExactly(new Rec(7, "b", "1"), new Rec(8, "c", "1"), new Rec(9, "a", "2"));
    }

    @Test
    void theLastBatchOfAProducerStaysAsAnEmptyBatch() throws IOException {
        Log log = open("pid", Map.of());
        append(log, CleanerFixture.idempotent(42, (short) 0, 0, time.milliseconds(), "k", "1"));
        append(log, batch(time.milliseconds(), "k", "2"));
        append(log, batch(time.milliseconds(), "other", "x"));
        log.roll(true);
        assertThat(cleaner(1 << 20).cleanFilthiestLog()).isTrue();
        List<ByteBuffer> batches = CleanerFixture.batches(log);
        assertThat(batches).hasSize(3);
        assertThat(RecordBatchHeader.producerId(batches.get(0), 0)).isEqualTo(42);
        assertThat(RecordBatchHeader.recordsCount(batches.get(0), 0)).isZero();
        assertThat(records(log)).extracting(Rec::value).containsExactly("2", "x");
        log.close();
        Log reopened =
                Log.open(log.dir(), log.config(), time, Runnable::run, 0L, Log.DEFAULT_PRODUCER_ID_EXPIRATION_MS);
        logs.put(new TopicPartitionKey("pid", 0), reopened);
        assertThat(reopened.producerState(42).orElseThrow().lastSequence()).isZero();
    }

    @Test
    void aSmallDedupeBufferCleansThePrefixThatFits() throws IOException {
        Log log = open("prefix", Map.of());
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 100; i++) {
                append(log, batch(time.milliseconds(), "k" + i, "r" + round));
            }
        }
        log.roll(true);
        // Room for about 40 keys: three passes clean the 200 dirty offsets.
        LogCleaner c = cleaner(OffsetMap.memoryFor(40, 0.9));
        TopicPartitionKey key = new TopicPartitionKey("prefix", 0);
        List<Long> checkpoints = new ArrayList<>();
        while (c.cleanFilthiestLog()) {
            checkpoints.add(c.checkpointedOffset(key));
        }
        assertThat(checkpoints.size()).isGreaterThan(2);
        assertThat(checkpoints).isSorted().last().isEqualTo(200L);
        List<Rec> after = records(log);
        assertThat(after).hasSize(100);
        assertThat(after).allMatch(r -> r.value().equals("r1"));
    }

    @Test
    void compactDeleteLogsAreCleanedAndStillExpireByRetention() throws IOException {
        // segment.bytes small enough that cleaning does not merge the two segments
        Log log = open(
                "both",
                Map.of(
                        "cleanup.policy",
                        "compact,delete",
                        "retention.ms",
                        "10000",
                        "file.delete.delay.ms",
                        "0",
                        "segment.bytes",
                        "100"));
        append(log, batch(time.milliseconds(), "a", "1", "a", "2"));
        log.roll(true);
        time.advanceMs(20_000);
        append(log, batch(time.milliseconds(), "b", "1", "b", "2"));
        log.roll(true);
        append(log, batch(time.milliseconds(), "c", "1"));
        assertThat(cleaner(1 << 20).cleanFilthiestLog()).isTrue();
        assertThat(records(log)).extracting(Rec::value).containsExactly("2", "2", "1");
        assertThat(log.deleteOldSegments()).isEqualTo(1);
        assertThat(log.logStartOffset()).isEqualTo(2);
        assertThat(records(log)).extracting(Rec::key).containsExactly("b", "c");
    }

    @Test
    void aCompactedTopicRefusesRecordsWithoutAKey() throws IOException {
        Log log = open("keys", Map.of());
        AppendResult r = log.append(batch(time.milliseconds(), "k", "v", null, "no key"));
        assertThat(r.error()).isEqualTo(Errors.INVALID_RECORD);
        assertThat(log.logEndOffset()).isZero();
        Log plain = Log.open(dataDir.resolve("plain-0"), LogConfig.DEFAULT, time);
        logs.put(new TopicPartitionKey("plain", 0), plain);
        assertThat(plain.append(batch(time.milliseconds(), null, "no key")).error())
                .isEqualTo(Errors.NONE);
    }
}
