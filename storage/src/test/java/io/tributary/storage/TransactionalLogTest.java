package io.tributary.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.protocol.Errors;
import io.tributary.protocol.record.ControlBatches;
import io.tributary.protocol.record.MemoryRecords;
import io.tributary.protocol.record.RecordBatchHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11 (storage): open transactions, LSO, the aborted-transaction index, read_committed reads. */
class TransactionalLogTest {
    @TempDir
    Path tmp;

    private final ManualTime time = new ManualTime();
    private final List<Log> opened = new ArrayList<>();
    private static final long A = 1000L;
    private static final long B = 2000L;

    private Log open(Path dir, Map<String, String> overrides, long recoveryPoint) throws IOException {
        Log l = Log.open(
                dir,
                LogConfig.create(Map.of(), overrides),
                time,
                Runnable::run,
                recoveryPoint,
                Log.DEFAULT_PRODUCER_ID_EXPIRATION_MS);
        opened.add(l);
        return l;
    }

    @AfterEach
    void closeAll() throws IOException {
        for (Log l : opened) {
            l.close();
        }
    }

    private MemoryRecords txn(long pid, short epoch, int seq, int count) {
        String[] values = new String[count];
        for (int i = 0; i < count; i++) {
            values[i] = pid + "-" + (seq + i);
        }
        ByteBuffer b = TestBatches.batch(pid, epoch, seq, time.milliseconds(), values);
        b.putShort(RecordBatchHeader.ATTRIBUTES, (short)
                (RecordBatchHeader.attributes(b, 0) | RecordBatchHeader.TRANSACTIONAL_MASK));
        TestBatches.fixCrc(b, 0);
        return TestBatches.records(b);
    }

    private static MemoryRecords marker(long pid, short epoch, int coordinatorEpoch, boolean commit) {
        return ControlBatches.marker(pid, epoch, coordinatorEpoch, commit, 1234L);
    }

    private static void ok(AppendResult r) {
        assertThat(r.error()).as(String.valueOf(r.errorMessage())).isEqualTo(Errors.NONE);
    }

    @Test
    void openTransactionHoldsTheLsoUntilItsMarker() throws IOException {
        Log log = open(tmp.resolve("p-0"), Map.of(), 0);
        ok(log.append(TestBatches.plain(time.milliseconds(), 2, 3))); // 0..1
        assertThat(log.lastStableOffset()).isEqualTo(2);
        ok(log.append(txn(A, (short) 0, 0, 2))); // 2..3
        ok(log.append(TestBatches.plain(time.milliseconds(), 1, 3))); // 4
        ok(log.append(txn(B, (short) 0, 0, 1))); // 5
        assertThat(log.lastStableOffset()).isEqualTo(2);
        assertThat(log.producerState(A).orElseThrow().currentTxnStartOffset()).isEqualTo(2);
        ok(log.append(marker(A, (short) 0, 3, true))); // 6
        assertThat(log.lastStableOffset()).isEqualTo(5);
        assertThat(log.producerState(A).orElseThrow().currentTxnStartOffset()).isEqualTo(-1);
        assertThat(log.producerState(A).orElseThrow().coordinatorEpoch()).isEqualTo(3);
        ok(log.append(marker(B, (short) 0, 3, false))); // 7
        assertThat(log.lastStableOffset()).isEqualTo(8).isEqualTo(log.logEndOffset());
        assertThat(log.abortedTransactions(0, 100)).containsExactly(new AbortedTxn(B, 5, 7, 8));
        assertThat(log.abortedTransactions(0, 100)).hasSize(1); // the commit is not indexed
    }

