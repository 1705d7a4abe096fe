package io.tributary.interop.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a non-Java client (kcat, python3) to completion with a deadline. Output goes through temp
 * files rather than pipes so a chatty child can never block on a full pipe buffer.
 *
 * <p>Stateless; each call owns the child process it starts and kills it if the deadline passes.
 */
public final class ExternalCommand {
    private ExternalCommand() {}

    /** What a finished command left behind. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        /** Fails the test, showing the command's output, unless it exited with 0. */
        public Result assertSuccess() {
            assertThat(exitCode)
                    .as("exit code of %s%nstdout:%n%s%nstderr:%n%s", command, tail(stdout), tail(stderr))
                    .isZero();
            return this;
        }

        private static String tail(String text) {
            return text.length() <= 4000 ? text : "..." + text.substring(text.length() - 4000);
        }
    }

    /** Fails (never skips) when a client binary is missing: CI installs them via .ci/run. */
    public static String requireExecutable(String absolutePath) {
        assertThat(new File(absolutePath).canExecute())
                .as("%s is required for the librdkafka interop tests; .ci/run installs it with apt-get", absolutePath)
                .isTrue();
        return absolutePath;
    }

    /** Runs {@code command} with {@code stdin} as its input and waits at most {@code timeout}. */
    public static Result run(List<String> command, byte[] stdin, Duration timeout)
            throws IOException, InterruptedException {
        return run(new ProcessBuilder(command), stdin, timeout);
    }

    /**
     * Runs {@code builder}'s command with its environment and working directory (e.g. an
     * {@code LD_LIBRARY_PATH} from {@link NewLibrdkafka#applyTo}); its redirects are replaced.
     */
    public static Result run(ProcessBuilder builder, byte[] stdin, Duration timeout)
            throws IOException, InterruptedException {
        List<String> command = List.copyOf(builder.command());
        Path dir = Files.createTempDirectory("interop-cmd-");
        Path in = Files.write(dir.resolve("stdin"), stdin);
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        Process process = builder.redirectInput(in.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(command + " did not finish within " + timeout + "; stderr:\n" + text(err));
            }
            return new Result(command, process.exitValue(), text(out), text(err));
        } finally {
            process.destroyForcibly();
            for (Path p : List.of(in, out, err, dir)) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Lenient decoding: a client printing invalid UTF-8 must not hide its exit code. */
    private static String text(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
