package io.tributary.bench.jmh;

import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.ProduceValidator;
import io.tributary.protocol.record.RecordBatchHeader;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 16: the broker's per-batch work on produce before the log's lock, on one batch of
 * {@code records} x {@code valueSize} B: the produce validator (header checks plus the CRC32C of
 * the whole batch) and the bare CRC32C over the same bytes, so the difference is what the header
 * checks and the result objects cost.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ProduceValidationBench {
    @Param({"15"})
    int records;

    @Param({"1024"})
    int valueSize;

    ByteBuffer batch;
    final CRC32C crc = new CRC32C();

    @Setup
    public void setUp() {
        batch = Batches.batch(records, valueSize, CompressionType.NONE);
    }

    @Benchmark
    public ProduceValidator.Result validate() {
        return ProduceValidator.validate(batch, 1 << 20, (short) 9);
    }

    @Benchmark
    public long crc32cOfBatch() {
        return RecordBatchHeader.computeCrc(batch, 0, batch.remaining());
    }

    /** The JDK's CRC32C over the CRC's range as one heap array, the floor for {@link #crc32cOfBatch}. */
    @Benchmark
    public long crc32cFloor() {
        crc.reset();
        crc.update(batch.array(), RecordBatchHeader.ATTRIBUTES, batch.remaining() - RecordBatchHeader.ATTRIBUTES);
        return crc.getValue();
    }
}