    @Test
    void readCommittedStopsAtTheLsoAndCarriesTheAborts() throws IOException {
        Log log = open(tmp.resolve("p-0"), Map.of(), 0);
        ok(log.append(txn(B, (short) 0, 0, 2))); // 0..1
        ok(log.append(marker(B, (short) 0, 0, false))); // 2
        ok(log.append(TestBatches.plain(time.milliseconds(), 1, 3))); // 3
        ok(log.append(txn(A, (short) 0, 0, 2))); // 4..5 open
        ok(log.append(TestBatches.plain(time.milliseconds(), 1, 3))); // 6

        LogReadResult committed = log.read(0, 1 << 20, true, true);
        assertThat(committed.lastStableOffset()).isEqualTo(4);
        assertThat(lastOffsets(committed)).containsExactly(1L, 2L, 3L);
        assertThat(committed.abortedTransactions()).containsExactly(new AbortedTxn(B, 0, 2, 3));

        LogReadResult uncommitted = log.read(0, 1 << 20, true, false);
        assertThat(uncommitted.lastStableOffset()).isEqualTo(4);
        assertThat(uncommitted.abortedTransactions()).isNull();
        assertThat(lastOffsets(uncommitted)).containsExactly(1L, 2L, 3L, 5L, 6L);

        // Parked at the LSO: nothing yet, no aborts; past the abort's marker: none either.
        assertThat(log.read(4, 1 << 20, true, true).records().sizeInBytes()).isZero();
        assertThat(log.read(3, 1 << 20, true, true).abortedTransactions()).isEmpty();
        assertThat(log.fetchOffsetByTimestamp(Log.LATEST_TIMESTAMP, true)
                        .orElseThrow()
                        .offset())
                .isEqualTo(4);
        assertThat(log.fetchOffsetByTimestamp(Log.LATEST_TIMESTAMP, false)
                        .orElseThrow()
                        .offset())
                .isEqualTo(7);

        ok(log.append(marker(A, (short) 0, 0, true))); // 7
        LogReadResult after = log.read(4, 1 << 20, true, true);
        assertThat(after.lastStableOffset()).isEqualTo(8);
        assertThat(lastOffsets(after)).containsExactly(5L, 6L, 7L);
    }

    @Test
    void lsoBoundWorksAcrossSegments() throws IOException {
        Log log = open(tmp.resolve("p-0"), Map.of(), 0);
        ok(log.append(TestBatches.plain(time.milliseconds(), 1, 3))); // 0
        log.roll(true);
        ok(log.append(txn(A, (short) 0, 0, 1))); // 1, the new segment's first batch
        log.roll(true);
        ok(log.append(TestBatches.plain(time.milliseconds(), 1, 3))); // 2
        assertThat(lastOffsets(log.read(0, 1 << 20, true, true))).containsExactly(0L);
        assertThat(log.read(1, 1 << 20, true, true).records().sizeInBytes()).isZero();
        assertThat(lastOffsets(log.read(2, 1 << 20, true, false))).containsExactly(2L);
    }

