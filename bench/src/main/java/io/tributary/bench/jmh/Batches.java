package io.tributary.bench.jmh;

import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.MemoryRecords;
import io.tributary.protocol.record.MemoryRecordsBuilder;
import java.nio.ByteBuffer;
import java.util.Random;

/**
 * Record batches shaped like the issue 16 figures: 1 KiB values, as many as Apache's producer
 * puts in its default 16 KiB batch, as one produce request's partition data would carry them.
 */
final class Batches {
    private Batches() {}

    /** One batch of {@code records} values of {@code valueSize} bytes, baseOffset 0, CRC set. */
    static ByteBuffer batch(int records, int valueSize, CompressionType compression) {
        Random random = new Random(42);
        MemoryRecordsBuilder b = MemoryRecordsBuilder.forProduce(compression);
        byte[] value = new byte[valueSize];
        for (int i = 0; i < records; i++) {
            // text-like, so a compressed variant has something to do
            for (int j = 0; j < valueSize; j++) {
                value[j] = (byte) ('a' + random.nextInt(16));
            }
            b.append(1_700_000_000_000L + i, null, value.clone());
        }
        MemoryRecords built = b.build();
        ByteBuffer out = ByteBuffer.allocate(built.sizeInBytes());
        out.put(built.buffer().duplicate()).flip();
        return out;
    }

    /** {@code batches} copies of {@link #batch}, back to back with consecutive offsets: a fetch response's records. */
    static ByteBuffer log(int batches, int records, int valueSize, CompressionType compression) {
        ByteBuffer one = batch(records, valueSize, compression);
        ByteBuffer out = ByteBuffer.allocate(one.remaining() * batches);
        for (int i = 0; i < batches; i++) {
            int pos = out.position();
            out.put(one.duplicate());
            io.tributary.protocol.record.RecordBatchHeader.setBaseOffset(out, pos, (long) i * records);
        }
        return out.flip();
    }
}
