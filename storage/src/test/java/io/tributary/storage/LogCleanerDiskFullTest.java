package io.tributary.storage;

import static io.tributary.storage.CleanerFixture.append;
import static io.tributary.storage.CleanerFixture.batch;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up while the cleaner writes (here: the file size limit, as a full disk
 * would) aborts that cleaning: the log stays as it was, online, with no cleaned files left, and
 * a later pass with room succeeds.
 */
class LogCleanerDiskFullTest {
    @TempDir
    Path dataDir;

    @Test
    void aFullDiskDuringCleaningLeavesTheLogAsItWas() throws Exception {
        ManualTime time = new ManualTime();
        List<CleanerFixture.Rec> before;
        try (Log log = Log.open(dataDir.resolve("full-0"), CleanerFixture.compactConfig(Map.of()), time)) {
            // Ten ~40 KB segments of distinct keys: cleaning merges them into one ~400 KB file.
            for (int seg = 0; seg < 10; seg++) {
                for (int i = 0; i < 40; i++) {
                    append(log, batch(time.milliseconds(), "k" + seg + "-" + i, "v".repeat(1000)));
                }
                log.roll(true);
            }
            before = CleanerFixture.records(log);
        }
        // ulimit -f counts 1024-byte blocks: no file may grow past 128 KiB
        FileSizeLimitedChild.Result r =
                FileSizeLimitedChild.run(CleanerDiskFullChild.class, 128, dataDir.toString(), 30);
        String line = r.line();
        assertThat(line)
                .contains("cleaned=false", "before=400", "after=400", "leftovers=0", "offline=false", "checkpoint=-1");
        assertThat(r.output()).contains("cleaning failed and left the log as it was");

        try (Log log = Log.open(dataDir.resolve("full-0"), CleanerFixture.compactConfig(Map.of()), time)) {
            assertThat(CleanerFixture.records(log)).isEqualTo(before);
            TopicPartitionKey key = new TopicPartitionKey("full", 0);
            LogCleaner cleaner = new LogCleaner(
                    dataDir, CleanerFixture.settings(1 << 20, Double.MAX_VALUE), time, () -> Map.of(key, log));
            assertThat(cleaner.cleanFilthiestLog()).isTrue();
            assertThat(CleanerFixture.records(log)).isEqualTo(before);
            assertThat(log.numberOfSegments()).isEqualTo(2);
        }
    }
}
