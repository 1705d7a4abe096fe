package io.tributary.interop.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A current librdkafka ({@value #VERSION}) for Debian's {@code kcat} and {@code /usr/bin/python3}
 * confluent_kafka, which are linked against Debian's librdkafka 2.0.2 (old SCRAM bug). The same
 * binaries load it instead through {@code LD_LIBRARY_PATH}; {@code interop-tests/tools/build-librdkafka.sh}
 * builds it into {@code ${TRIBUTARY_CACHE:-$HOME/.cache/tributary}/librdkafka-VERSION/lib}.
 *
 * <p>{@link #libDir()} only looks: a normal test run never builds. Stateless and thread-safe.
 */
public final class NewLibrdkafka {
    /** The librdkafka version the build script pins (bundled in node-rdkafka 3.6.1). */
    public static final String VERSION = "2.12.0";

    public static final String KCAT = "/usr/bin/kcat";
    public static final String PYTHON = "/usr/bin/python3";

    private static final Pattern KCAT_LIBRDKAFKA = Pattern.compile("librdkafka (\\S+)");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private NewLibrdkafka() {}

    /** Where the build script puts its output; {@code TRIBUTARY_CACHE} overrides, as for the script. */
    public static Path cacheRoot() {
        String override = System.getenv("TRIBUTARY_CACHE");
        if (override != null && !override.isEmpty()) {
            return Path.of(override);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "tributary");
    }

    /** The directory holding {@code librdkafka.so.1} {@value #VERSION}, if it has been built. */
    public static Optional<Path> libDir() {
        Path dir = cacheRoot().resolve("librdkafka-" + VERSION).resolve("lib");
        return Files.isRegularFile(dir.resolve("librdkafka.so.1")) ? Optional.of(dir) : Optional.empty();
    }

    /** {@link #libDir()}, or a failure naming the command that builds it. */
    public static Path requireLibDir() {
        return libDir().orElseThrow(() -> new AssertionError("librdkafka " + VERSION + " is not built under "
                + cacheRoot() + "; run interop-tests/tools/build-librdkafka.sh"));
    }

    /**
     * Makes {@code builder}'s process load librdkafka from {@code libDir} first (prepended to any
     * {@code LD_LIBRARY_PATH} it already has). Returns {@code builder}.
     */
    public static ProcessBuilder applyTo(ProcessBuilder builder, Path libDir) {
        String existing = builder.environment().get("LD_LIBRARY_PATH");
        String value = existing == null || existing.isEmpty() ? libDir.toString() : libDir + ":" + existing;
        builder.environment().put("LD_LIBRARY_PATH", value);
        return builder;
    }

    /** {@link #applyTo(ProcessBuilder, Path)} with {@link #requireLibDir()}. */
    public static ProcessBuilder applyTo(ProcessBuilder builder) {
        return applyTo(builder, requireLibDir());
    }

    /** The librdkafka version {@code kcat -V} reports when run with {@code libDir}. */
    public static String kcatVersion(Path libDir) throws IOException, InterruptedException {
        ExternalCommand.Result result = ExternalCommand.run(
                        applyTo(new ProcessBuilder(ExternalCommand.requireExecutable(KCAT), "-V"), libDir),
                        new byte[0],
                        COMMAND_TIMEOUT)
                .assertSuccess();
        Matcher m = KCAT_LIBRDKAFKA.matcher(result.stdout() + result.stderr());
        if (!m.find()) {
            throw new AssertionError("no librdkafka version in kcat -V output:\n" + result.stdout());
        }
        return m.group(1);
    }

    /** The version {@code confluent_kafka.libversion()} reports in {@code /usr/bin/python3} with {@code libDir}. */
    public static String pythonVersion(Path libDir) throws IOException, InterruptedException {
        List<String> command = List.of(
                ExternalCommand.requireExecutable(PYTHON),
                "-c",
                "import confluent_kafka; print(confluent_kafka.libversion()[0])");
        return ExternalCommand.run(applyTo(new ProcessBuilder(command), libDir), new byte[0], COMMAND_TIMEOUT)
                .assertSuccess()
                .stdout()
                .strip();
    }

    /**
     * Runs the build script (a no-op when the library is already there) and returns the lib
     * directory it printed. Only for tests that opt into the build, never for ordinary ones.
     */
    public static Path build(Duration timeout) throws IOException, InterruptedException {
        Path script = buildScript();
        ExternalCommand.Result result = ExternalCommand.run(List.of("bash", script.toString()), new byte[0], timeout)
                .assertSuccess();
        List<String> lines = result.stdout().strip().lines().toList();
        if (lines.isEmpty()) {
            throw new AssertionError(script + " printed nothing; stderr:\n" + result.stderr());
        }
        return Path.of(lines.get(lines.size() - 1));
    }

    /** The script, found from the working directory (the module's when Surefire runs, or the repo root). */
    public static Path buildScript() {
        Path relative = Path.of("tools", "build-librdkafka.sh");
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (Path candidate :
                    List.of(dir.resolve(relative), dir.resolve("interop-tests").resolve(relative))) {
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        }
        throw new AssertionError("interop-tests/tools/build-librdkafka.sh not found above "
                + Path.of("").toAbsolutePath());
    }
}
