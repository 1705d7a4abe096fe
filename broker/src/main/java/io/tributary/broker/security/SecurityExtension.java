package io.tributary.broker.security;

import io.tributary.broker.auth.AuthorizerNames;
import io.tributary.broker.extension.BrokerContext;
import io.tributary.broker.extension.BrokerExtension;
import io.tributary.broker.group.StorageCoordinatorLog;
import io.tributary.broker.metadata.BrokerMetadataStore;
import io.tributary.coordinator.runtime.ThreadEventLoop;
import io.tributary.protocol.message.ApiMessageType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the broker's durable metadata store ({@code <data dir>/__tributary_metadata}), replays it before the listener
 * opens, and serves the APIs that manage it: Describe/AlterUserScramCredentials (so {@code kafka-configs.sh
 * --entity-type users} works and users survive restarts) and Create/Describe/DeleteAcls, which answer
 * SECURITY_DISABLED until an authorizer is configured. With {@code authorizer.class.name} set it installs
 * {@link Authorization} over the store's image as the broker's authorizer, which every handler consults. Installed
 * and closed by the thread that starts and stops the broker.
 */
public final class SecurityExtension implements BrokerExtension {
    private static final Logger LOG = LoggerFactory.getLogger(SecurityExtension.class);
    private static final long LOAD_TIMEOUT_MS = 300_000;
    private static final int SEGMENT_BYTES = 8 << 20;

    private final List<ScramUserSpec> bootstrapUsers;
    private StorageCoordinatorLog log;
    private ThreadEventLoop loop;
    private BrokerMetadataStore store;

    public SecurityExtension() {
        this(List.of());
    }

    /** With SCRAM users to create or replace before the listeners open ({@code --add-scram}). */
    public SecurityExtension(List<ScramUserSpec> bootstrapUsers) {
        this.bootstrapUsers = List.copyOf(bootstrapUsers);
    }

    @Override
    public void install(BrokerContext broker) {
        Path dir = broker.dataDir().resolve(BrokerMetadataStore.DIR_NAME);
        try {
            log = StorageCoordinatorLog.open(dir, SEGMENT_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the broker metadata log in " + dir, e);
        }
        loop = new ThreadEventLoop("tributary-metadata");
        store = new BrokerMetadataStore(loop, log);
        try {
            store.start().get(LOAD_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading the broker metadata", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot load the broker metadata from " + dir, e);
        }
        addBootstrapUsers(dir);
        broker.dynamicConfigs().attach(store);
        boolean authorizerEnabled = AuthorizerNames.enabled(broker.config());
        if (authorizerEnabled) {
            broker.authorizer(Authorization.fromConfig(broker.config(), store::image));
        }
        SecurityApis.register(broker.apis(), broker::authorizer, store, authorizerEnabled);
        broker.apis()
                .register(ApiMessageType.SASL_HANDSHAKE, SaslApis::handshake)
                .register(ApiMessageType.SASL_AUTHENTICATE, SaslApis::authenticate);
        ListenerSecurity security = ListenerSecurity.from(broker.config(), store::image);
        if (!security.isEmpty()) {
            broker.channelSecurity(security);
        }
        LOG.info(
                "Broker metadata ready (log {}, {} SCRAM users, {} ACLs; ACLs {})",
                dir,
                store.image().scramUsers().size(),
                store.image().acls().size(),
                authorizerEnabled ? "enforced" : "not enforced: no authorizer.class.name");
    }

    private void addBootstrapUsers(Path dir) {
        if (bootstrapUsers.isEmpty()) {
            return; // no SecureRandom (its providers take milliseconds to load) on a plain start-up
        }
        SecureRandom random = new SecureRandom();
        for (ScramUserSpec u : bootstrapUsers) {
            try {
                store.upsertScram(
                                u.name(),
                                u.mechanism(),
                                u.mechanism().newCredential(u.password(), u.iterations(), random))
                        .get(LOAD_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while adding " + u, e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("cannot add " + u + " to " + dir, e);
            }
            LOG.info("Added {} before opening the listeners", u);
        }
    }

    /** The running store (null before install). */
    public BrokerMetadataStore store() {
        return store;
    }

    @Override
    public void close() {
        if (store != null) {
            store.close();
            store = null;
        }
        if (loop != null) {
            loop.close();
            loop = null;
        }
        if (log != null) {
            log.close();
            log = null;
        }
    }
}
