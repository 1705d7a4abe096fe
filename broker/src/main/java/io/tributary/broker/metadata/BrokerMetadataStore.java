package io.tributary.broker.metadata;

import io.tributary.broker.security.acl.AclBinding;
import io.tributary.coordinator.runtime.CoordinatorEventLoop;
import io.tributary.coordinator.runtime.CoordinatorLog;
import io.tributary.coordinator.runtime.CoordinatorRuntime;
import io.tributary.protocol.sasl.ScramCredential;
import io.tributary.protocol.sasl.ScramMechanism;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The broker's one durable metadata store: SCRAM credentials and ACLs today, dynamic configs next. Writes run as
 * operations of a {@link CoordinatorRuntime} over its own log (in production a storage log under
 * {@code <data dir>/__tributary_metadata}), so a change is acknowledged only once it is fsynced, survives a crash, and
 * is rebuilt by replay at start-up, exactly like group state. Readers see a change only once it is durable (a grant
 * that a crash could still undo is never used), through the latest published {@link MetadataImage}, from any thread
 * without waiting.
 */
public final class BrokerMetadataStore implements AutoCloseable {
    /** The directory under the data dir; not a partition directory name, so the topic loader ignores it. */
    public static final String DIR_NAME = "__tributary_metadata";

    private static final int SNAPSHOT_MIN_RECORDS = 1000;

    private final CoordinatorRuntime runtime;
    private final AtomicLong versions = new AtomicLong();
    private final AtomicReference<MetadataImage> image = new AtomicReference<>(MetadataImage.EMPTY);
    private MetadataShard shard;

    public BrokerMetadataStore(CoordinatorEventLoop loop, CoordinatorLog log) {
        this.runtime = new CoordinatorRuntime(
                loop,
                log,
                context -> {
                    shard = new MetadataShard(versions::incrementAndGet, this::publish);
                    return shard;
                },
                SNAPSHOT_MIN_RECORDS);
    }

    /** Durable futures complete on the log's threads in any order: keep the newest image. */
    private void publish(MetadataImage next) {
        image.accumulateAndGet(
                next, (current, candidate) -> candidate.version() > current.version() ? candidate : current);
    }

    private record Applied<T>(T value, MetadataImage image) {}

    /**
     * Runs {@code op} on the metadata thread; the returned future completes once its records are durable, and only
     * after the state they make has been shown to readers.
     */
    private <T> CompletableFuture<T> submit(String name, Supplier<T> op) {
        return runtime.<Applied<T>>submit(name, response -> {
                    T value = op.get();
                    runtime.respond(response, new Applied<>(value, shard.image()));
                })
                .thenApply(applied -> {
                    publish(applied.image());
                    return applied.value();
                });
    }

    /** Replays the log; completes when the image reflects everything stored. */
    public CompletableFuture<Void> start() {
        return runtime.start();
    }

    /** The latest published state; any thread. */
    public MetadataImage image() {
        return image.get();
    }

    /** Sets (adds or replaces) a user's credential for one mechanism; completes once durable. */
    public CompletableFuture<Void> upsertScram(String user, ScramMechanism mechanism, ScramCredential credential) {
        return submit("upsert SCRAM credential", () -> {
            runtime.append(MetadataRecords.scram(user, mechanism, credential));
            return null;
        });
    }

    /** Deletes a user's credential for one mechanism; false if there was none (KIP-554's RESOURCE_NOT_FOUND). */
    public CompletableFuture<Boolean> deleteScram(String user, ScramMechanism mechanism) {
        return submit("delete SCRAM credential", () -> {
            boolean existed = shard.hasScram(user, mechanism);
            if (existed) {
                runtime.append(MetadataRecords.scram(user, mechanism, null));
            }
            return existed;
        });
    }

    /** Adds ACLs (one already present is left as it is, as Kafka does); completes once durable. */
    public CompletableFuture<Void> createAcls(List<AclBinding> acls) {
        for (AclBinding acl : acls) {
            String invalid = acl.invalidReason();
            if (invalid != null) {
                return CompletableFuture.failedFuture(
                        new IllegalArgumentException("Invalid ACL " + acl + ": " + invalid));
            }
        }
        return submit("create ACLs", () -> {
            for (AclBinding acl : acls) {
                if (!shard.hasAcl(acl)) {
                    runtime.append(MetadataRecords.acl(acl, true));
                }
            }
            return null;
        });
    }

    /** Deletes every ACL the filter matches; completes with the deleted ones once durable. */
    public CompletableFuture<List<AclBinding>> deleteAcls(Predicate<AclBinding> filter) {
        return submit("delete ACLs", () -> {
            List<AclBinding> deleted = new ArrayList<>();
            for (AclBinding acl : shard.acls()) {
                if (filter.test(acl)) {
                    runtime.append(MetadataRecords.acl(acl, false));
                    deleted.add(acl);
                }
            }
            return List.copyOf(deleted);
        });
    }

    /**
     * What a config change decides from a resource's current dynamic configs: the new full set ({@code null}: write
     * nothing, e.g. refused or validate-only) and the answer for the caller.
     */
    public record ConfigDecision<T>(Map<String, String> next, T answer) {}

    /**
     * Changes one resource's dynamic configs. {@code decide} sees the current ones (sorted, unmodifiable) on the
     * metadata thread, so two changes of one resource apply one after the other and neither is lost; the records for
     * the difference are written and the answer completes once they are durable and published.
     */
    public <T> CompletableFuture<T> changeConfigs(
            ConfigScope scope, Function<Map<String, String>, ConfigDecision<T>> decide) {
        return submit("change configs of " + scope, () -> {
            Map<String, String> current = shard.configs(scope);
            ConfigDecision<T> decision = decide.apply(Collections.unmodifiableMap(new TreeMap<>(current)));
            if (decision.next() != null) {
                Map<String, String> before = new TreeMap<>(current);
                before.forEach((name, value) -> {
                    if (!decision.next().containsKey(name)) {
                        runtime.append(MetadataRecords.config(scope, name, null));
                    }
                });
                decision.next().forEach((name, value) -> {
                    if (!value.equals(before.get(name))) {
                        runtime.append(MetadataRecords.config(scope, name, value));
                    }
                });
            }
            return decision.answer();
        });
    }

    @Override
    public void close() {
        runtime.close();
    }
}
