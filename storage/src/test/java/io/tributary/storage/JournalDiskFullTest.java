package io.tributary.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's file cannot grow (the file size limit, as a full disk would stop it) while the
 * partitions' segments still can: acks=all keeps working, through fsyncs of the partitions for
 * each failed journal write and new journal files after them, and everything acknowledged is
 * there after a crash (the child exits without closing anything).
 */
class JournalDiskFullTest {
    @TempDir
    Path dir;

    @Test
    void acksAllIsAnsweredFromPartitionFsyncsWhenTheJournalCannotGrow() throws Exception {
        // ulimit -f counts 1024-byte blocks: no file may grow past 160 KiB; segments roll at 100 KiB
        FileSizeLimitedChild.Result r = FileSizeLimitedChild.run(JournalDiskFullChild.class, 160, dir.toString(), 60);
        String line = r.line();
        assertThat(line).as(r.output()).contains("acked=300 ", "errors=0 ", "leo0=450 ", "leo1=450 ", "durable0=450 ");
        // 300 x ~1.9 KiB went through the journal: more than one 160 KiB file held it.
        long files = Long.parseLong(line.replaceAll(".* journalFiles=(\\d+).*", "$1"));
        assertThat(files).isGreaterThan(1);
        assertThat(r.output()).contains("Journal write in");

        LogManager m = new LogManager(dir, Map.of(), Time.SYSTEM);
        m.startup();
        try {
            for (int p = 0; p < 2; p++) {
                Log log = m.log("t", p).orElseThrow();
                assertThat(log.logEndOffset()).isEqualTo(450);
                assertThat(TestBatches.allValid(
                                log.read(0, Integer.MAX_VALUE, false).records().toByteBuffer()))
                        .isTrue();
            }
        } finally {
            m.close();
        }
    }
}
