package io.tributary.interop.admin;

import static io.tributary.interop.admin.AdminFixtures.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.admin.Admin;
import io.tributary.client.admin.AlterConfigOp;
import io.tributary.client.admin.Config;
import io.tributary.client.admin.ConfigEntry;
import io.tributary.client.admin.CreateTopicsOptions;
import io.tributary.client.admin.CreateTopicsResult;
import io.tributary.client.admin.DescribeConfigsOptions;
import io.tributary.client.admin.ListTopicsOptions;
import io.tributary.client.admin.NewPartitions;
import io.tributary.client.admin.NewTopic;
import io.tributary.client.admin.TopicDescription;
import io.tributary.client.common.Node;
import io.tributary.client.common.TopicPartitionInfo;
import io.tributary.client.common.Uuid;
import io.tributary.client.common.config.ConfigResource;
import io.tributary.client.common.errors.InvalidConfigurationException;
import io.tributary.client.common.errors.InvalidPartitionsException;
import io.tributary.client.common.errors.TopicExistsException;
import io.tributary.client.common.errors.UnknownTopicOrPartitionException;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.Target;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 12 item 2 acceptance (admin): topics and configs round-trip through our admin client
 * against our broker and Apache Kafka: create (configs, validateOnly, replica assignment),
 * list, describe, describe/alter configs with every AlterConfigOp, grow partitions, describe the
 * cluster, delete; bad input fails with Kafka's exception naming the entity.
 */
