package io.tributary.interop.support;

import io.tributary.reference.ApacheKafkaNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Apache Kafka broker every interop scenario is compared against: an {@link ApacheKafkaNode}
 * (one in-process KRaft node, the same one the benchmarks start) with {@link #FAST_SETTINGS}.
 * Start-up costs a few seconds, so {@link #shared()} hands out one instance per JVM (closed by a
 * shutdown hook); {@link #start(Map)} gives a private instance the caller must {@link #close()}.
 *
 * <p>Thread-safety: {@link #shared()} is safe from any thread; an instance's methods are meant
 * to be called from the test thread that owns it.
 */
public final class ApacheKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApacheKafka.class);

    /** On top of the node's single-node settings: groups form at once, as with our test broker. */
    public static final Map<String, String> FAST_SETTINGS = Map.of("group.initial.rebalance.delay.ms", "0");

    private static ApacheKafka shared;

    private final ApacheKafkaNode node;

    private ApacheKafka(ApacheKafkaNode node) {
        this.node = node;
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
        Map<String, String> settings = new LinkedHashMap<>(FAST_SETTINGS);
        settings.putAll(overrides);
        ApacheKafka kafka = new ApacheKafka(ApacheKafkaNode.start(settings));
        LOG.info(
                "Apache Kafka started at {} in {} ms (metadata.version {})",
                kafka.bootstrapServers(),
                (System.nanoTime() - startNs) / 1_000_000,
                ApacheKafkaNode.METADATA_VERSION);
        return kafka;
    }

    /** {@code host:port} of the PLAINTEXT listener, with the port the OS actually bound. */
    public String bootstrapServers() {
        return node.bootstrapServers();
    }

    /** Restarts the broker side of the node on the same data and port (see {@link ApacheKafkaNode#restartBroker}). */
    public void restartBroker() throws Exception {
        node.restartBroker();
    }

    /** The directory holding the node's metadata and partition logs. */
    public Path baseDir() {
        return node.baseDir();
    }

    /** Shuts the node down and deletes its directory; failures surface as unchecked. */
    @Override
    public void close() {
        node.close();
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            LOG.warn("Apache Kafka did not shut down cleanly", e);
        }
    }
}
