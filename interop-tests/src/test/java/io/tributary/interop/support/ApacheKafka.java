package io.tributary.interop.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka 4.3.1 broker running in this JVM: one KRaft node that is both broker and
 * controller, listening on an ephemeral port, with its logs in a temporary directory.
 *
 * <p>It is the reference every interop scenario is compared against. Start-up costs a few
 * seconds, so {@link #shared()} hands out one instance per JVM (closed by a shutdown hook);
 * {@link #start(Map)} gives a private instance the caller must {@link #close()}.
 *
 * <p>Thread-safety: {@link #shared()} is safe from any thread; an instance's methods are meant
 * to be called from the test thread that owns it. Kafka's own threads run inside.
 */
public final class ApacheKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApacheKafka.class);

    /**
     * Settings that make a single node start and serve groups quickly; everything else keeps
     * Apache's defaults, since Apache's defaults are what we compare against.
     */
    public static final Map<String, String> FAST_SETTINGS = Map.ofEntries(
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            Map.entry("offsets.topic.replication.factor", "1"),
            Map.entry("offsets.topic.num.partitions", "1"),
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("transaction.state.log.num.partitions", "1"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.num.partitions", "1"),
            Map.entry("default.replication.factor", "1"),
            Map.entry("min.insync.replicas", "1"),
            // The box has two cores shared by many processes: fewer threads, less contention.
            Map.entry("num.network.threads", "2"),
            Map.entry("num.io.threads", "2"),
            Map.entry("background.threads", "2"),
            Map.entry("log.cleaner.threads", "1"),
            Map.entry("num.recovery.threads.per.data.dir", "1"));

    private static ApacheKafka shared;

    private final KafkaClusterTestKit cluster;
    private final Path baseDir;
    private final String bootstrapServers;

    private ApacheKafka(KafkaClusterTestKit cluster, Path baseDir) {
        this.cluster = cluster;
        this.baseDir = baseDir;
        this.bootstrapServers = cluster.bootstrapServers();
    }

    /** The JVM-wide broker, started on first use; tests must not close it or change its config. */
    public static synchronized ApacheKafka shared() {
        if (shared == null) {
            ApacheKafka started = start(Map.of());
            Runtime.getRuntime().addShutdownHook(new Thread(started::closeQuietly, "apache-kafka-shutdown"));
            shared = started;
        }
        return shared;
    }

    /** Starts a private broker with {@link #FAST_SETTINGS} plus {@code overrides} (which win). */
    public static ApacheKafka start(Map<String, String> overrides) {
        long startNs = System.nanoTime();
        Path baseDir = null;
        KafkaClusterTestKit cluster = null;
        try {
            baseDir = Files.createTempDirectory("apache-kafka-");
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(baseDir)
                    .build();
            Map<String, String> config = new LinkedHashMap<>(FAST_SETTINGS);
            config.putAll(overrides);
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(true);
            config.forEach(builder::setConfigProp);
            cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            ApacheKafka kafka = new ApacheKafka(cluster, baseDir);
            LOG.info("Apache Kafka started at {} in {} ms", kafka.bootstrapServers,
                    (System.nanoTime() - startNs) / 1_000_000);
            return kafka;
        } catch (Exception e) {
            if (cluster != null) {
                try {
                    cluster.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            deleteQuietly(baseDir);
            throw new IllegalStateException("Apache Kafka did not start", e);
        }
    }

    /** {@code host:port} of the PLAINTEXT listener, with the port the OS actually bound. */
    public String bootstrapServers() {
        return bootstrapServers;
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

    /** The directory holding the node's metadata and partition logs. */
    public Path baseDir() {
        return baseDir;
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

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            LOG.warn("Apache Kafka did not shut down cleanly", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            LOG.debug("could not delete {}", dir, e);
        }
    }
}
