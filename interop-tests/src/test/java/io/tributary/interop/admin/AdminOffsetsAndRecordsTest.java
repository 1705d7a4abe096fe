package io.tributary.interop.admin;

import static io.tributary.interop.admin.AdminFixtures.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.client.admin.Admin;
import io.tributary.client.admin.DeletedRecords;
import io.tributary.client.admin.ListOffsetsOptions;
import io.tributary.client.admin.ListOffsetsResult.ListOffsetsResultInfo;
import io.tributary.client.admin.OffsetSpec;
import io.tributary.client.admin.RecordsToDelete;
import io.tributary.client.common.IsolationLevel;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.errors.OffsetOutOfRangeException;
import io.tributary.client.common.errors.UnknownTopicOrPartitionException;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.Target;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 12 item 2 acceptance (admin, log offsets): listOffsets answers each OffsetSpec (earliest,
 * latest, forTimestamp, maxTimestamp; both isolation levels) from the partition leader,
 * deleteRecords moves the log start offset that earliest then reports, and bad input (an offset
 * past the end, an unknown topic) fails with Kafka's exception naming the partition.
 */
class AdminOffsetsAndRecordsTest {
    private static final long WAIT_S = 30;
    private static final int RECORDS = 10;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void listOffsetsBySpecAndDeleteRecords(Target target) throws Exception {
        String bootstrap = target.shared().bootstrapServers();
        String topic = KafkaClients.uniqueTopic("admin-offsets");
        KafkaClients.createTopic(bootstrap, topic, 1);
        long base = System.currentTimeMillis() - 60_000;
        AdminFixtures.produce(bootstrap, topic, 1, RECORDS, base); // timestamps base, base+1s, ... base+9s
        TopicPartition tp = new TopicPartition(topic, 0);

        try (Admin admin = AdminFixtures.admin(bootstrap)) {
            assertThat(offset(admin, tp, OffsetSpec.earliest()).offset()).isZero();
            assertThat(offset(admin, tp, OffsetSpec.latest()).offset()).isEqualTo(RECORDS);
            ListOffsetsResultInfo at = offset(admin, tp, OffsetSpec.forTimestamp(base + 3_500));
            assertThat(at.offset()).isEqualTo(4);
            assertThat(at.timestamp()).isEqualTo(base + 4_000);
            assertThat(offset(admin, tp, OffsetSpec.forTimestamp(base + 3_600_000))
                            .offset())
                    .as("a timestamp after every record matches none")
                    .isEqualTo(-1);
            ListOffsetsResultInfo max = offset(admin, tp, OffsetSpec.maxTimestamp());
            assertThat(max.offset()).isEqualTo(RECORDS - 1);
            assertThat(max.timestamp()).isEqualTo(base + (RECORDS - 1) * 1_000L);
            assertThat(admin.listOffsets(
                                    Map.of(tp, OffsetSpec.latest()),
                                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                            .partitionResult(tp)
                            .get(WAIT_S, TimeUnit.SECONDS)
                            .offset())
                    .as("no open transaction: the LSO is the high watermark")
                    .isEqualTo(RECORDS);

            DeletedRecords deleted = admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(4)))
                    .lowWatermarks()
                    .get(tp)
                    .get(WAIT_S, TimeUnit.SECONDS);
            assertThat(deleted.lowWatermark()).isEqualTo(4);
            assertThat(offset(admin, tp, OffsetSpec.earliest()).offset()).isEqualTo(4);
            assertThat(offset(admin, tp, OffsetSpec.latest()).offset()).isEqualTo(RECORDS);

            OffsetOutOfRangeException past = failure(
                    admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(RECORDS + 5)))
                            .lowWatermarks()
                            .get(tp),
                    OffsetOutOfRangeException.class);
            assertThat(past).hasMessageContaining(tp.toString());

            TopicPartition missing = new TopicPartition(topic + "-missing", 0);
            UnknownTopicOrPartitionException unknown = failure(
                    admin.listOffsets(Map.of(missing, OffsetSpec.latest())).partitionResult(missing),
                    UnknownTopicOrPartitionException.class);
            assertThat(unknown).hasMessageContaining(missing.topic());
            TopicPartition noSuchPartition = new TopicPartition(topic, 7);
            assertThat(failure(
                            admin.deleteRecords(Map.of(noSuchPartition, RecordsToDelete.beforeOffset(1)))
                                    .lowWatermarks()
                                    .get(noSuchPartition),
                            UnknownTopicOrPartitionException.class))
                    .hasMessageContaining(noSuchPartition.toString());
        }
    }

    private static ListOffsetsResultInfo offset(Admin admin, TopicPartition tp, OffsetSpec spec) throws Exception {
        return admin.listOffsets(Map.of(tp, spec)).partitionResult(tp).get(WAIT_S, TimeUnit.SECONDS);
    }
}