class AdminTopicsAndConfigsTest {
    private static final long WAIT_S = 30;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void topicsAndConfigsRoundTrip(Target target) throws Exception {
        String bootstrap = target.shared().bootstrapServers();
        String topic = KafkaClients.uniqueTopic("admin-topics");
        try (Admin admin = AdminFixtures.admin(bootstrap)) {
            Collection<Node> nodes = admin.describeCluster().nodes().get(WAIT_S, TimeUnit.SECONDS);
            assertThat(nodes).as("describeCluster nodes").isNotEmpty();
            assertThat(admin.describeCluster().clusterId().get(WAIT_S, TimeUnit.SECONDS))
                    .isNotBlank();
            int brokerId = nodes.iterator().next().id();

            // validateOnly creates nothing
            String dryRun = topic + "-dry";
            admin.createTopics(
                            List.of(new NewTopic(dryRun, 2, (short) 1)), new CreateTopicsOptions().validateOnly(true))
                    .all()
                    .get(WAIT_S, TimeUnit.SECONDS);

            CreateTopicsResult created = admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1)
                    .configs(Map.of(
                            "retention.ms", "123456", "cleanup.policy", "compact", "max.message.bytes", "200000"))));
            created.all().get(WAIT_S, TimeUnit.SECONDS);
            assertThat(created.numPartitions(topic).get()).isEqualTo(3);
            Uuid id = created.topicId(topic).get();
            assertThat(id).isNotEqualTo(Uuid.ZERO_UUID);

            String assigned = topic + "-assigned";
            admin.createTopics(List.of(new NewTopic(assigned, Map.of(0, List.of(brokerId), 1, List.of(brokerId)))))
                    .all()
                    .get(WAIT_S, TimeUnit.SECONDS);

            // Apache's brokers apply a created topic to their metadata cache a moment after CreateTopics answers.
            await("created topics are listed")
                    .atMost(Duration.ofSeconds(WAIT_S))
                    .until(() -> admin.listTopics()
                            .names()
                            .get(WAIT_S, TimeUnit.SECONDS)
                            .containsAll(List.of(topic, assigned)));
            Map<String, ?> listed = admin.listTopics().namesToListings().get(WAIT_S, TimeUnit.SECONDS);
            assertThat(listed).containsKeys(topic, assigned).doesNotContainKey(dryRun);
            assertThat(admin.listTopics(new ListTopicsOptions().listInternal(false))
                            .names()
                            .get(WAIT_S, TimeUnit.SECONDS))
                    .noneMatch(n -> n.startsWith("__"));

            TopicDescription d = describe(admin, topic);
            assertThat(d.topicId()).isEqualTo(id);
            assertThat(d.isInternal()).isFalse();
            assertThat(d.partitions()).extracting(TopicPartitionInfo::partition).containsExactly(0, 1, 2);
            assertThat(d.partitions()).allSatisfy(p -> {
                assertThat(p.leader()).isNotNull();
                assertThat(p.replicas()).hasSize(1);
                assertThat(p.isr()).hasSize(1);
            });
            assertThat(describe(admin, assigned).partitions())
                    .allSatisfy(p -> assertThat(p.leader().id()).isEqualTo(brokerId));

            // configs: describe with synonyms, then SET / DELETE / APPEND / SUBTRACT
            ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(res), new DescribeConfigsOptions().includeSynonyms(true))
                    .values()
                    .get(res)
                    .get(WAIT_S, TimeUnit.SECONDS);
            ConfigEntry retention = config.get("retention.ms");
            assertThat(retention.value()).isEqualTo("123456");
            assertThat(retention.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
            assertThat(retention.synonyms())
                    .as("synonyms of retention.ms")
                    .extracting(ConfigEntry.ConfigSynonym::source)
                    .contains(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
            assertThat(config.get("segment.bytes").source())
                    .isNotEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);

            admin.incrementalAlterConfigs(Map.of(
                            res,
                            List.of(
                                    new AlterConfigOp(
                                            new ConfigEntry("retention.ms", "654321"), AlterConfigOp.OpType.SET),
                                    new AlterConfigOp(
                                            new ConfigEntry("max.message.bytes", null), AlterConfigOp.OpType.DELETE),
                                    new AlterConfigOp(
                                            new ConfigEntry("cleanup.policy", "delete"), AlterConfigOp.OpType.APPEND))))
                    .all()
                    .get(WAIT_S, TimeUnit.SECONDS);
            // Apache applies a config change from its metadata log a moment after answering the alter.
            await("the altered topic configs are described")
                    .atMost(Duration.ofSeconds(WAIT_S))
                    .untilAsserted(() -> {
                        Config altered = topicConfig(admin, res);
                        assertThat(altered.get("retention.ms").value()).isEqualTo("654321");
                        assertThat(altered.get("max.message.bytes").source())
                                .isNotEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
                        assertThat(List.of(altered.get("cleanup.policy").value().split(",")))
                                .containsExactlyInAnyOrder("compact", "delete");
                    });
            admin.incrementalAlterConfigs(Map.of(
                            res,
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.SUBTRACT))))
                    .all()
                    .get(WAIT_S, TimeUnit.SECONDS);
            await("cleanup.policy without compact")
                    .atMost(Duration.ofSeconds(WAIT_S))
                    .untilAsserted(() -> assertThat(topicConfig(admin, res)
                                    .get("cleanup.policy")
                                    .value())
                            .isEqualTo("delete"));

            InvalidConfigurationException badValue = failure(
                    admin.incrementalAlterConfigs(Map.of(
                                    res,
                                    List.of(new AlterConfigOp(
                                            new ConfigEntry("retention.ms", "not-a-number"),
                                            AlterConfigOp.OpType.SET))))
                            .values()
                            .get(res),
                    InvalidConfigurationException.class);
            assertThat(badValue).hasMessageContaining(topic);

            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(brokerId));
            Config brokerConfig = admin.describeConfigs(List.of(broker))
                    .all()
                    .get(WAIT_S, TimeUnit.SECONDS)
                    .get(broker);
            assertThat(brokerConfig.entries()).as("broker %s configs", brokerId).isNotEmpty();

            // partitions grow; shrinking is refused naming the topic
            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(5)))
                    .all()
                    .get(WAIT_S, TimeUnit.SECONDS);
            await("describe shows 5 partitions")
                    .atMost(Duration.ofSeconds(WAIT_S))
                    .until(() -> describe(admin, topic).partitions().size() == 5);
            InvalidPartitionsException shrink = failure(
                    admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(2)))
                            .values()
                            .get(topic),
                    InvalidPartitionsException.class);
            assertThat(shrink).hasMessageContaining(topic);

            // bad input: an existing topic, an unknown one
            TopicExistsException exists = failure(
                    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
                            .values()
                            .get(topic),
                    TopicExistsException.class);
            assertThat(exists).hasMessageContaining(topic);
            String missing = topic + "-missing";
            UnknownTopicOrPartitionException unknown = failure(
                    admin.describeTopics(List.of(missing)).topicNameValues().get(missing),
                    UnknownTopicOrPartitionException.class);
            assertThat(unknown).hasMessageContaining(missing);
            assertThat(failure(
                            admin.deleteTopics(List.of(missing))
                                    .topicNameValues()
                                    .get(missing),
                            UnknownTopicOrPartitionException.class))
                    .hasMessageContaining(missing);

            admin.deleteTopics(List.of(topic, assigned)).all().get(WAIT_S, TimeUnit.SECONDS);
            await("deleted topics leave the listing")
                    .atMost(Duration.ofSeconds(WAIT_S))
                    .until(() -> !admin.listTopics()
                            .names()
                            .get(WAIT_S, TimeUnit.SECONDS)
                            .contains(topic));
        }
    }

    /** Group configs (resource type GROUP) round-trip; an unknown key is refused naming the resource. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void groupConfigsRoundTripAndUnknownKeysAreRefused(Target target) throws Exception {
        String bootstrap = target.shared().bootstrapServers();
        String group = KafkaClients.uniqueTopic("admin-group-config");
        String topic = KafkaClients.uniqueTopic("admin-bad-key");
        try (Admin admin = AdminFixtures.admin(bootstrap)) {
            ConfigResource res = new ConfigResource(ConfigResource.Type.GROUP, group);
            admin.incrementalAlterConfigs(Map.of(
                            res,
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("consumer.session.timeout.ms", "50000"),
                                    AlterConfigOp.OpType.SET))))
                    .all()
                    .get(WAIT_S, TimeUnit.SECONDS);
            // Apache applies a config change from its metadata log a moment after answering the alter.
            await("the group config is described as set")
                    .atMost(Duration.ofSeconds(WAIT_S))
                    .untilAsserted(() -> {
                        ConfigEntry e = admin.describeConfigs(List.of(res))
                                .all()
                                .get(WAIT_S, TimeUnit.SECONDS)
                                .get(res)
                                .get("consumer.session.timeout.ms");
                        assertThat(e.value()).isEqualTo("50000");
                        assertThat(e.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_GROUP_CONFIG);
                    });
            admin.incrementalAlterConfigs(Map.of(
                            res,
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("consumer.session.timeout.ms", null),
                                    AlterConfigOp.OpType.DELETE))))
                    .all()
                    .get(WAIT_S, TimeUnit.SECONDS);
            await("the group config is described as deleted")
                    .atMost(Duration.ofSeconds(WAIT_S))
                    .untilAsserted(() -> assertThat(admin.describeConfigs(List.of(res))
                                    .all()
                                    .get(WAIT_S, TimeUnit.SECONDS)
                                    .get(res)
                                    .get("consumer.session.timeout.ms")
                                    .source())
                            .isNotEqualTo(ConfigEntry.ConfigSource.DYNAMIC_GROUP_CONFIG));

            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(WAIT_S, TimeUnit.SECONDS);
            await("the new topic is listed")
                    .atMost(Duration.ofSeconds(WAIT_S))
                    .until(() -> admin.listTopics()
                            .names()
                            .get(WAIT_S, TimeUnit.SECONDS)
                            .contains(topic));
            ConfigResource topicRes = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            InvalidConfigurationException unknownKey = failure(
                    admin.incrementalAlterConfigs(Map.of(
                                    topicRes,
                                    List.of(new AlterConfigOp(
                                            new ConfigEntry("no.such.config", "1"), AlterConfigOp.OpType.SET))))
                            .values()
                            .get(topicRes),
                    InvalidConfigurationException.class);
            assertThat(unknownKey).hasMessageContaining(topic);
            admin.deleteTopics(List.of(topic)).all().get(WAIT_S, TimeUnit.SECONDS);
        }
    }

    private static TopicDescription describe(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get(WAIT_S, TimeUnit.SECONDS)
                .get(topic);
    }

    private static Config topicConfig(Admin admin, ConfigResource res) throws Exception {
        return admin.describeConfigs(List.of(res))
                .all()
                .get(WAIT_S, TimeUnit.SECONDS)
                .get(res);
    }
}
