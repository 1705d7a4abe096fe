package io.tributary.client.consumer.internals;

import io.tributary.client.common.Headers;
import io.tributary.client.common.TimestampType;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.TributaryException;
import io.tributary.client.common.errors.RecordDeserializationException;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.network.ResponseBufferPool;
import io.tributary.client.serialization.Deserializer;
import io.tributary.protocol.message.FetchResponseData;
import io.tributary.protocol.record.ControlRecordType;
import io.tributary.protocol.record.CorruptRecordException;
import io.tributary.protocol.record.MemoryRecords;
import io.tributary.protocol.record.Record;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordCursor;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The data of one partition from one fetch response, decoded lazily on the application thread
 * as poll takes records from it: batches are CRC-checked (check.crcs), decompressed, control
 * batches and (read_committed) aborted transactions skipped, records before the fetch offset
 * (inside a compressed batch) dropped. Created by the network thread, then owned by the
 * application thread.
 */
public final class CompletedFetch {
    final TopicPartition partition;
    final long fetchOffset;
    final int version;
    /** The end of the log this response reported (high watermark, or LSO with read_committed), or -1. */
    final long endOffset;

    private final MemoryRecords records;
    /** Where the whole batches this fetch holds end (the offset to fetch ahead from), or -1 without any. */
    private final long aheadOffset;

    private final boolean checkCrcs;
    private final boolean readCommitted;
    private final PriorityQueue<FetchResponseData.AbortedTransaction> abortedTransactions;
    private final Set<Long> abortedProducerIds = new HashSet<>();
    private Iterator<RecordBatch> batches;
    /** Reads the current batch's records without an object per record; null before the first batch. */
    private RecordCursor currentRecords;

    private final RecordCursor cursor = new RecordCursor();
    /** The current batch's leader epoch and timestamp type, read once per batch, not per record. */
    private Optional<Integer> currentEpoch = Optional.empty();

    /** The pooled response array {@link #records} points into while this fetch is buffered, or null. */
    private ResponseBufferPool.Frame frame;

    private TimestampType currentTimestampType = TimestampType.CREATE_TIME;
    private long nextFetchOffset;
    private RuntimeException pendingError;
    private boolean done;

    CompletedFetch(
            TopicPartition partition,
            long fetchOffset,
            int version,
            long endOffset,
            MemoryRecords records,
            List<FetchResponseData.AbortedTransaction> aborted,
            boolean checkCrcs,
            boolean readCommitted) {
        this.partition = partition;
        this.fetchOffset = fetchOffset;
        this.version = version;
        this.endOffset = endOffset;
        this.records = records == null ? MemoryRecords.EMPTY : records;
        this.checkCrcs = checkCrcs;
        this.readCommitted = readCommitted;
        this.nextFetchOffset = fetchOffset;
        this.aheadOffset = endOfBatches(this.records);
        this.abortedTransactions = new PriorityQueue<>((a, b) -> Long.compare(a.firstOffset, b.firstOffset));
        if (aborted != null) {
            abortedTransactions.addAll(aborted);
        }
    }

    public TopicPartition partition() {
        return partition;
    }

    /**
     * Takes a reference to the pooled response array this fetch's records are in (null: they are
     * not pooled), held until {@link #releaseFrame}. Called by {@link FetchBuffer#add}.
     */
    void holdFrame(ResponseBufferPool.Frame f) {
        if (f != null && records.sizeInBytes() > 0) {
            f.retain();
            frame = f;
        }
    }

    /**
     * Gives the array back once this fetch leaves the buffer: every record of it has been built
     * into a {@code ConsumerRecord} (copies of its bytes), or it is dropped. Its records must not
     * be read afterwards. Idempotent; application thread.
     */
    void releaseFrame() {
        ResponseBufferPool.Frame f = frame;
        if (f != null) {
            frame = null;
            f.release();
        }
    }

    /** Bytes of record data this fetch holds (what it weighs in the buffer). */
    int sizeInBytes() {
        return records.sizeInBytes();
    }

    /**
     * The offset after this fetch's last whole batch (its last offset preserved by compaction
     * included), where the position will be once everything is taken, or -1 when it holds no
     * whole batch. Read from the batch headers only.
     */
    long aheadOffset() {
        return aheadOffset;
    }

    private static long endOfBatches(MemoryRecords records) {
        long end = -1;
        try {
            for (RecordBatch b : records.batches()) {
                end = b.nextOffset();
            }
        } catch (CorruptRecordException e) {
            return -1; // reported when poll decodes it
        }
        return end;
    }

    /** The position after everything taken so far (control batches included). */
    long nextFetchOffset() {
        return nextFetchOffset;
    }

    boolean isDone() {
        return done && pendingError == null;
    }

