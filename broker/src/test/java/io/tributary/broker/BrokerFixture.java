package io.tributary.broker;

import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.group.GroupCoordinatorExtension;
import io.tributary.broker.security.SecurityExtension;
import io.tributary.broker.txn.TransactionCoordinatorExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one way broker tests start a real broker: the group coordinator installed, 127.0.0.1 on an
 * ephemeral port, two network threads, a fresh data directory. Register it as a field with
 * {@code @RegisterExtension} and it starts a broker before each test (before the class's
 * {@code @BeforeEach} methods) and closes it and deletes its directory after each test (after the
 * class's {@code @AfterEach} methods). {@link #groups} adds fast group settings (100 ms minimum
 * session timeout, no initial rebalance delay). Tests that start brokers themselves use
 * {@link #start(Path, int, Map)} / {@link #startGroups(Path, int, Map)}. Used by the test thread.
 */
public final class BrokerFixture implements BeforeEachCallback, AfterEachCallback {
    private final boolean groupSettings;
    private final Map<String, String> overrides;
    private Path dir;
    private TributaryBroker broker;

    private BrokerFixture(boolean groupSettings, Map<String, String> overrides) {
        this.groupSettings = groupSettings;
        this.overrides = Map.copyOf(overrides);
    }

    /** A broker with the test settings, started before each test. */
    public static BrokerFixture broker() {
        return broker(Map.of());
    }

    /** A broker with the test settings plus {@code overrides}, started before each test. */
    public static BrokerFixture broker(Map<String, String> overrides) {
        return new BrokerFixture(false, overrides);
    }

    /** A broker with the test settings and fast group settings, started before each test. */
    public static BrokerFixture groups() {
        return new BrokerFixture(true, Map.of());
    }

    /** Starts a broker with the test settings plus {@code overrides} on {@code dir} and {@code port} (0: any). */
    public static TributaryBroker start(Path dir, int port, Map<String, String> overrides) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put(BrokerConfig.LOG_DIRS, dir.toString());
        props.put(BrokerConfig.LISTENERS, "PLAINTEXT://127.0.0.1:" + port);
        props.put(BrokerConfig.NUM_NETWORK_THREADS, "2");
        props.putAll(overrides);
        GroupCoordinatorExtension groups = new GroupCoordinatorExtension();
        return TributaryBroker.start(
                BrokerConfig.fromMap(props),
                groups,
                new TransactionCoordinatorExtension(groups),
                new SecurityExtension());
    }

    /** {@link #start} with fast group settings under {@code overrides}. */
    public static TributaryBroker startGroups(Path dir, int port, Map<String, String> overrides) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put(BrokerConfig.GROUP_MIN_SESSION_TIMEOUT_MS, "100");
        props.put(BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0");
        props.putAll(overrides);
        return start(dir, port, props);
    }

    /** Closes {@code broker} and starts a new one on the same directory and port, with fast group settings. */
    public static TributaryBroker restartGroups(TributaryBroker broker, Map<String, String> overrides) {
        Path dir = broker.dataDir();
        int port = broker.boundPort();
        broker.close();
        return startGroups(dir, port, overrides);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("tributary-broker-test-");
        broker = startHere(overrides);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (broker != null) {
            broker.close();
            broker = null;
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(BrokerFixture::delete);
            }
            dir = null;
        }
    }

    /** The running broker of this test. */
    public TributaryBroker get() {
        return broker;
    }

    /** This test's data directory (the broker's log.dirs). */
    public Path dir() {
        return dir;
    }

    /**
     * Closes the running broker and starts a new one on the same directory and any port, with the
     * test settings plus {@code overrides} only (not the ones the fixture was registered with).
     */
    public TributaryBroker restart(Map<String, String> overrides) {
        broker.close();
        broker = null;
        broker = startHere(overrides);
        return broker;
    }

    private TributaryBroker startHere(Map<String, String> settings) {
        return groupSettings ? startGroups(dir, 0, settings) : start(dir, 0, settings);
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
