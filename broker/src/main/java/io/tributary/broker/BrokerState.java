package io.tributary.broker;

import io.tributary.broker.config.BrokerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * What handlers share: configuration, identity, producer ids, topics and logs, the fetch
 * purgatory. Created at start-up before the listener opens; its parts are thread-safe and used
 * from every event loop.
 */
public final class BrokerState implements AutoCloseable {
    private final BrokerConfig config;
    private final Path dataDir;
    private final MetaProperties meta;
    private final ProducerIdManager producerIds;
    private final Supplier<String> advertisedHost;
    private final IntSupplier advertisedPort;

    BrokerState(BrokerConfig config, Path dataDir, MetaProperties meta, Supplier<String> advertisedHost,
                IntSupplier advertisedPort) throws IOException {
        this.config = config;
        this.dataDir = dataDir;
        this.meta = meta;
        this.producerIds = new ProducerIdManager(dataDir);
        this.advertisedHost = advertisedHost;
        this.advertisedPort = advertisedPort;
    }

    public BrokerConfig config() {
        return config;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String clusterId() {
        return meta.clusterId();
    }

    public int nodeId() {
        return meta.nodeId();
    }

    public String advertisedHost() {
        return advertisedHost.get();
    }

    public int advertisedPort() {
        return advertisedPort.getAsInt();
    }

    public ProducerIdManager producerIds() {
        return producerIds;
    }

    /** Called when shutdown starts: parked requests are answered now rather than dropped. */
    void beginShutdown() {
    }

    @Override
    public void close() {
    }
}
