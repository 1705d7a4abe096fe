package io.tributary.storage;

import io.tributary.protocol.Errors;
import io.tributary.protocol.record.ControlRecordType;
import io.tributary.protocol.record.EndTransactionMarker;
import io.tributary.protocol.record.RecordBatchHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Idempotent-producer state of one partition: per producer id, its epoch and the metadata of its
 * last five batches, so a retried batch is recognised and answered with its original offsets and
 * a gap in sequence numbers is refused, as Kafka does. Rebuilt at start-up from the newest
 * snapshot ({@code <offset>.snapshot}, written at each roll and at close) plus the batch headers
 * after it, so it survives a crash. Also tracks transactions (see {@link TxnState}): a
 * transactional batch opens one, a COMMIT/ABORT marker closes it, and the first offsets of the open
 * ones (kept in snapshots since version 2) give the last stable offset.
 *
 * <p>Threads: guarded by the owning {@link Log}'s lock.
 */
final class ProducerStateManager {
    static final int NUM_BATCHES_TO_RETAIN = 5;
    static final String SNAPSHOT_SUFFIX = ".snapshot";
    private static final int SNAPSHOT_VERSION_V1 = 1;
    private static final int SNAPSHOT_VERSION = 2;

    /** What one batch of a producer looked like when it was appended. */
    record BatchMetadata(int firstSeq, int lastSeq, long firstOffset, long lastOffset, long timestamp) {}

    /** A producer's epoch and recent batches, oldest first. */
    static final class Entry {
        final long producerId;
        short epoch;
        long lastTimestamp;
        int coordinatorEpoch = -1;
        /** First offset of the open transaction, -1 when none. */
        long currentTxnFirstOffset = -1;

        final ArrayDeque<BatchMetadata> batches = new ArrayDeque<>();

        Entry(long producerId, short epoch) {
            this.producerId = producerId;
            this.epoch = epoch;
        }

        Entry copy() {
            Entry e = new Entry(producerId, epoch);
            e.lastTimestamp = lastTimestamp;
            e.coordinatorEpoch = coordinatorEpoch;
            e.currentTxnFirstOffset = currentTxnFirstOffset;
            e.batches.addAll(batches);
            return e;
        }

        int lastSeq() {
            return batches.isEmpty() ? -1 : batches.peekLast().lastSeq();
        }

        BatchMetadata findDuplicate(short batchEpoch, int firstSeq, int lastSeq) {
            if (batchEpoch != epoch) {
                return null;
            }
            for (BatchMetadata b : batches) {
                if (b.firstSeq() == firstSeq && b.lastSeq() == lastSeq) {
                    return b;
                }
            }
            return null;
        }

        void add(short batchEpoch, BatchMetadata b) {
            if (batchEpoch != epoch) {
                epoch = batchEpoch;
                batches.clear();
            }
            batches.addLast(b);
            while (batches.size() > NUM_BATCHES_TO_RETAIN) {
                batches.removeFirst();
            }
            lastTimestamp = b.timestamp();
        }
    }

    /** Outcome of checking one batch: an error, a duplicate, or fine. */
    record Check(Errors error, BatchMetadata duplicate, String message) {
        static final Check OK = new Check(Errors.NONE, null, null);
    }

    private final Path dir;
    private final Map<Long, Entry> producers = new HashMap<>();
    private final TxnState txns = new TxnState();

    ProducerStateManager(Path dir) {
        this.dir = dir;
    }

    static int lastSequence(int baseSequence, int lastOffsetDelta) {
        long last = (long) baseSequence + lastOffsetDelta;
        return (int) (last > Integer.MAX_VALUE ? last - Integer.MAX_VALUE - 1 : last);
    }

    private static boolean inSequence(int lastSeq, int nextSeq) {
        return nextSeq == lastSeq + 1L || (nextSeq == 0 && lastSeq == Integer.MAX_VALUE);
    }

