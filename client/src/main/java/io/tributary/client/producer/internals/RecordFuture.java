package io.tributary.client.producer.internals;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.producer.Callback;
import io.tributary.client.producer.RecordMetadata;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One record's future (issue 12, 16): a view of its batch's single completion, as Kafka's
 * {@code FutureRecordMetadata} is, rather than a {@code CompletableFuture} per record that the
 * sender must complete one by one. It also carries what the record's metadata and callback need,
 * so a record costs the batch one object. Done once every callback of the batch has run.
 */
public final class RecordFuture implements Future<RecordMetadata> {
    /** The batch's outcome: the future holds no reference to the batch (its builder and buffer). */
    record Outcome(TopicPartition tp, long baseOffset, long logAppendTime, RuntimeException error) {
        RecordMetadata metadata(RecordFuture f) {
            return new RecordMetadata(
                    tp,
                    baseOffset < 0 ? -1 : baseOffset + f.index,
                    logAppendTime >= 0 ? logAppendTime : f.timestamp,
                    f.keySize,
                    f.valueSize);
        }
    }

    private final CompletableFuture<Outcome> outcome;
    private final int index;
    final Callback callback;
    final long timestamp;
    final int keySize;
    final int valueSize;
    /** Set by the append (under the partition queue's lock) before the future leaves the accumulator. */
    int appendedBytes;

    boolean wake;

    RecordFuture(
            CompletableFuture<Outcome> outcome,
            int index,
            Callback callback,
            long timestamp,
            int keySize,
            int valueSize) {
        this.outcome = outcome;
        this.index = index;
        this.callback = callback;
        this.timestamp = timestamp;
        this.keySize = keySize;
        this.valueSize = valueSize;
    }

    /** Bytes the record took in its batch (for the sticky partitioner). */
    public int appendedBytes() {
        return appendedBytes;
    }

    /**
     * Whether the sender should look again after this append: its batch filled up, or it opened a
     * new batch whose linger the sender's poll timeout must cover.
     */
    public boolean wakeSender() {
        return wake;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return false; // as Kafka's: a record handed to the producer cannot be taken back
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public boolean isDone() {
        return outcome.isDone();
    }

    @Override
    public RecordMetadata get() throws InterruptedException, ExecutionException {
        return result(outcome.get());
    }

    @Override
    public RecordMetadata get(long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        return result(outcome.get(timeout, unit));
    }

    private RecordMetadata result(Outcome o) throws ExecutionException {
        if (o.error() != null) {
            throw new ExecutionException(o.error());
        }
        return o.metadata(this);
    }
}
