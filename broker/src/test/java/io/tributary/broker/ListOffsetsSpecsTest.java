package io.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10 item 3: the ListOffsets specs newer clients send, as Apache's AdminClient sends them ({@code
 * GetOffsetShell --time -3} is max timestamp): KIP-734 max timestamp, earliest local and latest tiered, answered as
 * Kafka 4 answers them on a node without tiered storage.
 */
class ListOffsetsSpecsTest {
    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.broker(Map.of());

    @Test
    void maxTimestampEarliestLocalAndLatestTieredAnswerAsKafka() throws Exception {
        String bootstrap = "127.0.0.1:" + fixture.get().boundPort();
        TopicPartition tp = new TopicPartition("specs", 0);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            admin.createTopics(List.of(new NewTopic("specs", 1, (short) 1)))
                    .all()
                    .get(20, TimeUnit.SECONDS);
            long[] timestamps = {1_000, 5_000, 3_000, 2_000};
            for (long ts : timestamps) {
                producer.send(new ProducerRecord<>("specs", 0, ts, null, new byte[10]))
                        .get(20, TimeUnit.SECONDS);
            }
            ListOffsetsResult.ListOffsetsResultInfo max = admin.listOffsets(Map.of(tp, OffsetSpec.maxTimestamp()))
                    .partitionResult(tp)
                    .get(20, TimeUnit.SECONDS);
            assertThat(max.offset()).isEqualTo(1);
            assertThat(max.timestamp()).isEqualTo(5_000);
            assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.earliestLocal()))
                            .partitionResult(tp)
                            .get(20, TimeUnit.SECONDS)
                            .offset())
                    .isZero();
            assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.latestTiered()))
                            .partitionResult(tp)
                            .get(20, TimeUnit.SECONDS)
                            .offset())
                    .isEqualTo(-1);
            assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.forTimestamp(2_500)))
                            .partitionResult(tp)
                            .get(20, TimeUnit.SECONDS)
                            .offset())
                    .isEqualTo(1);
        }
    }
}
