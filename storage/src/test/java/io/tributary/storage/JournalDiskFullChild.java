package io.tributary.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Run by {@link JournalDiskFullTest} in a JVM whose file size limit (ulimit -f) stops the journal
 * file long before it reaches log.journal.file.bytes: acks=all appends keep being acknowledged
 * (each failed journal write is made good by fsyncing its partitions), then reports.
 */
public final class JournalDiskFullChild {
    private JournalDiskFullChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        LogManager m = new LogManager(
                dir,
                Map.of(
                        LogConfig.LOG_JOURNAL_FILE_BYTES,
                        String.valueOf(4 << 20),
                        LogConfig.LOG_ZERO_AHEAD_MAX_BYTES,
                        "0"),
                Time.SYSTEM);
        m.startup();
        m.createTopic("t", 2, Map.of("segment.bytes", String.valueOf(100 << 10), "segment.index.bytes", "4096"));
        int acked = 0;
        int errors = 0;
        for (int i = 0; i < 300; i++) {
            Log log = m.log("t", i % 2).orElseThrow();
            AppendResult r = log.append(TestBatches.plain(System.currentTimeMillis(), 3, 600));
            try {
                if (r.ok()) {
                    log.flushUpTo(r.lastOffset() + 1).get(30, TimeUnit.SECONDS);
                    acked++;
                } else {
                    errors++;
                }
            } catch (Exception e) {
                errors++;
            }
        }
        long journalFiles;
        try (Stream<Path> files = Files.list(dir.resolve(Journal.DIR_NAME))) {
            journalFiles = files.count();
        }
        Log p0 = m.log("t", 0).orElseThrow();
        System.out.println("result acked=" + acked + " errors=" + errors + " leo0=" + p0.logEndOffset()
                + " leo1=" + m.log("t", 1).orElseThrow().logEndOffset() + " durable0=" + p0.durableOffset()
                + " journalFiles=" + journalFiles);
        System.out.flush();
        System.exit(0);
    }
}
