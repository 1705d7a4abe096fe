package io.tributary.interop.support;

import io.tributary.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.util.Map;

/**
 * Our broker embedded in this JVM through the testkit's {@link EmbeddedBroker}: fresh temp data
 * directory, ephemeral port, and {@link #restart()} on the same directory and port.
 *
 * <p>Owned by the test (or {@link Target#shared()}) that started it; called from its thread.
 */
final class TributaryEmbedded implements RunningBroker {
    private final EmbeddedBroker broker;

    private TributaryEmbedded(EmbeddedBroker broker) {
        this.broker = broker;
    }

    static TributaryEmbedded start(Map<String, String> overrides) {
        return new TributaryEmbedded(EmbeddedBroker.start(overrides));
    }

    @Override
    public Target target() {
        return Target.TRIBUTARY;
    }

    @Override
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** The broker's data directory (kept across {@link #restart()}). */
    public Path dataDir() {
        return broker.dataDir();
    }

    @Override
    public boolean canRestart() {
        return true;
    }

    @Override
    public void restart() {
        broker.restart();
    }

    @Override
    public void close() {
        broker.close();
    }

    @Override
    public String toString() {
        return "TRIBUTARY@" + bootstrapServers();
    }
}
