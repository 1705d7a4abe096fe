package io.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.protocol.Errors;
import io.tributary.protocol.message.CreatePartitionsRequestData;
import io.tributary.protocol.message.CreatePartitionsResponseData;
import io.tributary.protocol.message.CreateTopicsRequestData;
import io.tributary.protocol.message.CreateTopicsResponseData;
import io.tributary.protocol.message.DeleteTopicsRequestData;
import io.tributary.protocol.message.DeleteTopicsResponseData;
import io.tributary.protocol.message.DescribeClusterRequestData;
import io.tributary.protocol.message.DescribeClusterResponseData;
import io.tributary.protocol.message.DescribeConfigsRequestData;
import io.tributary.protocol.message.DescribeConfigsResponseData;
import io.tributary.protocol.message.MetadataResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Topic administration and cluster/config description over real sockets. */
class AdminApiTest {
    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.broker(
            Map.of("num.partitions", "3", "log.retention.ms", "3600000", "auto.create.topics.enable", "false"));

    private static CreateTopicsRequestData.CreatableTopic topic(
            String name, int partitions, int rf, String... configs) {
        CreateTopicsRequestData.CreatableTopic t = new CreateTopicsRequestData.CreatableTopic()
                .setName(name)
                .setNumPartitions(partitions)
                .setReplicationFactor((short) rf);
        for (int i = 0; i < configs.length; i += 2) {
            t.configs.add(new CreateTopicsRequestData.CreatableTopicConfig()
                    .setName(configs[i])
                    .setValue(configs[i + 1]));
        }
        return t;
    }

    private Map<String, Short> create(TestConnection c, CreateTopicsRequestData.CreatableTopic... topics)
            throws Exception {
        CreateTopicsResponseData r = c.roundTrip(
                new CreateTopicsRequestData().setTopics(new ArrayList<>(List.of(topics))),
                new CreateTopicsResponseData(),
                (short) 4);
        return r.topics.stream().collect(Collectors.toMap(t -> t.name, t -> t.errorCode));
    }

