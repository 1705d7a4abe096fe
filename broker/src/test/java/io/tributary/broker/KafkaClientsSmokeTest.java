package io.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The real Apache Java clients against our broker: a quick smoke test, no consumer groups. */
class KafkaClientsSmokeTest {
    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.broker();

    @Test
    void idempotentProducerAndAssignedConsumerWithEveryCodec() throws Exception {
        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.get().bootstrapServers());
        pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        pp.put(ProducerConfig.ACKS_CONFIG, "all");
        pp.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        List<String> sent = new ArrayList<>();
        for (String codec : List.of("none", "gzip", "snappy", "lz4", "zstd")) {
            pp.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp)) {
                for (int i = 0; i < 20; i++) {
                    String v = codec + "-" + i;
                    RecordMetadata md = producer.send(new ProducerRecord<>("smoke", "k" + i, v))
                            .get(10, TimeUnit.SECONDS);
                    assertThat(md.offset()).isEqualTo(sent.size());
                    sent.add(v);
                }
            }
        }
        Properties cp = new Properties();
        cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.get().bootstrapServers());
        cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        cp.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "1000");
        List<String> got = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cp)) {
            TopicPartition tp = new TopicPartition("smoke", 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.currentTimeMillis() + 20_000;
            while (got.size() < sent.size() && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    got.add(r.value());
                }
            }
            assertThat(consumer.position(tp)).isEqualTo(sent.size());
        }
        assertThat(got).containsExactlyElementsOf(sent);
    }

    @Test
    void adminClientManagesTopics() throws Exception {
        Properties ap = new Properties();
        ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.get().bootstrapServers());
        try (Admin admin = Admin.create(ap)) {
            admin.createTopics(List.of(new NewTopic("adm", 2, (short) 1).configs(Map.of("retention.ms", "60000"))))
                    .all()
                    .get(10, TimeUnit.SECONDS);
            assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).contains("adm");
            assertThat(admin.describeTopics(List.of("adm"))
                            .allTopicNames()
                            .get(10, TimeUnit.SECONDS)
                            .get("adm")
                            .partitions())
                    .hasSize(2);
            admin.createPartitions(Map.of("adm", NewPartitions.increaseTo(3)))
                    .all()
                    .get(10, TimeUnit.SECONDS);
            ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, "adm");
            assertThat(admin.describeConfigs(List.of(res))
                            .all()
                            .get(10, TimeUnit.SECONDS)
                            .get(res)
                            .get("retention.ms")
                            .value())
                    .isEqualTo("60000");
            assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS))
                    .hasSize(1);
            assertThat(admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS))
                    .isEqualTo(fixture.get().state().clusterId());
            TopicPartition tp = new TopicPartition("adm", 2);
            assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.latest()))
                            .all()
                            .get(10, TimeUnit.SECONDS)
                            .get(tp)
                            .offset())
                    .isZero();
            admin.deleteTopics(List.of("adm")).all().get(10, TimeUnit.SECONDS);
            assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).doesNotContain("adm");
            assertThat(Set.copyOf(admin.listTopics().names().get(10, TimeUnit.SECONDS)))
                    .isEmpty();
        }
    }
}
