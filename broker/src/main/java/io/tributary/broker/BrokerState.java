package io.tributary.broker;

import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.fetch.Purgatory;
import io.tributary.broker.topic.PartitionLogs;
import io.tributary.broker.topic.TopicManager;
import io.tributary.storage.Time;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What handlers share: configuration, identity, producer ids, topics and logs, the fetch
 * purgatory, and the maintenance thread (retention, time-based flush, recovery checkpoints).
 * Created at start-up before the listener opens; its parts are thread-safe and used from every
 * event loop.
 */
public final class BrokerState implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerState.class);
    /** How often time-based flushes are considered (Kafka's log.flush.scheduler.interval.ms is coarser). */
    private static final long FLUSH_CHECK_INTERVAL_MS = 1000;

    private final BrokerConfig config;
    private final Path dataDir;
    private final MetaProperties meta;
    private final ProducerIdManager producerIds;
    private final Supplier<String> advertisedHost;
    private final IntSupplier advertisedPort;
    private final TopicManager topics;
    private final Purgatory purgatory = new Purgatory();
    private final ScheduledExecutorService maintenance;

    BrokerState(BrokerConfig config, Path dataDir, MetaProperties meta, Supplier<String> advertisedHost,
                IntSupplier advertisedPort) throws IOException {
        this.config = config;
        this.dataDir = dataDir;
        this.meta = meta;
        this.producerIds = new ProducerIdManager(dataDir);
        this.advertisedHost = advertisedHost;
        this.advertisedPort = advertisedPort;
        PartitionLogs logs = new PartitionLogs(dataDir, Time.SYSTEM, config.getInt(BrokerConfig.PRODUCER_ID_EXPIRATION_MS));
        this.topics = new TopicManager(config, dataDir, logs);
        this.maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tributary-log-maintenance");
            t.setDaemon(true);
            return t;
        });
        long retentionCheckMs = config.retentionCheckIntervalMs();
        maintenance.scheduleWithFixedDelay(this::runMaintenance, Math.min(retentionCheckMs, FLUSH_CHECK_INTERVAL_MS),
                Math.min(retentionCheckMs, FLUSH_CHECK_INTERVAL_MS), TimeUnit.MILLISECONDS);
    }

    private long lastRetentionMs;

    private void runMaintenance() {
        try {
            long now = System.currentTimeMillis();
            boolean retention = now - lastRetentionMs >= config.retentionCheckIntervalMs();
            if (retention) {
                lastRetentionMs = now;
            }
            topics.logs().runMaintenance(retention);
        } catch (RuntimeException e) {
            LOG.warn("Log maintenance failed", e);
        }
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

    public TopicManager topics() {
        return topics;
    }

    public Purgatory purgatory() {
        return purgatory;
    }

    /** Called when shutdown starts: parked requests are answered now rather than dropped. */
    void beginShutdown() {
        purgatory.shutdown();
    }

    @Override
    public void close() {
        maintenance.shutdownNow();
        try {
            maintenance.awaitTermination(config.shutdownTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        topics.close();
    }
}
