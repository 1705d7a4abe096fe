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
 * records (live and at load). Each offset also keeps the position (a replay sequence number) of
 * the record it came from: when a transaction commits, its offset replaces the committed one
 * only if it was written later, as Kafka keeps the most recent commit of a partition. Owned by
 * the coordinator thread.
 */
public final class OffsetStore {
    private final Map<String, Map<String, TreeMap<Integer, OffsetValue>>> byGroup = new HashMap<>();
    private final Map<PartitionKey, Long> sequences = new HashMap<>();
    private int count;

    /** One partition of one group. */
    public record PartitionKey(String groupId, String topic, int partition) {}

    /** Applies an offset record replayed at sequence {@code seq} (null value: a tombstone). */
    public void replay(String groupId, String topic, int partition, OffsetValue value, long seq) {
        if (value != null) {
            sequences.put(new PartitionKey(groupId, topic, partition), seq);
        }
        replay(groupId, topic, partition, value);
    }

    /** The replay sequence number of the record a committed offset came from (-1 if none). */
    public long sequence(String groupId, String topic, int partition) {
        return sequences.getOrDefault(new PartitionKey(groupId, topic, partition), -1L);
    }

    private void replay(String groupId, String topic, int partition, OffsetValue value) {
        if (value == null) {
            sequences.remove(new PartitionKey(groupId, topic, partition));
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

    /** A snapshot record with the sequence number that orders it among the other offset records. */
    public record SequencedRecord(long seq, CoordinatorRecord record) {}

    /** Every offset as a record, for a log snapshot. */
    public List<SequencedRecord> records() {
        List<SequencedRecord> out = new ArrayList<>(count);
        byGroup.forEach((group, topics) -> topics.forEach((topic, parts) -> parts.forEach((p, v) -> out.add(
                new SequencedRecord(sequence(group, topic, p), RecordCodec.offsetCommit(group, topic, p, v))))));
        return out;
    }
}
