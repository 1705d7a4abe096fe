package io.tributary.broker.group;

import io.tributary.coordinator.runtime.CoordinatorLog;
import io.tributary.coordinator.runtime.CoordinatorRecord;
import io.tributary.coordinator.runtime.CoordinatorRecordBatches;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.MemoryRecords;
import io.tributary.protocol.record.MemoryRecordsBuilder;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.TimestampType;
import io.tributary.storage.AppendResult;
import io.tributary.storage.Log;
import io.tributary.storage.LogConfig;
import io.tributary.storage.LogReadResult;
import io.tributary.storage.StorageException;
import io.tributary.storage.Time;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group coordinator's internal log on disk: a private storage {@link Log} in
 * {@code <data dir>/__group_coordinator}, holding each coordinator record as one record of an
 * uncompressed magic-v2 batch (key and value bytes exactly as the coordinator encoded them; a
 * null value is a tombstone). It is not a topic: Metadata does not list it and clients cannot
 * produce to or fetch from it (the name has no "-N" suffix, so the topic loader ignores it).
 *
 * <p>Durability: {@link #append} writes the records as one batch (several when they exceed
 * {@link #MAX_BATCH_BYTES}) and completes its future only when the log's group-commit
 * {@code flushUpTo} has fsynced them. Replay reads every batch from the log start; recovery at
 * open (every segment is CRC-checked, a torn tail cut) means a record is replayed only if its
 * whole batch reached the disk. {@link #truncateBefore} deletes whole segments below the offset
 * (the segment holding it stays) and rolls, so the next snapshot can free the current one.
 *
 * <p>Threads: the coordinator thread calls every method (the {@link CoordinatorLog} contract), so
 * appends, rolls and deletions never race; futures complete on the log's flusher thread.
 */
public final class StorageCoordinatorLog implements CoordinatorLog, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StorageCoordinatorLog.class);

    /** The directory under the data dir; not a partition directory name, so LogManager leaves it alone. */
    public static final String DIR_NAME = "__group_coordinator";
    /** Bytes per batch are capped (and at a quarter segment) so a batch stays far below the segment size. */
    static final int MAX_BATCH_BYTES = 1 << 20;

    private final Log log;
    private final int segmentBytes;
    private final int batchBytes;

    private StorageCoordinatorLog(Log log, int segmentBytes) {
        this.log = log;
        this.segmentBytes = segmentBytes;
        this.batchBytes = Math.max(1, Math.min(MAX_BATCH_BYTES, segmentBytes / 4));
    }

    /**
     * Opens (creating if needed) the log in {@code dir}, recovering every segment as after a
     * crash: it is small (snapshots bound it), and a clean-shutdown marker would be one more file
     * to get wrong.
     *
     * @param segmentBytes segment size (Kafka's offsets.topic.segment.bytes, 100 MiB by default)
     */
    public static StorageCoordinatorLog open(Path dir, int segmentBytes) throws IOException {
        Log log = Log.open(
                dir,
                config(segmentBytes),
                Time.SYSTEM,
                DefaultFlusher.INSTANCE,
                0L,
                Log.DEFAULT_PRODUCER_ID_EXPIRATION_MS);
        return new StorageCoordinatorLog(log, segmentBytes);
    }

    private static LogConfig config(int segmentBytes) {
        // Independent of the broker's log.* defaults: time retention would lose group state, and
        // deleted segments need no grace period because nothing reads this log concurrently.
        return LogConfig.create(
                Map.of(),
                Map.of(
                        LogConfig.SEGMENT_BYTES, Integer.toString(segmentBytes),
                        LogConfig.MAX_MESSAGE_BYTES, Integer.toString(segmentBytes),
                        LogConfig.RETENTION_MS, "-1",
                        LogConfig.RETENTION_BYTES, "-1",
                        LogConfig.FILE_DELETE_DELAY_MS, "0"));
    }

    @Override
    public CompletableFuture<Void> append(List<CoordinatorRecord> records) {
        if (records.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        long lastOffset = -1;
        for (MemoryRecords chunk : encode(records)) {
            AppendResult r = log.append(chunk);
            if (!r.ok()) {
                // Earlier chunks of this call may be on disk: replay is idempotent, and the
                // runtime rebuilds its state from the log after a failed append.
                return CompletableFuture.failedFuture(
                        new StorageException(r.error(), "coordinator log append failed: " + r.errorMessage()));
            }
            lastOffset = r.lastOffset();
        }
        return log.flushUpTo(lastOffset + 1);
    }

    /**
     * Batches of at most about batchBytes (a larger record gets a batch of its own), grouped into
     * appends that each fit comfortably in a segment (a normal operation is one batch, written
     * atomically).
     */
    private List<MemoryRecords> encode(List<CoordinatorRecord> records) {
        long now = System.currentTimeMillis();
        MemoryRecordsBuilder b = new MemoryRecordsBuilder(CompressionType.NONE, TimestampType.CREATE_TIME, 0L);
        int openBatchBytes = 0;
        for (CoordinatorRecord r : records) {
            // Key, value and at most ~20 bytes of record framing.
            int size = r.key().length + (r.value() == null ? 0 : r.value().length) + 20;
            if (openBatchBytes > 0 && openBatchBytes + size > batchBytes) {
                b.nextBatch();
                openBatchBytes = 0;
            }
            b.append(now, r.key(), r.value());
            openBatchBytes += size;
        }
        MemoryRecords all = b.build();
        if (all.sizeInBytes() <= segmentBytes / 2) {
            return List.of(all);
        }
        List<MemoryRecords> chunks = new ArrayList<>();
        ByteBuffer buf = all.buffer();
        int chunkStart = buf.position();
        int chunkEnd = chunkStart;
        for (RecordBatch batch : all.batches()) {
            if (chunkEnd > chunkStart && chunkEnd - chunkStart + batch.sizeInBytes() > segmentBytes / 2) {
                chunks.add(new MemoryRecords(buf.slice(chunkStart, chunkEnd - chunkStart)));
                chunkStart = chunkEnd;
            }
            chunkEnd = batch.position() + batch.sizeInBytes();
        }
        chunks.add(new MemoryRecords(buf.slice(chunkStart, chunkEnd - chunkStart)));
        return chunks;
    }

    @Override
    public long endOffset() {
        return log.logEndOffset();
    }

    @Override
    public void replay(Consumer<CoordinatorRecord> sink) {
        long offset = log.logStartOffset();
        long end = log.logEndOffset();
        while (offset < end) {
            LogReadResult r = log.read(offset, MAX_BATCH_BYTES * 4, true);
            if (r.error().code() != 0) {
                throw new StorageException(r.error(), "cannot read the coordinator log at offset " + offset);
            }
            if (r.records().sizeInBytes() == 0) {
                break;
            }
            // Reads start at batch boundaries (the log start, then each batch's next offset).
            long next = CoordinatorRecordBatches.forEach(r.records().toByteBuffer(), sink);
            if (next <= offset) {
                break;
            }
            offset = next;
        }
    }

    /**
     * Deletes the segments that lie wholly below {@code offset}, then rolls so that the records
     * appended from now on start a segment the next truncation can delete.
     */
    @Override
    public void truncateBefore(long offset) {
        try {
            int deleted = log.deleteSegmentsBelow(offset);
            if (deleted > 0) {
                LOG.debug(
                        "Coordinator log: deleted {} segments below offset {}; log starts at {}",
                        deleted,
                        offset,
                        log.logStartOffset());
            }
            log.roll(true);
        } catch (IOException e) {
            // Nothing is lost: the obsolete records stay and replay ignores them.
            LOG.warn("Coordinator log: could not trim below offset {}: {}", offset, e.toString());
        }
    }

    /** The log start offset (tests). */
    long logStartOffset() {
        return log.logStartOffset();
    }

    /** How many segments are live (tests). */
    int numberOfSegments() {
        return log.numberOfSegments();
    }

    /** Offset below which everything is fsynced (tests). */
    long recoveryPoint() {
        return log.recoveryPoint();
    }

    /** Flushes and closes; later appends fail. */
    @Override
    public void close() {
        try {
            log.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the coordinator log failed", e);
        }
    }

    /** The fsyncs of this one log run on a daemon thread of their own. */
    private static final class DefaultFlusher {
        static final java.util.concurrent.Executor INSTANCE = java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "coordinator-log-flusher");
            t.setDaemon(true);
            return t;
        });
    }
}
