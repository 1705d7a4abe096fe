package io.tributary.storage;

import io.tributary.protocol.record.EndTransactionMarker;
import io.tributary.protocol.record.MemoryRecordsBuilder;
import io.tributary.protocol.record.Record;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cleaning of one compacted log, as Kafka's Cleaner: builds the key to latest-offset map over
 * the dirty range [firstDirty, firstUncleanable) (a prefix of it when the map is full), then
 * rewrites every segment from the log start through the end of the mapped range, in groups that
 * fit one segment, keeping per key only the latest record (aborted transactions' records go and
 * never enter the map; COMMIT/ABORT markers follow {@link #filterControl}); a tombstone
 * goes once its segment is older than delete.retention.ms (Kafka's rule: its modification time
 * is at or before the delete horizon, the last clean segment's modification time minus
 * delete.retention.ms). Offsets do not change; batches keep their attributes and producer fields.
 *
 * <p>Batches: a batch whose records all stay is copied as it is; one that loses some is rebuilt
 * with the same codec, base offset, producer id/epoch/base sequence and last offset delta (so its
 * offset and sequence ranges are unchanged); one that loses all is dropped, except the newest
 * batch of each producer (its header stays, without records, for the producer's sequence state,
 * as Kafka keeps it) and the last batch of each group (its header stays, so a cleaned segment
 * always ends where the segments it replaces ended and the loader can tell what a swap covers).
 *
 * <p>Each group is written to {@code .cleaned} files, fsynced, renamed {@code .swap}, then swapped
 * in by {@link Log#replaceSegments}; any failure before that deletes the cleaned files and leaves
 * the log as it was.
 *
 * <p>Threads: one instance per cleaning, on a cleaner thread; it reads inactive segments without
 * the log's lock (they do not change) and takes the lock only to swap.
 */
final class Cleaner {
    private static final Logger LOG = LoggerFactory.getLogger(Cleaner.class);

    /** Called at each step of a swap; tests copy the directory there to simulate a crash. */
    @FunctionalInterface
    interface Hook {
        Hook NONE = step -> {};

        void at(String step) throws IOException;
    }

    /** Thrown when the cleaning was aborted (log deleted, cleaner stopping). */
    static final class AbortedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AbortedException(String message) {
            super(message);
        }
    }

    /**
     * What one cleaning did; endOffset is the new first dirty offset, nextDeleteHorizonMs the
     * earliest delete horizon of a marker it left waiting (-1 when none), when a later pass could
     * remove it even if nothing new is dirty.
     */
    record Stats(
            long endOffset,
            long bytesRead,
            long bytesWritten,
            int groups,
            long recordsKept,
            long recordsDropped,
            long nextDeleteHorizonMs) {}

    private final Log log;
    private final LogConfig config;
    private final Time time;
    private final Throttler throttler;
    private final Hook hook;
    private final BooleanSupplier aborted;
    private final int ioBufferSize;
    private long bytesRead;
    private long bytesWritten;
    private long recordsKept;
    private long recordsDropped;
    // Per pass: the transaction walk, the pass's clock, and the newest producer snapshot's offset.
    private CleanerTxns txns;
    private long now;
    private long snapshotOffset;
    private long nextDeleteHorizonMs = -1;

    Cleaner(Log log, Time time, Throttler throttler, Hook hook, BooleanSupplier aborted, int ioBufferSize) {
        this.log = log;
        this.config = log.config();
        this.time = time;
        this.throttler = throttler;
        this.hook = hook;
        this.aborted = aborted;
        this.ioBufferSize = ioBufferSize;
    }

    /**
     * Cleans [log start, end of the mapped part of [firstDirty, firstUncleanable)). Returns null
     * when nothing could be mapped (empty range, or not even one batch fits the map), unless
     * force (a marker's delete horizon has passed): then the clean part [log start, firstDirty)
     * is cleaned again with an empty map.
     */
    Stats clean(long firstDirty, long firstUncleanable, long mapMemory, double loadFactor, boolean force)
            throws IOException {
        long truncationsAtStart = log.compaction().truncations();
        now = time.milliseconds();
        List<LogSegment> segments = log.compaction().inactiveSegments().segments();
        List<AbortedTxn> aborts = log.abortedTransactions(Long.MIN_VALUE, Long.MAX_VALUE);
        long keys = Math.max(1, firstUncleanable - firstDirty);
        OffsetMap map = new OffsetMap(Math.min(mapMemory, OffsetMap.memoryFor(keys, loadFactor)), loadFactor);
        // Aborted data must not enter the map, or it would shadow the committed value it follows.
        CleanerTxns mapTxns = new CleanerTxns(
                aborts.stream().filter(t -> t.lastOffset() >= firstDirty).toList());
        long end = buildOffsetMap(segments, firstDirty, firstUncleanable, map, mapTxns);
        if (end <= firstDirty && !force) {
            return null;
        }
        end = Math.max(end, firstDirty);
        txns = new CleanerTxns(aborts);
        snapshotOffset = log.compaction().latestProducerSnapshotOffset();
        long horizon = deleteHorizon(segments, firstDirty);
        List<LogSegment> toClean = new ArrayList<>();
        for (LogSegment s : segments) {
            if (s.baseOffset() < end) {
                toClean.add(s);
            }
        }
        if (toClean.isEmpty()) {
            return null;
        }
        Map<Long, Long> producerLast = log.compaction().producerLastOffsets();
        List<List<LogSegment>> groups = group(toClean, end);
        for (List<LogSegment> g : groups) {
            cleanGroup(g, map, horizon, end, producerLast, truncationsAtStart);
        }
        return new Stats(end, bytesRead, bytesWritten, groups.size(), recordsKept, recordsDropped, nextDeleteHorizonMs);
    }

    /**
     * Puts every keyed record of the dirty range into the map, batch by batch, and returns the
     * offset after the last batch mapped: firstUncleanable, or less when the map filled up.
     */
    private long buildOffsetMap(
            List<LogSegment> segments, long firstDirty, long firstUncleanable, OffsetMap map, CleanerTxns mapTxns)
            throws IOException {
        long[] end = {firstDirty};
        boolean[] full = {false};
        for (int i = 0; i < segments.size() && !full[0]; i++) {
            LogSegment seg = segments.get(i);
            long next = i + 1 < segments.size() ? segments.get(i + 1).baseOffset() : Long.MAX_VALUE;
            if (next <= firstDirty) {
                continue;
            }
            if (seg.baseOffset() >= firstUncleanable) {
                break;
            }
            checkAborted();
            SegmentBatches.forEach(seg, ioBufferSize, batch -> {
                checkAborted();
                long base = RecordBatchHeader.baseOffset(batch, 0);
                long last = RecordBatchHeader.lastOffset(batch, 0);
                if (base >= firstUncleanable) {
                    return false;
                }
                if (last < firstDirty) {
                    return true;
                }
                countRead(batch.remaining());
                if (RecordBatchHeader.isControl(batch, 0)) {
                    mapTxns.onControlBatch(batch);
                } else if (!mapTxns.onDataBatch(batch)) {
                    if (RecordBatchHeader.recordsCount(batch, 0) > map.remaining()) {
                        full[0] = true;
                        return false;
                    }
                    for (Record r : RecordBatch.at(batch, 0)) {
                        if (r.hasKey() && r.offset() >= firstDirty) {
                            map.put(r.key(), r.offset());
                        }
                    }
                }
                end[0] = Math.min(last + 1, firstUncleanable);
                return true;
            });
        }
        if (full[0]) {
            LOG.info(
                    "{}: offset map full after {} keys; cleaning up to offset {} of {}",
                    log.dir().getFileName(),
                    map.size(),
                    end[0],
                    firstUncleanable);
        }
        return end[0];
    }

    /** Tombstones in segments modified at or before this time are removed (Kafka's legacy rule). */
    private long deleteHorizon(List<LogSegment> segments, long firstDirty) throws IOException {
        LogSegment lastClean = null;
        for (LogSegment s : segments) {
            if (s.baseOffset() < firstDirty) {
                lastClean = s;
            }
        }
        return lastClean == null ? 0L : lastClean.lastModified() - config.deleteRetentionMs;
    }

    /**
     * Consecutive segments whose sum fits one segment (bytes, both indexes, relative offsets),
     * so each group becomes one cleaned segment that can still take every index entry.
     */
    private List<List<LogSegment>> group(List<LogSegment> segments, long end) {
        List<List<LogSegment>> groups = new ArrayList<>();
        int i = 0;
        while (i < segments.size()) {
            List<LogSegment> g = new ArrayList<>();
            LogSegment first = segments.get(i);
            g.add(first);
            long bytes = first.size();
            long offsetIndexBytes = (long) first.offsetIndexEntries() * OffsetIndex.ENTRY_SIZE;
            long timeIndexBytes = (long) first.timeIndexEntries() * TimeIndex.ENTRY_SIZE;
            i++;
            while (i < segments.size()) {
                LogSegment s = segments.get(i);
                long after = i + 1 < segments.size() ? segments.get(i + 1).baseOffset() : end;
                if (bytes + s.size() > config.segmentBytes
                        || offsetIndexBytes + (long) s.offsetIndexEntries() * OffsetIndex.ENTRY_SIZE
                                > config.segmentIndexBytes
                        || timeIndexBytes + (long) s.timeIndexEntries() * TimeIndex.ENTRY_SIZE
                                > config.segmentIndexBytes
                        || Math.max(after, s.baseOffset() + 1) - 1 - first.baseOffset() > Integer.MAX_VALUE) {
                    break;
                }
                bytes += s.size();
                offsetIndexBytes += (long) s.offsetIndexEntries() * OffsetIndex.ENTRY_SIZE;
                timeIndexBytes += (long) s.timeIndexEntries() * TimeIndex.ENTRY_SIZE;
                g.add(s);
                i++;
            }
            groups.add(g);
        }
        return groups;
    }

    /** Writes one group's survivors to a cleaned segment and swaps it in. */
    private void cleanGroup(
            List<LogSegment> group,
            OffsetMap map,
            long horizon,
            long end,
            Map<Long, Long> producerLast,
            long truncationsAtStart)
            throws IOException {
        Path dir = log.dir();
        long base = group.get(0).baseOffset();
        for (Path p : LogSegment.files(dir, base, LogSegment.CLEANED_SUFFIX)) {
            Files.deleteIfExists(p); // left by an earlier pass that failed
        }
        LogSegment cleaned =
                LogSegment.openWithSuffix(dir, base, config, time.milliseconds(), LogSegment.CLEANED_SUFFIX);
        Set<Long> droppedMarkers = new HashSet<>();
        try {
            long lastModified = 0;
            ByteBuffer[] lastDropped = {null};
            for (LogSegment seg : group) {
                checkAborted();
                lastModified = Math.max(lastModified, seg.lastModified());
                boolean retainDeletes = seg.lastModified() > horizon;
                SegmentBatches.forEach(seg, ioBufferSize, batch -> {
                    checkAborted();
                    countRead(batch.remaining());
                    ByteBuffer out = filter(batch, map, retainDeletes, end, producerLast, droppedMarkers);
                    if (out == null) {
                        lastDropped[0] = copyHeader(batch);
                    } else {
                        write(cleaned, out);
                        lastDropped[0] = null;
                    }
                    return true;
                });
            }
            if (lastDropped[0] != null) {
                write(cleaned, emptyBatch(lastDropped[0]));
            }
            cleaned.onBecomeInactive();
            cleaned.flush(true);
            cleaned.setLastModified(lastModified);
            hook.at("cleaned");
            cleaned.changeSuffix(LogSegment.CLEANED_SUFFIX, LogSegment.SWAP_SUFFIX);
            StorageFiles.fsyncDir(dir);
            hook.at("swap");
        } catch (IOException | RuntimeException e) {
            discard(cleaned);
            throw e;
        }
        // From here an IOException leaves the .swap file for the loader (the log goes offline).
        if (!log.compaction().replaceSegments(group, cleaned, truncationsAtStart, hook, droppedMarkers)) {
            discard(cleaned);
            throw new AbortedException("log changed while cleaning; swap abandoned");
        }
    }

    private void write(LogSegment cleaned, ByteBuffer batch) throws IOException {
        int size = batch.remaining();
        long lastOffset = RecordBatchHeader.lastOffset(batch, batch.position());
        cleaned.append(
                batch,
                RecordBatchHeader.baseOffset(batch, batch.position()),
                RecordBatchHeader.maxTimestamp(batch, batch.position()),
                lastOffset);
        bytesWritten += size;
        throttle(size);
    }

    /**
     * The batch as it should be in the cleaned segment (itself, rebuilt, or an empty header), or
     * null to drop it. Batches at or past end were not mapped and stay as they are; the records
     * of an aborted transaction go.
     */
    private ByteBuffer filter(
            ByteBuffer batch,
            OffsetMap map,
            boolean retainDeletes,
            long end,
            Map<Long, Long> producerLast,
            Set<Long> droppedMarkers) {
        if (RecordBatchHeader.baseOffset(batch, 0) >= end) {
            return batch;
        }
        if (RecordBatchHeader.isControl(batch, 0)) {
            return filterControl(batch, droppedMarkers);
        }
        boolean aborted = txns.onDataBatch(batch);
        RecordBatch rb = RecordBatch.at(batch, 0);
        List<Record> kept = new ArrayList<>();
        int total = 0;
        for (Record r : rb) {
            total++;
            if (!aborted && (r.offset() >= end || retain(r, map, retainDeletes))) {
                kept.add(r);
            }
        }
        recordsKept += kept.size();
        recordsDropped += total - kept.size();
        if (kept.isEmpty()) {
            // Also an empty batch kept by an earlier pass: it goes unless it is still needed.
            long pid = rb.producerId();
            boolean producersLast = pid >= 0 && Long.valueOf(rb.lastOffset()).equals(producerLast.get(pid));
            return producersLast ? emptyBatch(batch) : null;
        }
        return kept.size() == total ? batch : rebuild(rb, kept);
    }

    /**
     * Kafka's marker rule (KIP-98 with KIP-534's delete horizon): a COMMIT/ABORT marker stays while
     * data of its transaction remains before it. The first pass that finds it alone stamps it with
     * a delete horizon (now + delete.retention.ms); a pass after the horizon removes it, and the
     * aborted-transaction index entry goes with an ABORT marker (droppedMarkers). A marker at or
     * past the newest producer snapshot stays: replay from that snapshot must see it end its
     * transaction.
     */
    private ByteBuffer filterControl(ByteBuffer batch, Set<Long> droppedMarkers) {
        if (!txns.onControlBatch(batch)) {
            return batch;
        }
        int count = RecordBatchHeader.recordsCount(batch, 0);
        long offset = RecordBatchHeader.lastOffset(batch, 0);
        if (count == 0) {
            droppedMarkers.add(offset);
            return null;
        }
        boolean stamped = (RecordBatchHeader.attributes(batch, 0) & RecordBatchHeader.DELETE_HORIZON_MASK) != 0;
        if (!stamped) {
            long horizon = saturatedAdd(now, config.deleteRetentionMs);
            ByteBuffer out = withDeleteHorizon(batch, horizon);
            if (out != null) {
                noteHorizon(horizon);
                return out;
            }
            return batch;
        }
        long horizon = RecordBatchHeader.baseTimestamp(batch, 0);
        if (horizon > now) {
            noteHorizon(horizon);
            return batch;
        }
        if (offset >= snapshotOffset) {
            return batch;
        }
        droppedMarkers.add(offset);
        recordsDropped += count;
        return null;
    }

    private void noteHorizon(long horizon) {
        if (nextDeleteHorizonMs < 0 || horizon < nextDeleteHorizonMs) {
            nextDeleteHorizonMs = horizon;
        }
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    /** The marker batch re-written with a delete horizon; null when it holds no COMMIT/ABORT marker. */
    private static ByteBuffer withDeleteHorizon(ByteBuffer batch, long horizon) {
        EndTransactionMarker marker = TxnState.parseMarker(batch, 0);
        if (marker == null) {
            return null;
        }
        RecordBatch original = RecordBatch.at(batch, 0);
        Record record = original.iterator().next();
        MemoryRecordsBuilder b = new MemoryRecordsBuilder(
                original.compressionType(), original.timestampType(), original.baseOffset(), original.sizeInBytes());
        b.transactional(original.isTransactional());
        b.control(true);
        b.deleteHorizonMs(horizon);
        b.producerState(original.producerId(), original.producerEpoch(), original.baseSequence());
        b.partitionLeaderEpoch(original.partitionLeaderEpoch());
        b.logAppendTime(original.maxTimestamp());
        b.appendEndTxnMarker(record.timestamp(), marker);
        ByteBuffer out = b.build().buffer();
        out.putInt(out.position() + RecordBatchHeader.LAST_OFFSET_DELTA, original.lastOffsetDelta());
        RecordBatchHeader.writeCrc(out, out.position());
        return out;
    }

    /** Kafka's rule: keep a keyed record unless a later one has its key, or it is an expired tombstone. */
    private static boolean retain(Record r, OffsetMap map, boolean retainDeletes) {
        if (!r.hasKey()) {
            return false; // a compacted topic refuses these at append; older ones go, as in Kafka
        }
        long latest = map.get(r.key());
        if (latest >= 0 && r.offset() < latest) {
            return false;
        }
        return r.hasValue() || retainDeletes;
    }

    /** The kept records in a batch with the original's codec, producer fields and offset range. */
    private static ByteBuffer rebuild(RecordBatch original, List<Record> kept) {
        MemoryRecordsBuilder b = new MemoryRecordsBuilder(
                original.compressionType(), original.timestampType(), original.baseOffset(), original.sizeInBytes());
        b.transactional(original.isTransactional());
        b.producerState(original.producerId(), original.producerEpoch(), original.baseSequence());
        b.partitionLeaderEpoch(original.partitionLeaderEpoch());
        b.logAppendTime(original.maxTimestamp());
        for (Record r : kept) {
            b.appendWithOffset(r.offset(), r.timestamp(), r.key(), r.value(), r.headers());
        }
        ByteBuffer out = b.build().buffer();
        // Keep the last offset (and so the last sequence) of the original, as Kafka does, so
        // the batch still spans its offsets and producer state rebuilt from it is unchanged.
        out.putInt(out.position() + RecordBatchHeader.LAST_OFFSET_DELTA, original.lastOffsetDelta());
        RecordBatchHeader.writeCrc(out, out.position());
        return out;
    }

    private static ByteBuffer copyHeader(ByteBuffer batch) {
        ByteBuffer h = ByteBuffer.allocate(RecordBatchHeader.SIZE);
        h.put(batch.duplicate().limit(RecordBatchHeader.SIZE));
        return h.flip();
    }

    /** A batch with the header's offsets, producer fields and max timestamp but no records (Kafka's empty batch). */
    static ByteBuffer emptyBatch(ByteBuffer batch) {
        ByteBuffer h = copyHeader(batch);
        long maxTs = RecordBatchHeader.maxTimestamp(h, 0);
        h.putInt(RecordBatchHeader.BATCH_LENGTH, RecordBatchHeader.SIZE - RecordBatchHeader.LOG_OVERHEAD);
        h.putShort(RecordBatchHeader.ATTRIBUTES, (short) (RecordBatchHeader.attributes(h, 0)
                & ~RecordBatchHeader.COMPRESSION_MASK
                & ~RecordBatchHeader.DELETE_HORIZON_MASK));
        h.putLong(RecordBatchHeader.BASE_TIMESTAMP, maxTs);
        h.putInt(RecordBatchHeader.RECORDS_COUNT, 0);
        RecordBatchHeader.writeCrc(h, 0);
        return h;
    }

    private void discard(LogSegment cleaned) {
        try {
            cleaned.closeAndDelete();
        } catch (IOException e) {
            LOG.warn("{}: could not delete cleaned segment files: {}", log.dir().getFileName(), e.toString());
        }
    }

    private void countRead(long bytes) {
        bytesRead += bytes;
        throttle(bytes);
    }

    /** Reads and writes both count against the I/O budget, as in Kafka. */
    private void throttle(long bytes) {
        if (throttler.unlimited()) {
            return;
        }
        try {
            throttler.maybeThrottle(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AbortedException("interrupted while throttled");
        }
    }

    private void checkAborted() {
        if (aborted.getAsBoolean()) {
            throw new AbortedException("cleaning of " + log.dir().getFileName() + " aborted");
        }
    }
}
