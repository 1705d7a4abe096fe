package io.tributary.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.protocol.Errors;
import io.tributary.protocol.record.MemoryRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdempotentProducerTest {
    @TempDir
    Path tmp;

    private final ManualTime time = new ManualTime();
    private final List<Log> opened = new ArrayList<>();
    private static final long PID = 4242L;

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

    /** A fresh copy of the same batch each call, as a producer retry resends it. */
    private MemoryRecords batch(short epoch, int seq, int count) {
        String[] values = new String[count];
        for (int i = 0; i < count; i++) {
            values[i] = "seq-" + (seq + i);
        }
        return TestBatches.records(TestBatches.batch(PID, epoch, seq, time.milliseconds(), values));
    }

    @Test
    void retriedBatchIsAnsweredWithItsOriginalOffsetsAndNotWrittenAgain() throws IOException {
        Log log = open(tmp.resolve("p-0"), Map.of(), 0);
        log.append(TestBatches.plain(time.milliseconds(), 3, 5)); // offsets 0..2 from someone else
        AppendResult first = log.append(batch((short) 0, 0, 2)); // 3..4
        AppendResult second = log.append(batch((short) 0, 2, 3)); // 5..7
        assertThat(first.baseOffset()).isEqualTo(3);

        AppendResult retry = log.append(batch((short) 0, 0, 2));
        assertThat(retry.error()).isEqualTo(Errors.NONE);
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.baseOffset()).isEqualTo(3);
        assertThat(retry.lastOffset()).isEqualTo(4);
        AppendResult retry2 = log.append(batch((short) 0, 2, 3));
        assertThat(retry2.baseOffset()).isEqualTo(second.baseOffset());
        assertThat(log.logEndOffset()).isEqualTo(8);
    }

    @Test
    void sequenceGapsAndStaleEpochsAreRefused() throws IOException {
        Log log = open(tmp.resolve("p-0"), Map.of(), 0);
        assertThat(log.append(batch((short) 3, 0, 2)).error()).isEqualTo(Errors.NONE);
        assertThat(log.append(batch((short) 3, 5, 1)).error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(log.append(batch((short) 3, 1, 2)).error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(log.append(batch((short) 2, 2, 1)).error()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        // a new epoch must start at sequence 0
        assertThat(log.append(batch((short) 4, 2, 1)).error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(log.append(batch((short) 4, 0, 1)).error()).isEqualTo(Errors.NONE);
        assertThat(log.append(batch((short) 3, 2, 1)).error()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(log.logEndOffset()).isEqualTo(3);
        Log.ProducerState st = log.producerState(PID).orElseThrow();
        assertThat(st.epoch()).isEqualTo((short) 4);
        assertThat(st.lastSequence()).isZero();
    }

    @Test
    void unknownProducerMayStartAtAnySequenceAsKafkaAllowsAfterRetention() throws IOException {
        Log log = open(tmp.resolve("p-0"), Map.of(), 0);
        assertThat(log.append(batch((short) 0, 17, 1)).error()).isEqualTo(Errors.NONE);
        assertThat(log.append(batch((short) 0, 18, 1)).error()).isEqualTo(Errors.NONE);
    }

    @Test
    void onlyTheLastFiveBatchesAreRemembered() throws IOException {
        Log log = open(tmp.resolve("p-0"), Map.of(), 0);
        for (int i = 0; i < 6; i++) {
            log.append(batch((short) 0, i, 1));
        }
        assertThat(log.append(batch((short) 0, 1, 1)).duplicate()).isTrue(); // within the last five
        AppendResult tooOld = log.append(batch((short) 0, 0, 1));
        assertThat(tooOld.error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
    }

    @Test
    void sequenceWrapsAroundAtIntMax() throws IOException {
        Log log = open(tmp.resolve("p-0"), Map.of(), 0);
        assertThat(log.append(batch((short) 0, Integer.MAX_VALUE - 1, 2)).error())
                .isEqualTo(Errors.NONE);
        assertThat(log.append(batch((short) 0, 0, 1)).error()).isEqualTo(Errors.NONE);
    }

    @Test
    void duplicatesAreRecognisedAfterACrashWithoutSnapshotAndAfterACleanRestart() throws IOException {
        Path a = tmp.resolve("p-0");
        Log log = open(a, Map.of(), 0);
        for (int i = 0; i < 4; i++) {
            log.append(TestBatches.plain(time.milliseconds(), 1, 10));
            log.append(batch((short) 1, i * 2, 2));
        }
        // "SIGKILL": copy the files of the live log, no close, no snapshot
        Path b = tmp.resolve("q-0");
        Files.createDirectories(b);
        try (Stream<Path> s = Files.list(a)) {
            for (Path p : s.toList()) {
                Files.copy(p, b.resolve(p.getFileName()));
            }
        }
        try (Stream<Path> s = Files.list(b)) {
            assertThat(s.anyMatch(p -> p.toString().endsWith(".snapshot"))).isFalse();
        }
        Log crashed = open(b, Map.of(), 0);
        AppendResult dup = crashed.append(batch((short) 1, 6, 2));
        assertThat(dup.duplicate()).isTrue();
        assertThat(dup.baseOffset()).isEqualTo(10);
        assertThat(crashed.append(batch((short) 1, 9, 1)).error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(crashed.append(batch((short) 1, 8, 1)).baseOffset()).isEqualTo(12);

        log.close();
        opened.remove(log);
        Log reopened = open(a, Map.of(), Long.MAX_VALUE);
        assertThat(reopened.append(batch((short) 1, 4, 2)).baseOffset()).isEqualTo(7);
        assertThat(reopened.append(batch((short) 1, 4, 2)).duplicate()).isTrue();
    }

    @Test
    void snapshotsAtRollsPlusHeaderReplayRebuildStateAfterACrash() throws IOException {
        Path a = tmp.resolve("p-0");
        Map<String, String> small = Map.of("segment.bytes", "300", "segment.index.bytes", "4096");
        Log log = open(a, small, 0);
        long other = PID + 1;
        for (int i = 0; i < 20; i++) {
            log.append(batch((short) 0, i, 1));
            if (i == 3) {
                log.append(TestBatches.records(TestBatches.batch(other, (short) 7, 0, time.milliseconds(), "x")));
            }
        }
        assertThat(log.numberOfSegments()).isGreaterThan(3);
        Path b = tmp.resolve("q-0");
        Files.createDirectories(b);
        try (Stream<Path> s = Files.list(a)) {
            for (Path p : s.toList()) {
                Files.copy(p, b.resolve(p.getFileName()));
            }
        }
        try (Stream<Path> s = Files.list(b)) {
            assertThat(s.filter(p -> p.toString().endsWith(".snapshot")).count())
                    .isGreaterThanOrEqualTo(3);
        }
        // drop the two oldest segments, as retention would: "other" (at offset 4) then lives on
        // only in the snapshot written when the third segment was rolled
        List<Long> bases = log.segmentBaseOffsets();
        assertThat(bases.get(1)).isLessThanOrEqualTo(4);
        assertThat(bases.get(2)).isGreaterThan(4);
        for (int i = 0; i < 2; i++) {
            for (String suffix : new String[] {".log", ".index", ".timeindex", ".snapshot"}) {
                Files.deleteIfExists(b.resolve(LogSegment.fileName(bases.get(i), suffix)));
            }
        }
        Log crashed = open(b, small, 0);
        assertThat(crashed.logStartOffset()).isEqualTo(bases.get(2));
        assertThat(crashed.append(batch((short) 0, 19, 1)).duplicate()).isTrue();
        assertThat(crashed.producerState(other).orElseThrow().epoch()).isEqualTo((short) 7);
        assertThat(crashed.append(batch((short) 0, 20, 1)).error()).isEqualTo(Errors.NONE);
    }

    @Test
    void corruptSnapshotFallsBackToAnOlderOneOrToTheLog() throws IOException {
        Path a = tmp.resolve("p-0");
        Map<String, String> small = Map.of("segment.bytes", "300", "segment.index.bytes", "4096");
        Log log = open(a, small, 0);
        for (int i = 0; i < 20; i++) {
            log.append(batch((short) 0, i, 1));
        }
        log.close();
        opened.remove(log);
        try (Stream<Path> s = Files.list(a)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".snapshot")).toList()) {
                Files.write(p, new byte[] {0, 0, 0, 1, 9, 9, 9, 9, 0, 0, 0, 0});
            }
        }
        Log reopened = open(a, small, Long.MAX_VALUE);
        assertThat(reopened.append(batch((short) 0, 19, 1)).duplicate()).isTrue();
        assertThat(reopened.append(batch((short) 0, 20, 1)).error()).isEqualTo(Errors.NONE);
    }

    @Test
    void truncationForgetsBatchesAboveTheCut() throws IOException {
        Log log = open(tmp.resolve("p-0"), Map.of(), 0);
        for (int i = 0; i < 5; i++) {
            log.append(batch((short) 0, i, 1));
        }
        log.truncateTo(3);
        assertThat(log.producerState(PID).orElseThrow().lastSequence()).isEqualTo(2);
        assertThat(log.append(batch((short) 0, 3, 1)).baseOffset()).isEqualTo(3);
    }

    @Test
    void idleProducersExpire() throws IOException {
        Log log = Log.open(tmp.resolve("p-0"), LogConfig.DEFAULT, time, Runnable::run, 0, 1000);
        opened.add(log);
        log.append(batch((short) 0, 0, 1));
        time.advanceMs(999);
        log.deleteOldSegments();
        assertThat(log.producerState(PID)).isPresent();
        time.advanceMs(1);
        log.deleteOldSegments();
        assertThat(log.producerState(PID)).isEmpty();
    }
}