    /**
     * Checks a batch from a client against the state including earlier batches of the same append
     * ({@code staged}): duplicate first, then epoch, then sequence, in Kafka's order.
     */
    Check check(Map<Long, Entry> staged, long producerId, short epoch, int firstSeq, int lastSeq) {
        Entry current = staged.containsKey(producerId) ? staged.get(producerId) : producers.get(producerId);
        if (current == null) {
            // Unknown producer (new, or its batches were removed by retention): any sequence is accepted.
            return Check.OK;
        }
        BatchMetadata dup = current.findDuplicate(epoch, firstSeq, lastSeq);
        if (dup != null) {
            return new Check(Errors.NONE, dup, null);
        }
        if (epoch < current.epoch) {
            return new Check(
                    Errors.INVALID_PRODUCER_EPOCH,
                    null,
                    "Epoch of producer " + producerId + " is " + epoch + ", which is smaller than the last seen epoch "
                            + current.epoch);
        }
        if (epoch != current.epoch) {
            if (firstSeq != 0 && current.epoch >= 0) {
                return new Check(
                        Errors.OUT_OF_ORDER_SEQUENCE_NUMBER,
                        null,
                        "Invalid sequence number for new epoch of producer " + producerId + ": " + epoch
                                + " (request epoch), " + firstSeq + " (seq. number), " + current.epoch
                                + " (current producer epoch)");
            }
        } else if (current.epoch >= 0 && !inSequence(current.lastSeq(), firstSeq)) {
            return new Check(
                    Errors.OUT_OF_ORDER_SEQUENCE_NUMBER,
                    null,
                    "Out of order sequence number for producer " + producerId + ": " + firstSeq
                            + " (incoming seq. number), " + current.lastSeq() + " (current end sequence number)");
        }
        return Check.OK;
    }

    /** Records an appended batch into staged (a copy-on-write view over the committed state). */
    /**
     * Checks the idempotent batches of one append (at positions in buf; the first will get
     * firstOffset) and stages what they would change; stops at the first duplicate or refusal,
     * so nothing is staged for a request that will not be written.
     */
    Check checkAppend(
            Map<Long, Entry> staged,
            ByteBuffer buf,
            List<Integer> positions,
            long firstOffset,
            List<TxnState.CompletedTxn> completed) {
        long assign = firstOffset;
        for (int pos : positions) {
            long pid = RecordBatchHeader.producerId(buf, pos);
            int baseSeq = RecordBatchHeader.baseSequence(buf, pos);
            int delta = RecordBatchHeader.lastOffsetDelta(buf, pos);
            if (pid >= 0 && RecordBatchHeader.isControl(buf, pos) && RecordBatchHeader.isTransactional(buf, pos)) {
                EndTransactionMarker marker = TxnState.parseMarker(buf, pos);
                if (marker == null) {
                    return new Check(Errors.CORRUPT_MESSAGE, null, "control batch is not a transaction marker");
                }
                Check check = stageMarker(
                        staged,
                        pid,
                        RecordBatchHeader.producerEpoch(buf, pos),
                        marker,
                        assign,
                        RecordBatchHeader.maxTimestamp(buf, pos),
                        completed);
                if (check.error() != Errors.NONE) {
                    return check;
                }
            } else if (pid >= 0 && baseSeq >= 0 && !RecordBatchHeader.isControl(buf, pos)) {
                short epoch = RecordBatchHeader.producerEpoch(buf, pos);
                int lastSeq = lastSequence(baseSeq, delta);
                Check check = check(staged, pid, epoch, baseSeq, lastSeq);
                if (check.duplicate() != null || check.error() != Errors.NONE) {
                    return check;
                }
                boolean transactional = RecordBatchHeader.isTransactional(buf, pos);
                Entry e = stage(
                        staged,
                        pid,
                        epoch,
                        new BatchMetadata(
                                baseSeq, lastSeq, assign, assign + delta, RecordBatchHeader.maxTimestamp(buf, pos)));
                if (e.currentTxnFirstOffset >= 0 && !transactional) {
                    return new Check(
                            Errors.INVALID_TXN_STATE,
                            null,
                            "Expected transactional write from producer " + pid + " at offset " + assign);
                }
                if (transactional && e.currentTxnFirstOffset < 0) {
                    e.currentTxnFirstOffset = assign;
                }
            }
            assign += delta + 1L;
        }
        return Check.OK;
    }

    Entry stage(Map<Long, Entry> staged, long producerId, short epoch, BatchMetadata batch) {
        Entry e = stagedEntry(staged, producerId, epoch);
        e.add(epoch, batch);
        return e;
    }

    private Entry stagedEntry(Map<Long, Entry> staged, long producerId, short epoch) {
        Entry e = staged.get(producerId);
        if (e == null) {
            Entry current = producers.get(producerId);
            e = current == null ? new Entry(producerId, epoch) : current.copy();
            staged.put(producerId, e);
        }
        return e;
    }

