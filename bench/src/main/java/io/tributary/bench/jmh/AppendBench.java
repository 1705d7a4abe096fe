package io.tributary.bench.jmh;

import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.MemoryRecords;
import io.tributary.storage.AppendResult;
import io.tributary.storage.Log;
import io.tributary.storage.LogConfig;
import io.tributary.storage.Time;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 16: the log's append of one validated produce batch (its own framing and CRC check,
 * the idempotence check, offset assignment in place, the write to the page cache), acks=1, no
 * fsync. The batch buffer is reused: each append rewrites its base offset, as the broker does
 * in the request's buffer. Segments roll at 64 MiB, so a run writes several of them to a
 * temporary directory deleted afterwards.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AppendBench {
    @Param({"15"})
    int records;

    @Param({"1024"})
    int valueSize;

    Path dir;
    Log log;
    ByteBuffer batch;

    @Setup(Level.Iteration)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("jmh-append");
        LogConfig config = LogConfig.create(
                Map.of(LogConfig.LOG_SEGMENT_BYTES, String.valueOf(64 << 20), "log.retention.bytes", "-1"), Map.of());
        log = Log.open(dir.resolve("t-0"), config, Time.SYSTEM);
        batch = Batches.batch(records, valueSize, CompressionType.NONE);
    }

    @TearDown(Level.Iteration)
    public void tearDown() throws IOException {
        log.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    public AppendResult append() {
        return check(log.append(new MemoryRecords(batch.duplicate())));
    }

    /** The produce path's append: the validator checked the CRC, so the log does not again. */
    @Benchmark
    public AppendResult appendCrcChecked() {
        return check(log.appendCrcChecked(new MemoryRecords(batch.duplicate())));
    }

    private static AppendResult check(AppendResult r) {
        if (!r.ok()) {
            throw new IllegalStateException(r.error() + " " + r.errorMessage());
        }
        return r;
    }
}
