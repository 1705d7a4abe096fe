package io.tributary.interop.support;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Our broker as a separate JVM ({@code io.tributary.broker.BrokerMain}), so a test can SIGKILL it
 * mid-stream, the way a machine loses power, and start it again on the same data directory and
 * port. Uses this JVM's {@code java} and class path, so it runs exactly the code under test.
 *
 * <p>Owned by one test thread. A daemon thread per child copies its stdout (to find the
 * {@code bootstrap.servers=} line and keep the tail for failure messages).
 */
public final class TributaryProcess implements RunningBroker {
    public static final String MAIN_CLASS = "io.tributary.broker.BrokerMain";
    private static final Pattern BOOTSTRAP = Pattern.compile("bootstrap\\.servers=(\\S+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path dataDir;
    private final Map<String, String> overrides;
    private final List<String> jvmOptions;
    private final Path stderrFile;
    private final ConcurrentLinkedQueue<String> outputTail = new ConcurrentLinkedQueue<>();
    private Process process;
    private String bootstrapServers;

    private TributaryProcess(Path dataDir, Map<String, String> overrides, List<String> jvmOptions) throws IOException {
        this.dataDir = dataDir;
        this.overrides = Map.copyOf(overrides);
        this.jvmOptions = List.copyOf(jvmOptions);
        this.stderrFile = Files.createTempFile("tributary-child-", ".stderr");
    }

    /** Starts a broker on {@code dataDir}, binding any free port; waits until it is listening. */
    public static TributaryProcess start(Path dataDir, Map<String, String> overrides) throws IOException {
        return start(dataDir, overrides, List.of());
    }

    /** {@link #start(Path, Map)} with extra JVM options after the defaults (a later {@code -Xmx} wins). */
    public static TributaryProcess start(Path dataDir, Map<String, String> overrides, List<String> jvmOptions)
            throws IOException {
        TributaryProcess broker = new TributaryProcess(dataDir, overrides, jvmOptions);
        try {
            broker.launch(0);
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(broker.stderrFile);
            throw e;
        }
        return broker;
    }

    @Override
    public Target target() {
        return Target.TRIBUTARY;
    }

    @Override
    public String bootstrapServers() {
        if (bootstrapServers == null) {
            throw new IllegalStateException("broker process is not running");
        }
        return bootstrapServers;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The running child's process id. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no flush, no chance to tidy the log. */
    public void kill() throws InterruptedException {
        Process p = process;
        p.destroyForcibly();
        if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("broker process " + p.pid() + " survived SIGKILL");
        }
    }

    /** SIGTERM, then waits for the process to exit by itself; returns its exit code. */
    public int stop() throws InterruptedException {
        Process p = process;
        p.destroy();
        if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("broker did not exit within " + STOP_TIMEOUT + " of SIGTERM\n" + diagnostics());
        }
        return p.exitValue();
    }

    /** Starts the (stopped or killed) broker again on the same data directory and the same port. */
    public void startAgain() throws IOException {
        if (isAlive()) {
            throw new IllegalStateException("broker process is still running");
        }
        launch(port());
    }

    @Override
    public boolean canRestart() {
        return true;
    }

    /** Clean stop (SIGTERM) and start again on the same directory and port. */
    @Override
    public void restart() {
        try {
            stop();
            startAgain();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Kills the child if it still runs; leaves the data directory to the caller. */
    @Override
    public void close() {
        try {
            if (isAlive()) {
                kill();
            }
            Files.deleteIfExists(stderrFile);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing the broker process", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last lines the child printed, for assertion messages. */
    public String diagnostics() {
        String stderr;
        try {
            List<String> lines = Files.readAllLines(stderrFile, StandardCharsets.UTF_8);
            stderr = String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            stderr = "(stderr unreadable: " + e + ")";
        }
        return "stdout tail:\n" + String.join("\n", outputTail) + "\nstderr tail:\n" + stderr;
    }

    private void launch(int port) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Small, quick-starting JVM: the box has two cores shared with the test JVM.
        command.addAll(List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS));
        command.addAll(List.of("--data-dir", dataDir.toString(), "--port", Integer.toString(port)));
        overrides.forEach((key, value) -> command.addAll(List.of("--override", key + "=" + value)));
        outputTail.clear();
        bootstrapServers = null;
        process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(stderrFile.toFile()))
                .start();
        CompletableFuture<String> announced = new CompletableFuture<>();
        Process started = process;
        Thread reader = new Thread(() -> copyStdout(started, announced), "tributary-child-stdout-" + started.pid());
        reader.setDaemon(true);
        reader.start();
        try {
            await("broker process prints bootstrap.servers=")
                    .atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> announced.isDone() || !started.isAlive());
        } catch (RuntimeException e) {
            started.destroyForcibly();
            throw new AssertionError("broker process did not start in time\n" + diagnostics(), e);
        }
        if (!announced.isDone()) {
            throw new AssertionError(
                    "broker process exited with " + exitCodeOf(started) + " before listening\n" + diagnostics());
        }
        bootstrapServers = announced.join();
        if (port != 0 && port() != port) {
            throw new AssertionError("asked for port " + port + " but the broker announced " + bootstrapServers);
        }
    }

    private void copyStdout(Process child, CompletableFuture<String> announced) {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                outputTail.add(line);
                while (outputTail.size() > 60) {
                    outputTail.poll();
                }
                Matcher m = BOOTSTRAP.matcher(line);
                if (!announced.isDone() && m.find()) {
                    announced.complete(m.group(1));
                }
            }
        } catch (IOException e) {
            // The child died; the waiting side notices through isAlive().
        }
    }

    private static String exitCodeOf(Process p) {
        return p.isAlive() ? "(still running)" : Integer.toString(p.exitValue());
    }
}
