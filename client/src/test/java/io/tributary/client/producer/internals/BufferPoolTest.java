package io.tributary.client.producer.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.errors.BufferExhaustedException;
import io.tributary.client.common.errors.TimeoutException;
import io.tributary.protocol.Messages;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.ProduceRequestData;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.MemoryRecords;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Issue 12: buffer.memory as a pool of batch.size buffers, max.block.ms, and batches going to the wire uncopied. */
class BufferPoolTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);

    @Test
    void aPooledBufferIsReusedAfterItsBatchCompletes() {
        BufferPool pool = new BufferPool(4096, 1024);
        ByteBuffer a = pool.allocate(1024, 0);
        assertThat(pool.availableMemory()).isEqualTo(3072);
        a.put((byte) 7);
        pool.deallocate(a, 1024);
        assertThat(pool.freeBuffers()).isEqualTo(1);
        ByteBuffer b = pool.allocate(1024, 0);
        assertThat(b).as("the same buffer again").isSameAs(a);
        assertThat(b.position()).isZero();
        assertThat(b.remaining()).isEqualTo(1024);
    }

    @Test
    void aLargerThanBatchSizeRecordGetsAOneOffBufferCountedAgainstBufferMemory() {
        BufferPool pool = new BufferPool(4096, 1024);
        pool.deallocate(pool.allocate(1024, 0), 1024); // one free pooled buffer
        ByteBuffer big = pool.allocate(3500, 0);
        assertThat(big.capacity()).isEqualTo(3500);
        assertThat(pool.freeBuffers())
                .as("the free buffer was given up for the room")
                .isZero();
        assertThat(pool.availableMemory()).isEqualTo(596);
        pool.deallocate(big, 3500);
        assertThat(pool.freeBuffers()).as("one-off buffers are not kept").isZero();
        assertThat(pool.availableMemory()).isEqualTo(4096);
    }

    @Test
    void allocationBlocksUpToMaxBlockMsThenThrowsBufferExhausted() {
        BufferPool pool = new BufferPool(2048, 1024);
        pool.allocate(1024, 0);
        pool.allocate(1024, 0);
        long start = System.nanoTime();
        assertThatThrownBy(() -> pool.allocate(1024, 200))
                .isInstanceOf(BufferExhaustedException.class)
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("max blocking time 200 ms (max.block.ms)")
                .hasMessageContaining("Total memory: 2048 bytes (buffer.memory)");
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(150_000_000L);
        assertThat(pool.availableMemory()).as("a failed wait keeps nothing").isZero();
    }

    @Test
    void aBlockedAllocationGetsTheBufferFreedByACompletedBatch() throws Exception {
        BufferPool pool = new BufferPool(1024, 1024);
        ByteBuffer only = pool.allocate(1024, 0);
        CompletableFuture<ByteBuffer> waiting = CompletableFuture.supplyAsync(() -> pool.allocate(1024, 30_000));
        assertThat(waiting).isNotDone();
        pool.deallocate(only, 1024);
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isSameAs(only);
    }

    @Test
    void theAccumulatorReusesABatchBufferOnlyWhenNoRequestHoldsIt() {
        RecordAccumulator acc = new RecordAccumulator(1024, CompressionType.NONE, 0, 0, 4096);
        BufferPool pool = acc.bufferPool();
        acc.append(TP.topic(), TP.partition(), 0, null, new byte[100], null, null, 200, 0, 0);
        ProducerBatch acked = acc.ready(5, 0).get(0);
        acked.close(1L, (short) 0, 0);
        acc.remove(acked); // answered: back to the pool
        acked.complete(0, -1, null);
        assertThat(pool.freeBuffers()).isEqualTo(1);

        acc.append(TP.topic(), TP.partition(), 0, null, new byte[100], null, null, 200, 0, 0);
        ProducerBatch next = acc.ready(5, 0).get(0);
        assertThat(next.buffer).as("the completed batch's buffer is reused").isSameAs(acked.buffer);
        next.close(1L, (short) 0, 1);
        next.inFlight = true; // failed by a forced close while its frame may still wait for the socket
        acc.remove(next);
        next.complete(-1, -1, new TimeoutException("closed"));
        assertThat(pool.freeBuffers())
                .as("not reused while a request may hold it")
                .isZero();
        assertThat(pool.availableMemory()).as("but its memory is counted back").isEqualTo(4096);
    }

    @Test
    void aProduceFrameCarriesTheBatchBufferItselfNotACopy() {
        RecordAccumulator acc = new RecordAccumulator(1024, CompressionType.NONE, 0, 0, 4096);
        byte[] value = "one copy".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        acc.append(TP.topic(), TP.partition(), 5, null, value, null, null, 200, 0, 0);
        ProducerBatch batch = acc.ready(5, 0).get(0);
        MemoryRecords records = batch.close(1L, (short) 0, 0);
        ProduceRequestData req = new ProduceRequestData()
                .setAcks((short) -1)
                .setTimeoutMs(1000)
                .setTopicData(List.of(new ProduceRequestData.TopicProduceData()
                        .setName("t")
                        .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData()
                                .setIndex(0)
                                .setRecords(records)))));
        for (short v : new short[] {3, 9, 11}) {
            List<Object> chunks = Messages.gatheringRequestFrame(ApiMessageType.PRODUCE, v, 1, "c", req)
                    .chunks();
            long sharing = chunks.stream()
                    .filter(c -> ((ByteBuffer) c).hasArray() && ((ByteBuffer) c).array() == batch.buffer.array())
                    .count();
            assertThat(sharing)
                    .as("v%d: the batch's pooled buffer is a chunk of the frame", v)
                    .isEqualTo(1);
            // Same bytes as the copying writer.
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (Object c : chunks) {
                ByteBuffer b = ((ByteBuffer) c).duplicate();
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                joined.writeBytes(bytes);
            }
            assertThat(joined.toByteArray())
                    .isEqualTo(Messages.requestFrame(ApiMessageType.PRODUCE, v, 1, "c", req)
                            .toByteArray());
        }
    }
}
