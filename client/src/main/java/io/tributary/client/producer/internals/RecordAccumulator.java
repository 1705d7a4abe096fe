package io.tributary.client.producer.internals;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.errors.BufferExhaustedException;
import io.tributary.client.producer.Callback;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.Header;
import io.tributary.protocol.record.MemoryRecordsBuilder;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-partition queues of batches between the application threads (append) and the sender
 * (drain, complete), issue 12. Each batch is built in a buffer from the {@link BufferPool}
 * (buffer.memory in all; batch.size buffers reused); an append that cannot get one waits up to
 * max.block.ms. The first batch of a queue is the one in flight or next to go, so batches of a
 * partition are sent and retried in order.
 */
public final class RecordAccumulator {
    private final int batchSize;
    private final CompressionType compression;
    private final int compressionLevel;
    private final long lingerMs;
    private final BufferPool pool;
    private final boolean transactional;
    private final ConcurrentHashMap<TopicPartition, PartitionQueue> queues = new ConcurrentHashMap<>();
    /**
     * The same queues by topic, indexed by partition (copy-on-write): an append finds its queue
     * with one lookup of the topic's (hash-cached) name and allocates no TopicPartition.
     */
    private final ConcurrentHashMap<String, PartitionQueue[]> byTopic = new ConcurrentHashMap<>();

    private final Set<ProducerBatch> incomplete = ConcurrentHashMap.newKeySet();
    private final AtomicInteger flushes = new AtomicInteger();
    private volatile boolean closing;
    /** Sender thread only: no unsent batch expires before this time (see {@link #expired}). */
    private long nextExpiryMs;

    public RecordAccumulator(
            int batchSize, CompressionType compression, int compressionLevel, long lingerMs, long totalMemory) {
        this(batchSize, compression, compressionLevel, lingerMs, totalMemory, false);
    }

    /** {@code transactional}: every batch carries the transactional bit (a transactional.id is set). */
    public RecordAccumulator(
            int batchSize,
            CompressionType compression,
            int compressionLevel,
            long lingerMs,
            long totalMemory,
            boolean transactional) {
        this.transactional = transactional;
        this.batchSize = batchSize;
        this.compression = compression;
        this.compressionLevel = compressionLevel;
        this.lingerMs = lingerMs;
        this.pool = new BufferPool(totalMemory, batchSize);
    }

    /** A partition's batches, oldest first; its monitor guards the queue and every append to its batches. */
    static final class PartitionQueue extends ArrayDeque<ProducerBatch> {
        private static final long serialVersionUID = 1L;
        final transient TopicPartition tp;

        PartitionQueue(TopicPartition tp) {
            this.tp = tp;
        }
    }

    /** The partition's queue, created on first use. */
    private PartitionQueue queue(String topic, int partition) {
        PartitionQueue[] qs = byTopic.get(topic);
        if (qs != null && partition < qs.length) {
            PartitionQueue q = qs[partition];
            if (q != null) {
                return q;
            }
        }
        PartitionQueue q = queues.computeIfAbsent(new TopicPartition(topic, partition), PartitionQueue::new);
        byTopic.compute(topic, (t, old) -> {
            PartitionQueue[] grown = old == null
                    ? new PartitionQueue[partition + 1]
                    : java.util.Arrays.copyOf(old, Math.max(old.length, partition + 1));
            grown[partition] = q;
            return grown;
        });
        return q;
    }

    /** The TopicPartition the accumulator keys the partition by (one instance per partition). */
    public TopicPartition topicPartition(String topic, int partition) {
        return queue(topic, partition).tp;
    }

    /**
     * Appends a record to the partition's last batch, or to a new one. Blocks up to {@code
     * maxBlockMs} for buffer memory; fails with a {@link BufferExhaustedException} past it. The
     * future tells the bytes the record took in its batch (for the sticky partitioner) and
     * whether the sender should look again: a batch filled up, or a new batch opened whose linger
     * the sender's poll timeout must cover (an idle sender otherwise sleeps its 100 ms cap). As
     * Kafka's: wake on a full or a new batch, not on every append.
     */
    public RecordFuture append(
            String topic,
            int partition,
            long timestamp,
            byte[] key,
            byte[] value,
            Header[] headers,
            Callback callback,
            int recordSize,
            long maxBlockMs,
            long nowMs) {
        PartitionQueue q = queue(topic, partition);
        synchronized (q) {
            // Not a wake-up on every append while older batches wait (the future says when):
            // that made the sender spin through empty loops.
            RecordFuture f = tryAppendLast(q, timestamp, key, value, headers, callback);
            if (f != null) {
                return f;
            }
        }
        // A record larger than batch.size gets a one-off buffer of its own size.
        int size = Math.max(batchSize, recordSize);
        ByteBuffer buffer = pool.allocate(size, maxBlockMs);
        synchronized (q) {
            // Another thread may have opened a batch while this one waited for memory.
            RecordFuture f = tryAppendLast(q, timestamp, key, value, headers, callback);
            if (f != null) {
                pool.deallocate(buffer, size);
                f.wake |= q.size() > 1;
                return f;
            }
            MemoryRecordsBuilder builder = new MemoryRecordsBuilder(
                            compression, io.tributary.protocol.record.TimestampType.CREATE_TIME, 0L, buffer)
                    .compressionLevel(compressionLevel)
                    .transactional(transactional)
                    .writeLimit(batchSize);
            // The futures' list growing from 10 entries as the batch fills (seven copies for 150
            // records) showed in the issue-16 profile: reserve room for records of about 64 bytes.
            ProducerBatch batch =
                    new ProducerBatch(q.tp, builder, nowMs, buffer, Math.min(1024, 16 + batchSize / 64), batchSize, q);
            f = batch.tryAppend(timestamp, key, value, headers, callback);
            f.wake = true;
            q.addLast(batch);
            incomplete.add(batch);
            return f;
        }
    }

