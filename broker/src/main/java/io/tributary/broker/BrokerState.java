package io.tributary.broker;

import io.tributary.broker.auth.AuthorizerNames;
import io.tributary.broker.auth.RequestAuthorizer;
import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.dynamic.DynamicConfigs;
import io.tributary.broker.fetch.FetchSessionCache;
import io.tributary.broker.fetch.Purgatory;
import io.tributary.broker.topic.TopicManager;
import io.tributary.broker.txn.ProduceTxnVerifier;
import io.tributary.storage.Time;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * What handlers share: configuration, identity, producer ids, topics and logs, the fetch
 * purgatory and fetch sessions. Retention, time-based flushes and recovery checkpoints run on storage's log
 * manager thread.
 * Created at start-up before the listener opens; its parts are thread-safe and used from every
 * event loop.
 */
public final class BrokerState implements AutoCloseable {

    private final BrokerConfig config;
    private final Path dataDir;
    private final MetaProperties meta;
    private final ProducerIdManager producerIds;
    private final Supplier<String> advertisedHost;
    private final IntSupplier advertisedPort;
    private final TopicManager topics;
    private final DynamicConfigs dynamicConfigs;
    private final Purgatory purgatory = new Purgatory();
    private final FetchSessionCache fetchSessions;
    private volatile RequestAuthorizer authorizer;
    private volatile ProduceTxnVerifier produceTxnVerifier;

    BrokerState(
            BrokerConfig config,
            Path dataDir,
            MetaProperties meta,
            Supplier<String> advertisedHost,
            IntSupplier advertisedPort)
            throws IOException {
        this.config = config;
        // Fails closed: with an authorizer configured, nothing is allowed until the security extension installs it.
        this.authorizer = AuthorizerNames.enabled(config) ? RequestAuthorizer.DENY_ALL : RequestAuthorizer.ALLOW_ALL;
        this.dataDir = dataDir;
        this.meta = meta;
        this.producerIds = new ProducerIdManager(dataDir);
        this.advertisedHost = advertisedHost;
        this.advertisedPort = advertisedPort;
        this.topics = new TopicManager(config, dataDir, Time.SYSTEM);
        this.topics.setStableOffsetListener(purgatory::onAppend);
        this.dynamicConfigs = new DynamicConfigs(config, meta.nodeId(), topics.logManager());
        this.fetchSessions = new FetchSessionCache(
                config.getInt(BrokerConfig.MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS),
                config.getInt(BrokerConfig.MIN_INCREMENTAL_FETCH_SESSION_EVICTION_MS));
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

    /** Dynamic broker and group configs (live once the metadata store attaches). */
    public DynamicConfigs dynamicConfigs() {
        return dynamicConfigs;
    }

    public Purgatory purgatory() {
        return purgatory;
    }

    /** Incremental fetch sessions (KIP-227), shared by every connection. */
    public FetchSessionCache fetchSessions() {
        return fetchSessions;
    }

    /** Who may do what; read per request, because the security extension installs it after the handlers exist. */
    public RequestAuthorizer authorizer() {
        return authorizer;
    }

    public void authorizer(RequestAuthorizer authorizer) {
        this.authorizer = authorizer;
    }

    /** The check of transactional Produce requests, or null when no transaction coordinator is installed. */
    public ProduceTxnVerifier produceTxnVerifier() {
        return produceTxnVerifier;
    }

    public void produceTxnVerifier(ProduceTxnVerifier verifier) {
        this.produceTxnVerifier = verifier;
    }

    /** Called when shutdown starts: parked requests are answered now rather than dropped. */
    void beginShutdown() {
        purgatory.shutdown();
    }

    @Override
    public void close() {
        topics.close();
    }
}
