package io.tributary.cli;

import io.tributary.client.common.PartitionInfo;
import io.tributary.client.common.TributaryException;
import io.tributary.client.common.errors.TimeoutException;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.client.serialization.ByteArrayDeserializer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * The options every client command shares (issue 13): where the cluster is and the client
 * properties file (SASL/TLS keys as in Kafka's {@code --command-config}). The topics and groups
 * commands mix this in too, so they take the same spellings.
 */
final class ClientOptions {
    static final String ENV_BROKERS = "TRIBUTARY_BROKERS";

    @Option(
            names = {"-b", "--brokers"},
            paramLabel = "HOST:PORT[,...]",
            description = "Bootstrap brokers (default: $" + ENV_BROKERS + " or localhost:9092).")
    String brokers;

    @Option(
            names = "--command-config",
            paramLabel = "FILE",
            description = "Client properties (Kafka keys, e.g. security.protocol, sasl.*, ssl.*).")
    Path commandConfig;

    @Option(
            names = "--timeout",
            paramLabel = "MS",
            defaultValue = "15000",
            description = "How long to wait for the cluster before giving up (default: ${DEFAULT-VALUE}).")
    long timeoutMs;

    /** Set by tests so they need not change the process environment. */
    static volatile Map<String, String> environment = System.getenv();

    String bootstrapServers() {
        if (brokers != null && !brokers.isBlank()) {
            return brokers;
        }
        String env = environment.get(ENV_BROKERS);
        return env != null && !env.isBlank() ? env : "localhost:9092";
    }

    Duration timeout() {
        return Duration.ofMillis(timeoutMs);
    }

    /** The command-config properties with bootstrap.servers and {@code extra} on top. */
    Map<String, Object> clientConfig(Map<String, Object> extra) {
        Map<String, Object> cfg = new HashMap<>();
        if (commandConfig != null) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(commandConfig)) {
                p.load(in);
            } catch (NoSuchFileException e) {
                throw new CliException("command config file not found: " + commandConfig);
            } catch (IOException e) {
                throw new CliException("cannot read command config " + commandConfig + ": " + e.getMessage());
            }
            p.forEach((k, v) -> cfg.put(k.toString(), v.toString()));
        }
        cfg.putAll(extra);
        cfg.put("bootstrap.servers", bootstrapServers());
        return cfg;
    }

    /** A byte-array consumer on these options; {@code group} null for none. */
    TributaryConsumer<byte[], byte[]> consumer(String group, Map<String, Object> extra) {
        Map<String, Object> cfg = new HashMap<>(extra);
        cfg.putIfAbsent("client.id", "tributary-cli");
        if (group != null) {
            cfg.put("group.id", group);
        }
        cfg.putIfAbsent("allow.auto.create.topics", "false");
        try {
            return new TributaryConsumer<>(clientConfig(cfg), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        } catch (TributaryException e) {
            throw new CliException("bad client configuration: " + e.getMessage(), e);
        }
    }

    /**
     * The partitions of each topic, failing with one line if the cluster cannot be reached or a
     * topic does not exist (listing topics never creates one).
     */
    Map<String, List<PartitionInfo>> requireTopics(TributaryConsumer<?, ?> c, Collection<String> topics) {
        Map<String, List<PartitionInfo>> all;
        try {
            all = c.listTopics(timeout());
        } catch (TimeoutException e) {
            throw new CliException("cannot reach brokers at " + bootstrapServers() + " within " + timeoutMs + " ms", e);
        }
        Map<String, List<PartitionInfo>> out = new HashMap<>();
        for (String t : topics) {
            List<PartitionInfo> ps = all.get(t);
            if (ps == null || ps.isEmpty()) {
                throw new CliException("unknown topic: " + t);
            }
            out.put(t, ps);
        }
        return out;
    }
}
