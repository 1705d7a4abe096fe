package io.tributary.storage;

import io.tributary.protocol.record.ControlRecordType;
import io.tributary.protocol.record.EndTransactionMarker;
import io.tributary.protocol.record.RecordBatchHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a partition directory into segments when a {@link Log} opens, recovering it as after a
 * crash: removes strays ({@code .deleted}, {@code .tmp}, indexes without a log), CRC-checks the
 * segments the last fsync may not cover and cuts a torn or garbage tail (with every segment after
 * it), rebuilds missing or insane indexes, and rebuilds producer state from the newest snapshot
 * plus the batch headers after it. Producer-state replay is also what truncation reuses.
 *
 * <p>Threads: runs on the thread that opens the log, before the log is shared; the replay after
 * truncation runs under the log's lock.
 */
final class LogLoader {
    private static final Logger LOG = LoggerFactory.getLogger(LogLoader.class);

    /** Where a loaded log starts and ends, and what of it is known to be on disk. */
    record Loaded(long logStartOffset, long logEndOffset, long recoveryPoint) {}

    private final Path dir;
    private final LogConfig config;
    private final Time time;

    LogLoader(Path dir, LogConfig config, Time time) {
        this.dir = dir;
        this.config = config;
        this.time = time;
    }

    /**
     * Fills segments (empty on entry) from the directory and loads producer state.
     *
     * @param checkpointedRecoveryPoint offset below which everything was fsynced as checkpointed;
     *     Long.MAX_VALUE after a clean shutdown
     */
    Loaded load(
            NavigableMap<Long, LogSegment> segments,
            ProducerStateManager producers,
            TransactionIndexes txnIndexes,
            long checkpointedRecoveryPoint)
            throws IOException {
        TreeSet<Long> bases = new TreeSet<>();
        TreeSet<Long> swaps = new TreeSet<>();
        List<Path> strays = new ArrayList<>();
        List<Path> swapIndexes = new ArrayList<>();
        String swapLog = LogSegment.LOG_SUFFIX + LogSegment.SWAP_SUFFIX;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.endsWith(LogSegment.DELETED_SUFFIX)
                        || n.endsWith(".tmp")
                        || n.endsWith(LogSegment.CLEANED_SUFFIX)) {
                    strays.add(p);
                } else if (n.endsWith(swapLog) && parseBase(n, swapLog) >= 0) {
                    swaps.add(parseBase(n, swapLog));
                } else if (n.endsWith(LogSegment.SWAP_SUFFIX)) {
                    swapIndexes.add(p);
                } else if (n.endsWith(LogSegment.LOG_SUFFIX) && parseBase(n, LogSegment.LOG_SUFFIX) >= 0) {
                    bases.add(parseBase(n, LogSegment.LOG_SUFFIX));
                }
            }
        }
        // .deleted files are old segments a swap was replacing: they can only exist once every
        // .swap file of that swap was complete, so dropping them loses nothing.
        for (Path p : strays) {
            Files.deleteIfExists(p);
        }
        for (Path p : swapIndexes) {
            // An index renamed to .swap just before a crash, while its log file was still .cleaned.
            String n = p.getFileName().toString();
            int dot = n.indexOf('.');
            long base = dot > 0 ? parseBase(n.substring(0, dot), "") : -1;
            if (base < 0 || !swaps.contains(base)) {
                Files.deleteIfExists(p);
            }
        }
        for (long swap : swaps) {
            completeSwap(swap, bases);
        }
        deleteIndexesWithoutLog(bases);
        if (bases.isEmpty()) {
            bases.add(0L);
        }
        long now = time.milliseconds();
        List<Long> ordered = new ArrayList<>(bases);
        for (int i = 0; i < ordered.size(); i++) {
            long base = ordered.get(i);
            boolean last = i == ordered.size() - 1;
            boolean indexesExisted = Files.exists(dir.resolve(LogSegment.fileName(base, LogSegment.INDEX_SUFFIX)))
                    && Files.exists(dir.resolve(LogSegment.fileName(base, LogSegment.TIME_INDEX_SUFFIX)));
            LogSegment seg = LogSegment.open(dir, base, config, now, last);
            long segmentEnd = last ? Long.MAX_VALUE : ordered.get(i + 1);
            boolean unflushed = segmentEnd > checkpointedRecoveryPoint && checkpointedRecoveryPoint != Long.MAX_VALUE;
            int cut;
            if (unflushed || !indexesExisted || !seg.indexesSane() || !seg.lastIndexEntryMatchesLog()) {
                if (!unflushed) {
                    LOG.warn("{}: index of segment {} missing or corrupt; rebuilding", dir.getFileName(), base);
                }
                cut = seg.recover(0);
            } else if (last) {
                // Clean shutdown: still check the tail after the last index entry, which costs
                // at most one index interval and catches bytes appended behind our back.
                cut = seg.recover(seg.lastIndexedPosition());
            } else {
                cut = 0;
                seg.loadMaxTimestampFromIndex();
            }
            segments.put(base, seg);
            if (cut > 0 && last && seg.lastCutWasZeros()) {
                // the zeros written ahead of the active segment's appends (SegmentZeroTail)
                LOG.debug("{}: cut {} bytes of zeros after the last batch of segment {}", dir.getFileName(), cut, base);
            } else if (cut > 0) {
                LOG.warn("{}: truncated {} invalid bytes at the end of segment {}", dir.getFileName(), cut, base);
                if (!last) {
                    for (long later : ordered.subList(i + 1, ordered.size())) {
                        LOG.warn("{}: deleting segment {} after the corrupt one", dir.getFileName(), later);
                        LogSegment.open(dir, later, config, now, false).closeAndDelete();
                    }
                    seg.onBecomeActive();
                    break;
                }
            } else if (!last) {
                seg.onBecomeInactive();
            }
        }
        LogSegment active = segments.lastEntry().getValue();
        active.loadRollingTimestamp();
        long leo = active.readNextOffset();
        long logStartOffset = segments.firstKey();
        txnIndexes.load(segments.keySet());
        txnIndexes.retainIf(t -> hasAbortMarker(segments, t));
        replayProducerState(segments, producers, txnIndexes, logStartOffset, leo);
        LOG.debug(
                "{}: loaded {} segments, log start {}, log end {}",
                dir.getFileName(),
                segments.size(),
                logStartOffset,
                leo);
        return new Loaded(logStartOffset, leo, Math.min(checkpointedRecoveryPoint, leo));
    }

    /**
     * Finishes a cleaner's swap interrupted by a crash: the {@code .swap} segment (complete and
     * fsynced before it got that name) replaces every segment whose base offset lies in the
     * offsets it covers, [its base, its next offset); then it takes its final name.
     */
    private void completeSwap(long base, TreeSet<Long> bases) throws IOException {
        LogSegment swap = LogSegment.openWithSuffix(dir, base, config, time.milliseconds(), LogSegment.SWAP_SUFFIX);
        long next;
        try {
            int cut = swap.recover(0);
            if (cut > 0) {
                LOG.warn("{}: swap segment {} had {} invalid bytes at its end", dir.getFileName(), base, cut);
            }
            next = swap.readNextOffset();
            swap.onBecomeInactive();
        } catch (IOException | RuntimeException e) {
            swap.close();
            throw e;
        }
        for (long old : new ArrayList<>(bases.subSet(base, true, Math.max(base + 1, next), false))) {
            for (Path p : LogSegment.files(dir, old, "")) {
                Files.deleteIfExists(p);
            }
            bases.remove(old);
        }
        swap.changeSuffix(LogSegment.SWAP_SUFFIX, "");
        swap.close();
        StorageFiles.fsyncDir(dir);
        bases.add(base);
        LOG.info("{}: completed the swap of cleaned segment {} (offsets up to {})", dir.getFileName(), base, next);
    }

    /** Whether the log holds, at the entry's last offset, its producer's ABORT marker. */
    private static boolean hasAbortMarker(NavigableMap<Long, LogSegment> segments, AbortedTxn t) {
        Map.Entry<Long, LogSegment> e = segments.floorEntry(t.lastOffset());
        if (e == null) {
            return false;
        }
        try {
            LogSegment seg = e.getValue();
            SegmentReader.BatchPosition bp = seg.reader().translateOffset(t.lastOffset(), seg.size());
            if (bp == null || bp.baseOffset() != t.lastOffset()) {
                return false;
            }
            ByteBuffer batch = ByteBuffer.allocate(bp.size());
            if (!seg.reader().readAt(batch, bp.position())) {
                return false;
            }
            batch.flip();
            EndTransactionMarker marker =
                    RecordBatchHeader.isControl(batch, 0) && RecordBatchHeader.producerId(batch, 0) == t.producerId()
                            ? TxnState.parseMarker(batch, 0)
                            : null;
            return marker != null && marker.type() == ControlRecordType.ABORT;
        } catch (IOException | RuntimeException ex) {
            // Unreadable here: keep the entry; replay and reads meet the same bytes.
            return true;
        }
    }

    private void deleteIndexesWithoutLog(TreeSet<Long> bases) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                String suffix = n.endsWith(LogSegment.TIME_INDEX_SUFFIX)
                        ? LogSegment.TIME_INDEX_SUFFIX
                        : n.endsWith(LogSegment.INDEX_SUFFIX) ? LogSegment.INDEX_SUFFIX : null;
                if (suffix != null) {
                    long base = parseBase(n, suffix);
                    if (base >= 0 && !bases.contains(base)) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    private static long parseBase(String name, String suffix) {
        try {
            return Long.parseLong(name.substring(0, name.length() - suffix.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Newest snapshot at or below leo, then the producer batches after it, replayed from batch
     * headers, so a crash loses no dedup state for batches still in the log. Markers after the
     * snapshot close their transactions again, and the aborts among them are filed anew in the
     * transaction index (whose entries from there on are dropped first, as they may be torn, lost
     * or past a cut tail).
     */
    static void replayProducerState(
            NavigableMap<Long, LogSegment> segments,
            ProducerStateManager producers,
            TransactionIndexes txnIndexes,
            long logStartOffset,
            long leo)
            throws IOException {
        long snapshot = producers.loadLatestSnapshot(leo);
        long from = Math.max(snapshot, logStartOffset);
        txnIndexes.truncateFrom(from);
        Map.Entry<Long, LogSegment> floor = segments.floorEntry(from);
        Long startKey = floor == null ? segments.firstKey() : floor.getKey();
        for (LogSegment seg : segments.tailMap(startKey, true).values()) {
            seg.reader().forEachBatchHeader(from, seg.size(), (h, pos) -> {
                long pid = RecordBatchHeader.producerId(h, 0);
                int baseSeq = RecordBatchHeader.baseSequence(h, 0);
                if (RecordBatchHeader.baseOffset(h, 0) >= from
                        && pid >= 0
                        && RecordBatchHeader.isControl(h, 0)
                        && RecordBatchHeader.isTransactional(h, 0)) {
                    replayMarker(seg, h, pos, producers, txnIndexes);
                } else if (RecordBatchHeader.baseOffset(h, 0) >= from
                        && pid >= 0
                        && baseSeq >= 0
                        && !RecordBatchHeader.isControl(h, 0)) {
                    producers.replay(
                            pid,
                            RecordBatchHeader.producerEpoch(h, 0),
                            baseSeq,
                            ProducerStateManager.lastSequence(baseSeq, RecordBatchHeader.lastOffsetDelta(h, 0)),
                            RecordBatchHeader.baseOffset(h, 0),
                            RecordBatchHeader.lastOffset(h, 0),
                            RecordBatchHeader.maxTimestamp(h, 0),
                            RecordBatchHeader.isTransactional(h, 0));
                }
                return true;
            });
        }
    }

    private static void replayMarker(
            LogSegment seg, ByteBuffer header, int pos, ProducerStateManager producers, TransactionIndexes txnIndexes)
            throws IOException {
        ByteBuffer batch = ByteBuffer.allocate(RecordBatchHeader.totalSize(header, 0));
        if (!seg.reader().readAt(batch, pos)) {
            return;
        }
        batch.flip();
        EndTransactionMarker marker = TxnState.parseMarker(batch, 0);
        if (marker == null) {
            return;
        }
        TxnState.CompletedTxn done = producers.replayMarker(
                RecordBatchHeader.producerId(header, 0),
                RecordBatchHeader.producerEpoch(header, 0),
                marker,
                RecordBatchHeader.baseOffset(header, 0),
                RecordBatchHeader.maxTimestamp(header, 0));
        if (done != null && done.aborted()) {
            txnIndexes.append(
                    seg.baseOffset(),
                    new AbortedTxn(
                            done.producerId(),
                            done.firstOffset(),
                            done.lastOffset(),
                            producers.lastStableOffsetAfter(done)));
        }
    }
}
