package io.tributary.cli;

import io.tributary.client.admin.ConsumerGroupDescription;
import io.tributary.client.admin.ListOffsetsResult.ListOffsetsResultInfo;
import io.tributary.client.admin.MemberDescription;
import io.tributary.client.admin.OffsetSpec;
import io.tributary.client.admin.TopicDescription;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.TopicPartitionInfo;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.consumer.TributaryConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The per-partition rows of {@code groups describe} (issue 13): committed offset, log end offset,
 * lag in records as Kafka's group tool counts it, and lag in seconds — now minus the timestamp of
 * the next unconsumed record, read with a group-less consumer so the group is not touched.
 */
final class GroupLag {
    record Row(
            String topic,
            int partition,
            Long committed,
            long logStart,
            long logEnd,
            long lag,
            Long lagSeconds,
            MemberDescription member) {}

    private GroupLag() {}

    static List<Row> rows(AdminCalls calls, ClientOptions client, String group, ConsumerGroupDescription d) {
        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
        calls.await(calls.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(), group)
                .forEach((tp, om) -> {
                    if (om != null) {
                        committed.put(tp, om);
                    }
                });
        Map<TopicPartition, MemberDescription> owner = new HashMap<>();
        Set<String> topics = new TreeSet<>();
        for (MemberDescription m : d.members()) {
            for (TopicPartition tp : m.assignment().topicPartitions()) {
                owner.put(tp, m);
                topics.add(tp.topic());
            }
        }
        committed.keySet().forEach(tp -> topics.add(tp.topic()));
        if (topics.isEmpty()) {
            return List.of();
        }
        // Every partition of each topic the group touches: an uncommitted one shows its lag from the log start.
        Map<String, TopicDescription> described = new HashMap<>();
        Set<String> existing =
                new HashSet<>(calls.await(calls.admin().listTopics().names(), null));
        topics.retainAll(existing);
        if (!topics.isEmpty()) {
            described.putAll(calls.await(calls.admin().describeTopics(topics).allTopicNames(), null));
        }
        Set<TopicPartition> all =
                new TreeSet<>(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        described.forEach((t, td) -> {
            for (TopicPartitionInfo p : td.partitions()) {
                all.add(new TopicPartition(t, p.partition()));
            }
        });
        Map<TopicPartition, ListOffsetsResultInfo> end = listOffsets(calls, all, OffsetSpec.latest());
        Map<TopicPartition, ListOffsetsResultInfo> start = listOffsets(calls, all, OffsetSpec.earliest());
        Map<TopicPartition, Long> next = new HashMap<>();
        for (TopicPartition tp : all) {
            OffsetAndMetadata c = committed.get(tp);
            long from = c == null ? start.get(tp).offset() : c.offset();
            if (from < end.get(tp).offset()) {
                next.put(tp, Math.max(from, start.get(tp).offset()));
            }
        }
        Map<TopicPartition, Long> ts = timestamps(client, next);
        long now = System.currentTimeMillis();
        List<Row> rows = new ArrayList<>();
        for (TopicPartition tp : all) {
            OffsetAndMetadata c = committed.get(tp);
            long logEnd = end.get(tp).offset();
            long logStart = start.get(tp).offset();
            long lag = Math.max(0, logEnd - (c == null ? logStart : c.offset()));
            Long t = ts.get(tp);
            // Null when the next record could not be read in time (e.g. deleted meanwhile): unknown, not zero.
            Long lagSeconds =
                    lag == 0 ? Long.valueOf(0) : t == null ? null : Long.valueOf(Math.max(0, (now - t) / 1000));
            rows.add(new Row(
                    tp.topic(),
                    tp.partition(),
                    c == null ? null : c.offset(),
                    logStart,
                    logEnd,
                    lag,
                    lagSeconds,
                    owner.get(tp)));
        }
        return rows;
    }

    static Map<TopicPartition, ListOffsetsResultInfo> listOffsets(
            AdminCalls calls, Set<TopicPartition> tps, OffsetSpec spec) {
        Map<TopicPartition, OffsetSpec> req = new HashMap<>();
        tps.forEach(tp -> req.put(tp, spec));
        return req.isEmpty()
                ? Map.of()
                : calls.await(calls.admin().listOffsets(req).all(), null);
    }

    /** The timestamp of the first record at or after each offset (transaction markers and compaction skip some). */
    private static Map<TopicPartition, Long> timestamps(ClientOptions client, Map<TopicPartition, Long> from) {
        Map<TopicPartition, Long> out = new HashMap<>();
        if (from.isEmpty()) {
            return out;
        }
        try (TributaryConsumer<byte[], byte[]> c =
                client.consumer(null, Map.of("enable.auto.commit", "false", "max.partition.fetch.bytes", "65536"))) {
            c.assign(from.keySet());
            from.forEach(c::seek);
            long deadline = System.nanoTime() + client.timeout().toNanos();
            while (out.size() < from.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (!out.containsKey(tp) && r.offset() >= from.get(tp)) {
                        out.put(tp, r.timestamp());
                    }
                }
                Set<TopicPartition> done = new HashSet<>(out.keySet());
                done.retainAll(c.assignment());
                if (!done.isEmpty()) {
                    c.pause(done);
                }
            }
        }
        return out;
    }
}
