package io.tributary.interop.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The harness the churn tests judge by: whatever a member wrote before a SIGKILL is seen.
 * Process.destroyForcibly() used to close our end of the child's stdout, dropping the lines still
 * in the pipe, so a record printed and committed just before a kill looked never consumed.
 */
class MemberProcessTest {
    private static final Pattern FLUSHED = Pattern.compile("flushed (\\d+)");

    @Test
    void everyLineFlushedBeforeASigkillIsRead() throws Exception {
        try (MemberProcess m = MemberProcess.start("printer", Printer.class.getName(), List.of())) {
            // Kill while it writes flat out, so the pipe is full of lines we have not read yet.
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> lastFlushed(m.stderr()) >= 50_000);
            m.kill();
            long flushed = lastFlushed(m.stderr());
            long read =
                    m.events().stream().filter(e -> e.kind().equals("RECORD")).count();
            assertThat(read)
                    .as("RECORD lines read after the SIGKILL; the child had flushed %d", flushed)
                    .isGreaterThanOrEqualTo(flushed);
        }
    }

    private static long lastFlushed(String stderr) {
        Matcher matcher = FLUSHED.matcher(stderr);
        long last = -1;
        while (matcher.find()) {
            last = Long.parseLong(matcher.group(1));
        }
        return last;
    }

    /** Prints records without end, flushing every 500 and then saying on stderr how many are out. */
    public static final class Printer {
        public static void main(String[] args) {
            PrintStream out = new PrintStream(
                    new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                    false,
                    StandardCharsets.UTF_8);
            for (long i = 0; ; i++) {
                out.println("RECORD " + System.nanoTime() + " 0 " + i + " " + i);
                if (i % 500 == 499) {
                    out.flush();
                    System.err.println("flushed " + (i + 1));
                }
            }
        }
    }
}
