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
 * How the suite starts each broker as a user would: ours through {@code BrokerMain} (what
 * {@code bin/tributary broker} runs), Apache Kafka through {@code kafka.Kafka} on a KRaft
 * directory formatted first by {@code kafka.tools.StorageTool} ({@code kafka-storage.sh format}),
 * one combined broker+controller node with reference-kafka's single-node settings. Formatting is
 * not part of the cold start: a user formats once. Stateless.
 */
final class BrokerLaunch {
    static final String TRIBUTARY_MAIN = "io.tributary.broker.BrokerMain";

    private BrokerLaunch() {}

    static ChildBroker tributary(Path dataDir, List<String> jvm, Map<String, String> props)
            throws IOException, InterruptedException {
        int port = ChildBroker.freePort();
        List<String> args = new ArrayList<>(List.of("--data-dir", dataDir.toString(), "--port", "" + port));
        props.forEach((k, v) -> args.addAll(List.of("--override", k + "=" + v)));
        return ChildBroker.start("tributary", jvm, TRIBUTARY_MAIN, args, "localhost:" + port, dataDir);
    }

    static ChildBroker apache(Path dataDir, List<String> jvm, Map<String, String> props)
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
        return ChildBroker.start("apache", jvm, "kafka.Kafka", List.of(file.toString()), "localhost:" + port, dataDir);
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
