package io.tributary.interop.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14, feature X6: Apache {@code KafkaConsumer}s with {@code group.protocol=consumer} and
 * {@code group.remote.assignor=lag-aware} on OUR broker only: Apache Kafka has no such assignor
 * (it would answer UNSUPPORTED_ASSIGNOR), so there is nothing to compare against. Three of six
 * partitions carry a backlog (the group committed nothing there), the other three are caught up;
 * each of the three members ends up with one backlogged and one caught-up partition. Auto-commit
 * is off so the lags the broker sees stay what the test made them while the members join.
 */
class LagAwareAssignmentTest {
    private static final int PARTITIONS = 6;
    private static final int BACKLOG = 200;
    private static final int CAUGHT_UP = 5;

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void eachMemberGetsAnEqualShareOfTheBacklog() throws Exception {
        try (RunningBroker broker = Target.TRIBUTARY.startDedicated(Map.of(
                "group.consumer.assignors", "uniform,range,lag-aware",
                "group.consumer.heartbeat.interval.ms", "500",
                "group.consumer.min.heartbeat.interval.ms", "500"))) {
            String bootstrap = broker.bootstrapServers();
            String topic = KafkaClients.uniqueTopic("lag-aware");
            String group = topic + "-group";
            KafkaClients.createTopic(bootstrap, topic, PARTITIONS);
            // Backlog on partitions 0, 1 and 2: the first ones a member keeps under uniform.
            try (TributaryProducer<byte[], byte[]> producer = KafkaClients.ourProducer(bootstrap, Map.of())) {
                for (int p = 0; p < PARTITIONS; p++) {
                    int n = p < 3 ? BACKLOG : CAUGHT_UP;
                    for (int i = 0; i < n; i++) {
                        producer.send(new ProducerRecord<>(topic, p, null, new byte[] {(byte) i}));
                    }
                }
                producer.flush();
            }
            Properties adminProps = new Properties();
            adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            try (Admin admin = Admin.create(adminProps)) {
                Map<TopicPartition, OffsetAndMetadata> caughtUp = new HashMap<>();
                for (int p = 3; p < PARTITIONS; p++) {
                    caughtUp.put(new TopicPartition(topic, p), new OffsetAndMetadata(CAUGHT_UP));
                }
                admin.alterConsumerGroupOffsets(group, caughtUp).all().get(30, TimeUnit.SECONDS);

                List<KafkaConsumer<byte[], byte[]>> members = new ArrayList<>();
                try {
                    for (int i = 0; i < 3; i++) {
                        members.add(member(bootstrap, group, topic));
                    }
                    ConsumerGroupDescription[] stable = {null};
                    await("three members reconciled to a stable group")
                            .atMost(Duration.ofSeconds(60))
                            .until(() -> {
                                members.forEach(c -> c.poll(Duration.ofMillis(50)));
                                ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group))
                                        .all()
                                        .get()
                                        .get(group);
                                int owned = d.members().stream()
                                        .mapToInt(m ->
                                                m.assignment().topicPartitions().size())
                                        .sum();
                                stable[0] = d;
                                return d.groupState() == GroupState.STABLE
                                        && d.members().size() == 3
                                        && owned == PARTITIONS;
                            });
                    assertThat(stable[0].partitionAssignor()).isEqualTo("lag-aware");
                    Set<TopicPartition> all = new HashSet<>();
                    for (MemberDescription m : stable[0].members()) {
                        Set<TopicPartition> mine = m.assignment().topicPartitions();
                        all.addAll(mine);
                        assertThat(mine).as("partitions of %s", m.consumerId()).hasSize(2);
                        assertThat(mine)
                                .filteredOn(tp -> tp.partition() < 3)
                                .as("backlogged partitions of %s", m.consumerId())
                                .hasSize(1);
                    }
                    assertThat(all).hasSize(PARTITIONS);
                } finally {
                    members.forEach(KafkaConsumer::close);
                }
            }
        }
    }

    private static KafkaConsumer<byte[], byte[]> member(String bootstrap, String group, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        props.put(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, "lag-aware");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Few records a poll, so polling the three members in turn keeps each one's heartbeat timely.
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10");
        KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        c.subscribe(List.of(topic));
        return c;
    }
}
