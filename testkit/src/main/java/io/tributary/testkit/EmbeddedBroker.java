package io.tributary.testkit;

import io.tributary.broker.TributaryBroker;
import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.group.GroupCoordinatorExtension;
import io.tributary.broker.security.SecurityExtension;
import io.tributary.broker.txn.TransactionCoordinatorExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real broker inside the test JVM: a fresh temporary data directory, an ephemeral port, real
 * sockets. {@link #restart()} reopens the same directory on the same port (to test recovery);
 * {@link #close()} stops it and deletes the directory. Driven by the test thread.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private final Map<String, String> overrides;
    private final Path dataDir;
    private TributaryBroker broker;
    private int port;

    private EmbeddedBroker(Map<String, String> overrides) {
        this.overrides = new LinkedHashMap<>(overrides);
        try {
            this.dataDir = Files.createTempDirectory("tributary-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static EmbeddedBroker start() {
        return start(Map.of());
    }

    /** Starts a broker with these broker config overrides on top of the test defaults. */
    public static EmbeddedBroker start(Map<String, String> overrides) {
        EmbeddedBroker b = new EmbeddedBroker(overrides);
        b.boot(null);
        return b;
    }

    private void boot(String listeners) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put(BrokerConfig.LOG_DIRS, dataDir.toString());
        props.put(BrokerConfig.LISTENERS, "PLAINTEXT://127.0.0.1:0");
        props.put(BrokerConfig.NUM_NETWORK_THREADS, "2");
        // Tests want rebalances to start at once, unless they say otherwise.
        props.put(BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0");
        props.putAll(overrides);
        if (listeners != null) {
            props.put(BrokerConfig.LISTENERS, listeners);
        }
        GroupCoordinatorExtension groups = new GroupCoordinatorExtension();
        broker = TributaryBroker.start(
                BrokerConfig.fromMap(props),
                groups,
                new TransactionCoordinatorExtension(groups),
                new SecurityExtension());
        port = broker.boundPort();
    }

    /** The listeners as bound, so a restart comes back on the same ports. */
    private String boundListeners() {
        StringBuilder out = new StringBuilder();
        for (BrokerConfig.Endpoint e : broker.config().listeners()) {
            if (out.length() > 0) {
                out.append(',');
            }
            String host = e.host().contains(":") ? "[" + e.host() + "]" : e.host();
            out.append(e.listenerName())
                    .append("://")
                    .append(host)
                    .append(':')
                    .append(broker.boundPort(e.listenerName()));
        }
        return out.toString();
    }

    /** {@code host:port} of the first listener. */
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** {@code host:port} of the named listener (as in {@code listeners}, e.g. SASL_PLAINTEXT). */
    public String bootstrapServers(String listenerName) {
        return broker.bootstrapServers(listenerName);
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The running broker, for tests that need its internals. */
    public TributaryBroker broker() {
        return broker;
    }

    /** Stops the broker gracefully and starts it again on the same data directory and port. */
    public void restart() {
        String listeners = boundListeners();
        broker.close();
        boot(listeners);
    }

    /** Stops the broker without deleting the data directory. */
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Override
    public void close() {
        stop();
        deleteRecursively(dataDir);
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
