package io.tributary.client.consumer;

import io.tributary.client.common.TopicPartition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * What one poll returned, grouped by partition in fetch order, plus (with
 * {@code enable.partition.eof=true}) the partitions that reached their end in this poll.
 * Immutable; the application thread owns it.
 *
 * <p>{@link #isEmpty()} and {@link #count()} count records only: a poll that returns nothing but
 * end-of-partition events is "empty" yet has a non-empty {@link #partitionEofs()}.
 */
public final class ConsumerRecords<K, V> implements Iterable<ConsumerRecord<K, V>> {
    @SuppressWarnings("rawtypes")
    private static final ConsumerRecords EMPTY_RECORDS = new ConsumerRecords<>(Map.of(), Map.of());

    private final Map<TopicPartition, List<ConsumerRecord<K, V>>> records;
    /**
     * The per-partition lists without the unmodifiable map's wrapper, for {@link #count()} and
     * {@link #iterator()}: each poll's records are walked once per call, and an iterator object
     * per walk (or a list of all records) per poll is what the consumer's hot loop pays for.
     */
    private final List<List<ConsumerRecord<K, V>>> lists;

    private final Map<TopicPartition, OffsetAndMetadata> nextOffsets;
    private final Map<TopicPartition, Long> partitionEofs;

    public ConsumerRecords(Map<TopicPartition, List<ConsumerRecord<K, V>>> records) {
        this(records, Map.of());
    }

    public ConsumerRecords(
            Map<TopicPartition, List<ConsumerRecord<K, V>>> records,
            Map<TopicPartition, OffsetAndMetadata> nextOffsets) {
        this(records, nextOffsets, Map.of());
    }

    /**
     * @param partitionEofs partitions that reached their end in this poll, with the end offset
     *                      (the position, equal to the high watermark or, read_committed, the LSO)
     */
    public ConsumerRecords(
            Map<TopicPartition, List<ConsumerRecord<K, V>>> records,
            Map<TopicPartition, OffsetAndMetadata> nextOffsets,
            Map<TopicPartition, Long> partitionEofs) {
        Map<TopicPartition, List<ConsumerRecord<K, V>>> copy = new LinkedHashMap<>();
        records.forEach((tp, list) -> copy.put(tp, Collections.unmodifiableList(list)));
        this.records = Collections.unmodifiableMap(copy);
        this.lists = new ArrayList<>(copy.values());
        this.nextOffsets = Collections.unmodifiableMap(new LinkedHashMap<>(nextOffsets));
        this.partitionEofs = Collections.unmodifiableMap(new LinkedHashMap<>(partitionEofs));
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

    /**
     * End-of-partition events (C4, librdkafka's {@code RD_KAFKA_RESP_ERR__PARTITION_EOF}): the
     * partitions whose position reached the end of the log in this poll, each mapped to that
     * end offset, in the order they were detected. Always empty unless
     * {@code enable.partition.eof=true}.
     *
     * <p>Reported once each time a partition catches up: a partition that stays at its end is
     * not reported again; once new records arrive and poll has returned them, reaching the new
     * end is reported again (in the same poll as its last records, or a later one). A seek
     * re-arms the event. The records of a partition, if any in this poll, come before its end.
     * A poll whose only news is such events returns at once instead of waiting out its timeout.
     */
    public Map<TopicPartition, Long> partitionEofs() {
        return partitionEofs;
    }

    public int count() {
        int n = 0;
        for (List<ConsumerRecord<K, V>> list : lists) {
            n += list.size();
        }
        return n;
    }

    public boolean isEmpty() {
        return count() == 0;
    }

    /** All records, partition after partition in fetch order; walks the lists, copies none. Read-only. */
    @Override
    public Iterator<ConsumerRecord<K, V>> iterator() {
        return new Iterator<>() {
            private int nextList;
            private List<ConsumerRecord<K, V>> current = List.of();
            private int index;

            @Override
            public boolean hasNext() {
                while (index >= current.size()) {
                    if (nextList >= lists.size()) {
                        return false;
                    }
                    current = lists.get(nextList++);
                    index = 0;
                }
                return true;
            }

            @Override
            public ConsumerRecord<K, V> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.get(index++);
            }
        };
    }
}
