package io.tributary.bench.jmh;

import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.MemoryRecords;
import io.tributary.protocol.record.Record;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordCursor;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Issue 16: our consumer's decoding of one partition's fetched records, as CompletedFetch does
 * it on poll: per batch the CRC32C check (check.crcs, on by default) and the decompression, then
 * each record's offset, timestamp, key and value (the value copied out to a byte[], as the
 * ByteArrayDeserializer hands it to the application). {@code batches} x 15 records of 1 KiB is a
 * 1 MiB fetch at 64 batches. {@code cursor} decodes the same with {@link RecordCursor}, as
 * CompletedFetch does since issue 16 (no Record or buffer object per record). {@code memory}:
 * the fetched bytes in a heap array or in a direct buffer (our consumer reads fetch answers of
 * 64 KiB or more into direct buffers since session 14; {@code decode} is measured on both too).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RecordDecodeBench {
    @Param({"64"})
    int batches;

    @Param({"1024"})
    int valueSize;

    @Param({"NONE", "LZ4"})
    String compression;

    @Param({"heap", "direct"})
    String memory;

    ByteBuffer log;

    @Setup
    public void setUp() {
        ByteBuffer built = Batches.log(batches, 15, valueSize, CompressionType.valueOf(compression));
        if (memory.equals("direct")) {
            log = ByteBuffer.allocateDirect(built.remaining())
                    .put(built.duplicate())
                    .flip();
        } else {
            log = built;
        }
    }

    @Benchmark
    public void decode(Blackhole bh) {
        MemoryRecords records = new MemoryRecords(log.duplicate());
        for (RecordBatch batch : records.batches()) {
            if (batch.checksum() != batch.computeChecksum()) {
                throw new IllegalStateException("CRC mismatch at " + batch.baseOffset());
            }
            for (Record r : batch) {
                bh.consume(r.offset());
                bh.consume(r.timestamp());
                bh.consume(r.key());
                bh.consume(r.valueBytes());
            }
        }
    }

    @Benchmark
    public void cursor(Blackhole bh) {
        MemoryRecords records = new MemoryRecords(log.duplicate());
        RecordCursor cursor = new RecordCursor();
        for (RecordBatch batch : records.batches()) {
            if (batch.checksum() != batch.computeChecksum()) {
                throw new IllegalStateException("CRC mismatch at " + batch.baseOffset());
            }
            cursor.reset(batch);
            while (cursor.hasNext()) {
                cursor.next();
                bh.consume(cursor.offset());
                bh.consume(cursor.timestamp());
                bh.consume(cursor.key());
                ByteBuffer v = cursor.value();
                if (v == null) {
                    bh.consume(null);
                } else {
                    // As Deserializer's default does for either kind of buffer: one absolute bulk copy.
                    byte[] value = new byte[v.remaining()];
                    v.get(v.position(), value);
                    bh.consume(value);
                }
            }
        }
    }
}
