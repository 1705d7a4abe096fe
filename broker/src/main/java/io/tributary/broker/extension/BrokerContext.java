package io.tributary.broker.extension;

import io.tributary.broker.ProducerIdManager;
import io.tributary.broker.auth.RequestAuthorizer;
import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.dynamic.DynamicConfigs;
import io.tributary.broker.network.ApiRegistry;
import io.tributary.broker.network.ChannelSecurity;
import io.tributary.broker.topic.TopicManager;
import io.tributary.broker.topic.TopicPartition;
import io.tributary.broker.txn.ProduceTxnVerifier;
import java.nio.file.Path;

/**
 * What a {@link BrokerExtension} may use of the broker it is installed into, and nothing more:
 * its configuration, data directory and identity, its topics, and the handler registry.
 * Implemented by the broker; valid from install until close. The advertised address is known
 * only once the listener is bound (after every install), so handlers read it per request.
 * Thread-safe.
 */
public interface BrokerContext {
    BrokerConfig config();

    /** The data directory (absolute); an extension keeps its own files in a subdirectory. */
    Path dataDir();

    int nodeId();

    String advertisedHost();

    int advertisedPort();

    TopicManager topics();

    /** Dynamic broker and group configs; the extension that opens the metadata store attaches it here. */
    DynamicConfigs dynamicConfigs();

    /** Register handlers here; a later registration for the same API replaces the earlier one. */
    ApiRegistry apis();

    /** Installs what secures connections on TLS and SASL listeners (one extension does; a later call replaces). */
    void channelSecurity(ChannelSecurity security);

    /** The authorizer handlers consult per request (allow-all unless {@code authorizer.class.name} is set). */
    RequestAuthorizer authorizer();

    /** Installs the authorizer (the security extension does, when {@code authorizer.class.name} is set). */
    void authorizer(RequestAuthorizer authorizer);

    /** The broker's producer id blocks (the transaction coordinator allocates from them too). */
    ProducerIdManager producerIds();

    /** Tells parked fetches that a partition grew (after an append outside Produce, such as a marker). */
    void partitionAppended(TopicPartition tp);

    /** Installs the check transactional Produce requests pass (the transaction coordinator does). */
    void produceTxnVerifier(ProduceTxnVerifier verifier);
}
