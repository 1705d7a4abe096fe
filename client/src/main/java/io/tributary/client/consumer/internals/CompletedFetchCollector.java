package io.tributary.client.consumer.internals;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.ConsumerRecords;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.serialization.Deserializer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns buffered fetches into what poll returns: at most max.poll.records records, only for
 * partitions still assigned, unpaused and positioned where the fetch started (anything else is
 * stale and dropped), advancing each position past what it returns, and (enable.partition.eof)
 * the partitions whose position reached the end their last fetch reported. Application thread
 * only.
 */
public final class CompletedFetchCollector<K, V> {
    private final SubscriptionState subscriptions;
    private final FetchBuffer buffer;
    private final Deserializer<K> keys;
    private final Deserializer<V> values;
    private final boolean partitionEof;

    /** @param partitionEof enable.partition.eof: report partitions that reached their end */
    public CompletedFetchCollector(
            SubscriptionState subscriptions,
            FetchBuffer buffer,
            Deserializer<K> keys,
            Deserializer<V> values,
            boolean partitionEof) {
        this.subscriptions = subscriptions;
        this.buffer = buffer;
        this.keys = keys;
        this.values = values;
        this.partitionEof = partitionEof;
    }

    public ConsumerRecords<K, V> collect(int maxRecords) {
        Map<TopicPartition, List<ConsumerRecord<K, V>>> out = new LinkedHashMap<>();
        Map<TopicPartition, OffsetAndMetadata> next = new LinkedHashMap<>();
        Map<TopicPartition, Long> eofs = new LinkedHashMap<>();
        int remaining = maxRecords;
        while (remaining > 0) {
            CompletedFetch f = buffer.peek();
            if (f == null) {
                break;
            }
            TopicPartition tp = f.partition;
            if (!subscriptions.isAssigned(tp)
                    || subscriptions.isPaused(tp)
                    || subscriptions.version(tp) != f.version
                    || !Long.valueOf(f.nextFetchOffset()).equals(subscriptions.position(tp))) {
                buffer.poll();
                continue;
            }
            List<ConsumerRecord<K, V>> records = out.get(tp);
            boolean newList = records == null;
            if (newList) {
                records = new ArrayList<>(Math.min(remaining, 512));
            }
            int taken;
            try {
                taken = f.take(remaining, keys, values, records);
            } catch (RuntimeException e) {
                buffer.poll();
                if (!out.isEmpty()) {
                    break; // hand out what we have; the refetch raises the error again
                }
                throw e;
            }
            long position = f.nextFetchOffset();
            if (position > subscriptions.position(tp)) {
                subscriptions.advance(tp, f.version, position);
            }
            if (taken > 0) {
                if (newList) {
                    out.put(tp, records);
                }
                next.put(tp, new OffsetAndMetadata(position));
                remaining -= taken;
            }
            if (f.isDone()) {
                buffer.poll();
                // Everything this response held is handed out: if it reached the end it reported,
                // the partition has caught up (reported once per end offset, C4).
                if (partitionEof && position == f.endOffset && subscriptions.reportEof(tp, f.version, position)) {
                    eofs.put(tp, position);
                }
            }
        }
        return out.isEmpty() && eofs.isEmpty() ? ConsumerRecords.empty() : new ConsumerRecords<>(out, next, eofs);
    }
}
