package io.tributary.client.consumer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one poll returned, grouped by partition in fetch order. Immutable; the application
 * thread owns it.
 */
public final class ConsumerRecords<K, V> implements Iterable<ConsumerRecord<K, V>> {
    @SuppressWarnings("rawtypes")
    private static final ConsumerRecords EMPTY_RECORDS = new ConsumerRecords<>(Map.of(), Map.of());

    private final Map<TopicPartition, List<ConsumerRecord<K, V>>> records;
    private final Map<TopicPartition, OffsetAndMetadata> nextOffsets;

    public ConsumerRecords(Map<TopicPartition, List<ConsumerRecord<K, V>>> records) {
        this(records, Map.of());
    }

    public ConsumerRecords(Map<TopicPartition, List<ConsumerRecord<K, V>>> records,
                           Map<TopicPartition, OffsetAndMetadata> nextOffsets) {
        Map<TopicPartition, List<ConsumerRecord<K, V>>> copy = new LinkedHashMap<>();
        records.forEach((tp, list) -> copy.put(tp, Collections.unmodifiableList(list)));
        this.records = Collections.unmodifiableMap(copy);
        this.nextOffsets = Collections.unmodifiableMap(new LinkedHashMap<>(nextOffsets));
    }

    @SuppressWarnings("unchecked")
    public static <K, V> ConsumerRecords<K, V> empty() {
        return (ConsumerRecords<K, V>) EMPTY_RECORDS;
    }

    public List<ConsumerRecord<K, V>> records(TopicPartition partition) {
        return records.getOrDefault(partition, List.of());
    }

    public Iterable<ConsumerRecord<K, V>> records(String topic) {
        List<ConsumerRecord<K, V>> out = new ArrayList<>();
        records.forEach((tp, list) -> {
            if (tp.topic().equals(topic)) {
                out.addAll(list);
            }
        });
        return out;
    }

    public Set<TopicPartition> partitions() {
        return records.keySet();
    }

    /** Per partition, the position after this batch: what a commit of "everything polled" sends. */
    public Map<TopicPartition, OffsetAndMetadata> nextOffsets() {
        return nextOffsets;
    }

    public int count() {
        int n = 0;
        for (List<ConsumerRecord<K, V>> list : records.values()) {
            n += list.size();
        }
        return n;
    }

    public boolean isEmpty() {
        return count() == 0;
    }

    @Override
    public Iterator<ConsumerRecord<K, V>> iterator() {
        List<ConsumerRecord<K, V>> all = new ArrayList<>(count());
        records.values().forEach(all::addAll);
        return all.iterator();
    }
}
