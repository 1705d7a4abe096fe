package io.tributary.reliability.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.MemoryRecords;
import io.tributary.protocol.record.MemoryRecordsBuilder;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.TimestampType;
import io.tributary.storage.AppendResult;
import io.tributary.storage.Log;
import io.tributary.storage.LogConfig;
import io.tributary.storage.LogReadResult;
import io.tributary.storage.Time;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Fuzz target for what the broker reads from disk at start-up (issue 15, parser family 5): a
 * segment whose valid batches are followed by arbitrary bytes (a torn or garbage tail), with
 * arbitrary offset and time index files beside it, recovered after a crash or opened after a clean
 * shutdown. The properties: the log opens; every acknowledged batch of the valid prefix is still
 * readable with its offsets; appending and reopening work. A fuzzed index may be ignored or
 * rebuilt, never trusted into a wrong read.
 */
class LogRecoveryFuzzTest {
    private static final String SEGMENT = "00000000000000000000";
    private static final int PREFIX_BATCHES = 3;
    /** Memory-backed when the machine has it: the target writes and maps files for every input. */
    private static final Path SCRATCH = scratch();

    private static Path scratch() {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return shm;
        }
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    @FuzzTest(maxDuration = "20s")
    void segmentAndIndexes(FuzzedDataProvider data) throws IOException {
        boolean crashed = data.consumeBoolean();
        byte[] offsetIndex = data.consumeBytes(data.consumeInt(0, 256));
        byte[] timeIndex = data.consumeBytes(data.consumeInt(0, 256));
        byte[] tail = data.consumeRemainingAsBytes();
        Path dir = Files.createTempDirectory(SCRATCH, "fuzz-log-");
        try {
            int prefixBytes = 0;
            try (var out = Files.newOutputStream(dir.resolve(SEGMENT + ".log"))) {
                for (int i = 0; i < PREFIX_BATCHES; i++) {
                    MemoryRecords batch = batch(i, i, "acknowledged-" + i);
                    byte[] bytes = new byte[batch.sizeInBytes()];
                    batch.buffer().duplicate().get(bytes);
                    out.write(bytes);
                    prefixBytes += bytes.length;
                }
                out.write(tail);
            }
            if (offsetIndex.length > 0) {
                Files.write(dir.resolve(SEGMENT + ".index"), offsetIndex);
            }
            if (timeIndex.length > 0) {
                Files.write(dir.resolve(SEGMENT + ".timeindex"), timeIndex);
            }
            // Small preallocated indexes: the default 10 MiB per index made each input cost milliseconds.
            LogConfig config = LogConfig.create(Map.of(), Map.of("segment.index.bytes", "4096"));
            long recoveryPoint = crashed ? 0L : Long.MAX_VALUE;
            long end;
            try (Log log = Log.open(
                    dir, config, Time.SYSTEM, Runnable::run, recoveryPoint, Log.DEFAULT_PRODUCER_ID_EXPIRATION_MS)) {
                check(log.logEndOffset() >= PREFIX_BATCHES, "acknowledged batches lost: end " + log.logEndOffset());
                LogReadResult read = log.read(0, prefixBytes, true);
                MemoryRecords got = MemoryRecords.readableRecords(read.records().toByteBuffer());
                long expected = 0;
                for (RecordBatch b : got.batches()) {
                    if (expected >= PREFIX_BATCHES) {
                        break;
                    }
                    check(b.baseOffset() == expected, "batch at " + b.baseOffset() + ", expected " + expected);
                    b.ensureValid();
                    expected++;
                }
                check(expected == PREFIX_BATCHES, "read back " + expected + " of " + PREFIX_BATCHES + " batches");
                AppendResult appended = log.append(batch(0, 0, "after-recovery"));
                check(appended.ok(), "append after recovery failed: " + appended);
                end = log.logEndOffset();
            }
            try (Log log = Log.open(dir, config, Time.SYSTEM)) {
                check(log.logEndOffset() == end, "reopened at " + log.logEndOffset() + ", closed at " + end);
            }
        } finally {
            deleteRecursively(dir);
        }
    }

    /** One record at {@code offset}, as the log stored it when it acknowledged the batch. */
    private static MemoryRecords batch(long offset, long timestamp, String value) {
        MemoryRecordsBuilder b = new MemoryRecordsBuilder(CompressionType.NONE, TimestampType.CREATE_TIME, offset);
        b.append(timestamp, null, value.getBytes(StandardCharsets.UTF_8));
        return b.build();
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
