package io.tributary.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs a test's child class in its own JVM under {@code ulimit -f} (what a full disk does to a
 * write: it fails part-way) and returns the line the child prints starting with {@code "result "}.
 */
final class FileSizeLimitedChild {
    private FileSizeLimitedChild() {}

    /** The child's result line and everything it printed up to it (for failure messages). */
    record Result(String line, String output) {}

    /**
     * @param maxFileKib the largest file the child may grow, in KiB ({@code ulimit -f} counts 1024-byte blocks)
     * @param arg the child's one argument (a directory)
     */
    static Result run(Class<?> main, int maxFileKib, String arg, int timeoutSeconds) throws Exception {
        Path bash = Path.of("/bin/bash");
        assertThat(Files.isExecutable(bash)).as("bash is needed for ulimit").isTrue();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cmd = "ulimit -f " + maxFileKib + " && exec \"$0\" -cp \"$1\" " + main.getName() + " \"$2\"";
        Process child = new ProcessBuilder(bash.toString(), "-c", cmd, java, System.getProperty("java.class.path"), arg)
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
            assertThat(child.waitFor(timeoutSeconds, TimeUnit.SECONDS))
                    .as("child exited")
                    .isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(line).as(all.toString()).isNotNull();
        return new Result(line, all.toString());
    }
}
