package io.tributary.interop.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 3 acceptance for offset expiry (G11, B2): once a group is empty its committed offsets
 * expire after {@code offsets.retention.minutes} (1 here, the smallest Kafka accepts), not
 * before, and then {@code auto.offset.reset} decides where a member starts. Costs a minute per
 * target.
 */
class OffsetExpiryTest {
    private static final Logger LOG = LoggerFactory.getLogger(OffsetExpiryTest.class);
    private static final long RETENTION_MS = TimeUnit.MINUTES.toMillis(1);

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void offsetsOfAnEmptyGroupExpireAfterTheRetention(Target target) throws Exception {
        RunningBroker broker = GroupBrokers.get(target);
        String topic = KafkaClients.uniqueTopic("expiry");
        String group = topic + "-group";
        TopicPartition partition = new TopicPartition(topic, 0);
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
        GroupAdmin.produce(broker.bootstrapServers(), topic, 1, 0, 10);

        long emptySince;
        try (InProcessMember member = new InProcessMember(broker.bootstrapServers(), group, Map.of())) {
            member.subscribe(topic);
            await("assigned")
                    .atMost(Duration.ofSeconds(60))
                    .pollInSameThread()
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> {
                        member.poll();
                        return !member.owned().isEmpty();
                    });
            member.consumer().commitSync(Map.of(partition, new OffsetAndMetadata(5)));
            emptySince = System.nanoTime(); // the group can become empty no earlier than the close below
        }
        try (Admin admin = GroupAdmin.admin(broker.bootstrapServers())) {
            assertThat(GroupAdmin.committed(admin, group)).isEqualTo(Map.of(partition, 5L));
            await("committed offsets expire")
                    .atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> GroupAdmin.committed(admin, group).isEmpty());
        }
        long expiredAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - emptySince);
        LOG.info("{}: offsets expired {} ms after the group became empty", target, expiredAfterMs);
        assertThat(expiredAfterMs).as("ms until expiry").isGreaterThanOrEqualTo(RETENTION_MS);

        // No committed offset any more: auto.offset.reset=earliest starts at 0, not at the old 5.
        try (InProcessMember member = new InProcessMember(
                broker.bootstrapServers(), group, Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"))) {
            member.subscribe(topic);
            await("consumes again")
                    .atMost(Duration.ofSeconds(60))
                    .pollInSameThread()
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> {
                        member.poll();
                        return member.records() >= 10;
                    });
            assertThat(member.firstOffsets()).isEqualTo(Map.of(partition, 0L));
        }
    }
}
