package io.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigSource;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10 item 1: dynamic broker configs (this broker's id and the cluster-wide default) and group configs (resource
 * type 32) through Apache's AdminClient: validated with Kafka's errors, applied live to topics without an override,
 * reported by DescribeConfigs with Kafka's sources and synonyms, durable across a restart.
 */
class DynamicConfigsTest {
    private static final ConfigResource BROKER = new ConfigResource(ConfigResource.Type.BROKER, "0");
    private static final ConfigResource DEFAULT = new ConfigResource(ConfigResource.Type.BROKER, "");
    private static final ConfigResource GROUP = new ConfigResource(ConfigResource.Type.GROUP, "g1");
    /** Records carry a key: the broker-wide cleanup.policy becomes compact,delete, which refuses null keys. */
    private static final byte[] KEY = "k".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.broker(Map.of("log.segment.bytes", "5000000"));

    private Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                "127.0.0.1:" + fixture.get().boundPort()));
    }

    private static void set(Admin admin, ConfigResource r, String key, String value) throws Exception {
        admin.incrementalAlterConfigs(
                        Map.of(r, List.of(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET))))
                .all()
                .get(20, TimeUnit.SECONDS);
    }

    private static Config describe(Admin admin, ConfigResource r) throws Exception {
        return admin.describeConfigs(
                        List.of(r),
                        new DescribeConfigsOptions().includeSynonyms(true).includeDocumentation(true))
                .all()
                .get(20, TimeUnit.SECONDS)
                .get(r);
    }

    private static String synonyms(ConfigEntry e) {
        return e.synonyms().stream()
                .map(s -> s.name() + "=" + s.value() + "@" + s.source())
                .toList()
                .toString();
    }

    @Test
    void brokerConfigsApplyLiveAreDescribedAsKafkaDoesAndSurviveARestart() throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(
                            new NewTopic("plain", 1, (short) 1),
                            new NewTopic("own", 1, (short) 1).configs(Map.of("max.message.bytes", "5000000"))))
                    .all()
                    .get(20, TimeUnit.SECONDS);
            set(admin, DEFAULT, "log.segment.bytes", "2000000");
            set(admin, BROKER, "log.segment.bytes", "3000000");
            set(admin, BROKER, "message.max.bytes", "500");
            admin.incrementalAlterConfigs(Map.of(
                            BROKER,
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("log.cleanup.policy", "compact"), AlterConfigOp.OpType.APPEND))))
                    .all()
                    .get(20, TimeUnit.SECONDS);

            Config topic = describe(admin, new ConfigResource(ConfigResource.Type.TOPIC, "plain"));
            ConfigEntry segment = topic.get("segment.bytes");
            assertThat(segment.value()).isEqualTo("3000000");
            assertThat(segment.source()).isEqualTo(ConfigSource.DYNAMIC_BROKER_CONFIG);
            assertThat(synonyms(segment))
                    .isEqualTo("[log.segment.bytes=3000000@DYNAMIC_BROKER_CONFIG,"
                            + " log.segment.bytes=2000000@DYNAMIC_DEFAULT_BROKER_CONFIG,"
                            + " log.segment.bytes=5000000@STATIC_BROKER_CONFIG,"
                            + " log.segment.bytes=1073741824@DEFAULT_CONFIG]");
            assertThat(topic.get("cleanup.policy").value()).isEqualTo("delete,compact");
            assertThat(topic.get("cleanup.policy").type()).isEqualTo(ConfigEntry.ConfigType.LIST);
            assertThat(topic.get("segment.ms").source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
            assertThat(topic.get("segment.ms").synonyms()).isEmpty();

            Config broker = describe(admin, BROKER);
            assertThat(broker.get("message.max.bytes").source()).isEqualTo(ConfigSource.DYNAMIC_BROKER_CONFIG);
            assertThat(broker.get("log.retention.ms").value()).isNull();
            assertThat(broker.get("log.retention.ms").source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
            assertThat(broker.get("log.retention.hours").isReadOnly()).isTrue();
            assertThat(synonyms(broker.get("log.retention.hours")))
                    .isEqualTo("[log.retention.hours=168@DEFAULT_CONFIG]");
            Config dflt = describe(admin, DEFAULT);
            assertThat(dflt.entries()).singleElement().satisfies(e -> {
                assertThat(e.name()).isEqualTo("log.segment.bytes");
                assertThat(e.source()).isEqualTo(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
            });
        }
        // Live: the topic without an override refuses a batch over the new message.max.bytes; the other does not.
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("plain", KEY, new byte[1000]))
                            .get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(RecordTooLargeException.class);
            assertThat(producer.send(new ProducerRecord<>("own", KEY, new byte[1000]))
                            .get(20, TimeUnit.SECONDS))
                    .isNotNull();
        }
        fixture.restart(Map.of("log.segment.bytes", "5000000"));
        try (Admin admin = admin();
                KafkaProducer<byte[], byte[]> producer = producer()) {
            Config topic = describe(admin, new ConfigResource(ConfigResource.Type.TOPIC, "plain"));
            assertThat(topic.get("max.message.bytes").value()).isEqualTo("500");
            assertThat(topic.get("segment.bytes").value()).isEqualTo("3000000");
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("plain", KEY, new byte[1000]))
                            .get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(RecordTooLargeException.class);
            admin.incrementalAlterConfigs(Map.of(
                            BROKER,
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("message.max.bytes", ""), AlterConfigOp.OpType.DELETE))))
                    .all()
                    .get(20, TimeUnit.SECONDS);
            assertThat(producer.send(new ProducerRecord<>("plain", KEY, new byte[1000]))
                            .get(20, TimeUnit.SECONDS))
                    .isNotNull();
            assertThat(describe(admin, BROKER).get("message.max.bytes").source())
                    .isEqualTo(ConfigSource.DEFAULT_CONFIG);
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        "127.0.0.1:" + fixture.get().boundPort(),
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        "1"),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    /** Issue 10 bad input: Kafka's error and message naming the key; nothing is changed. */
    @Test
    void badBrokerAndGroupConfigsAreRefusedWithKafkasErrors() throws Exception {
        try (Admin admin = admin()) {
            assertThatThrownBy(() -> set(admin, BROKER, "log.retention.hours", "1"))
                    .hasCauseInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("Cannot update these configs dynamically: [log.retention.hours]");
            assertThatThrownBy(() -> set(admin, BROKER, "message.max.bytes", "abc"))
                    .hasCauseInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining(
                            "Invalid value abc for configuration message.max.bytes: Not a number of type INT");
            assertThatThrownBy(() -> set(admin, DEFAULT, "message.max.bytes", "-5"))
                    .hasCauseInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining(
                            "Invalid value -5 for configuration message.max.bytes: Value must be at least 0");
            assertThatThrownBy(() -> set(admin, BROKER, "no.such.key", "1"))
                    .hasCauseInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("no.such.key");
            assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(
                                    BROKER,
                                    List.of(new AlterConfigOp(
                                            new ConfigEntry("message.max.bytes", "5"), AlterConfigOp.OpType.APPEND))))
                            .all()
                            .get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("Config value append is not allowed for config key: message.max.bytes");
            assertThatThrownBy(() -> set(admin, GROUP, "consumer.session.timeout.ms", "50"))
                    .hasCauseInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining(
                            "consumer.session.timeout.ms must be greater than or equal to group.consumer.min.session.timeout.ms");
            assertThatThrownBy(() -> set(admin, GROUP, "no.such.group.key", "1"))
                    .hasCauseInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("Unknown group config name: no.such.group.key");
            // validateOnly checks but changes nothing.
            admin.incrementalAlterConfigs(
                            Map.of(
                                    BROKER,
                                    List.of(new AlterConfigOp(
                                            new ConfigEntry("log.retention.ms", "1000"), AlterConfigOp.OpType.SET))),
                            new AlterConfigsOptions().validateOnly(true))
                    .all()
                    .get(20, TimeUnit.SECONDS);
            Config broker = describe(admin, BROKER);
            assertThat(broker.get("log.retention.ms").value()).isNull();
            assertThat(broker.get("message.max.bytes").source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
            assertThat(describe(admin, GROUP).get("consumer.session.timeout.ms").source())
                    .isEqualTo(ConfigSource.DEFAULT_CONFIG);
        }
    }

    @Test
    void groupConfigsAreStoredDescribedAndDurable() throws Exception {
        try (Admin admin = admin()) {
            set(admin, GROUP, "consumer.session.timeout.ms", "50000");
            set(admin, GROUP, "share.auto.offset.reset", "by_duration:PT1H");
            ConfigEntry timeout = describe(admin, GROUP).get("consumer.session.timeout.ms");
            assertThat(timeout.value()).isEqualTo("50000");
            assertThat(timeout.source()).isEqualTo(ConfigSource.DYNAMIC_GROUP_CONFIG);
            assertThat(synonyms(timeout))
                    .isEqualTo("[consumer.session.timeout.ms=50000@DYNAMIC_GROUP_CONFIG,"
                            + " group.consumer.session.timeout.ms=45000@DEFAULT_CONFIG]");
            assertThat(timeout.type()).isEqualTo(ConfigEntry.ConfigType.INT);
            assertThat(timeout.documentation()).isNotBlank();
            assertThat(describe(admin, GROUP).entries()).hasSize(17);
        }
        fixture.restart(Map.of("log.segment.bytes", "5000000"));
        try (Admin admin = admin()) {
            Config g = describe(admin, GROUP);
            assertThat(g.get("consumer.session.timeout.ms").value()).isEqualTo("50000");
            assertThat(g.get("share.auto.offset.reset").value()).isEqualTo("by_duration:PT1H");
            assertThat(describe(admin, new ConfigResource(ConfigResource.Type.GROUP, "other"))
                            .get("consumer.session.timeout.ms")
                            .value())
                    .isEqualTo("45000");
        }
    }
}