    private static RecordFuture tryAppendLast(
            Deque<ProducerBatch> q, long timestamp, byte[] key, byte[] value, Header[] headers, Callback callback) {
        ProducerBatch last = q.peekLast();
        return last == null ? null : last.tryAppend(timestamp, key, value, headers, callback);
    }

    /**
     * The batches that may go now, each partition's in queue (= sequence) order: up to {@code
     * maxInFlightPerPartition} in flight per partition, each full, lingered long enough, flushed
     * or closing, and past its retry backoff. A partition with a batch to retry sends nothing more
     * until its in-flight batches are back: then the retries go one at a time, in order, and new
     * batches after them, so a retry never overtakes (or is overtaken by) a later sequence.
     */
    public List<ProducerBatch> ready(int maxInFlightPerPartition, long nowMs) {
        List<ProducerBatch> out = new ArrayList<>();
        boolean urgent = closing || flushes.get() > 0;
        for (PartitionQueue q : queues.values()) {
            synchronized (q) {
                int inFlight = 0;
                boolean retryPending = false;
                // Batches are closed in queue order, so the closed ones (in flight or awaiting a
                // retry) are a prefix: the walk stops at the first batch never sent.
                for (ProducerBatch b : q) {
                    if (b.inFlight) {
                        inFlight++;
                    } else if (b.isClosed()) {
                        retryPending = true;
                    } else {
                        break;
                    }
                }
                if (retryPending && inFlight > 0) {
                    continue;
                }
                int i = 0;
                int size = q.size();
                for (ProducerBatch b : q) {
                    i++;
                    if (b.inFlight) {
                        continue;
                    }
                    if (inFlight >= maxInFlightPerPartition || nowMs < b.retryAtMs) {
                        break;
                    }
                    boolean full = i < size || b.isClosed() || b.estimatedSizeInBytes() >= batchSize;
                    if (!(urgent || full || nowMs - b.createdMs >= lingerMs)) {
                        break;
                    }
                    out.add(b);
                    inFlight++;
                    if (b.isClosed()) {
                        // A retry goes alone, its successors after its answer (as Kafka's producer): sent
                        // together, one more failure (a dropped connection) loses them all again.
                        break;
                    }
                }
            }
        }
        return out;
    }

    /** True when {@code batch} is the oldest unacknowledged batch of its partition. */
    public boolean isFirst(ProducerBatch batch) {
        PartitionQueue q = queues.get(batch.tp);
        synchronized (q) {
            return q.peekFirst() == batch;
        }
    }

    /** Milliseconds until some batch's linger expires (capped), for the sender's poll timeout. */
    public long nextReadyDelayMs(long nowMs, long cap) {
        long delay = cap;
        for (PartitionQueue q : queues.values()) {
            synchronized (q) {
                for (ProducerBatch b : q) {
                    if (!b.inFlight) {
                        long at = Math.max(b.createdMs + lingerMs, b.retryAtMs);
                        delay = Math.min(delay, Math.max(0, at - nowMs));
                        break;
                    }
                }
            }
        }
        return delay;
    }

    /**
     * Removes a completed batch (the head of its queue) and returns its memory. Its buffer goes
     * back to the pool for reuse only when no request holds it: a batch failed while in flight (a
     * forced close) may still be in a frame waiting for the socket, so then only its size is
     * counted back and the buffer is left to the GC.
     */
    public void remove(ProducerBatch batch) {
        PartitionQueue q = queues.get(batch.tp);
        synchronized (q) {
            q.remove(batch);
        }
        if (incomplete.remove(batch)) {
            if (batch.inFlight) {
                pool.deallocateUnpooled(batch.buffer.capacity());
            } else {
                pool.deallocate(batch.buffer, batch.buffer.capacity());
            }
        }
    }

    /** The batch memory (for tests and metrics). */
    public BufferPool bufferPool() {
        return pool;
    }

    /** Batches not yet completed: every one the sender must finish or fail. */
    public List<ProducerBatch> incomplete() {
        return new ArrayList<>(incomplete);
    }

    public boolean hasIncomplete() {
        return !incomplete.isEmpty();
    }

    public void beginFlush() {
        flushes.incrementAndGet();
    }

    public void endFlush() {
        flushes.decrementAndGet();
    }

    public void beginClose() {
        closing = true;
    }

    /**
     * Batches never sent older than the delivery timeout. A batch sent once keeps its sequence
     * and is retried or failed by the sender, so the sequences of a partition stay in order.
     * Sender thread only. Each queue is walked from its oldest unsent batch and only until the
     * first one not expired, and not at all before the earliest expiry the last walk saw: a
     * batch created since then cannot expire earlier.
     */
    public List<ProducerBatch> expired(long deliveryTimeoutMs, long nowMs) {
        if (nowMs < nextExpiryMs) {
            return List.of();
        }
        List<ProducerBatch> out = new ArrayList<>();
        long next = nowMs + deliveryTimeoutMs;
        for (PartitionQueue q : queues.values()) {
            synchronized (q) {
                for (ProducerBatch b : q) {
                    if (b.isClosed()) {
                        continue;
                    }
                    if (nowMs - b.createdMs >= deliveryTimeoutMs) {
                        out.add(b);
                    } else {
                        next = Math.min(next, b.createdMs + deliveryTimeoutMs);
                        break;
                    }
                }
            }
        }
        nextExpiryMs = next;
        return out;
    }
}