    /**
     * A COMMIT/ABORT marker at offset: bypasses sequence checks but not the epochs, as in Kafka
     * (a stale producer epoch is INVALID_PRODUCER_EPOCH, a stale coordinator epoch
     * TRANSACTION_COORDINATOR_FENCED). A marker with no open transaction is accepted and completes
     * nothing. A higher epoch (a bumped epoch in the marker) starts the producer's new epoch.
     */
    private Check stageMarker(
            Map<Long, Entry> staged,
            long pid,
            short epoch,
            EndTransactionMarker marker,
            long offset,
            long timestamp,
            List<TxnState.CompletedTxn> completed) {
        Entry current = staged.containsKey(pid) ? staged.get(pid) : producers.get(pid);
        if (current != null && epoch < current.epoch) {
            return new Check(
                    Errors.INVALID_PRODUCER_EPOCH,
                    null,
                    "Epoch of producer " + pid + " at offset " + offset + " is " + epoch
                            + ", which is smaller than the last seen epoch " + current.epoch);
        }
        if (current != null && current.coordinatorEpoch > marker.coordinatorEpoch()) {
            return new Check(
                    Errors.TRANSACTION_COORDINATOR_FENCED,
                    null,
                    "Invalid coordinator epoch for producer " + pid + ": " + marker.coordinatorEpoch() + " (zombie), "
                            + current.coordinatorEpoch + " (current)");
        }
        Entry e = stagedEntry(staged, pid, epoch);
        applyMarker(e, epoch, marker, offset, timestamp, completed);
        return Check.OK;
    }

    private static void applyMarker(
            Entry e,
            short epoch,
            EndTransactionMarker marker,
            long offset,
            long timestamp,
            List<TxnState.CompletedTxn> completed) {
        if (e.currentTxnFirstOffset >= 0 && completed != null) {
            completed.add(new TxnState.CompletedTxn(
                    e.producerId, e.currentTxnFirstOffset, offset, marker.type() == ControlRecordType.ABORT));
        }
        if (epoch != e.epoch) {
            e.epoch = epoch;
            e.batches.clear();
        }
        e.coordinatorEpoch = marker.coordinatorEpoch();
        e.currentTxnFirstOffset = -1;
        e.lastTimestamp = timestamp;
    }

    void commit(Map<Long, Entry> staged) {
        for (Entry e : staged.values()) {
            Entry old = producers.put(e.producerId, e);
            txns.update(old, e);
        }
    }

    /** The first offset of the oldest open transaction, -1 when none; readable without the lock. */
    long firstUnstableOffset() {
        return txns.firstUnstableOffset();
    }

    /**
     * What Kafka records as an aborted transaction's last stable offset: the first offset of the
     * oldest other open transaction, else the offset after the marker (call after commit).
     */
    long lastStableOffsetAfter(TxnState.CompletedTxn done) {
        long first = txns.firstUnstableOffset();
        return first >= 0 ? Math.min(first, done.lastOffset() + 1) : done.lastOffset() + 1;
    }

    /** Replays one batch header found in the log (recovery). */
    void replay(
            long producerId,
            short epoch,
            int firstSeq,
            int lastSeq,
            long firstOffset,
            long lastOffset,
            long timestamp,
            boolean transactional) {
        Entry e = producers.computeIfAbsent(producerId, id -> new Entry(id, epoch));
        long before = e.currentTxnFirstOffset;
        e.add(epoch, new BatchMetadata(firstSeq, lastSeq, firstOffset, lastOffset, timestamp));
        if (transactional && e.currentTxnFirstOffset < 0) {
            e.currentTxnFirstOffset = firstOffset;
        }
        txns.replace(e.producerId, before, e.currentTxnFirstOffset);
    }

    /** Replays a marker found in the log (recovery); returns the transaction it ended, or null. */
    TxnState.CompletedTxn replayMarker(
            long producerId, short epoch, EndTransactionMarker marker, long offset, long timestamp) {
        Entry e = producers.computeIfAbsent(producerId, id -> new Entry(id, epoch));
        long before = e.currentTxnFirstOffset;
        List<TxnState.CompletedTxn> done = new ArrayList<>(1);
        applyMarker(e, epoch, marker, offset, timestamp, done);
        txns.replace(e.producerId, before, -1);
        return done.isEmpty() ? null : done.get(0);
    }

    /** Every producer's state, for DescribeProducers. */
    List<Entry> entries() {
        List<Entry> out = new ArrayList<>(producers.size());
        for (Entry e : producers.values()) {
            out.add(e.copy());
        }
        return out;
    }

    Entry entry(long producerId) {
        return producers.get(producerId);
    }

    /** Per producer, the last offset of its newest batch (what the cleaner must keep a batch for). */
    Map<Long, Long> lastBatchOffsets() {
        Map<Long, Long> out = new java.util.HashMap<>();
        for (Entry e : producers.values()) {
            BatchMetadata last = e.batches.peekLast();
            if (last != null) {
                out.put(e.producerId, last.lastOffset());
            }
        }
        return out;
    }

    int producerCount() {
        return producers.size();
    }

