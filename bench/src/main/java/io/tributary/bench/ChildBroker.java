package io.tributary.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One broker in a child JVM of its own (ours as {@code bin/tributary broker} runs it, Apache's
 * through {@code kafka.Kafka}), so its CPU time and resident memory can be read per process from
 * /proc. The cold start is timed from the spawn to the first Metadata answer on a new socket,
 * polled every 20 ms. Owned by the suite's main thread.
 */
final class ChildBroker implements BrokerUnderTest {
    private static final long START_TIMEOUT_MS = 180_000;

    private final String name;
    private final Process process;
    private final String bootstrapServers;
    private final Path dataDir;
    private final Path log;
    private final double coldStartMs;
    private final String jvmFlags;

    private ChildBroker(
            String name,
            Process process,
            String bootstrap,
            Path dataDir,
            Path log,
            double coldStartMs,
            String jvmFlags) {
        this.name = name;
        this.jvmFlags = jvmFlags;
        this.process = process;
        this.bootstrapServers = bootstrap;
        this.dataDir = dataDir;
        this.log = log;
        this.coldStartMs = coldStartMs;
    }

    /**
     * Spawns {@code mainClass} with {@code jvmOptions} and {@code args} on this JVM's class path
     * and waits until {@code bootstrap} answers Metadata. {@code dataDir} is deleted on close.
     */
    static ChildBroker start(
            String name, List<String> jvmOptions, String mainClass, List<String> args, String bootstrap, Path dataDir)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        return start(name, command, String.join(" ", jvmOptions), bootstrap, dataDir);
    }

    /** Spawns {@code command} as it is and waits until {@code bootstrap} answers Metadata. */
    static ChildBroker start(String name, List<String> command, String jvmFlags, String bootstrap, Path dataDir)
            throws IOException, InterruptedException {
        Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (true) {
            try {
                TestkitBench.metadata(bootstrap);
                break;
            } catch (IOException notYet) {
                if (!p.isAlive() || System.currentTimeMillis() > deadline) {
                    p.destroyForcibly();
                    throw new IOException(name + " did not answer Metadata on " + bootstrap
                            + (p.isAlive() ? " in time" : ", exited with " + p.waitFor()) + "; log: " + log);
                }
                Thread.sleep(20); // polling a port that is not open yet; nothing to wait on instead
            }
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        return new ChildBroker(name, p, bootstrap, dataDir, log, ms, jvmFlags);
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A port that was free a moment ago (bound to 0 and released). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public String describeSettings() {
        return "child JVM " + jvmFlags;
    }

    long pid() {
        return process.pid();
    }

    double coldStartMs() {
        return coldStartMs;
    }

    double cpuSeconds() {
        return ProcStats.cpuSeconds(process.pid());
    }

    double residentMib() {
        return ProcStats.residentMib(process.pid());
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /**
     * SIGTERM, up to 60 s for a clean exit, then SIGKILL; deletes the data directory, and the log
     * unless {@code keepLog} (a failed turn points at it).
     */
    void stop(boolean keepLog) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        deleteTree(dataDir);
        if (keepLog) {
            return;
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a leftover log under bench/target is harmless
        }
    }

    @Override
    public void close() {
        try {
            stop(false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover directory under bench/target is harmless
        }
    }
}
