package io.tributary.storage;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write-ahead journal (issue 16; F-durability: acks=all means on disk): acks=all answers once
 * the journal holds an append, so a crash that loses every partition file's unsynced tail (a
 * power cut, simulated by copying the data directory as written and cutting the segment files
 * back) loses nothing acknowledged; truncations replay in order; a torn journal tail is ignored;
 * a clean close leaves nothing to replay; full files are checkpointed and reused.
 */
class JournalTest {
    @TempDir
    Path tmp;

    private final ManualTime time = new ManualTime();
    private final List<LogManager> managers = new ArrayList<>();

    private LogManager start(Path dir, Map<String, String> props) throws IOException {
        LogManager m = new LogManager(dir, props, time);
        managers.add(m);
        m.startup();
        return m;
    }

    @AfterEach
    void closeAll() throws IOException {
        for (LogManager m : managers) {
            m.close();
        }
    }

    private static void await(CompletableFuture<Void> f) throws Exception {
        f.get(10, TimeUnit.SECONDS);
    }

    /** Appends batches of 3 records and waits as acks=all does. */
    private static void appendAcked(Log log, int batches) throws Exception {
        for (int i = 0; i < batches; i++) {
            AppendResult r = log.append(TestBatches.plain(1_000 + i, 3, 40 + i));
            assertThat(r.ok()).isTrue();
            await(log.flushUpTo(r.lastOffset() + 1));
        }
    }

    private static byte[] contents(Log log) {
        LogReadResult r = log.read(log.logStartOffset(), Integer.MAX_VALUE, true);
        ByteBuffer b = ByteBuffer.allocate(r.records().sizeInBytes());
        r.records().readInto(b);
        return b.array();
    }

    /** The data directory as a power cut leaves it: files as written, every segment file cut to what was fsynced. */
    private Path powerCut(Path dataDir, LogManager running, String topic, int partitions) throws IOException {
        Path copy = tmp.resolve("after-cut-" + System.nanoTime());
        try (Stream<Path> all = Files.walk(dataDir)) {
            for (Path p : all.toList()) {
                Path target = copy.resolve(dataDir.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals(LogManager.LOCK_FILE)) {
                    Files.copy(p, target);
                }
            }
        }
        for (int p = 0; p < partitions; p++) {
            long rp = running.log(topic, p).orElseThrow().recoveryPoint();
            try (Stream<Path> files = Files.list(copy.resolve(topic + "-" + p))) {
                for (Path f : files.toList()) {
                    if (f.getFileName().toString().endsWith(".log")) {
                        cutAt(f, rp);
                    }
                }
            }
        }
        return copy;
    }

