package io.tributary.coordinator.consumer;

import io.tributary.coordinator.runtime.CoordinatorRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The consumer groups by id and the last record persisted for each (what a restart loads and a
 * snapshot restates). A group id names either a classic group (GroupStore) or one of these,
 * never both. Owned by the coordinator thread.
 */
public final class ConsumerGroupStore {
    private final Map<String, ConsumerGroup> groups = new TreeMap<>();
    private final Map<String, CoordinatorRecord> persisted = new HashMap<>();
    private Consumer<ConsumerGroup> removalListener = g -> {};

    void setRemovalListener(Consumer<ConsumerGroup> listener) {
        this.removalListener = listener;
    }

    public ConsumerGroup get(String groupId) {
        return groupId == null ? null : groups.get(groupId);
    }

    public boolean contains(String groupId) {
        return get(groupId) != null;
    }

    public Collection<ConsumerGroup> all() {
        return groups.values();
    }

    ConsumerGroup getOrCreate(String groupId) {
        return groups.computeIfAbsent(groupId, ConsumerGroup::new);
    }

    /** Drops a group created by a request that then failed before anything was persisted. */
    void dropUnpersisted(String groupId) {
        if (!persisted.containsKey(groupId)) {
            groups.remove(groupId);
        }
    }

    boolean isPersisted(String groupId, CoordinatorRecord record) {
        return record.equals(persisted.get(groupId));
    }

    public int persistedCount() {
        return persisted.size();
    }

    public List<CoordinatorRecord> persistedRecords() {
        return new ArrayList<>(persisted.values());
    }

    /** As GroupStore.replay: at load the record rebuilds the group; live the group already is in that state. */
    public void replay(String groupId, CoordinatorRecord record, boolean loading) {
        if (record.value() == null) {
            persisted.remove(groupId);
            ConsumerGroup g = groups.remove(groupId);
            if (g != null) {
                removalListener.accept(g);
            }
            return;
        }
        persisted.put(groupId, record);
        if (loading || !groups.containsKey(groupId)) {
            groups.put(groupId, ConsumerGroupCodec.decode(groupId, record.value()));
        }
    }
}
