package io.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 10 item 3: DescribeLogDirs, as kafka-log-dirs.sh asks it through Apache's AdminClient. */
class DescribeLogDirsTest {
    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.broker(Map.of());

    @Test
    void theDataDirectoryAndEachPartitionsSizeAreReported() throws Exception {
        String bootstrap = "127.0.0.1:" + fixture.get().boundPort();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            admin.createTopics(List.of(new NewTopic("sized", 2, (short) 1)))
                    .all()
                    .get(20, TimeUnit.SECONDS);
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("sized", 0, null, new byte[1000]))
                        .get(20, TimeUnit.SECONDS);
            }
            Map<Integer, Map<String, LogDirDescription>> dirs =
                    admin.describeLogDirs(List.of(0)).allDescriptions().get(20, TimeUnit.SECONDS);
            LogDirDescription dir =
                    dirs.get(0).get(fixture.dir().toAbsolutePath().normalize().toString());
            assertThat(dir).as("the data directory in %s", dirs).isNotNull();
            assertThat(dir.error()).isNull();
            assertThat(dir.totalBytes().orElseThrow()).isPositive();
            assertThat(dir.usableBytes().orElseThrow()).isPositive();
            Map<TopicPartition, ReplicaInfo> replicas = dir.replicaInfos();
            assertThat(replicas.get(new TopicPartition("sized", 0)).size()).isGreaterThan(10_000);
            assertThat(replicas.get(new TopicPartition("sized", 1)).size()).isZero();
        }
    }
}
