package io.tributary.broker.metadata;

import io.tributary.broker.security.acl.AclBinding;
import io.tributary.coordinator.runtime.CoordinatorRecord;
import io.tributary.coordinator.runtime.CoordinatorShard;
import io.tributary.protocol.sasl.ScramCredential;
import io.tributary.protocol.sasl.ScramMechanism;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The metadata state machine: the live SCRAM credentials, ACLs and dynamic configs, changed only by replaying records (at load and as
 * operations emit them). {@link #image()} is the state including changes not yet durable; the store publishes it to
 * readers once they are. Owned by the metadata runtime's thread.
 */
final class MetadataShard implements CoordinatorShard {
    private final Map<String, Map<ScramMechanism, ScramCredential>> scram = new TreeMap<>();
    private final LinkedHashSet<AclBinding> acls = new LinkedHashSet<>();
    private final Map<ConfigScope, Map<String, String>> configs = new TreeMap<>();
    private final LongSupplier versions;
    private final Consumer<MetadataImage> onLoaded;

    /** {@code versions} numbers images across reloads; {@code onLoaded} gets the state replayed from the log. */
    MetadataShard(LongSupplier versions, Consumer<MetadataImage> onLoaded) {
        this.versions = versions;
        this.onLoaded = onLoaded;
    }

    @Override
    public void replay(CoordinatorRecord record, boolean loading) {
        MetadataRecords.Decoded d = MetadataRecords.decode(record);
        if (d.config() != null) {
            ConfigScope scope = d.config().scope();
            if (d.tombstone()) {
                Map<String, String> values = configs.get(scope);
                if (values != null) {
                    values.remove(d.config().name());
                    if (values.isEmpty()) {
                        configs.remove(scope);
                    }
                }
            } else {
                configs.computeIfAbsent(scope, s -> new TreeMap<>())
                        .put(d.config().name(), d.configValue());
            }
        } else if (d.scram() != null) {
            String user = d.scram().user();
            if (d.tombstone()) {
                Map<ScramMechanism, ScramCredential> mechanisms = scram.get(user);
                if (mechanisms != null) {
                    mechanisms.remove(d.scram().mechanism());
                    if (mechanisms.isEmpty()) {
                        scram.remove(user);
                    }
                }
            } else {
                scram.computeIfAbsent(user, u -> new EnumMap<>(ScramMechanism.class))
                        .put(d.scram().mechanism(), d.credential());
            }
        } else if (d.tombstone()) {
            acls.remove(d.acl());
        } else {
            acls.add(d.acl());
        }
    }

    @Override
    public void onLoaded() {
        // Everything replayed from the log is durable: readers may see it at once.
        onLoaded.accept(image());
    }

    @Override
    public List<CoordinatorRecord> snapshot() {
        List<CoordinatorRecord> out = new ArrayList<>();
        scram.forEach((user, mechanisms) -> mechanisms.forEach((m, c) -> out.add(MetadataRecords.scram(user, m, c))));
        acls.forEach(a -> out.add(MetadataRecords.acl(a, true)));
        configs.forEach((scope, values) ->
                values.forEach((name, value) -> out.add(MetadataRecords.config(scope, name, value))));
        return out;
    }

    @Override
    public int liveRecordCount() {
        return scram.values().stream().mapToInt(Map::size).sum()
                + acls.size()
                + configs.values().stream().mapToInt(Map::size).sum();
    }

    boolean hasScram(String user, ScramMechanism mechanism) {
        return scram.getOrDefault(user, Map.of()).containsKey(mechanism);
    }

    boolean hasAcl(AclBinding acl) {
        return acls.contains(acl);
    }

    Map<String, String> configs(ConfigScope scope) {
        return configs.getOrDefault(scope, Map.of());
    }

    List<AclBinding> acls() {
        return List.copyOf(acls);
    }

    MetadataImage image() {
        Map<String, Map<ScramMechanism, ScramCredential>> users = new TreeMap<>();
        scram.forEach((user, mechanisms) -> users.put(user, Map.copyOf(mechanisms)));
        Map<ConfigScope, Map<String, String>> configCopy = new TreeMap<>();
        configs.forEach((scope, values) -> configCopy.put(scope, Collections.unmodifiableMap(new TreeMap<>(values))));
        return new MetadataImage(versions.getAsLong(), users, List.copyOf(acls), configCopy);
    }
}
