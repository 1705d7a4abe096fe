package io.tributary.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
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
        Path logDir = dir.resolve("full-0");
        // ulimit -f counts 1024-byte blocks: the segment file may not grow past 64 KiB
        FileSizeLimitedChild.Result r = FileSizeLimitedChild.run(DiskFullChild.class, 64, logDir.toString(), 30);
        String line = r.line();
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
