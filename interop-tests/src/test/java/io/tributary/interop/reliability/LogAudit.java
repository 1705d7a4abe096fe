package io.tributary.interop.reliability;

import static org.awaitility.Awaitility.await;

import io.tributary.interop.support.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a whole topic with an assign-only consumer and compares it with an {@link AckLedger}
 * (issue 15, crash loops): every acknowledged record is at the offset it was acknowledged with;
 * no record is stored twice (idempotence); each producer's records are in its send order within a
 * partition. Records that were sent but never acknowledged may be there or not.
 */
final class LogAudit {
    private static final int MAX_VIOLATIONS = 20;

    /** What an audit found. {@code violations} is empty when the log is as acknowledged. */
    record Result(long recordsRead, long ackedChecked, List<String> violations) {}

    private LogAudit() {}

    /** Record ids are {@code p<producer>-<sequence>}; the value repeats the id. */
    static String id(int producer, long sequence) {
        return "p" + producer + "-" + sequence;
    }

    static byte[] value(String id) {
        byte[] text = (id + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] value = new byte[64];
        for (int i = 0; i < value.length; i++) {
            value[i] = text[i % text.length];
        }
        return value;
    }

    static Result audit(String bootstrap, String topic, int partitions, AckLedger ledger) {
        // The ledger first: whatever was acknowledged before the end offsets are read must be below them.
        List<Map<Long, String>> acked = ledger.snapshot();
        List<String> violations = new ArrayList<>(ledger.violations());
        List<Map<Long, String>> stored = new ArrayList<>();
        Map<String, String> firstPlace = new HashMap<>();
        Map<String, Long> lastSequence = new HashMap<>();
        long read = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                KafkaClients.assignOnlyConsumer(bootstrap, Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000))) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(topic, p));
                stored.add(new HashMap<>());
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            Map<TopicPartition, Long> end = consumer.endOffsets(all, Duration.ofSeconds(30));
            long[] counter = {0};
            await("read " + topic + " to " + end)
                    .atMost(Duration.ofSeconds(120))
                    .pollInSameThread()
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> {
                        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(KafkaClients.pollTimeout())) {
                            counter[0]++;
                            check(r, stored, firstPlace, lastSequence, violations);
                        }
                        return all.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
                    });
            read = counter[0];
        }
        long checked = 0;
        for (int p = 0; p < partitions; p++) {
            for (Map.Entry<Long, String> e : acked.get(p).entrySet()) {
                checked++;
                String there = stored.get(p).get(e.getKey());
                if (!e.getValue().equals(there)) {
                    violations.add("acknowledged " + e.getValue() + " at " + p + "/" + e.getKey() + " but found "
                            + (there == null ? "nothing" : there));
                }
            }
        }
        return new Result(read, checked, violations.subList(0, Math.min(MAX_VIOLATIONS, violations.size())));
    }

    private static void check(
            ConsumerRecord<byte[], byte[]> r,
            List<Map<Long, String>> stored,
            Map<String, String> firstPlace,
            Map<String, Long> lastSequence,
            List<String> violations) {
        String id = new String(r.key(), StandardCharsets.US_ASCII);
        String place = r.partition() + "/" + r.offset();
        stored.get(r.partition()).put(r.offset(), id);
        if (!Arrays.equals(r.value(), value(id))) {
            violations.add("value of " + id + " at " + place + " damaged");
        }
        String earlier = firstPlace.putIfAbsent(id, place);
        if (earlier != null) {
            violations.add(id + " stored twice: at " + earlier + " and " + place);
            return;
        }
        int dash = id.indexOf('-');
        String stream = id.substring(0, dash) + "@" + r.partition();
        long sequence = Long.parseLong(id.substring(dash + 1));
        Long previous = lastSequence.put(stream, sequence);
        if (previous != null && previous >= sequence) {
            violations.add(id + " at " + place + " comes after " + id.substring(0, dash) + "-" + previous
                    + " in partition " + r.partition());
        }
    }
}
