package io.tributary.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A process writing zeros ahead of its acks=all appends is SIGKILLed at some moment (mid-zeroing,
 * mid-roll or mid-append, wherever it is): every acknowledged batch comes back, the zeros are
 * cut, and no segment but the last lost anything (issue 16, cheaper fdatasyncs).
 */
class ZeroAheadKillTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {150, 700, 2500})
    void everyAcknowledgedBatchSurvivesAKillAtAnyMoment(int killAfterAcks) throws Exception {
        Path logDir = dir.resolve("kill-0");
        String segmentBytes = "100000";
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        ZeroAheadKillChild.class.getName(),
                        logDir.toString(),
                        segmentBytes)
                .redirectErrorStream(true)
                .start();
        long lastAcked = -1;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            int acks = 0;
            while (acks < killAfterAcks && (line = out.readLine()) != null) {
                if (line.startsWith("acked ")) {
                    lastAcked = Long.parseLong(line.substring(6));
                    acks++;
                }
            }
            assertThat(acks).as("acks before the kill").isEqualTo(killAfterAcks);
            child.destroyForcibly(); // SIGKILL: no close, so no zero tail is cut
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }

        Path lastFile;
        try (var files = Files.list(logDir)) {
            lastFile = files.filter(p -> p.toString().endsWith(".log"))
                    .sorted()
                    .reduce((x, y) -> y)
                    .orElseThrow();
        }
        long fileBefore = Files.size(lastFile);
        try (Log log =
                Log.open(logDir, LogConfig.create(Map.of(), Map.of("segment.bytes", segmentBytes)), Time.SYSTEM)) {
            assertThat(log.logEndOffset()).isGreaterThan(lastAcked);
            assertThat(log.logEndOffset() % 3).isZero(); // whole batches only
            TestBatches.assertWholeBatchesFromStart(log, 3);
            System.out.printf(
                    "killed after %d acks: last segment file %d bytes, %d of batches%n",
                    killAfterAcks, fileBefore, log.active.size());
            for (LogSegment seg : log.segments.values()) {
                assertThat(Files.size(seg.logFile())).as(seg.toString()).isEqualTo(seg.size());
            }
        }
    }
}