    /** Forgets producers idle for at least expirationMs (by their last batch timestamp). */
    void removeExpired(long nowMs, long expirationMs) {
        // A producer with an open transaction is kept, as in Kafka: its first offset holds the LSO.
        producers.values().removeIf(e -> e.currentTxnFirstOffset < 0 && nowMs - e.lastTimestamp >= expirationMs);
    }

    void clear() {
        producers.clear();
        txns.clear();
    }

    // ---- snapshots ----

    static Path snapshotFile(Path dir, long offset) {
        return dir.resolve(LogSegment.fileName(offset, SNAPSHOT_SUFFIX));
    }

    /** Writes the state as of offset (all batches below it applied), atomically by rename. */
    void takeSnapshot(long offset) throws IOException {
        int bytes = 12;
        for (Entry e : producers.values()) {
            bytes += 8 + 2 + 8 + 4 + 8 + 4 + e.batches.size() * 32;
        }
        ByteBuffer b = ByteBuffer.allocate(bytes);
        b.putInt(SNAPSHOT_VERSION).putInt(0).putInt(producers.size());
        for (Entry e : producers.values()) {
            b.putLong(e.producerId).putShort(e.epoch).putLong(e.lastTimestamp);
            b.putLong(e.currentTxnFirstOffset).putInt(e.coordinatorEpoch).putInt(e.batches.size());
            for (BatchMetadata m : e.batches) {
                b.putInt(m.firstSeq())
                        .putInt(m.lastSeq())
                        .putLong(m.firstOffset())
                        .putLong(m.lastOffset())
                        .putLong(m.timestamp());
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 8, bytes - 8);
        b.putInt(4, (int) crc.getValue());
        b.flip();
        Path target = snapshotFile(dir, offset);
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Snapshot files by offset. */
    TreeMap<Long, Path> listSnapshots() throws IOException {
        TreeMap<Long, Path> out = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SNAPSHOT_SUFFIX)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                try {
                    out.put(Long.parseLong(n.substring(0, n.length() - SNAPSHOT_SUFFIX.length())), p);
                } catch (NumberFormatException ignored) {
                    // not ours
                }
            }
        }
        return out;
    }

    /**
     * Loads the newest readable snapshot at or below maxOffset, deleting those above it and any
     * that fail their checksum. Returns the snapshot's offset, or -1 with empty state.
     */
    long loadLatestSnapshot(long maxOffset) throws IOException {
        clear();
        TreeMap<Long, Path> snaps = listSnapshots();
        for (Path p : snaps.tailMap(maxOffset, false).values()) {
            Files.deleteIfExists(p);
        }
        for (Map.Entry<Long, Path> s :
                snaps.headMap(maxOffset, true).descendingMap().entrySet()) {
            if (readSnapshot(s.getValue())) {
                return s.getKey();
            }
            Files.deleteIfExists(s.getValue());
            clear();
        }
        return -1;
    }

    private boolean readSnapshot(Path p) {
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p));
            int version = b.remaining() < 12 ? -1 : b.getInt(0);
            if (version != SNAPSHOT_VERSION && version != SNAPSHOT_VERSION_V1) {
                return false;
            }
            CRC32C crc = new CRC32C();
            crc.update(b.array(), 8, b.remaining() - 8);
            if ((int) crc.getValue() != b.getInt(4)) {
                return false;
            }
            b.position(8);
            int n = b.getInt();
            List<Entry> loaded = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Entry e = new Entry(b.getLong(), b.getShort());
                e.lastTimestamp = b.getLong();
                if (version >= SNAPSHOT_VERSION) {
                    e.currentTxnFirstOffset = b.getLong();
                    e.coordinatorEpoch = b.getInt();
                }
                int batches = b.getInt();
                for (int j = 0; j < batches; j++) {
                    e.batches.addLast(new BatchMetadata(b.getInt(), b.getInt(), b.getLong(), b.getLong(), b.getLong()));
                }
                loaded.add(e);
            }
            for (Entry e : loaded) {
                producers.put(e.producerId, e);
                txns.update(null, e);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Deletes snapshots below offset (their segments are gone), keeping at least the newest. */
    void deleteSnapshotsBefore(long offset) throws IOException {
        TreeMap<Long, Path> snaps = listSnapshots();
        Iterator<Map.Entry<Long, Path>> it =
                snaps.headMap(offset, false).entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Path> s = it.next();
            if (!s.getKey().equals(snaps.lastKey())) {
                Files.deleteIfExists(s.getValue());
            }
        }
    }

    void deleteSnapshotsAbove(long offset) throws IOException {
        for (Path p : listSnapshots().tailMap(offset, false).values()) {
            Files.deleteIfExists(p);
        }
    }
}
