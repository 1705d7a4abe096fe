package io.tributary.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The training run behind the class-data sharing archives (issue 16): the cli's package phase runs
 * {@code java -XX:ArchiveClassesAtExit=target/tributary.jsa -cp target/tributary.jar} this class with
 * {@code target/cds-training target/tributary-broker.jsa}. It starts {@code tributary broker} on a scratch
 * directory as a child JVM that writes the classes it loads to a class list ({@code
 * -XX:DumpLoadedClassList}), drives it with the client commands (topics, produce, consume, perf, groups) in
 * this JVM, stops it with SIGTERM (its clean-shutdown path is listed too) and then has the JDK dump a
 * static archive of that list ({@code -Xshare:dump}): the broker's archive, one layer holding the JDK and
 * application classes a broker that served real requests used, with the string and lambda-form data a
 * static archive also keeps. {@code bin/tributary broker} maps it; mapping it instead of the default JDK
 * archive plus a dynamic layer took the CPU to the first Metadata answer from ~485 to ~450 ms and the
 * wall time from ~940 to ~670 ms (medians of 10 interleaved starts, load average 7-12). This JVM's own
 * dynamic archive, {@code tributary.jsa}, holds the client commands' classes for the other commands.
 * Without a second argument the broker runs in this JVM and only {@code tributary.jsa} is written. A step
 * that fails only leaves its classes out, so the run always exits 0 and never fails the build; a watchdog
 * ends a run that hangs.
 */
public final class CdsTraining {
    private static final long DEADLINE_MS = 120_000;
    private static final int RECORDS = 20_000;

    private CdsTraining() {}

    public static void main(String[] args) throws IOException {
        Path data = Path.of(args.length > 0 ? args[0] : "target/cds-training");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        deleteRecursively(data);
        Thread watchdog = new Thread(
                () -> {
                    try {
                        Thread.sleep(DEADLINE_MS);
                        System.err.println("cds training: still running after " + DEADLINE_MS + " ms; stopping");
                        System.exit(0);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "cds-training-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        int port = freePort();
        String bootstrap = "localhost:" + port;
        Path brokerArchive = args.length > 1 ? Path.of(args[1]) : null;
        Process child = null;
        if (brokerArchive != null) {
            child = startChildBroker(data, port, brokerArchive);
            Process started = child;
            // The watchdog's exit must not leave a broker behind.
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "cds-training-child-stop"));
        } else {
            Thread broker = new Thread(
                    () -> Launcher.main(
                            new String[] {"broker", "--data-dir", data.toString(), "--port", String.valueOf(port)}),
                    "cds-training-broker");
            broker.setDaemon(true);
            broker.start();
        }
        awaitListening(port);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            lines.append("key-")
                    .append(i)
                    .append(':')
                    .append("value-")
                    .append(i)
                    .append('\n');
        }
        byte[] input = lines.toString().getBytes(StandardCharsets.UTF_8);
        step(input, "topics", "create", "cds", "-p", "2", "-b", bootstrap);
        step(input, "produce", "cds", "-k", ":", "-b", bootstrap);
        step(input, "consume", "cds", "--from-beginning", "-e", "-g", "cds-group", "-b", bootstrap);
        step(input, "perf", "produce", "cds", "--records", String.valueOf(RECORDS), "-b", bootstrap);
        step(input, "perf", "consume", "cds", "--records", String.valueOf(RECORDS), "-b", bootstrap);
        step(input, "topics", "list", "-b", bootstrap);
        step(input, "topics", "describe", "cds", "-b", bootstrap);
        step(input, "groups", "list", "-b", bootstrap);
        step(input, "groups", "describe", "cds-group", "-b", bootstrap);
        if (child != null) {
            stopAndDump(child, brokerArchive);
        }
        // Exits through the broker's shutdown hook (in-process broker), so its clean-shutdown path is archived too.
        System.exit(0);
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Path classList(Path archive) {
        return archive.resolveSibling(archive.getFileName() + ".classlist");
    }

    /** The broker as bin/tributary starts it (its heap and collector), listing the classes it loads. */
    private static Process startChildBroker(Path data, int port, Path archive) throws IOException {
        Files.deleteIfExists(archive);
        Files.deleteIfExists(classList(archive));
        List<String> command = List.of(
                javaExecutable(),
                "-XX:DumpLoadedClassList=" + classList(archive),
                "-XX:+UseG1GC",
                "-Xms32m",
                "-Xmx1g",
                "-cp",
                System.getProperty("java.class.path"),
                Launcher.class.getName(),
                "broker",
                "--data-dir",
                data.toString(),
                "--port",
                String.valueOf(port));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(
                        archive.resolveSibling("cds-training-broker.log").toFile())
                .start();
    }

    /**
     * SIGTERM to the child broker, then {@code -Xshare:dump} of its class list into {@code archive} with the
     * broker's collector and maximum heap (so the archived heap objects map at run time).
     */
    private static void stopAndDump(Process child, Path archive) {
        try {
            child.destroy();
            if (!child.waitFor(DEADLINE_MS, TimeUnit.MILLISECONDS)) {
                child.destroyForcibly();
                System.err.println("cds training: the broker did not stop; no broker archive");
                return;
            }
            Process dump = new ProcessBuilder(
                            javaExecutable(),
                            "-Xshare:dump",
                            "-XX:SharedClassListFile=" + classList(archive),
                            "-XX:SharedArchiveFile=" + archive,
                            "-XX:+UseG1GC",
                            "-Xmx1g",
                            "-cp",
                            System.getProperty("java.class.path"))
                    .redirectErrorStream(true)
                    .redirectOutput(
                            archive.resolveSibling("cds-broker-dump.log").toFile())
                    .start();
            if (!dump.waitFor(DEADLINE_MS, TimeUnit.MILLISECONDS) || dump.exitValue() != 0) {
                dump.destroyForcibly();
                Files.deleteIfExists(archive);
                System.err.println("cds training: -Xshare:dump failed (see cds-broker-dump.log); no broker archive");
            }
        } catch (IOException e) {
            System.err.println("cds training: no broker archive: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void step(byte[] stdin, String... args) {
        InputStream in = new ByteArrayInputStream(stdin);
        PrintStream out = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        int code = Main.run(args, in, out, System.err);
        if (code != Main.EXIT_OK) {
            System.err.println("cds training: '" + String.join(" ", args) + "' exited " + code + "; continuing");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void awaitListening(int port) {
        long deadline = System.currentTimeMillis() + DEADLINE_MS;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("localhost", port), 1000);
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(20); // polls a child broker starting up; nothing to wait on instead
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
