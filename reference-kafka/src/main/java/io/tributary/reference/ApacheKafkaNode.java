package io.tributary.reference;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * Apache Kafka in this JVM, the reference Tributary is compared with: one KRaft node that is both
 * broker and controller, on an ephemeral port, with its data in a temporary directory deleted on
 * close. The interop tests and the benchmarks both start it here, so they compare against the same
 * broker built the same way.
 *
 * <p>Thread-safety: an instance's methods are for the thread that owns it; Kafka's own threads
 * run inside.
 */
public final class ApacheKafkaNode implements AutoCloseable {
    /**
     * What one node needs (replication factors of 1) and fewer threads for a 2-core box.
     * Everything else, notably flushing and the initial rebalance delay, keeps Apache's defaults
     * unless the caller overrides it: Apache's defaults are what we compare against.
     */
    public static final Map<String, String> SINGLE_NODE_SETTINGS = Map.ofEntries(
            Map.entry("offsets.topic.replication.factor", "1"),
            Map.entry("offsets.topic.num.partitions", "1"),
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("transaction.state.log.num.partitions", "1"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.num.partitions", "1"),
            Map.entry("default.replication.factor", "1"),
            Map.entry("min.insync.replicas", "1"),
            Map.entry("num.network.threads", "2"),
            Map.entry("num.io.threads", "2"),
            Map.entry("background.threads", "2"),
            Map.entry("log.cleaner.threads", "1"),
            Map.entry("num.recovery.threads.per.data.dir", "1"));

    /**
     * The metadata version a production 4.3 node runs. The test kit defaults to the newest one,
     * which is still in development and may enable features no released broker has.
     */
    public static final MetadataVersion METADATA_VERSION = MetadataVersion.latestProduction();

    private final KafkaClusterTestKit cluster;
    private final Path baseDir;
    private final Map<String, String> settings;
    private final String bootstrapServers;

    private ApacheKafkaNode(KafkaClusterTestKit cluster, Path baseDir, Map<String, String> settings) {
        this.cluster = cluster;
        this.baseDir = baseDir;
        this.settings = settings;
        this.bootstrapServers = cluster.bootstrapServers();
    }

    /** Starts a node with {@link #SINGLE_NODE_SETTINGS} plus {@code overrides} (which win). */
    public static ApacheKafkaNode start(Map<String, String> overrides) {
        Path baseDir = null;
        KafkaClusterTestKit cluster = null;
        try {
            baseDir = Files.createTempDirectory("apache-kafka-");
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(baseDir)
                    // As `kafka-storage format` does for a production node: group.version at its
                    // default, which is what makes a 4.x broker serve the consumer protocol (KIP-848).
                    .setBootstrapMetadata(BootstrapMetadata.fromVersions(
                            METADATA_VERSION,
                            Map.of(
                                    MetadataVersion.FEATURE_NAME,
                                    METADATA_VERSION.featureLevel(),
                                    Feature.GROUP_VERSION.featureName(),
                                    Feature.GROUP_VERSION.defaultLevel(METADATA_VERSION)),
                            "tributary reference node"))
                    .build();
            Map<String, String> settings = new LinkedHashMap<>(SINGLE_NODE_SETTINGS);
            settings.putAll(overrides);
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(true);
            settings.forEach(builder::setConfigProp);
            cluster = builder.build();
            // format() narrates to stdout; callers print tables or test output of their own.
            PrintStream out = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                cluster.format();
            } finally {
                System.setOut(out);
            }
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new ApacheKafkaNode(cluster, baseDir, Map.copyOf(settings));
        } catch (Exception e) {
            if (cluster != null) {
                try {
                    cluster.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            deleteQuietly(baseDir);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Apache Kafka did not start", e);
        }
    }

    /** {@code host:port} of the PLAINTEXT listener, with the port the OS actually bound. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * The port the OS bound for one of the node's listeners, by name (case-insensitive): callers that add listeners
     * with the {@code listeners} and {@code listener.security.protocol.map} overrides, on port 0, find them here.
     */
    public int boundPort(String listenerName) {
        return cluster.brokers()
                .values()
                .iterator()
                .next()
                .boundPort(org.apache.kafka.common.network.ListenerName.normalised(listenerName));
    }

    /**
     * The sum of a broker metric over every instance carrying {@code tags} (e.g. one per network processor), such as
     * {@code successful-reauthentication-total} with {@code listener=SASL_PLAINTEXT}; 0 when none exists yet.
     */
    public double metricTotal(String name, Map<String, String> tags) {
        double total = 0;
        var metrics = cluster.brokers().values().iterator().next().metrics().metrics();
        for (var e : metrics.entrySet()) {
            if (e.getKey().name().equals(name)
                    && e.getKey().tags().entrySet().containsAll(tags.entrySet())
                    && e.getValue().metricValue() instanceof Number n) {
                total += n.doubleValue();
            }
        }
        return total;
    }

    /** The settings the node was started with: {@link #SINGLE_NODE_SETTINGS} and the overrides. */
    public Map<String, String> settings() {
        return settings;
    }

    /** The broker's effective value of a config key (its default when nobody set it). */
    public Object effectiveConfig(String key) {
        return cluster.brokers().values().iterator().next().config().values().get(key);
    }

    /** The directory holding the node's metadata and partition logs. */
    public Path baseDir() {
        return baseDir;
    }

    /**
     * Shuts the broker side of the node down cleanly and starts it again on the same data and the
     * same port (the test kit keeps the port bound for the node); the controller keeps running.
     */
    public void restartBroker() throws Exception {
        kafka.server.BrokerServer broker = cluster.brokers().values().iterator().next();
        broker.shutdown();
        broker.awaitShutdown();
        broker.startup();
        cluster.waitForReadyBrokers();
    }

    /** Shuts the node down and deletes its directory; failures surface as unchecked. */
    @Override
    public void close() {
        try {
            cluster.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping Apache Kafka", e);
        } catch (Exception e) {
            throw new IllegalStateException("Apache Kafka did not shut down cleanly", e);
        } finally {
            deleteQuietly(baseDir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            // a leftover temporary directory is not worth failing a test or a benchmark for
        }
    }
}
