package io.tributary.bench;

import io.tributary.reference.ApacheKafkaNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;

/**
 * How the suite starts each broker as a user would: ours with the command {@code bin/tributary
 * broker} runs (the launcher's JVM flags and class-data sharing archive, asked of the launcher
 * itself with {@code TRIBUTARY_PRINT_COMMAND=1} so the flags live in one place), Apache Kafka
 * through {@code kafka.Kafka} with the JVM flags its own scripts pass, on a KRaft directory
 * formatted first by {@code kafka.tools.StorageTool} ({@code kafka-storage.sh format}), one
 * combined broker+controller node with reference-kafka's single-node settings. Formatting is
 * not part of the cold start: a user formats once. Stateless.
 */
final class BrokerLaunch {
    /**
     * What {@code kafka-server-start.sh} ({@code KAFKA_HEAP_OPTS}) and {@code kafka-run-class.sh}
     * ({@code KAFKA_JVM_PERFORMANCE_OPTS}) pass by default; their GC log file is left out.
     */
    static final String APACHE_SCRIPT_JVM = "-Xmx1G -Xms1G -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20"
            + " -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true";

    /**
     * The group coordinators' INFO lines, with wall-clock times, are how the suite reads each
     * broker's own JoinGroup-to-SyncGroup time (both use slf4j-simple here); logging only.
     */
    static final List<String> GROUP_LOG = List.of(
            "-Dorg.slf4j.simpleLogger.showDateTime=true",
            "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS",
            "-Dorg.slf4j.simpleLogger.log.io.tributary.coordinator.group=info",
            "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.coordinator.group=info");

    private BrokerLaunch() {}

    /**
     * The java command {@code launcher broker} runs, with {@code extraJvm} as its
     * {@code TRIBUTARY_JAVA_OPTS}; the launcher builds cli/target/tributary.jar first when it is
     * missing or stale, so that happens here, before anything is timed.
     */
    static List<String> tributaryCommand(Path launcher, List<String> extraJvm)
            throws IOException, InterruptedException {
        ProcessBuilder pb =
                new ProcessBuilder(launcher.toString(), "broker").redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("TRIBUTARY_PRINT_COMMAND", "1");
        List<String> opts = new ArrayList<>(GROUP_LOG);
        opts.addAll(extraJvm);
        pb.environment().put("TRIBUTARY_JAVA_OPTS", String.join(" ", opts));
        Process p = pb.start();
        List<String> command;
        try (var out =
                new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            command = out.lines().filter(l -> !l.isEmpty()).toList();
        }
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0 || command.isEmpty()) {
            p.destroyForcibly();
            throw new IOException(launcher + " broker (TRIBUTARY_PRINT_COMMAND=1) failed");
        }
        return command;
    }

    /** The JVM flags of a command: the words between {@code java} and {@code -jar} or the class path. */
    static String jvmFlags(List<String> command) {
        List<String> flags = new ArrayList<>();
        for (String word : command.subList(1, command.size())) {
            if (word.equals("-jar") || word.equals("-cp")) {
                break;
            }
            flags.add(word);
        }
        return String.join(" ", flags);
    }

    /**
     * Our broker from the launcher's command; without {@code groupLog} the command loses the
     * {@link #GROUP_LOG} flags {@link #tributaryCommand} put in it, i.e. it starts as
     * {@code bin/tributary broker} does for a user.
     */
    static ChildBroker tributary(
            Path dataDir, List<String> launcherCommand, Map<String, String> props, boolean groupLog)
            throws IOException, InterruptedException {
        int port = ChildBroker.freePort();
        List<String> command = new ArrayList<>(launcherCommand);
        if (!groupLog) {
            command.removeAll(GROUP_LOG);
        }
        command.addAll(List.of("--data-dir", dataDir.toString(), "--port", "" + port));
        props.forEach((k, v) -> command.addAll(List.of("--override", k + "=" + v)));
        return ChildBroker.start("tributary", command, jvmFlags(launcherCommand), "localhost:" + port, dataDir);
    }

    /** Apache's broker; without {@code groupLog} its JVM gets only {@code jvm}, as its scripts start it. */
    static ChildBroker apache(Path dataDir, List<String> jvm, Map<String, String> props, boolean groupLog)
            throws IOException, InterruptedException {
        int port = ChildBroker.freePort();
        int controllerPort = ChildBroker.freePort();
        Files.createDirectories(dataDir);
        Map<String, String> config = new LinkedHashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        config.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("log.dirs", dataDir.resolve("logs").toString());
        config.putAll(ApacheKafkaNode.SINGLE_NODE_SETTINGS);
        config.putAll(props);
        Path file = dataDir.resolve("server.properties");
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, String> e : config.entrySet()) {
                w.write(e.getKey() + "=" + e.getValue() + "\n");
            }
        }
        format(file, dataDir.resolve("format.log"));
        List<String> options = new ArrayList<>(jvm);
        if (groupLog) {
            options.addAll(GROUP_LOG);
        }
        return ChildBroker.start(
                "apache", options, "kafka.Kafka", List.of(file.toString()), "localhost:" + port, dataDir);
    }

    /** {@code kafka-storage.sh format -t ID -c FILE} in a child JVM, as the script runs it. */
    private static void format(Path config, Path log) throws IOException, InterruptedException {
        List<String> command = List.of(
                ChildBroker.javaExecutable(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                "kafka.tools.StorageTool",
                "format",
                "-t",
                Uuid.randomUuid().toString(),
                "-c",
                config.toString());
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("kafka-storage format did not finish in 120 s; log: " + log);
        }
        if (p.exitValue() != 0) {
            throw new IOException("kafka-storage format failed (" + p.exitValue() + "): " + Files.readString(log));
        }
    }
}
