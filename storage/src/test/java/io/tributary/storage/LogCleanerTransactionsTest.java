package io.tributary.storage;

import static io.tributary.storage.CleanerFixture.append;
import static io.tributary.storage.CleanerFixture.batch;
import static io.tributary.storage.CleanerFixture.compactConfig;
import static io.tributary.storage.CleanerFixture.transactional;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.protocol.Errors;
import io.tributary.protocol.record.ControlBatches;
import io.tributary.protocol.record.ControlRecordType;
import io.tributary.protocol.record.EndTransactionMarker;
import io.tributary.protocol.record.Record;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchHeader;
import io.tributary.storage.CleanerFixture.Rec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 3: what the cleaner does with transactions, as Kafka's: aborted data goes, open
 * transactions (at or past the last stable offset) are untouched, committed values compete with
 * the rest, and COMMIT/ABORT markers stay while their data does, then go a delete.retention.ms
 * after the pass that first found them alone (KIP-534's delete horizon).
 */
class LogCleanerTransactionsTest {
    private static final long A = 1000L;
    private static final long B = 2000L;
    private static final long RETENTION_MS = 1000L;

    @TempDir
    Path dataDir;

    private final ManualTime time = new ManualTime(1_000_000L);
    private final Map<TopicPartitionKey, Log> logs = new LinkedHashMap<>();
    private final Map<Long, Integer> sequences = new LinkedHashMap<>();
    private LogCleaner cleaner;

    private Log open(String topic) throws IOException {
        Log log = Log.open(
                dataDir.resolve(topic + "-0"),
                compactConfig(Map.of(
                        "min.cleanable.dirty.ratio", "0.01", "delete.retention.ms", String.valueOf(RETENTION_MS))),
                time);
        logs.put(new TopicPartitionKey(topic, 0), log);
        return log;
    }

    private LogCleaner cleaner() {
        cleaner = new LogCleaner(dataDir, CleanerFixture.settings(1 << 20, Double.MAX_VALUE), time, () -> logs);
        return cleaner;
    }

    @AfterEach
    void closeAll() throws IOException {
        if (cleaner != null) {
            cleaner.close();
        }
        for (Log l : logs.values()) {
            l.close();
        }
    }

    private void txn(Log log, long pid, String... kv) {
        int seq = sequences.getOrDefault(pid, 0);
        append(log, transactional(pid, (short) 0, seq, time.milliseconds(), kv));
        sequences.put(pid, seq + kv.length / 2);
    }

    private static void end(Log log, long pid, boolean commit) {
        assertThat(log.append(ControlBatches.marker(pid, (short) 0, 0, commit, 1L))
                        .error())
                .isEqualTo(Errors.NONE);
    }

    @Test
    void abortedRecordsGoAndCommittedValuesCompeteWithPlainOnes() throws IOException {
        Log log = open("aborted");
        append(log, batch(time.milliseconds(), "k1", "v0", "k2", "v0")); // 0-1
        txn(log, A, "k1", "a1", "k2", "a1"); // 2-3
        end(log, A, true); // 4
        txn(log, B, "k1", "b-aborted", "k3", "b-aborted"); // 5-6
        end(log, B, false); // 7
        append(log, batch(time.milliseconds(), "k2", "v2")); // 8
        txn(log, B, "k4", "b4"); // 9: B's later data, so its aborted batch is not its last
        end(log, B, true); // 10
        log.roll(true);
        Map<String, String> expected = Map.of("k1", "a1", "k2", "v2", "k4", "b4");
        assertThat(latestCommitted(log)).isEqualTo(expected);

        assertThat(cleaner().cleanFilthiestLog()).isTrue();

        List<Rec> data = dataRecords(log);
        assertThat(data).extracting(Rec::value).doesNotContain("b-aborted", "v0");
        assertThat(data).containsExactly(new Rec(2, "k1", "a1"), new Rec(8, "k2", "v2"), new Rec(9, "k4", "b4"));
        // Read_uncommitted readers now see only committed latest values too, as on Apache Kafka.
        assertThat(latest(data)).isEqualTo(expected);
        assertThat(latestCommitted(log)).isEqualTo(expected);
        // All markers stay this pass: each had data of its transaction before it.
        assertThat(markerOffsets(log)).containsExactly(4L, 7L, 10L);
        assertThat(log.lastStableOffset()).isEqualTo(log.logEndOffset());
        assertThat(log.producerState(B).orElseThrow().lastSequence()).isEqualTo(2);
    }

    @Test
    void anOpenTransactionIsNeverCleanedAndBoundsTheRange() throws IOException {
        Log log = open("open");
        append(log, batch(time.milliseconds(), "k1", "v0", "k2", "v0")); // 0-1
        append(log, batch(time.milliseconds(), "k1", "v1")); // 2
        txn(log, A, "k1", "open1", "k2", "open1"); // 3-4, left open
        append(log, batch(time.milliseconds(), "k1", "v5")); // 5
        log.roll(true);
        append(log, batch(time.milliseconds(), "k1", "v6")); // 6
        log.roll(true);
        assertThat(log.lastStableOffset()).isEqualTo(3);

        assertThat(cleaner().cleanFilthiestLog()).isTrue();
        // Only [0, 3) was cleaned: k1=v0 is shadowed by v1; everything from the LSO on stays.
        assertThat(dataRecords(log))
                .containsExactly(
                        new Rec(1, "k2", "v0"),
                        new Rec(2, "k1", "v1"),
                        new Rec(3, "k1", "open1"),
                        new Rec(4, "k2", "open1"),
                        new Rec(5, "k1", "v5"),
                        new Rec(6, "k1", "v6"));
        assertThat(cleaner.checkpointedOffset(new TopicPartitionKey("open", 0))).isEqualTo(3);
        assertThat(log.lastStableOffset()).isEqualTo(3);
        assertThat(cleaner.cleanFilthiestLog()).isFalse();

        end(log, A, true); // 7: now committed
        log.roll(true);
        assertThat(cleaner.cleanFilthiestLog()).isTrue();
        assertThat(dataRecords(log)).containsExactly(new Rec(4, "k2", "open1"), new Rec(6, "k1", "v6"));
        assertThat(markerOffsets(log)).containsExactly(7L);
    }

    @Test
    void markersStayWhileTheirDataDoesThenGoAfterDeleteRetention() throws IOException {
        Log log = open("markers");
        txn(log, A, "k1", "a1"); // 0
        end(log, A, true); // 1
        txn(log, B, "k2", "b-aborted"); // 2
        end(log, B, false); // 3
        append(log, batch(time.milliseconds(), "k1", "v4")); // 4: shadows a1
        txn(log, A, "k9", "a5"); // 5
        end(log, A, true); // 6
        txn(log, B, "k8", "b7"); // 7
        end(log, B, true); // 8
        log.roll(true);
        LogCleaner c = cleaner();
        TopicPartitionKey key = new TopicPartitionKey("markers", 0);

        // Pass 1: a1 and the aborted data go; every marker had data before it, so all stay.
        assertThat(c.cleanFilthiestLog()).isTrue();
        assertThat(markerOffsets(log)).containsExactly(1L, 3L, 6L, 8L);
        assertThat(log.abortedTransactions(0, Long.MAX_VALUE))
                .extracting(AbortedTxn::lastOffset)
                .containsExactly(3L);
        assertThat(horizonStamped(log)).isEmpty();

        // Pass 2 (new dirty data): markers 1 and 3 are alone now and get a delete horizon.
        append(log, batch(time.milliseconds(), "k7", "x"));
        log.roll(true);
        assertThat(c.cleanFilthiestLog()).isTrue();
        assertThat(markerOffsets(log)).containsExactly(1L, 3L, 6L, 8L);
        assertThat(horizonStamped(log)).containsExactly(1L, 3L);
        // Nothing dirty and the horizon not reached: no pass.
        time.advanceMs(RETENTION_MS - 1);
        assertThat(c.cleanFilthiestLog()).isFalse();

        Path idx =
                log.dir().resolve(LogSegment.fileName(log.segmentBaseOffsets().get(0), TransactionIndexes.SUFFIX));
        Path before = dataDir.resolve("txnindex-before");
        Files.copy(idx, before);

        // Past the horizon: a pass runs without new dirty data and removes both markers and
        // the aborted transaction's index entry; markers whose data remains stay.
        time.advanceMs(1);
        assertThat(c.cleanFilthiestLog()).isTrue();
        assertThat(markerOffsets(log)).containsExactly(6L, 8L);
        assertThat(log.abortedTransactions(0, Long.MAX_VALUE)).isEmpty();
        assertThat(dataRecords(log))
                .containsExactly(
                        new Rec(4, "k1", "v4"), new Rec(5, "k9", "a5"), new Rec(7, "k8", "b7"), new Rec(9, "k7", "x"));
        assertThat(latestCommitted(log)).isEqualTo(Map.of("k1", "v4", "k9", "a5", "k8", "b7", "k7", "x"));
        assertThat(c.cleanFilthiestLog()).isFalse();
        assertThat(c.checkpointedOffset(key)).isEqualTo(10);

        // A crash between the swap and the index update leaves the old index file: the loader
        // drops the entry whose marker is gone, so read_committed does not skip B's later data.
        Path dir = log.dir();
        log.close();
        Files.copy(before, idx, StandardCopyOption.REPLACE_EXISTING);
        Log reopened = Log.open(dir, log.config(), time);
        logs.put(key, reopened);
        assertThat(reopened.abortedTransactions(0, Long.MAX_VALUE)).isEmpty();
        assertThat(latestCommitted(reopened)).isEqualTo(Map.of("k1", "v4", "k9", "a5", "k8", "b7", "k7", "x"));
        assertThat(reopened.lastStableOffset()).isEqualTo(reopened.logEndOffset());
    }

    @Test
    void anAbortedBatchThatIsItsProducersLastStaysEmptyWithItsMarkerAndIndexEntry() throws IOException {
        Log log = open("last");
        append(log, batch(time.milliseconds(), "k1", "v0")); // 0
        txn(log, B, "k1", "b-aborted", "k2", "b-aborted"); // 1-2: B's newest data batch
        end(log, B, false); // 3
        append(log, batch(time.milliseconds(), "k3", "v4")); // 4
        log.roll(true);
        LogCleaner c = cleaner();
        assertThat(c.cleanFilthiestLog()).isTrue();
        for (int pass = 0; pass < 3; pass++) {
            append(log, batch(time.milliseconds(), "k9", "x" + pass));
            log.roll(true);
            time.advanceMs(RETENTION_MS + 1);
            assertThat(c.cleanFilthiestLog()).isTrue();
        }
        // B's batch stays as an empty header (its sequence state), so its marker and the txn
        // index entry stay too: a read_committed reader still meets a consistent log.
        List<ByteBuffer> bBatches = CleanerFixture.batches(log).stream()
                .filter(b -> RecordBatchHeader.producerId(b, 0) == B)
                .toList();
        assertThat(bBatches).hasSize(2);
        assertThat(RecordBatchHeader.recordsCount(bBatches.get(0), 0)).isZero();
        assertThat(markerOffsets(log)).containsExactly(3L);
        assertThat(log.abortedTransactions(0, Long.MAX_VALUE))
                .extracting(AbortedTxn::lastOffset)
                .containsExactly(3L);
        assertThat(dataRecords(log)).extracting(Rec::value).doesNotContain("b-aborted");
        assertThat(latestCommitted(log)).isEqualTo(Map.of("k1", "v0", "k3", "v4", "k9", "x2"));
        assertThat(log.producerState(B).orElseThrow().lastSequence()).isEqualTo(1);
    }

    // ------------------------------------------------------------------------------------------

    /** Data records (control batches left out), in offset order. */
    private static List<Rec> dataRecords(Log log) {
        List<Rec> out = new ArrayList<>();
        for (ByteBuffer b : CleanerFixture.batches(log)) {
            if (!RecordBatchHeader.isControl(b, 0)) {
                for (Record r : RecordBatch.at(b, 0)) {
                    out.add(new Rec(r.offset(), str(r.key()), str(r.value())));
                }
            }
        }
        return out;
    }

    private static List<Long> markerOffsets(Log log) {
        return CleanerFixture.batches(log).stream()
                .filter(b -> RecordBatchHeader.isControl(b, 0) && RecordBatchHeader.recordsCount(b, 0) > 0)
                .map(b -> RecordBatchHeader.baseOffset(b, 0))
                .toList();
    }

    private static List<Long> horizonStamped(Log log) {
        return CleanerFixture.batches(log).stream()
                .filter(b -> (RecordBatchHeader.attributes(b, 0) & RecordBatchHeader.DELETE_HORIZON_MASK) != 0)
                .map(b -> RecordBatchHeader.baseOffset(b, 0))
                .toList();
    }

    private static Map<String, String> latest(List<Rec> recs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Rec r : recs) {
            m.put(r.key(), r.value());
        }
        return m;
    }

    /**
     * Key to latest value as a read_committed consumer sees the log: fetches below the LSO, and
     * within each response drops the batches of the aborted transactions it lists until their
     * ABORT markers (Kafka's consumer algorithm), skipping control batches.
     */
    static Map<String, String> latestCommitted(Log log) {
        Map<String, String> out = new LinkedHashMap<>();
        long next = log.logStartOffset();
        while (next < log.lastStableOffset()) {
            LogReadResult r = log.read(next, 1 << 20, true, true);
            assertThat(r.error()).isEqualTo(Errors.NONE);
            ByteBuffer b = r.records().toByteBuffer();
            if (!b.hasRemaining()) {
                break;
            }
            Deque<AbortedTxn> aborts =
                    new ArrayDeque<>(r.abortedTransactions() == null ? List.of() : r.abortedTransactions());
            List<AbortedTxn> sorted = new ArrayList<>(aborts);
            sorted.sort(Comparator.comparingLong(AbortedTxn::firstOffset));
            aborts = new ArrayDeque<>(sorted);
            Set<Long> abortedPids = new HashSet<>();
            for (int pos = b.position(); pos < b.limit(); pos += RecordBatchHeader.totalSize(b, pos)) {
                ByteBuffer batch = b.slice(pos, RecordBatchHeader.totalSize(b, pos));
                next = RecordBatchHeader.lastOffset(batch, 0) + 1;
                long pid = RecordBatchHeader.producerId(batch, 0);
                while (!aborts.isEmpty()
                        && aborts.peekFirst().firstOffset() <= RecordBatchHeader.lastOffset(batch, 0)) {
                    abortedPids.add(aborts.pollFirst().producerId());
                }
                if (RecordBatchHeader.isControl(batch, 0)) {
                    EndTransactionMarker m = TxnState.parseMarker(batch, 0);
                    if (m != null && m.type() == ControlRecordType.ABORT) {
                        abortedPids.remove(pid);
                    }
                    continue;
                }
                if (RecordBatchHeader.isTransactional(batch, 0) && abortedPids.contains(pid)) {
                    continue;
                }
                for (Record rec : RecordBatch.at(batch, 0)) {
                    out.put(str(rec.key()), str(rec.value()));
                }
            }
        }
        return out;
    }

    private static String str(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return new String(a, StandardCharsets.UTF_8);
    }
}
