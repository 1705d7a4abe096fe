package io.tributary.bench;

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
import org.apache.kafka.server.common.MetadataVersion;

/**
 * Apache Kafka 4.3.1 in this JVM: one combined KRaft broker+controller on an ephemeral port,
 * data in a temporary directory deleted on close. Same launcher as interop-tests'
 * {@code ApacheKafka}, kept separate because bench cannot depend on test sources.
 *
 * <p>Owned by the benchmark main thread; Kafka's own threads run inside.
 */
final class ApacheBroker implements BrokerUnderTest {
    /**
     * Only what a single node needs (replication factors of 1) and fewer threads for a 2-core
     * box; everything else, notably flushing and the group delay, keeps Apache's defaults unless
     * the caller overrides it.
     */
    static final Map<String, String> BASE_SETTINGS = Map.ofEntries(
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

    private final KafkaClusterTestKit cluster;
    private final Path baseDir;
    private final Map<String, String> config;

    private ApacheBroker(KafkaClusterTestKit cluster, Path baseDir, Map<String, String> config) {
        this.cluster = cluster;
        this.baseDir = baseDir;
        this.config = config;
    }

    static ApacheBroker start(Map<String, String> overrides) throws Exception {
        Path baseDir = Files.createTempDirectory("bench-apache-");
        KafkaClusterTestKit cluster = null;
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(baseDir)
                    // the test kit defaults to the newest, still-unstable metadata version; a
                    // fair comparison is with what a production 4.3.1 broker runs
                    .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                    .build();
            Map<String, String> config = new LinkedHashMap<>(BASE_SETTINGS);
            config.putAll(overrides);
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(true);
            config.forEach(builder::setConfigProp);
            cluster = builder.build();
            // format() narrates to stdout; keep the benchmark's output to tables
            PrintStream out = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                cluster.format();
            } finally {
                System.setOut(out);
            }
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new ApacheBroker(cluster, baseDir, config);
        } catch (Exception e) {
            if (cluster != null) {
                try {
                    cluster.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            deleteQuietly(baseDir);
            throw e;
        }
    }

    @Override
    public String name() {
        return "apache";
    }

    @Override
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public String describeSettings() {
        var effective = cluster.brokers().values().iterator().next().config();
        return "Apache Kafka 4.3.1 KRaft combined node, metadata.version=" + MetadataVersion.latestProduction()
                + ", log.flush.interval.messages="
                + effective.getLong("log.flush.interval.messages")
                + ", group.initial.rebalance.delay.ms=" + effective.getInt("group.initial.rebalance.delay.ms")
                + ", num.io.threads=" + effective.getInt("num.io.threads")
                + ", num.network.threads=" + effective.getInt("num.network.threads")
                + (config.keySet().stream().anyMatch(k -> !BASE_SETTINGS.containsKey(k))
                        ? ", overrides=" + overridesOnly() : "");
    }

    private Map<String, String> overridesOnly() {
        Map<String, String> out = new LinkedHashMap<>(config);
        out.keySet().removeIf(k -> BASE_SETTINGS.containsKey(k) && BASE_SETTINGS.get(k).equals(config.get(k)));
        return out;
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            System.err.println("apache: did not shut down cleanly: " + e);
        } finally {
            deleteQuietly(baseDir);
        }
    }

    static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            // a leftover temp directory is not worth failing a benchmark for
        }
    }
}
