package io.tributary.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.protocol.Errors;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real process is killed with SIGKILL mid-life; its log is recovered in this JVM. */
class SigkillRecoveryTest {
    static final long PID = 777L;

    @TempDir
    Path dir;

    @Test
    void aProducerRetryingAfterTheBrokerWasKilledGetsItsDuplicateRecognised() throws Exception {
        Path logDir = dir.resolve("k-0");
        int batches = 60;
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        CrashChild.class.getName(),
                        logDir.toString(),
                        String.valueOf(batches))
                .redirectErrorStream(true)
                .start();
        String line;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("appended "));
            assertThat(line).isEqualTo("appended " + (2 * batches - 1));
            child.destroyForcibly(); // SIGKILL: no close, no snapshot at the end, no index trim
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }

        try (Log log = Log.open(logDir, LogConfig.create(Map.of(), Map.of("segment.bytes", "4000")), Time.SYSTEM)) {
            assertThat(log.logEndOffset()).isEqualTo(2L * batches);
            assertThat(log.numberOfSegments()).isGreaterThan(1);
            // the producer never saw the last ack and retries that batch
            int i = batches - 1;
            AppendResult retry = log.append(TestBatches.records(
                    TestBatches.batch(PID, (short) 0, i * 2, System.currentTimeMillis(), "a" + i, "b" + i)));
            assertThat(retry.error()).isEqualTo(Errors.NONE);
            assertThat(retry.duplicate()).isTrue();
            assertThat(retry.baseOffset()).isEqualTo(2L * i);
            assertThat(log.logEndOffset()).isEqualTo(2L * batches);
            AppendResult next = log.append(TestBatches.records(
                    TestBatches.batch(PID, (short) 0, batches * 2, System.currentTimeMillis(), "next")));
            assertThat(next.baseOffset()).isEqualTo(2L * batches);
        }
    }
}