    /** Cuts a segment file before its first batch at or past offset (what an fsync up to offset did not cover). */
    private static void cutAt(Path segment, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate((int) ch.size());
            while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
                // read all
            }
            int pos = 0;
            while (pos + RecordBatchHeader.SIZE <= b.capacity()
                    && RecordBatchHeader.batchLength(b, pos) > 0
                    && RecordBatchHeader.baseOffset(b, pos) < offset) {
                pos += RecordBatchHeader.totalSize(b, pos);
            }
            ch.truncate(pos);
        }
    }

    @Test
    void acknowledgedAppendsOfEveryPartitionSurviveLosingThePartitionFiles() throws Exception {
        LogManager m = acknowledgedAppendsSurviveAPowerCut(tmp.resolve("a"), Map.of());
        assertThat(m.journal().direct()).as("O_DIRECT on this file system").isTrue();
    }

    /** The same through the page cache with an fdatasync per write (log.journal.direct.io=false). */
    @Test
    void withoutDirectIoTheJournalFdatasyncsEachWriteAndKeepsTheSamePromise() throws Exception {
        LogManager m = acknowledgedAppendsSurviveAPowerCut(
                tmp.resolve("a2"), Map.of(LogConfig.LOG_JOURNAL_DIRECT_IO, "false"));
        assertThat(m.journal().direct()).isFalse();
    }

    private LogManager acknowledgedAppendsSurviveAPowerCut(Path dir, Map<String, String> props) throws Exception {
        LogManager m = start(dir, props);
        m.createTopic("t", 3, Map.of());
        for (int round = 0; round < 4; round++) {
            for (int p = 0; p < 3; p++) {
                appendAcked(m.log("t", p).orElseThrow(), 5 + p);
            }
        }
        Log p1 = m.log("t", 1).orElseThrow();
        // The journal answered: the partition files were not fsynced for it.
        assertThat(p1.recoveryPoint()).isLessThan(p1.logEndOffset());
        // Zeros are written ahead of the journal's writes (JournalZeroer); replay stops at them.
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> {
                    try (Stream<Path> files = Files.list(dir.resolve(Journal.DIR_NAME))) {
                        return files.filter(f -> f.toString().endsWith(JournalFormat.SUFFIX))
                                .anyMatch(f -> f.toFile().length() >= JournalZeroer.CHUNK);
                    }
                });

        Path cut = powerCut(dir, m, "t", 3);
        LogManager after = start(cut, Map.of());
        for (int p = 0; p < 3; p++) {
            Log before = m.log("t", p).orElseThrow();
            Log recovered = after.log("t", p).orElseThrow();
            assertThat(recovered.logEndOffset()).isEqualTo(before.logEndOffset());
            assertThat(contents(recovered)).isEqualTo(contents(before));
            assertThat(recovered.recoveryPoint()).isEqualTo(recovered.logEndOffset());
        }
        // And the recovered log takes appends after what it replayed.
        AppendResult next = after.log("t", 0).orElseThrow().append(TestBatches.plain(5, 1, 10));
        assertThat(next.baseOffset()).isEqualTo(m.log("t", 0).orElseThrow().logEndOffset());
        return m;
    }

    @Test
    void acksOneAppendsReachTheJournalWithTheAcksAllAppendAfterThem() throws Exception {
        Path dir = tmp.resolve("f");
        LogManager m = start(dir, Map.of(LogConfig.LOG_JOURNAL_FILE_BYTES, String.valueOf(1 << 20)));
        m.createTopic("t", 1, Map.of("segment.bytes", "3000"));
        Log log = m.log("t", 0).orElseThrow();
        for (int i = 0; i < 40; i++) {
            assertThat(log.append(TestBatches.plain(i, 2, 50)).ok()).isTrue(); // acks=1: nobody waits
        }
        assertThat(log.numberOfSegments()).isGreaterThan(2);
        appendAcked(log, 1);
        Path cut = powerCut(dir, m, "t", 1);
        Log recovered = start(cut, Map.of()).log("t", 0).orElseThrow();
        assertThat(recovered.logEndOffset()).isEqualTo(83);
        assertThat(contents(recovered)).isEqualTo(contents(log));
    }

    @Test
    void oneRequestsPartitionsGoOutInOneJournalWrite() throws Exception {
        Path dir = tmp.resolve("g");
        LogManager m = start(dir, Map.of());
        m.createTopic("t", 3, Map.of());
        List<Log> logs = List.of(
                m.log("t", 0).orElseThrow(),
                m.log("t", 1).orElseThrow(),
                m.log("t", 2).orElseThrow());
        long[] ends = new long[3];
        long before = m.journal().writes();
        int rounds = 20;
        for (int round = 0; round < rounds; round++) {
            for (int p = 0; p < 3; p++) {
                ends[p] = logs.get(p).append(TestBatches.plain(round, 4, 100)).lastOffset() + 1;
            }
            await(Log.flushAllUpTo(logs, ends));
            for (int p = 0; p < 3; p++) {
                assertThat(logs.get(p).durableOffset()).isEqualTo(ends[p]);
            }
        }
        // One write per request, bar the writer thread now and then still finishing the previous
        // round when the next one's first partition is copied (then that request takes two).
        assertThat(m.journal().writes() - before).isBetween((long) rounds, rounds * 3L / 2);
        Path cut = powerCut(dir, m, "t", 3);
        LogManager after = start(cut, Map.of());
        for (int p = 0; p < 3; p++) {
            assertThat(contents(after.log("t", p).orElseThrow())).isEqualTo(contents(logs.get(p)));
        }
    }

    @Test
    void aLoneAppendWithTheJournalIdleFsyncsItsOwnFileOnTheCallersThread() throws Exception {
        LogManager m = start(tmp.resolve("h"), Map.of());
        m.createTopic("t", 1, Map.of());
        Log log = m.log("t", 0).orElseThrow();
        for (int i = 0; i < 3; i++) {
            AppendResult r = log.append(TestBatches.plain(i, 1, 20));
            long writes = m.journal().writes();
            CompletableFuture<Void> f = log.flushUpToHereIfIdle(r.lastOffset() + 1);
            assertThat(f).isCompleted();
            assertThat(log.recoveryPoint()).isEqualTo(r.lastOffset() + 1);
            assertThat(m.journal().writes()).isEqualTo(writes);
        }
    }

    @Test
    void truncationsReplayInOrderWithTheAppendsAroundThem() throws Exception {
        Path dir = tmp.resolve("b");
        LogManager m = start(dir, Map.of());
        m.createTopic("t", 1, Map.of());
        Log log = m.log("t", 0).orElseThrow();
        appendAcked(log, 6);
        assertThat(log.truncateTo(9)).isTrue();
        appendAcked(log, 2);
        log.truncateFullyAndStartAt(40);
        appendAcked(log, 3);
        Path cut = powerCut(dir, m, "t", 1);
        Log recovered = start(cut, Map.of()).log("t", 0).orElseThrow();
        assertThat(recovered.logStartOffset()).isEqualTo(40);
        assertThat(recovered.logEndOffset()).isEqualTo(log.logEndOffset()).isEqualTo(49);
        assertThat(contents(recovered)).isEqualTo(contents(log));
    }

    @Test
    void aTornJournalTailIsCutAndEverythingBeforeItKept() throws Exception {
        Path dir = tmp.resolve("c");
        LogManager m = start(dir, Map.of());
        m.createTopic("t", 2, Map.of());
        appendAcked(m.log("t", 0).orElseThrow(), 4);
        appendAcked(m.log("t", 1).orElseThrow(), 4);
        Path cut = powerCut(dir, m, "t", 2);
        Path wal;
        try (Stream<Path> files = Files.list(cut.resolve(Journal.DIR_NAME))) {
            wal = files.filter(f -> f.toString().endsWith(JournalFormat.SUFFIX))
                    .findFirst()
                    .orElseThrow();
        }
        // Half of a next entry: its header says more bytes follow than the file has.
        try (FileChannel ch = FileChannel.open(wal, StandardOpenOption.WRITE)) {
            long end = JournalFormat.alignUp(ch.size());
            ByteBuffer torn = ByteBuffer.allocate(JournalFormat.HEADER + 10);
            torn.putInt(JournalFormat.MAGIC).putLong(JournalFormat.seqOf(wal, JournalFormat.SUFFIX));
            torn.put(JournalFormat.APPEND).position(JournalFormat.CRC_AT - 4);
            torn.putInt(5000).putInt(1234).flip();
            ch.write(torn, end);
        }
        LogManager after = start(cut, Map.of());
        for (int p = 0; p < 2; p++) {
            assertThat(contents(after.log("t", p).orElseThrow()))
                    .isEqualTo(contents(m.log("t", p).orElseThrow()));
        }
    }

    @Test
    void aCleanCloseLeavesNothingToReplay() throws Exception {
        Path dir = tmp.resolve("d");
        LogManager m = start(dir, Map.of());
        m.createTopic("t", 1, Map.of());
        appendAcked(m.log("t", 0).orElseThrow(), 3);
        long end = m.log("t", 0).orElseThrow().logEndOffset();
        m.close();
        try (Stream<Path> files = Files.list(dir.resolve(Journal.DIR_NAME))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .isNotEmpty()
                    .allMatch(n -> n.endsWith(JournalFormat.FREE_SUFFIX));
        }
        LogManager again = start(dir, Map.of());
        assertThat(again.log("t", 0).orElseThrow().logEndOffset()).isEqualTo(end);
        // The reused file's old entries are not mistaken for new ones.
        appendAcked(again.log("t", 0).orElseThrow(), 2);
        Path cut = powerCut(dir, again, "t", 1);
        assertThat(contents(start(cut, Map.of()).log("t", 0).orElseThrow()))
                .isEqualTo(contents(again.log("t", 0).orElseThrow()));
    }

    @Test
    void fullFilesAreCheckpointedIntoThePartitionsAndReused() throws Exception {
        Path dir = tmp.resolve("e");
        LogManager m = start(dir, Map.of(LogConfig.LOG_JOURNAL_FILE_BYTES, String.valueOf(64 << 10)));
        m.createTopic("t", 2, Map.of());
        Log log = m.log("t", 0).orElseThrow();
        for (int i = 0; i < 300; i++) {
            AppendResult r = log.append(TestBatches.plain(i, 10, 200));
            await(log.flushUpTo(r.lastOffset() + 1));
        }
        // Checkpoints fsynced most of the partition behind the journal, and files are reused, not piled up.
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> {
                    try (Stream<Path> files = Files.list(dir.resolve(Journal.DIR_NAME))) {
                        // the file written to and at most two kept for reuse, once checkpoints caught up
                        return log.recoveryPoint() > log.logEndOffset() / 2 && files.count() <= 3;
                    }
                });
        Path cut = powerCut(dir, m, "t", 2);
        Log recovered = start(cut, Map.of()).log("t", 0).orElseThrow();
        assertThat(contents(recovered)).isEqualTo(contents(log));
        assertThat(RecordBatchHeader.baseOffset(ByteBuffer.wrap(contents(recovered)), 0))
                .isZero();
    }

    /**
     * The cleaner swaps in a compacted copy of segments the journal had reached part-way: the
     * next acks=all copy starts after them (they were fsynced by the cleaner), never at the old
     * segment's byte position in the new file.
     */
    @Test
    void segmentsTheCleanerReplacedAreNotReadAtTheirOldPositions() throws Exception {
        Path dir = tmp.resolve("h");
        LogManager m = start(dir, Map.of("log.cleaner.threads", "1", "log.cleaner.backoff.ms", "3600000"));
        m.createTopic("c", 1, Map.of("cleanup.policy", "compact"));
        Log log = m.log("c", 0).orElseThrow();
        // Journaled part-way into segment 0 through the journal (not a lone fsync of the file).
        CleanerFixture.append(log, CleanerFixture.batch(time.milliseconds(), "a", "1", "b", "1"));
        await(log.journal.syncUpTo(log.logEndOffset()));
        for (int seg = 0; seg < 3; seg++) {
            for (int i = 0; i < 10; i++) {
                // acks=1: keys overwritten, "a" too, so the cleaned segment 0 shrinks before byte positions
                CleanerFixture.append(
                        log, CleanerFixture.batch(time.milliseconds(), "a", "s" + seg + i, "k" + i, "v" + seg));
            }
            log.roll(true);
        }
        long activeBase = log.logEndOffset();
        CleanerFixture.append(log, CleanerFixture.batch(time.milliseconds(), "z", "after"));
        assertThat(m.cleaner().cleanFilthiestLog()).isTrue();
        CleanerFixture.append(log, CleanerFixture.batch(time.milliseconds(), "y", "acked"));
        await(log.journal.syncUpTo(log.logEndOffset()));
        // Rolled segments are flushed in the background; the active one only through the journal.
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> log.recoveryPoint() >= activeBase);
        assertThat(log.recoveryPoint()).isLessThan(log.logEndOffset());

        Path cut = powerCut(dir, m, "c", 1);
        Log recovered = start(cut, Map.of()).log("c", 0).orElseThrow();
        assertThat(CleanerFixture.records(recovered)).isEqualTo(CleanerFixture.records(log));
        assertThat(CleanerFixture.records(recovered))
                .extracting(CleanerFixture.Rec::value)
                .contains("after", "acked");
    }
}
