package io.tributary.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write that fails part-way (here: the file size limit, as a full disk would) must leave no
 * partial batch behind, surface KAFKA_STORAGE_ERROR, and keep earlier data and the log usable.
 */
class DiskFullTest {
    @TempDir
    Path dir;

    @Test
    void aWriteThatFailsPartWayIsCutBackAndEarlierDataSurvives() throws Exception {
        Path bash = Path.of("/bin/bash");
        assertThat(Files.isExecutable(bash)).as("bash is needed for ulimit").isTrue();
        Path logDir = dir.resolve("full-0");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // ulimit -f counts 1024-byte blocks: the segment file may not grow past 64 KiB
        String cmd = "ulimit -f 64 && exec \"$0\" -cp \"$1\" " + DiskFullChild.class.getName() + " \"$2\"";
        Process child = new ProcessBuilder(
                        bash.toString(), "-c", cmd, java, System.getProperty("java.class.path"), logDir.toString())
                .redirectErrorStream(true)
                .start();
        String line;
        StringBuilder all = new StringBuilder();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            do {
                line = out.readLine();
                all.append(line).append('\n');
            } while (line != null && !line.startsWith("result "));
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(line).as(all.toString()).isNotNull();
        assertThat(line).contains("error=KAFKA_STORAGE_ERROR", "intact=true", "offline=false", "small=NONE");
        long leo = Long.parseLong(line.replaceAll(".* leo=(\\d+).*", "$1"));
        long lastGood = Long.parseLong(line.replaceAll(".* lastGood=(\\d+).*", "$1"));
        assertThat(lastGood).isGreaterThan(100);
        assertThat(leo).isEqualTo(lastGood + 2); // the failed batch took no offsets; the small one took one

        try (Log log =
                Log.open(logDir, LogConfig.create(Map.of(), Map.of("segment.index.bytes", "4096")), Time.SYSTEM)) {
            assertThat(log.logEndOffset()).isEqualTo(leo);
            assertThat(TestBatches.allValid(
                            log.read(0, Integer.MAX_VALUE, false).records().toByteBuffer()))
                    .isTrue();
        }
    }
}