    @Test
    void listenerHearsTheFirstUnstableOffsetMove() throws IOException {
        Log log = open(tmp.resolve("p-0"), Map.of(), 0);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        log.setStableOffsetListenerIfAbsent(calls::incrementAndGet);
        ok(log.append(TestBatches.plain(time.milliseconds(), 1, 3)));
        assertThat(calls.get()).isZero();
        ok(log.append(txn(A, (short) 0, 0, 1))); // opens: the first unstable offset appears
        ok(log.append(txn(A, (short) 0, 1, 1))); // same transaction: no move
        assertThat(calls.get()).isEqualTo(1);
        ok(log.append(marker(A, (short) 0, 0, true)));
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void staleEpochsAndCoordinatorEpochsAreRefused() throws IOException {
        Log log = open(tmp.resolve("p-0"), Map.of(), 0);
        ok(log.append(txn(A, (short) 5, 0, 1)));
        assertThat(log.append(txn(A, (short) 4, 1, 1)).error()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(log.append(marker(A, (short) 4, 1, false)).error()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        ok(log.append(marker(A, (short) 5, 7, false)));
        assertThat(log.append(marker(A, (short) 5, 6, true)).error()).isEqualTo(Errors.TRANSACTION_COORDINATOR_FENCED);
        // A marker with a bumped epoch opens that epoch: data must start again at sequence 0.
        ok(log.append(marker(A, (short) 6, 7, true)));
        ok(log.append(txn(A, (short) 6, 0, 1)));
        assertThat(log.lastStableOffset()).isEqualTo(3);
    }

    @Test
    void markerWithoutOpenTransactionIsAcceptedAndIndexesNothing() throws IOException {
        Log log = open(tmp.resolve("p-0"), Map.of(), 0);
        ok(log.append(marker(A, (short) 0, 0, false)));
        ok(log.append(marker(B, (short) 2, 0, true)));
        assertThat(log.lastStableOffset()).isEqualTo(2);
        assertThat(log.abortedTransactions(0, 100)).isEmpty();
        assertThat(log.producerState(B).orElseThrow().epoch()).isEqualTo((short) 2);
    }

    @Test
    void nonTransactionalWriteInsideATransactionIsRefused() throws IOException {
        Log log = open(tmp.resolve("p-0"), Map.of(), 0);
        ok(log.append(txn(A, (short) 0, 0, 1)));
        MemoryRecords idempotent = TestBatches.records(TestBatches.batch(A, (short) 0, 1, 0L, "x"));
        assertThat(log.append(idempotent).error()).isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(log.logEndOffset()).isEqualTo(1);
    }

    @Test
    void openTransactionSurvivesCleanRestartThroughTheSnapshot() throws IOException {
        Path dir = tmp.resolve("p-0");
        Log log = open(dir, Map.of(), 0);
        ok(log.append(TestBatches.plain(time.milliseconds(), 1, 3)));
        ok(log.append(txn(A, (short) 0, 0, 2))); // 1..2
        log.close();
        opened.remove(log);
        Log reopened = open(dir, Map.of(), Long.MAX_VALUE);
        assertThat(reopened.lastStableOffset()).isEqualTo(1);
        ok(reopened.append(marker(A, (short) 0, 0, false)));
        assertThat(reopened.abortedTransactions(0, 100)).containsExactly(new AbortedTxn(A, 1, 3, 4));
    }

    @Test
    void crashRebuildsLsoAndTxnIndexFromTheLog() throws IOException {
        Path a = tmp.resolve("p-0");
        Map<String, String> small = Map.of("segment.bytes", "400", "segment.index.bytes", "4096");
        Log log = open(a, small, 0);
        for (int i = 0; i < 6; i++) {
            ok(log.append(txn(B, (short) 0, 2 * i, 2)));
            ok(log.append(marker(B, (short) 0, 0, i % 2 == 0)));
        }
        ok(log.append(txn(A, (short) 0, 0, 1)));
        long open = log.logEndOffset() - 1;
        List<AbortedTxn> expected = log.abortedTransactions(0, Long.MAX_VALUE);
        assertThat(expected).hasSize(3);
        assertThat(log.numberOfSegments()).isGreaterThan(2);

        // Crash image 1: every snapshot and txn index lost; the loader rebuilds both from the log.
        Path b = copy(a, "q-0");
        deleteMatching(b, ".snapshot", ".txnindex");
        Log crashed = open(b, small, 0);
        assertThat(crashed.lastStableOffset()).isEqualTo(open);
        assertThat(crashed.abortedTransactions(0, Long.MAX_VALUE)).isEqualTo(expected);
        assertThat(committedValues(crashed)).isEqualTo(committedValues(log)).containsExactly(0L, 6L, 12L);
        assertThat(committedValues(crashed)).isEqualTo(committedValues(log)).hasSize(3);

        // Crash image 2: torn and zero-filled tails on every txn index.
        Path c = copy(a, "r-0");
        try (Stream<Path> s = Files.list(c)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".txnindex")).toList()) {
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                    ch.write(ByteBuffer.allocate(34 + 17));
                }
            }
        }
        Log torn = open(c, small, 0);
        assertThat(torn.abortedTransactions(0, Long.MAX_VALUE)).isEqualTo(expected);
        ok(torn.append(marker(A, (short) 0, 0, false)));
        assertThat(torn.abortedTransactions(0, Long.MAX_VALUE)).hasSize(4);
    }

    @Test
    void truncationAndRetentionTakeTheIndexAlong() throws IOException {
        Path dir = tmp.resolve("p-0");
        Log log = open(dir, Map.of(), 0);
        ok(log.append(txn(A, (short) 0, 0, 1))); // 0
        ok(log.append(marker(A, (short) 0, 0, false))); // 1
        log.roll(true);
        ok(log.append(txn(A, (short) 0, 1, 1))); // 2
        ok(log.append(marker(A, (short) 0, 0, false))); // 3
        assertThat(log.abortedTransactions(0, 10)).hasSize(2);
        log.truncateTo(3);
        assertThat(log.abortedTransactions(0, 10)).containsExactly(new AbortedTxn(A, 0, 1, 2));
        assertThat(log.lastStableOffset()).isEqualTo(2); // the transaction at 2 is open again
        assertThat(Files.exists(dir.resolve(LogSegment.fileName(2, TransactionIndexes.SUFFIX))))
                .isFalse();
        ok(log.append(marker(A, (short) 0, 0, true))); // 3
        assertThat(log.lastStableOffset()).isEqualTo(4);
        log.truncateFullyAndStartAt(10);
        assertThat(log.abortedTransactions(0, 100)).isEmpty();
        assertThat(Files.exists(dir.resolve(LogSegment.fileName(0, TransactionIndexes.SUFFIX))))
                .isFalse();
    }

    @Test
    void versionOneSnapshotIsStillRead() throws IOException {
        Path dir = tmp.resolve("p-0");
        Files.createDirectories(dir);
        // version 1: version, crc, count, then per producer id, epoch, lastTimestamp, batches (none)
        ByteBuffer b = ByteBuffer.allocate(12 + 22);
        b.putInt(1).putInt(0).putInt(1);
        b.putLong(A).putShort((short) 9).putLong(77L).putInt(0);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 8, b.capacity() - 8);
        b.putInt(4, (int) crc.getValue());
        Files.write(dir.resolve(LogSegment.fileName(0, ".snapshot")), b.array());
        Log log = open(dir, Map.of(), Long.MAX_VALUE);
        Log.ProducerState st = log.producerState(A).orElseThrow();
        assertThat(st.epoch()).isEqualTo((short) 9);
        assertThat(st.lastTimestamp()).isEqualTo(77L);
        assertThat(st.currentTxnStartOffset()).isEqualTo(-1);
        assertThat(log.append(txn(A, (short) 8, 0, 1)).error()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
    }

    private static List<Long> lastOffsets(LogReadResult r) throws IOException {
        ByteBuffer buf = readAll(r);
        List<Long> out = new ArrayList<>();
        for (int pos = 0; pos < buf.limit(); pos += RecordBatchHeader.totalSize(buf, pos)) {
            out.add(RecordBatchHeader.lastOffset(buf, pos));
        }
        return out;
    }

    private static ByteBuffer readAll(LogReadResult r) throws IOException {
        FileRecordsSlice s = r.records();
        ByteBuffer buf = ByteBuffer.allocate(s.sizeInBytes());
        if (s.sizeInBytes() > 0) {
            s.channel().read(buf, s.position());
        }
        return buf.flip();
    }

    /** Offsets of the data batches a read_committed reader keeps, skipping aborted ones. */
    private static List<Long> committedValues(Log log) throws IOException {
        List<Long> out = new ArrayList<>();
        long next = 0;
        while (next < log.lastStableOffset()) {
            LogReadResult r = log.read(next, 1 << 20, true, true);
            ByteBuffer buf = readAll(r);
            for (int pos = 0; pos < buf.limit(); pos += RecordBatchHeader.totalSize(buf, pos)) {
                long base = RecordBatchHeader.baseOffset(buf, pos);
                boolean aborted = r.abortedTransactions().stream()
                        .anyMatch(t -> t.firstOffset() <= base && base < t.lastOffset());
                if (!RecordBatchHeader.isControl(buf, pos) && !aborted) {
                    out.add(base);
                }
                next = RecordBatchHeader.lastOffset(buf, pos) + 1;
            }
        }
        return out;
    }

    private Path copy(Path from, String name) throws IOException {
        Path to = tmp.resolve(name);
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
        return to;
    }

    private static void deleteMatching(Path dir, String... suffixes) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                for (String suffix : suffixes) {
                    if (p.toString().endsWith(suffix)) {
                        Files.delete(p);
                    }
                }
            }
        }
    }
}
