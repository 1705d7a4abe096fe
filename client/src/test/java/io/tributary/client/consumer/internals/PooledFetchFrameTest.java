package io.tributary.client.consumer.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.client.common.Header;
import io.tributary.client.common.Headers;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.network.ResponseBufferPool;
import io.tributary.client.serialization.ByteArrayDeserializer;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.MemoryRecords;
import io.tributary.protocol.record.MemoryRecordsBuilder;
import io.tributary.protocol.record.TimestampType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: large Fetch answers are read into reused direct buffers, and records are decoded from
 * them in place. A buffer goes back to the pool only once every buffered fetch reading it has left
 * the buffer (all its records built, or dropped), and the records poll returned never share bytes
 * with it. Whether two frames share memory is seen through their bytes: a new direct buffer is
 * zeroed, a reused one still holds what was written into it.
 */
class PooledFetchFrameTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final int RECORDS = 400;
    private static final ByteArrayDeserializer BYTES = new ByteArrayDeserializer();

    @Test
    void arrayIsReusedOnlyAfterEveryRecordIsBuiltAndRecordsKeepTheirBytes() {
        ResponseBufferPool pool = new ResponseBufferPool(64L << 20);
        MemoryRecords source = records(0, RECORDS);
        ResponseBufferPool.Frame frame = answer(pool, source);
        assertThat(frame.buffer().isDirect()).isTrue();
        int capacity = frame.buffer().capacity();

        FetchBuffer buffer = new FetchBuffer();
        buffer.add(fetch(frame, source.sizeInBytes()), frame);
        frame.release(); // the response's own reference, as Fetcher does once it has buffered
        assertThat(frame.references()).isEqualTo(1);

        CompletedFetch f = buffer.peek();
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        assertThat(f.take(RECORDS / 2, BYTES, BYTES, out)).isEqualTo(RECORDS / 2);
        // Half built: the buffer is still read, so another answer gets a different one.
        assertThat(pool.freeBytes()).isZero();
        ResponseBufferPool.Frame other = pool.take(frame.buffer().limit());
        assertThat(sameMemory(other, frame)).isFalse();

        assertThat(f.take(RECORDS, BYTES, BYTES, out)).isEqualTo(RECORDS / 2);
        assertThat(f.isDone()).isTrue();
        assertThat(pool.freeBytes()).as("still buffered").isZero();
        buffer.poll();
        assertThat(frame.references()).isZero();
        assertThat(pool.freeBytes()).isEqualTo(capacity);

        // The next answer reuses the buffer and overwrites it: the records handed out are unchanged.
        ResponseBufferPool.Frame next = pool.take(frame.buffer().limit());
        assertThat(sameMemory(next, frame)).isTrue();
        fill(next, (byte) 0x5a);
        assertThat(out).hasSize(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            assertThat(out.get(i).offset()).isEqualTo(i);
            assertThat(out.get(i).key()).isEqualTo(key(i));
            assertThat(out.get(i).value()).isEqualTo(value(i));
            assertThat(out.get(i).headers()).isEqualTo(headers(i)).hasSize(i % 4);
        }
    }

    @Test
    void twoPartitionsOfOneAnswerReleaseTheArrayWhenTheLastLeaves() {
        ResponseBufferPool pool = new ResponseBufferPool(64L << 20);
        MemoryRecords source = records(0, RECORDS);
        ResponseBufferPool.Frame frame = answer(pool, source);
        FetchBuffer buffer = new FetchBuffer();
        buffer.add(fetch(frame, source.sizeInBytes()), frame);
        buffer.add(
                new CompletedFetch(
                        new TopicPartition("t", 1),
                        0,
                        0,
                        RECORDS,
                        new MemoryRecords(frame.buffer().slice(0, source.sizeInBytes())),
                        List.of(),
                        true,
                        false),
                frame);
        frame.release();
        assertThat(frame.references()).isEqualTo(2);

        // Dropped (a seek, a revocation): the first leaves, the second still reads the buffer.
        buffer.removeIf(c -> c.partition().equals(TP));
        assertThat(frame.references()).isEqualTo(1);
        assertThat(pool.freeBytes()).isZero();
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        assertThat(buffer.peek().take(RECORDS, BYTES, BYTES, out)).isEqualTo(RECORDS);
        buffer.removeIf(c -> true);
        assertThat(frame.references()).isZero();
        assertThat(pool.freeBytes()).isPositive();
        assertThatThrownBy(frame::retain).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void poolKeepsAtMostItsCapAndAllocatesBeyondIt() {
        int size = ResponseBufferPool.MIN_POOLED_SIZE * 3; // rounded up to 256 KiB
        ResponseBufferPool pool = new ResponseBufferPool(256 * 1024);
        ResponseBufferPool.Frame a = pool.take(size);
        ResponseBufferPool.Frame b = pool.take(size);
        assertThat(a.buffer().capacity()).isEqualTo(256 * 1024);
        assertThat(a.buffer().limit()).isEqualTo(size);
        fill(a, (byte) 1);
        fill(b, (byte) 2);
        a.release();
        b.release();
        assertThat(pool.freeBytes()).as("only one buffer fits the cap").isEqualTo(256 * 1024);
        ResponseBufferPool.Frame c = pool.take(size);
        ResponseBufferPool.Frame d = pool.take(size);
        assertThat(holds(c, (byte) 1)).as("reuses the first one given back").isTrue();
        assertThat(holds(d, (byte) 0)).as("a new one beyond the cap").isTrue();
        // A larger answer does not take a smaller buffer.
        c.release();
        ResponseBufferPool.Frame larger = pool.take(size * 2);
        assertThat(larger.buffer().capacity()).isEqualTo(512 * 1024);
        assertThat(holds(larger, (byte) 0)).isTrue();
        assertThat(pool.freeBytes()).isEqualTo(256 * 1024);
        assertThatThrownBy(() -> {
                    d.release();
                    d.release();
                })
                .isInstanceOf(IllegalStateException.class);
    }

    /** Whether two frames are over the same memory: a mark written through one shows in the other. */
    private static boolean sameMemory(ResponseBufferPool.Frame a, ResponseBufferPool.Frame b) {
        byte inA = a.buffer().get(0);
        byte mark = (byte) (b.buffer().get(0) + 1);
        a.buffer().put(0, mark);
        boolean same = b.buffer().get(0) == mark;
        a.buffer().put(0, inA);
        return same;
    }

    private static void fill(ResponseBufferPool.Frame f, byte v) {
        ByteBuffer b = f.buffer();
        for (int i = 0; i < b.limit(); i++) {
            b.put(i, v);
        }
    }

    /** Whether the frame's first and last bytes hold {@code v}. */
    private static boolean holds(ResponseBufferPool.Frame f, byte v) {
        ByteBuffer b = f.buffer();
        return b.get(0) == v && b.get(b.limit() - 1) == v;
    }

    private static CompletedFetch fetch(ResponseBufferPool.Frame frame, int size) {
        return new CompletedFetch(
                TP, 0, 0, RECORDS, new MemoryRecords(frame.buffer().slice(0, size)), List.of(), true, false);
    }

    /** An answer of the pool's size class holding {@code records}, as the network thread reads it. */
    private static ResponseBufferPool.Frame answer(ResponseBufferPool pool, MemoryRecords records) {
        int size = Math.max(records.sizeInBytes(), ResponseBufferPool.MIN_POOLED_SIZE);
        ResponseBufferPool.Frame frame = pool.take(size);
        frame.buffer().duplicate().put(records.buffer().duplicate());
        return frame;
    }

    private static MemoryRecords records(long base, int count) {
        MemoryRecordsBuilder b = new MemoryRecordsBuilder(CompressionType.NONE, TimestampType.CREATE_TIME, base);
        for (int i = 0; i < count; i++) {
            if (i > 0 && i % 50 == 0) {
                b.nextBatch();
            }
            b.append(1_000L + i, key(i), value(i), wireHeaders(i));
        }
        MemoryRecords built = b.build();
        ByteBuffer copy = ByteBuffer.allocate(built.sizeInBytes());
        copy.put(built.buffer().duplicate()).flip();
        return new MemoryRecords(copy);
    }

    /** None to three headers, one of them with a null value. */
    private static io.tributary.protocol.record.Header[] wireHeaders(int i) {
        io.tributary.protocol.record.Header[] out = new io.tributary.protocol.record.Header[i % 4];
        for (int h = 0; h < out.length; h++) {
            out[h] = new io.tributary.protocol.record.Header("h" + h, h == 1 ? null : key(i * 10 + h));
        }
        return out;
    }

    private static Headers headers(int i) {
        List<Header> out = new ArrayList<>();
        for (io.tributary.protocol.record.Header h : wireHeaders(i)) {
            out.add(new Header(h.key(), h.value()));
        }
        return new Headers(out);
    }

    private static byte[] key(int i) {
        return ("k" + i).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] value(int i) {
        return ("value-" + i + "-" + "x".repeat(i % 90)).getBytes(StandardCharsets.UTF_8);
    }
}
