package io.tributary.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.protocol.Errors;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.MemoryRecords;
import io.tributary.protocol.record.MemoryRecordsBuilder;
import io.tributary.protocol.record.Record;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Keyed records in and out of a log, for the cleaner tests. */
final class CleanerFixture {
    private CleanerFixture() {}

    /** One record as read back: offset, key, value (null for a tombstone). */
    record Rec(long offset, String key, String value) {}

    /** A batch of keyed records; a null value is a tombstone. Keys and values alternate. */
    static MemoryRecords batch(CompressionType codec, long ts, String... keysAndValues) {
        MemoryRecordsBuilder b = MemoryRecordsBuilder.forProduce(codec);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            b.append(ts, bytes(keysAndValues[i]), bytes(keysAndValues[i + 1]));
        }
        return b.build();
    }

    static MemoryRecords batch(long ts, String... keysAndValues) {
        return batch(CompressionType.NONE, ts, keysAndValues);
    }

    static MemoryRecords idempotent(long pid, short epoch, int seq, long ts, String... keysAndValues) {
        MemoryRecordsBuilder b = MemoryRecordsBuilder.forProduce(CompressionType.NONE);
        b.producerState(pid, epoch, seq);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            b.append(ts, bytes(keysAndValues[i]), bytes(keysAndValues[i + 1]));
        }
        return b.build();
    }

    /** A transactional batch of keyed records (issue 11). */
    static MemoryRecords transactional(long pid, short epoch, int seq, long ts, String... keysAndValues) {
        MemoryRecordsBuilder b = MemoryRecordsBuilder.forProduce(CompressionType.NONE);
        b.transactional(true);
        b.producerState(pid, epoch, seq);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            b.append(ts, bytes(keysAndValues[i]), bytes(keysAndValues[i + 1]));
        }
        return b.build();
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    static void append(Log log, MemoryRecords records) {
        assertThat(log.append(records).error()).isEqualTo(Errors.NONE);
    }

    static LogConfig compactConfig(Map<String, String> overrides) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("cleanup.policy", "compact");
        all.put("segment.index.bytes", "4096");
        all.put("index.interval.bytes", "256");
        all.putAll(overrides);
        return LogConfig.create(Map.of(), all);
    }

    /** Every batch of the log from its start to its end, as raw buffers. */
    static List<ByteBuffer> batches(Log log) {
        List<ByteBuffer> out = new ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            LogReadResult r = log.read(next, 1 << 20, true);
            assertThat(r.error()).isEqualTo(Errors.NONE);
            ByteBuffer b = r.records().toByteBuffer();
            if (!b.hasRemaining()) {
                break;
            }
            for (int pos = b.position(); pos < b.limit(); pos += RecordBatchHeader.totalSize(b, pos)) {
                out.add(b.slice(pos, RecordBatchHeader.totalSize(b, pos)));
                next = RecordBatchHeader.lastOffset(b, pos) + 1;
            }
        }
        return out;
    }

    /** Every record of the log in offset order; offsets strictly increase. */
    static List<Rec> records(Log log) {
        List<Rec> out = new ArrayList<>();
        long last = -1;
        for (ByteBuffer b : batches(log)) {
            for (Record r : RecordBatch.at(b, 0)) {
                assertThat(r.offset()).isGreaterThan(last);
                last = r.offset();
                out.add(new Rec(r.offset(), str(r.key()), str(r.value())));
            }
        }
        return out;
    }

    /** Key to its last record (the view a consumer of a compacted topic builds). */
    static Map<String, Rec> latest(List<Rec> records) {
        Map<String, Rec> m = new LinkedHashMap<>();
        for (Rec r : records) {
            m.put(r.key(), r);
        }
        return m;
    }

    private static String str(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return new String(a, StandardCharsets.UTF_8);
    }

    static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
        }
    }

    static void setModified(Path logDir, long base, long ms) throws IOException {
        Files.setLastModifiedTime(logDir.resolve(LogSegment.fileName(base, ".log")), FileTime.fromMillis(ms));
    }

    /** Copies a partition directory as a crash would leave it (file contents as written so far). */
    static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }

    static LogCleaner.Settings settings(long dedupeBytes, double ioBytesPerSecond) {
        return new LogCleaner.Settings(true, 1, 15_000, ioBytesPerSecond, dedupeBytes, 0.9);
    }
}
