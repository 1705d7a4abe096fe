package io.tributary.client.producer.internals;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.producer.Callback;
import io.tributary.client.producer.RecordMetadata;
import io.tributary.protocol.record.Header;
import io.tributary.protocol.record.MemoryRecords;
import io.tributary.protocol.record.MemoryRecordsBuilder;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One record batch for one partition (issue 12): records are encoded straight into the batch's
 * buffer as they are appended (the only copy between the serializer and the socket), and the
 * batch is closed when the sender drains it. Appends (application threads) and close (sender)
 * hold the partition queue's lock ({@code lock}), so no record can slip in after the batch was
 * built; completion happens on the sender thread after close. One lock per append, not a second
 * one of the batch's own: the issue-16 profile showed the monitors as the largest share of send().
 */
public final class ProducerBatch {
    final TopicPartition tp;
    final long createdMs;
    /** The buffer from the pool the batch is built in (the builder moves on to a bigger one if it outgrows it). */
    final ByteBuffer buffer;

    private final MemoryRecordsBuilder builder;
    private final List<RecordFuture> thunks;
    private final CompletableFuture<RecordFuture.Outcome> done = new CompletableFuture<>();
    /** The partition queue's monitor: held by every append and by close. */
    private final Object lock;

    private volatile MemoryRecords built;
    int attempts;
    /** Sender thread only: a Produce request carrying this batch awaits its answer. */
    volatile boolean inFlight;

    long retryAtMs;
    /** batch.size: a batch this large (or larger) is full. */
    private final int batchSizeLimit;

    int baseSequence = RecordBatch.NO_SEQUENCE;

    /**
     * {@code expectedRecords}: room to reserve for record futures, so a filling batch does not
     * regrow the list; {@code lock}: the partition queue's monitor (see the class comment).
     */
    ProducerBatch(
            TopicPartition tp,
            MemoryRecordsBuilder builder,
            long nowMs,
            ByteBuffer buffer,
            int expectedRecords,
            int batchSizeLimit,
            Object lock) {
        this.batchSizeLimit = batchSizeLimit;
        this.thunks = new ArrayList<>(expectedRecords);
        this.lock = lock;
        this.tp = tp;
        this.builder = builder;
        this.createdMs = nowMs;
        this.buffer = buffer;
    }

    /**
     * Appends if the batch has room (always for the first record); null when it has not. The
     * caller holds {@code lock}. The future tells how many bytes the record took and whether the
     * batch is now full (batch.size reached).
     */
    RecordFuture tryAppend(long timestamp, byte[] key, byte[] value, Header[] headers, Callback callback) {
        if (built != null || !builder.hasRoomFor(timestamp, key, value, headers)) {
            return null;
        }
        int before = builder.estimatedSizeInBytes();
        builder.append(timestamp, key, value, headers);
        int after = builder.estimatedSizeInBytes();
        RecordFuture f = new RecordFuture(
                done,
                thunks.size(),
                callback,
                timestamp,
                key == null ? -1 : key.length,
                value == null ? -1 : value.length);
        f.appendedBytes = after - before;
        f.wake = after >= batchSizeLimit;
        thunks.add(f);
        return f;
    }

    int recordCount() {
        synchronized (lock) {
            return thunks.size();
        }
    }

    int estimatedSizeInBytes() {
        synchronized (lock) {
            return builder.estimatedSizeInBytes();
        }
    }

    boolean isClosed() {
        return built != null;
    }

    /** Closes the batch stamped with the producer's id, epoch and this partition's next sequence. */
    MemoryRecords close(long producerId, short epoch, int sequence) {
        synchronized (lock) {
            if (built == null) {
                baseSequence = sequence;
                builder.producerState(producerId, epoch, sequence);
                built = builder.build();
            }
            return built;
        }
    }

    /**
     * Rewrites the producer id, epoch and base sequence of a closed batch (after the producer id
     * was reset) and its CRC, so a retry carries the new identity.
     */
    void restamp(long producerId, short epoch, int sequence) {
        ByteBuffer b = built.buffer();
        b.putLong(RecordBatchHeader.PRODUCER_ID, producerId);
        b.putShort(RecordBatchHeader.PRODUCER_EPOCH, epoch);
        b.putInt(RecordBatchHeader.BASE_SEQUENCE, sequence);
        RecordBatchHeader.writeCrc(b, 0);
        baseSequence = sequence;
    }

    MemoryRecords records() {
        return built;
    }

    /** Completes every record of the batch; callbacks run on the calling (sender) thread. */
    void complete(long baseOffset, long logAppendTime, RuntimeException error) {
        // As Apache's producer: every callback of the batch runs before any of its futures completes, so
        // a thread returning from send(..).get() sees what the callbacks did (tests count acks that way).
        // The record futures are views of `done`, so completing it completes them all at once.
        RecordFuture.Outcome outcome = new RecordFuture.Outcome(tp, baseOffset, logAppendTime, error);
        for (int i = 0; i < thunks.size(); i++) {
            RecordFuture t = thunks.get(i);
            if (t.callback != null) {
                invoke(t.callback, error != null ? null : outcome.metadata(t), error);
            }
        }
        done.complete(outcome);
    }

    private static void invoke(Callback cb, RecordMetadata md, Exception e) {
        try {
            cb.onCompletion(md, e);
        } catch (RuntimeException ex) {
            org.slf4j.LoggerFactory.getLogger(ProducerBatch.class).error("Error executing user-provided callback", ex);
        }
    }

    public CompletableFuture<?> done() {
        return done;
    }
}