    @Test
    void createTopicsValidatesLikeKafka() throws Exception {
        try (TestConnection c = new TestConnection(fixture.get().boundPort())) {
            Map<String, Short> r = create(
                    c,
                    topic("good", -1, -1, "retention.ms", "1000"),
                    topic("bad name!", 1, 1),
                    topic("replicated", 1, 3),
                    topic("zero", 0, 1),
                    topic("badcfg", 1, 1, "retention.ms", "soon"),
                    topic("unknowncfg", 1, 1, "no.such.config", "1"));
            assertThat(r)
                    .containsEntry("good", Errors.NONE.code())
                    .containsEntry("bad name!", Errors.INVALID_TOPIC_EXCEPTION.code())
                    .containsEntry("replicated", Errors.INVALID_REPLICATION_FACTOR.code())
                    .containsEntry("zero", Errors.INVALID_PARTITIONS.code())
                    .containsEntry("badcfg", Errors.INVALID_CONFIG.code())
                    .containsEntry("unknowncfg", Errors.INVALID_CONFIG.code());
            assertThat(create(c, topic("good", 1, 1))).containsEntry("good", Errors.TOPIC_ALREADY_EXISTS.code());
            assertThat(create(c, topic("dotted.name", 1, 1))).containsEntry("dotted.name", Errors.NONE.code());
            assertThat(create(c, topic("dotted_name", 1, 1)))
                    .containsEntry("dotted_name", Errors.INVALID_TOPIC_EXCEPTION.code());
            MetadataResponseData m =
                    c.roundTrip(Wire.metadata(true, "good", "missing"), new MetadataResponseData(), (short) 4);
            assertThat(m.topics.get(0).partitions).hasSize(3);
            assertThat(m.topics.get(1).errorCode).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());

            CreateTopicsRequestData validateOnly =
                    new CreateTopicsRequestData().setTopics(new ArrayList<>(List.of(topic("dry", 2, 1))));
            validateOnly.validateOnly = true;
            CreateTopicsResponseData v = c.roundTrip(validateOnly, new CreateTopicsResponseData(), (short) 4);
            assertThat(v.topics.get(0).errorCode).isZero();
            assertThat(fixture.get().state().topics().topic("dry")).isNull();
        }
    }

    @Test
    void deleteAndGrowTopicsAndTheyStaySoAfterRestart() throws Exception {
        try (TestConnection c = new TestConnection(fixture.get().boundPort())) {
            create(c, topic("a", 1, 1), topic("b", 2, 1));
            DeleteTopicsResponseData d = c.roundTrip(
                    new DeleteTopicsRequestData().setTopicNames(new ArrayList<>(List.of("a", "nope"))),
                    new DeleteTopicsResponseData(),
                    (short) 1);
            assertThat(d.responses)
                    .extracting(x -> x.errorCode)
                    .containsExactly(Errors.NONE.code(), Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
            CreatePartitionsRequestData grow = new CreatePartitionsRequestData();
            grow.topics.add(new CreatePartitionsRequestData.CreatePartitionsTopic()
                    .setName("b")
                    .setCount(4)
                    .setAssignments(null));
            grow.topics.add(new CreatePartitionsRequestData.CreatePartitionsTopic()
                    .setName("a")
                    .setCount(4)
                    .setAssignments(null));
            CreatePartitionsResponseData g = c.roundTrip(grow, new CreatePartitionsResponseData(), (short) 0);
            assertThat(g.results)
                    .extracting(x -> x.errorCode)
                    .containsExactly(Errors.NONE.code(), Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
            CreatePartitionsRequestData shrink = new CreatePartitionsRequestData();
            shrink.topics.add(new CreatePartitionsRequestData.CreatePartitionsTopic()
                    .setName("b")
                    .setCount(2)
                    .setAssignments(null));
            assertThat(c.roundTrip(shrink, new CreatePartitionsResponseData(), (short) 0)
                            .results
                            .get(0)
                            .errorCode)
                    .isEqualTo(Errors.INVALID_PARTITIONS.code());
        }
        fixture.restart(Map.of());
        assertThat(fixture.get().state().topics().topic("a")).isNull();
        assertThat(fixture.get().state().topics().topic("b").partitions()).isEqualTo(4);
        assertThat(fixture.dir().resolve("a-0")).doesNotExist();
        assertThat(fixture.dir().resolve("b-3")).exists();
    }

    @Test
    void describeConfigsForTopicAndBroker() throws Exception {
        try (TestConnection c = new TestConnection(fixture.get().boundPort())) {
            create(c, topic("cfg", 1, 1, "segment.bytes", "1048576"));
            DescribeConfigsRequestData req = new DescribeConfigsRequestData();
            req.resources.add(new DescribeConfigsRequestData.DescribeConfigsResource()
                    .setResourceType((byte) 2)
                    .setResourceName("cfg")
                    .setConfigurationKeys(null));
            req.resources.add(new DescribeConfigsRequestData.DescribeConfigsResource()
                    .setResourceType((byte) 4)
                    .setResourceName("0")
                    .setConfigurationKeys(new ArrayList<>(List.of("num.partitions", "message.max.bytes"))));
            req.resources.add(new DescribeConfigsRequestData.DescribeConfigsResource()
                    .setResourceType((byte) 2)
                    .setResourceName("absent")
                    .setConfigurationKeys(null));
            DescribeConfigsResponseData r = c.roundTrip(req, new DescribeConfigsResponseData(), (short) 1);
            Map<String, DescribeConfigsResponseData.DescribeConfigsResourceResult> topicCfg =
                    r.results.get(0).configs.stream().collect(Collectors.toMap(x -> x.name, x -> x));
            assertThat(topicCfg.get("segment.bytes").value).isEqualTo("1048576");
            assertThat(topicCfg.get("segment.bytes").configSource).isEqualTo((byte) 1);
            assertThat(topicCfg.get("retention.ms").value).isEqualTo("3600000");
            assertThat(topicCfg.get("retention.ms").configSource).isEqualTo((byte) 4);
            assertThat(topicCfg.get("cleanup.policy").value).isEqualTo("delete");
            assertThat(topicCfg.get("cleanup.policy").configSource).isEqualTo((byte) 5);
            Map<String, String> brokerCfg =
                    r.results.get(1).configs.stream().collect(Collectors.toMap(x -> x.name, x -> x.value));
            assertThat(brokerCfg)
                    .containsOnly(Map.entry("num.partitions", "3"), Map.entry("message.max.bytes", "1048588"));
            assertThat(r.results.get(2).errorCode).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
    }

    @Test
    void describeClusterNamesThisBroker() throws Exception {
        try (TestConnection c = new TestConnection(fixture.get().boundPort())) {
            DescribeClusterResponseData r =
                    c.roundTrip(new DescribeClusterRequestData(), new DescribeClusterResponseData(), (short) 0);
            assertThat(r.errorCode).isZero();
            assertThat(r.clusterId).isEqualTo(fixture.get().state().clusterId());
            assertThat(r.brokers).hasSize(1);
            assertThat(r.brokers.get(0).port).isEqualTo(fixture.get().boundPort());
            assertThat(r.controllerId).isZero();
        }
    }
}
