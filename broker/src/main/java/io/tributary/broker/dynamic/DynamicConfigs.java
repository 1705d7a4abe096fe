package io.tributary.broker.dynamic;

import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.metadata.BrokerMetadataStore;
import io.tributary.broker.metadata.BrokerMetadataStore.ConfigDecision;
import io.tributary.broker.metadata.ConfigScope;
import io.tributary.broker.metadata.MetadataImage;
import io.tributary.broker.topic.TopicResult;
import io.tributary.protocol.Errors;
import io.tributary.storage.LogManager;
import io.tributary.storage.StorageException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's dynamic configs (issue 10): the cluster-wide broker default ({@code --entity-default}), this broker's
 * own ({@code --entity-name <id>}) and each group's, kept durable in the broker metadata store and, for the broker,
 * applied live: the effective broker properties are the static ones with the dynamic default over them and this
 * broker's over that (Kafka's order), handed to the log manager so that topics without an override of a key pick the
 * new value up at once. Replayed at start-up when the store attaches. Thread-safe: changes are serialised by the
 * store's thread, applying by a lock.
 */
public final class DynamicConfigs {
    private static final Logger LOG = LoggerFactory.getLogger(DynamicConfigs.class);

    /** Either the new full set of a resource's configs, or why the change is refused. */
    public record Change(Map<String, String> next, TopicResult refused) {
        public static Change to(Map<String, String> next) {
            return new Change(next, null);
        }

        public static Change refuse(TopicResult why) {
            return new Change(null, why);
        }
    }

    private final BrokerConfig staticConfig;
    private final int nodeId;
    private final LogManager logs;
    private final Object applyLock = new Object();
    private volatile BrokerMetadataStore store;
    private Map<String, String> applied;

    public DynamicConfigs(BrokerConfig staticConfig, int nodeId, LogManager logs) {
        this.staticConfig = staticConfig;
        this.nodeId = nodeId;
        this.logs = logs;
        this.applied = staticConfig.explicitValues();
    }

    /** Called once the metadata store has replayed its log: the stored broker configs take effect now. */
    public void attach(BrokerMetadataStore store) {
        this.store = store;
        apply();
        Map<String, String> dynamic = new LinkedHashMap<>(brokerDefault());
        dynamic.putAll(brokerOwn());
        if (!dynamic.isEmpty()) {
            LOG.info("Dynamic broker configs in effect: {}", dynamic);
        }
    }

    public int nodeId() {
        return nodeId;
    }

    public BrokerConfig staticConfig() {
        return staticConfig;
    }

    private MetadataImage image() {
        BrokerMetadataStore s = store;
        return s == null ? MetadataImage.EMPTY : s.image();
    }

    /** The cluster-wide dynamic broker default (sorted). */
    public Map<String, String> brokerDefault() {
        return image().configs(ConfigScope.brokerDefault());
    }

    /** This broker's own dynamic configs (sorted). */
    public Map<String, String> brokerOwn() {
        return image().configs(ConfigScope.broker(nodeId));
    }

    /** A group's dynamic configs (sorted); empty when none are set. */
    public Map<String, String> group(String groupId) {
        return image().configs(ConfigScope.group(groupId));
    }

    /** The static broker properties with the dynamic default and then this broker's own over them. */
    public Map<String, String> effectiveProps() {
        return merge(brokerDefault(), brokerOwn());
    }

    private Map<String, String> merge(Map<String, String> dflt, Map<String, String> own) {
        Map<String, String> out = new LinkedHashMap<>(staticConfig.explicitValues());
        out.putAll(dflt);
        out.putAll(own);
        return out;
    }

    /** Hands the current effective properties to the logs if they changed since the last time. */
    private void apply() {
        synchronized (applyLock) {
            Map<String, String> effective = effectiveProps();
            if (effective.equals(applied)) {
                return;
            }
            try {
                logs.updateBrokerProps(effective);
                applied = effective;
            } catch (StorageException e) {
                // Stored values were validated when set; a newer build may judge differently. Keep serving.
                LOG.error("Dynamic broker configs not applied: {}", e.getMessage());
            }
        }
    }

    /**
     * Changes the dynamic configs of a broker resource ("" or this broker's id): {@code change} turns the current set
     * into the new one (or refuses), which is validated as Kafka does, written durably unless {@code validateOnly},
     * and applied to the logs before the returned stage completes.
     */
    public CompletableFuture<TopicResult> alterBroker(
            String resourceName, Function<Map<String, String>, Change> change, boolean validateOnly) {
        BrokerMetadataStore s = store;
        if (s == null) {
            return CompletableFuture.completedFuture(TopicResult.of(
                    Errors.INVALID_REQUEST,
                    "Dynamic broker configs need the broker metadata store, which is not open"));
        }
        ConfigScope scope = resourceName.isEmpty() ? ConfigScope.brokerDefault() : ConfigScope.broker(nodeId);
        return s.changeConfigs(scope, current -> {
                    Change c = change.apply(current);
                    if (c.refused() != null) {
                        return new ConfigDecision<>(null, c.refused());
                    }
                    Map<String, String> effective = scope.resourceName().isEmpty()
                            ? merge(c.next(), brokerOwn())
                            : merge(brokerDefault(), c.next());
                    TopicResult invalid = BrokerKeyRules.validate(current, c.next(), effective);
                    if (invalid != null) {
                        return new ConfigDecision<>(null, invalid);
                    }
                    return new ConfigDecision<>(validateOnly ? null : c.next(), TopicResult.OK);
                })
                .thenApply(result -> {
                    if (result.error() == Errors.NONE && !validateOnly) {
                        apply();
                        LOG.info("Dynamic broker configs of '{}' are now {}", resourceName, image().configs(scope));
                    }
                    return result;
                });
    }

    /** Changes a group's dynamic configs, validated against the broker's group bounds; nothing is applied live. */
    public CompletableFuture<TopicResult> alterGroup(
            String groupId, Function<Map<String, String>, Change> change, boolean validateOnly) {
        BrokerMetadataStore s = store;
        if (s == null) {
            return CompletableFuture.completedFuture(TopicResult.of(
                    Errors.INVALID_REQUEST, "Group configs need the broker metadata store, which is not open"));
        }
        return s.changeConfigs(ConfigScope.group(groupId), current -> {
            Change c = change.apply(current);
            if (c.refused() != null) {
                return new ConfigDecision<>(null, c.refused());
            }
            TopicResult invalid = GroupConfigKeys.validate(c.next(), staticConfig);
            if (invalid != null) {
                return new ConfigDecision<>(null, invalid);
            }
            return new ConfigDecision<>(validateOnly ? null : c.next(), TopicResult.OK);
        });
    }
}
