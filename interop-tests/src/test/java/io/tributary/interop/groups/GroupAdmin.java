package io.tributary.interop.groups;

import static org.awaitility.Awaitility.await;

import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.interop.support.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Apache AdminClient chores and our producer's data the group scenarios share: records with known values,
 * log end offsets, committed offsets. Stateless; each call opens and closes its own client.
 */
final class GroupAdmin {
    private static final Duration SETTLE = Duration.ofSeconds(60);

    private GroupAdmin() {}

    /** Produces records whose values are {@code first..first+count-1}, round-robin over partitions. */
    static void produce(String bootstrap, String topic, int partitions, int first, int count) {
        try (TributaryProducer<byte[], byte[]> producer = KafkaClients.ourProducer(bootstrap, Map.of())) {
            for (int n = first; n < first + count; n++) {
                producer.send(new ProducerRecord<>(
                        topic, n % partitions, null, Integer.toString(n).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    static Admin admin(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return Admin.create(props);
    }

    static Map<TopicPartition, Long> endOffsets(Admin admin, String topic, int partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    static Map<TopicPartition, Long> committed(Admin admin, String group) throws Exception {
        Map<TopicPartition, Long> committed = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS);
        offsets.forEach((tp, om) -> committed.put(tp, om == null ? null : om.offset()));
        return committed;
    }

    /** Commits {@code offsets} for an inactive group, the way an operator or a tool does. */
    static void commit(String bootstrap, String group, Map<TopicPartition, Long> offsets) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> request = new HashMap<>();
        offsets.forEach((tp, offset) -> request.put(tp, new OffsetAndMetadata(offset)));
        try (Admin admin = admin(bootstrap)) {
            admin.alterConsumerGroupOffsets(group, request).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Log end and committed offsets, for a failure message; never throws. */
    static String offsetsSummary(String bootstrap, String topic, String group, int partitions) {
        try (Admin admin = admin(bootstrap)) {
            return "log end offsets " + endOffsets(admin, topic, partitions) + ", committed " + committed(admin, group);
        } catch (Exception e) {
            return "(offsets unavailable: " + e + ")";
        }
    }

    /** Waits until the group's committed offsets equal the log end offsets of every partition. */
    static void assertCommittedAtLogEnd(String bootstrap, String topic, String group, int partitions) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            Map<TopicPartition, Long> ends = endOffsets(admin, topic, partitions);
            Map<TopicPartition, Long> committed = new HashMap<>();
            try {
                await("committed offsets of " + group + " reach the log end")
                        .atMost(SETTLE)
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> {
                            committed.clear();
                            committed.putAll(committed(admin, group));
                            return committed.equals(ends);
                        });
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("committed " + committed + " but log ends are " + ends, e);
            }
        }
    }
}
