package io.tributary.coordinator.offset;

import io.tributary.coordinator.record.RecordCodec;
import io.tributary.coordinator.record.RecordCodec.OffsetValue;
import io.tributary.coordinator.runtime.CoordinatorRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Committed offsets: group → topic → partition → value. Changed only by replaying offset
 * records (live and at load). Owned by the coordinator thread.
 */
public final class OffsetStore {
    private final Map<String, Map<String, TreeMap<Integer, OffsetValue>>> byGroup = new HashMap<>();
    private int count;

    public void replay(String groupId, String topic, int partition, OffsetValue value) {
        if (value == null) {
            Map<String, TreeMap<Integer, OffsetValue>> topics = byGroup.get(groupId);
            if (topics == null) {
                return;
            }
            TreeMap<Integer, OffsetValue> parts = topics.get(topic);
            if (parts != null && parts.remove(partition) != null) {
                count--;
                if (parts.isEmpty()) {
                    topics.remove(topic);
                    if (topics.isEmpty()) {
                        byGroup.remove(groupId);
                    }
                }
            }
            return;
        }
        OffsetValue prev = byGroup.computeIfAbsent(groupId, g -> new TreeMap<>())
                .computeIfAbsent(topic, t -> new TreeMap<>())
                .put(partition, value);
        if (prev == null) {
            count++;
        }
    }

    public OffsetValue get(String groupId, String topic, int partition) {
        Map<String, TreeMap<Integer, OffsetValue>> topics = byGroup.get(groupId);
        if (topics == null) {
            return null;
        }
        TreeMap<Integer, OffsetValue> parts = topics.get(topic);
        return parts == null ? null : parts.get(partition);
    }

    /** A group's offsets by topic (sorted); empty if none. Do not modify. */
    public Map<String, TreeMap<Integer, OffsetValue>> offsets(String groupId) {
        Map<String, TreeMap<Integer, OffsetValue>> topics = byGroup.get(groupId);
        return topics == null ? Map.of() : topics;
    }

    public boolean hasOffsets(String groupId) {
        return byGroup.containsKey(groupId);
    }

    public Iterable<String> groupIds() {
        return new ArrayList<>(byGroup.keySet());
    }

    public int size() {
        return count;
    }

    /** Every offset as a record, for a log snapshot. */
    public List<CoordinatorRecord> records() {
        List<CoordinatorRecord> out = new ArrayList<>(count);
        byGroup.forEach((group, topics) -> topics.forEach(
                (topic, parts) -> parts.forEach((p, v) -> out.add(RecordCodec.offsetCommit(group, topic, p, v)))));
        return out;
    }
}
