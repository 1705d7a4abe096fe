package io.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.protocol.message.AlterConfigsRequestData;
import io.tributary.protocol.message.AlterConfigsResponseData;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10 item 1: what {@code kafka-configs.sh --alter} sends (IncrementalAlterConfigs SET / DELETE / APPEND /
 * SUBTRACT) and the legacy AlterConfigs, from Apache's AdminClient: applied without a restart, durable across one,
 * reported by DescribeConfigs as dynamic topic configs, and bad keys or values refused naming the key.
 */
class TopicConfigAlterTest {
    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.broker(Map.of());

    private Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                "127.0.0.1:" + fixture.get().boundPort()));
    }

    private static ConfigResource topic(String name) {
        return new ConfigResource(ConfigResource.Type.TOPIC, name);
    }

    private static void alter(Admin admin, String topic, AlterConfigOp... ops) throws Exception {
        admin.incrementalAlterConfigs(Map.of(topic(topic), List.of(ops))).all().get(20, TimeUnit.SECONDS);
    }

    private static Config describe(Admin admin, String topic) throws Exception {
        return admin.describeConfigs(List.of(topic(topic)))
                .all()
                .get(20, TimeUnit.SECONDS)
                .get(topic(topic));
    }

    @Test
    void incrementalAlterationsApplyAtOnceAndSurviveARestart() throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get(20, TimeUnit.SECONDS);
            alter(
                    admin,
                    "t",
                    new AlterConfigOp(new ConfigEntry("retention.ms", "3600000"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.APPEND),
                    new AlterConfigOp(new ConfigEntry("max.message.bytes", "200"), AlterConfigOp.OpType.SET));
            Config c = describe(admin, "t");
            assertThat(c.get("retention.ms").value()).isEqualTo("3600000");
            assertThat(c.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
            assertThat(c.get("cleanup.policy").value()).isEqualTo("delete,compact");
            assertThat(c.get("segment.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        }
        // Applied without a restart: the log refuses a batch over the new max.message.bytes.
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        "127.0.0.1:" + fixture.get().boundPort(),
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        "1"),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("t", "k".getBytes(), new byte[1000]))
                            .get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(RecordTooLargeException.class);
        }
        fixture.restart(Map.of());
        try (Admin admin = admin()) {
            Config c = describe(admin, "t");
            assertThat(c.get("retention.ms").value()).isEqualTo("3600000");
            assertThat(c.get("cleanup.policy").value()).isEqualTo("delete,compact");
            alter(
                    admin,
                    "t",
                    new AlterConfigOp(new ConfigEntry("retention.ms", ""), AlterConfigOp.OpType.DELETE),
                    new AlterConfigOp(new ConfigEntry("cleanup.policy", "delete"), AlterConfigOp.OpType.SUBTRACT));
            c = describe(admin, "t");
            assertThat(c.get("retention.ms").value()).isEqualTo("604800000");
            assertThat(c.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
            assertThat(c.get("cleanup.policy").value()).isEqualTo("compact");
        }
    }

    @Test
    void legacyAlterConfigsReplacesTheWholeSet() throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic("legacy", 1, (short) 1).configs(Map.of("retention.ms", "1000"))))
                    .all()
                    .get(20, TimeUnit.SECONDS);
        }
        // Kafka 4's AdminClient no longer sends AlterConfigs; older tools do. Spoken here over a raw socket.
        try (TestConnection c = new TestConnection(fixture.get().boundPort())) {
            AlterConfigsResponseData r = c.roundTrip(
                    new AlterConfigsRequestData()
                            .setResources(List.of(new AlterConfigsRequestData.AlterConfigsResource()
                                    .setResourceType((byte) 2)
                                    .setResourceName("legacy")
                                    .setConfigs(List.of(new AlterConfigsRequestData.AlterableConfig()
                                            .setName("segment.ms")
                                            .setValue("60000"))))),
                    new AlterConfigsResponseData(),
                    (short) 2);
            assertThat(r.responses)
                    .singleElement()
                    .satisfies(x -> assertThat(x.errorCode).isZero());
        }
        try (Admin admin = admin()) {
            Config c = describe(admin, "legacy");
            assertThat(c.get("segment.ms").value()).isEqualTo("60000");
            assertThat(c.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        }
    }

    @Test
    void badKeysValuesAndResourcesAreRefusedNamingTheCause() throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic("bad", 1, (short) 1))).all().get(20, TimeUnit.SECONDS);
            assertThatThrownBy(() -> alter(
                            admin,
                            "bad",
                            new AlterConfigOp(new ConfigEntry("no.such.key", "1"), AlterConfigOp.OpType.SET)))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("no.such.key");
            assertThatThrownBy(() -> alter(
                            admin,
                            "bad",
                            new AlterConfigOp(new ConfigEntry("retention.ms", "soon"), AlterConfigOp.OpType.SET)))
                    .hasCauseInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("retention.ms");
            assertThatThrownBy(() -> alter(
                            admin,
                            "bad",
                            new AlterConfigOp(new ConfigEntry("retention.ms", "1"), AlterConfigOp.OpType.APPEND)))
                    .hasCauseInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("retention.ms");
            assertThatThrownBy(() -> alter(
                            admin,
                            "missing",
                            new AlterConfigOp(new ConfigEntry("retention.ms", "1"), AlterConfigOp.OpType.SET)))
                    .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
            assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(
                                    new ConfigResource(ConfigResource.Type.BROKER, "0"),
                                    List.of(new AlterConfigOp(
                                            new ConfigEntry("log.retention.hours", "1"), AlterConfigOp.OpType.SET))))
                            .all()
                            .get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("Cannot update these configs dynamically: [log.retention.hours]");
            assertThat(describe(admin, "bad").get("retention.ms").source())
                    .isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        }
    }
}
