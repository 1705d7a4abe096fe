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
import java.util.stream.Stream;

/**
 * The training run behind the class-data sharing archive (issue 16): the cli's package phase runs
 * {@code java -XX:ArchiveClassesAtExit=target/tributary.jsa -cp target/tributary.jar} this class,
 * which starts {@code tributary broker} on a scratch directory, drives it with the client commands
 * (topics, produce, consume, perf, groups) and exits; the JVM then writes every class it loaded,
 * already parsed and verified, into the archive that {@code bin/tributary} maps at start. A step
 * that fails only leaves its classes out of the archive, so the run always exits 0 and never fails
 * the build; a watchdog ends a run that hangs.
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
        Thread broker = new Thread(
                () -> Launcher.main(
                        new String[] {"broker", "--data-dir", data.toString(), "--port", String.valueOf(port)}),
                "cds-training-broker");
        broker.setDaemon(true);
        broker.start();
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
        // Exits through the broker's shutdown hook, so its clean-shutdown path is archived too.
        System.exit(0);
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