    /**
     * Takes up to {@code max} records, appended to {@code out} (poll's list for the partition,
     * so no list per call). A corrupt batch or a value that does not deserialize stops there:
     * records before it are returned first, the error is thrown on the next call, and the
     * position stays at the bad record (as in Kafka).
     *
     * @return how many records were appended
     */
    <K, V> int take(int max, Deserializer<K> keys, Deserializer<V> values, List<ConsumerRecord<K, V>> out) {
        if (pendingError != null) {
            RuntimeException e = pendingError;
            pendingError = null;
            done = true;
            throw e;
        }
        int taken = 0;
        if (batches == null) {
            batches = records.batches().iterator();
        }
        try {
            while (taken < max) {
                if (currentRecords == null || !currentRecords.hasNext()) {
                    if (!nextBatch()) {
                        // As Kafka: the last batch's last offset survives compaction of its last
                        // records, so the position moves past it and the next fetch starts after it.
                        nextFetchOffset = Math.max(nextFetchOffset, aheadOffset);
                        done = true;
                        break;
                    }
                    continue;
                }
                RecordCursor r = currentRecords;
                r.next();
                if (r.offset() < nextFetchOffset) {
                    continue; // inside a compressed batch that started before our position
                }
                out.add(convert(r, keys, values));
                taken++;
                nextFetchOffset = r.offset() + 1;
            }
        } catch (RuntimeException e) {
            RuntimeException wrapped = e instanceof CorruptRecordException
                    ? new TributaryException(
                            "Record batch for partition " + partition + " at offset " + nextFetchOffset
                                    + " is invalid, cause: " + e.getMessage(),
                            e)
                    : e;
            if (taken == 0) {
                done = true;
                throw wrapped;
            }
            pendingError = wrapped;
        }
        return taken;
    }

    private boolean nextBatch() {
        while (batches.hasNext()) {
            RecordBatch batch = batches.next();
            if (batch.lastOffset() < nextFetchOffset) {
                continue;
            }
            if (checkCrcs) {
                batch.ensureValid();
            }
            if (readCommitted && batch.hasProducerId()) {
                while (!abortedTransactions.isEmpty() && abortedTransactions.peek().firstOffset <= batch.lastOffset()) {
                    abortedProducerIds.add(abortedTransactions.poll().producerId);
                }
                if (batch.isControlBatch()) {
                    if (isAbortMarker(batch)) {
                        abortedProducerIds.remove(batch.producerId());
                    }
                } else if (batch.isTransactional() && abortedProducerIds.contains(batch.producerId())) {
                    nextFetchOffset = batch.nextOffset();
                    continue;
                }
            }
            if (batch.isControlBatch()) {
                nextFetchOffset = batch.nextOffset();
                continue;
            }
            int epoch = batch.partitionLeaderEpoch();
            currentEpoch = epoch < 0 ? Optional.empty() : Optional.of(epoch);
            currentTimestampType = TimestampType.forWire(batch.timestampType());
            currentRecords = cursor.reset(batch);
            return true;
        }
        return false;
    }

    private static boolean isAbortMarker(RecordBatch batch) {
        Iterator<Record> it = batch.iterator();
        if (!it.hasNext()) {
            return false;
        }
        return ControlRecordType.parse(it.next()) == ControlRecordType.ABORT;
    }

    private <K, V> ConsumerRecord<K, V> convert(RecordCursor r, Deserializer<K> keys, Deserializer<V> values) {
        // The cursor's headers are the record's own (their values copied out of the fetch bytes).
        Headers headers = Headers.wrap(r.headers());
        // The cursor's two views, repositioned per record: no buffer object per record. The
        // deserializers may only read them during the call (Deserializer's contract).
        ByteBuffer kb = r.key();
        ByteBuffer vb = r.value();
        int keySize = kb == null ? ConsumerRecord.NULL_SIZE : r.keySize();
        int valueSize = vb == null ? ConsumerRecord.NULL_SIZE : r.valueSize();
        K key;
        V value;
        try {
            key = keys.deserialize(partition.topic(), headers, kb);
        } catch (RuntimeException e) {
            throw deserializationError(RecordDeserializationException.Origin.KEY, r.offset(), e);
        }
        try {
            value = values.deserialize(partition.topic(), headers, vb);
        } catch (RuntimeException e) {
            throw deserializationError(RecordDeserializationException.Origin.VALUE, r.offset(), e);
        }
        return new ConsumerRecord<>(
                partition.topic(),
                partition.partition(),
                r.offset(),
                r.timestamp(),
                currentTimestampType,
                keySize,
                valueSize,
                key,
                value,
                headers,
                currentEpoch);
    }

    private RecordDeserializationException deserializationError(
            RecordDeserializationException.Origin origin, long offset, RuntimeException cause) {
        return new RecordDeserializationException(
                origin,
                partition,
                offset,
                "Error deserializing "
                        + origin.name().toLowerCase(java.util.Locale.ROOT) + " for partition " + partition
                        + " at offset "
                        + offset + ". If needed, please seek past the record to continue consumption.",
                cause);
    }
}
