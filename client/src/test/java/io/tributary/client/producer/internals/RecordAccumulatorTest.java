package io.tributary.client.producer.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.errors.TimeoutException;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.MemoryRecords;
import io.tributary.protocol.record.Record;
import io.tributary.protocol.record.RecordBatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 12: batching by batch.size and linger.ms, buffer.memory blocking, completion offsets. */
class RecordAccumulatorTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final byte[] VALUE = new byte[100];

    private static RecordAccumulator accumulator(long linger, long memory) {
        return new RecordAccumulator(1024, CompressionType.NONE, 0, linger, memory);
    }

    private static RecordFuture append(RecordAccumulator acc, long now, long maxBlockMs) {
        return acc.append(
                TP.topic(),
                TP.partition(),
                now,
                "k".getBytes(StandardCharsets.UTF_8),
                VALUE,
                null,
                null,
                200,
                maxBlockMs,
                now);
    }

    @Test
    void aBatchIsReadyWhenFullOrAfterLinger() {
        RecordAccumulator acc = accumulator(50, 1 << 20);
        assertThat(append(acc, 0, 0).wakeSender())
                .as("a new batch: the sender times its linger")
                .isTrue();
        assertThat(append(acc, 0, 0).wakeSender())
                .as("a batch with room: no wakeup")
                .isFalse();
        assertThat(acc.ready(5, 10)).isEmpty();
        assertThat(acc.ready(5, 50)).hasSize(1);
        boolean ready = false;
        for (int i = 0; i < 20 && !ready; i++) {
            ready = append(acc, 1, 0).wakeSender();
        }
        assertThat(ready).as("batch.size reached").isTrue();
        assertThat(acc.ready(5, 1)).hasSize(1);
        acc.ready(5, 1).get(0).inFlight = true;
        assertThat(acc.ready(1, 1)).as("a partition at max.in.flight waits").isEmpty();
    }

    @Test
    void partitionsFoundByTopicAndIndexInAnyOrder() {
        RecordAccumulator acc = accumulator(0, 1 << 20);
        // Out of order and sparse: the per-topic array grows and keeps the queues it had.
        for (int p : new int[] {5, 2, 0, 5, 7}) {
            assertThat(acc.append("t", p, 0, null, VALUE, null, null, 200, 0, 0))
                    .isNotNull();
        }
        acc.append("u", 2, 0, null, VALUE, null, null, 200, 0, 0);
        assertThat(acc.topicPartition("t", 5)).isSameAs(acc.topicPartition("t", 5));
        assertThat(acc.topicPartition("t", 5)).isEqualTo(new TopicPartition("t", 5));
        List<String> ready = new ArrayList<>();
        for (ProducerBatch b : acc.ready(5, 0)) {
            ready.add(b.tp + "=" + b.recordCount());
        }
        assertThat(ready).containsExactlyInAnyOrder("t-0=1", "t-2=1", "t-5=2", "t-7=1", "u-2=1");
    }

    @Test
    void closedBatchCarriesProducerStateAndCompletesWithConsecutiveOffsets() throws Exception {
        RecordAccumulator acc = accumulator(0, 1 << 20);
        List<java.util.concurrent.Future<io.tributary.client.producer.RecordMetadata>> fs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            fs.add(append(acc, 5, 0));
        }
        ProducerBatch batch = acc.ready(5, 5).get(0);
        MemoryRecords records = batch.close(77L, (short) 2, 10);
        RecordBatch rb = records.firstBatch();
        assertThat(rb.producerId()).isEqualTo(77L);
        assertThat(rb.producerEpoch()).isEqualTo((short) 2);
        assertThat(rb.baseSequence()).isEqualTo(10);
        assertThat(rb.isValid()).isTrue();
        int n = 0;
        for (Record r : rb) {
            n++;
            assertThat(r.value().remaining()).isEqualTo(VALUE.length);
        }
        assertThat(n).isEqualTo(3);
        batch.restamp(78L, (short) 0, 0);
        assertThat(records.firstBatch().producerId()).isEqualTo(78L);
        assertThat(records.firstBatch().isValid()).as("CRC rewritten").isTrue();
        acc.remove(batch);
        batch.complete(40, -1, null);
        for (int i = 0; i < 3; i++) {
            assertThat(fs.get(i).get().offset()).isEqualTo(40 + i);
        }
        assertThat(acc.hasIncomplete()).isFalse();
    }

    @Test
    void appendBlocksOnFullBufferMemoryThenTimesOut() {
        RecordAccumulator acc = accumulator(0, 1024);
        append(acc, 0, 0);
        // The only batch holds all of buffer.memory; a record for another partition needs a new one.
        long start = System.nanoTime();
        assertThatThrownBy(() -> acc.append("t", 1, 0, null, VALUE, null, null, 200, 200, 0))
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("max blocking time 200 ms");
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(150_000_000L);
        ProducerBatch batch = acc.ready(5, 0).get(0);
        acc.remove(batch);
        // Memory returned: the next append goes through at once.
        assertThat(acc.append("t", 1, 0, null, VALUE, null, null, 200, 0, 0)).isNotNull();
    }

    @Test
    void upToMaxInFlightBatchesPerPartitionGoInOrderAndRetriesGoOneAtATimeAfterTheRest() {
        RecordAccumulator acc = accumulator(0, 1 << 20);
        for (int i = 0; i < 40; i++) {
            append(acc, 0, 0); // ~8 records per 1 KiB batch: 5 batches
        }
        List<ProducerBatch> ready = acc.ready(3, 0);
        assertThat(ready).as("max.in.flight per partition").hasSize(3);
        assertThat(acc.isFirst(ready.get(0))).isTrue();
        for (ProducerBatch b : ready) {
            b.close(1L, (short) 0, 0);
            b.inFlight = true;
        }
        assertThat(acc.ready(3, 0)).as("three in flight already").isEmpty();
        // The first comes back for a retry while the other two are still out: nothing goes.
        ready.get(0).inFlight = false;
        assertThat(acc.ready(3, 0))
                .as("a retry waits for the in-flight batches")
                .isEmpty();
        ready.get(1).inFlight = false;
        ready.get(2).inFlight = false;
        // Then the retries go one at a time, in order (as Kafka's: sent together, one more dropped
        // connection would lose them all again); the batches never sent follow the last retry.
        for (int i = 0; i < 2; i++) {
            ProducerBatch retry = ready.get(i);
            assertThat(acc.ready(3, 0)).as("retry %d goes alone", i).containsExactly(retry);
            retry.inFlight = true;
            assertThat(acc.ready(3, 0))
                    .as("nothing else while retry %d is out", i)
                    .isEmpty();
            retry.inFlight = false;
            acc.remove(retry);
        }
        assertThat(acc.ready(3, 0)).as("the last retry goes alone").containsExactly(ready.get(2));
        ready.get(2).inFlight = true;
        assertThat(acc.ready(3, 0))
                .as("then the batches never sent, up to max.in.flight")
                .hasSize(2)
                .doesNotContainAnyElementsOf(ready);
    }

    /** As Apache's producer: a thread returning from a record's future sees every callback of its batch done. */
    @Test
    void callbacksRunBeforeTheFuturesComplete() throws Exception {
        RecordAccumulator acc = accumulator(0, 1 << 20);
        List<java.util.concurrent.Future<io.tributary.client.producer.RecordMetadata>> fs = new ArrayList<>();
        List<Boolean> anyDoneAtCallback = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            fs.add(acc.append(
                    TP.topic(),
                    TP.partition(),
                    5,
                    null,
                    VALUE,
                    null,
                    (md, e) -> anyDoneAtCallback.add(fs.stream().anyMatch(f -> f.isDone())),
                    200,
                    0,
                    5));
        }
        ProducerBatch batch = acc.ready(5, 5).get(0);
        batch.close(77L, (short) 0, 0);
        batch.complete(40, -1, null);
        assertThat(anyDoneAtCallback).containsExactly(false, false, false);
        assertThat(fs).allMatch(java.util.concurrent.Future::isDone);
        assertThat(fs.get(0).get().offset()).isEqualTo(40);
        assertThat(fs.get(2).get().offset()).isEqualTo(42);
    }

    /** A record's future is a view of its batch's outcome: a failed batch fails each record with its cause. */
    @Test
    void aFailedBatchFailsEveryRecordFuture() {
        RecordAccumulator acc = accumulator(0, 1 << 20);
        java.util.concurrent.Future<io.tributary.client.producer.RecordMetadata> f = append(acc, 5, 0);
        assertThat(f.isDone()).isFalse();
        assertThat(f.cancel(true)).as("a sent record cannot be cancelled").isFalse();
        ProducerBatch batch = acc.ready(5, 5).get(0);
        RuntimeException error = new IllegalStateException("boom");
        batch.complete(-1, -1, error);
        assertThat(f.isDone()).isTrue();
        assertThat(f.isCancelled()).isFalse();
        assertThatThrownBy(f::get)
                .isInstanceOf(java.util.concurrent.ExecutionException.class)
                .hasCause(error);
    }
}
