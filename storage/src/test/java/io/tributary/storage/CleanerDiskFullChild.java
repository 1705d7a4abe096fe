package io.tributary.storage;

import java.nio.file.Path;
import java.util.Map;

/**
 * Run by {@link LogCleanerDiskFullTest} in a JVM whose file size limit (ulimit -f) is below the
 * size of the segment the cleaner would write: runs one cleaning and reports what it left.
 */
public final class CleanerDiskFullChild {
    private CleanerDiskFullChild() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        TopicPartitionKey key = new TopicPartitionKey("full", 0);
        Log log = Log.open(dataDir.resolve("full-0"), CleanerFixture.compactConfig(Map.of()), Time.SYSTEM);
        int before = CleanerFixture.records(log).size();
        LogCleaner cleaner = new LogCleaner(
                dataDir, CleanerFixture.settings(1 << 20, Double.MAX_VALUE), Time.SYSTEM, () -> Map.of(key, log));
        boolean cleaned = cleaner.cleanFilthiestLog();
        int after = CleanerFixture.records(log).size();
        int leftovers = CleanerFixture.files(log.dir(), ".cleaned").size()
                + CleanerFixture.files(log.dir(), ".swap").size();
        System.out.println("result cleaned=" + cleaned + " before=" + before + " after=" + after + " leftovers="
                + leftovers + " offline=" + log.isOffline() + " checkpoint=" + cleaner.checkpointedOffset(key));
        System.out.flush();
        System.exit(0);
    }
}
