package io.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.protocol.Errors;
import io.tributary.protocol.Uuids;
import io.tributary.protocol.message.CreatePartitionsRequestData;
import io.tributary.protocol.message.CreatePartitionsResponseData;
import io.tributary.protocol.message.CreateTopicsRequestData;
import io.tributary.protocol.message.CreateTopicsResponseData;
import io.tributary.protocol.message.DeleteTopicsRequestData;
import io.tributary.protocol.message.DeleteTopicsResponseData;
import io.tributary.protocol.message.DescribeClusterRequestData;
import io.tributary.protocol.message.DescribeClusterResponseData;
import io.tributary.protocol.message.MetadataResponseData;
import io.tributary.protocol.message.ProduceRequestData;
import io.tributary.protocol.message.ProduceResponseData;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.MemoryRecordsBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10 item 5 (versions of the topic APIs), over a real socket: Produce v9-12 (flexible, error
 * messages from v8), CreateTopics v5-7 (configs with their sources, topic id), DeleteTopics v6 (by id,
 * UNKNOWN_TOPIC_ID, Kafka's refusals), CreatePartitions v2-3 (flexible) and DescribeCluster v0-2.
 */
class TopicApiVersionsTest {
    private static final UUID NEVER_CREATED = UUID.fromString("3c0ffee0-0000-4000-8000-000000000001");

    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.broker(Map.of("log.retention.ms", "3600000"));

    private TestConnection connect() throws Exception {
        return new TestConnection(fixture.get().boundPort());
    }

    private static CreateTopicsRequestData create(String name, int partitions, Map<String, String> configs) {
        CreateTopicsRequestData.CreatableTopic t = new CreateTopicsRequestData.CreatableTopic()
                .setName(name)
                .setNumPartitions(partitions)
                .setReplicationFactor((short) -1);
        configs.forEach((k, v) -> t.configs.add(
                new CreateTopicsRequestData.CreatableTopicConfig().setName(k).setValue(v)));
        return new CreateTopicsRequestData().setTopics(new ArrayList<>(List.of(t)));
    }

    private static UUID topicId(TestConnection c, String name) throws Exception {
        MetadataResponseData r = c.roundTrip(Wire.metadata(false, name), new MetadataResponseData(), (short) 12);
        return r.topics.get(0).errorCode == 0 ? r.topics.get(0).topicId : null;
    }

    @Test
    void produceV9To12AreFlexibleAndCarryTheErrorMessage() throws Exception {
        try (TestConnection c = connect()) {
            c.roundTrip(create("v-produce", 1, Map.of()), new CreateTopicsResponseData(), (short) 7);
            for (short v = 9; v <= 12; v++) {
                ProduceResponseData r = c.roundTrip(
                        Wire.produce("v-produce", 0, (short) -1, Wire.records(1_000, "v" + v)),
                        new ProduceResponseData(),
                        v);
                ProduceResponseData.PartitionProduceResponse p =
                        r.responses.get(0).partitionResponses.get(0);
                assertThat(p.errorCode).isZero();
                assertThat(p.baseOffset).isEqualTo(v - 9);
                assertThat(p.errorMessage).isNull();
            }
            // Issue 11: a transactional batch of a transactional id the coordinator does not know
            // is refused (KIP-890 part 1 verification), and nothing is written.
            MemoryRecordsBuilder txn = MemoryRecordsBuilder.forProduce(CompressionType.NONE)
                    .producerState(77L, (short) 0, 0)
                    .transactional(true);
            txn.append(1_000L, null, "tx".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            ProduceRequestData transactional =
                    Wire.produce("v-produce", 0, (short) 1, txn.build()).setTransactionalId("tx-1");
            ProduceResponseData.PartitionProduceResponse refused = c.roundTrip(
                            transactional, new ProduceResponseData(), (short) 12)
                    .responses
                    .get(0)
                    .partitionResponses
                    .get(0);
            assertThat(refused.errorCode).isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING.code());
            assertThat(refused.baseOffset).isEqualTo(-1L);
        }
    }

    /** Produce v13 names topics by id (KIP-516); an id no topic has is UNKNOWN_TOPIC_ID and writes nothing. */
    @Test
    void produceV13NamesTopicsById() throws Exception {
        try (TestConnection c = connect()) {
            c.roundTrip(create("v13-produce", 1, Map.of()), new CreateTopicsResponseData(), (short) 7);
            UUID id = topicId(c, "v13-produce");
            ProduceRequestData byId = Wire.produce("", 0, (short) -1, Wire.records(1_000, "by-id"));
            byId.topicData.get(0).setTopicId(id);
            ProduceResponseData r = c.roundTrip(byId, new ProduceResponseData(), (short) 13);
            assertThat(r.responses.get(0).topicId).isEqualTo(id);
            assertThat(r.responses.get(0).partitionResponses.get(0).errorCode).isZero();
            assertThat(r.responses.get(0).partitionResponses.get(0).baseOffset).isZero();

            ProduceRequestData unknown = Wire.produce("", 0, (short) -1, Wire.records(1_000, "lost"));
            UUID other = UUID.randomUUID();
            unknown.topicData.get(0).setTopicId(other);
            ProduceResponseData u = c.roundTrip(unknown, new ProduceResponseData(), (short) 13);
            assertThat(u.responses.get(0).topicId).isEqualTo(other);
            assertThat(u.responses.get(0).partitionResponses.get(0).errorCode)
                    .isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
        }
    }

    @Test
    void createTopicsV5To7AnswerConfigsWithSourcesAndV7TheTopicId() throws Exception {
        try (TestConnection c = connect()) {
            for (short v = 5; v <= 7; v++) {
                String name = "v-create-" + v;
                CreateTopicsResponseData.CreatableTopicResult r = c.roundTrip(
                                create(name, -1, Map.of("retention.ms", "60000")), new CreateTopicsResponseData(), v)
                        .topics
                        .get(0);
                assertThat(r.errorCode).isZero();
                assertThat(r.numPartitions).isEqualTo(1);
                assertThat(r.replicationFactor).isEqualTo((short) 1);
                assertThat(r.topicConfigErrorCode).isZero();
                Map<String, CreateTopicsResponseData.CreatableTopicConfigs> configs =
                        r.configs.stream().collect(Collectors.toMap(x -> x.name, Function.identity()));
                // Kafka's config sources: 1 dynamic topic config, 4 static broker config, 5 default.
                assertThat(configs.get("retention.ms").value).isEqualTo("60000");
                assertThat(configs.get("retention.ms").configSource).isEqualTo((byte) 1);
                assertThat(configs.get("cleanup.policy").value).isEqualTo("delete");
                assertThat(configs.get("cleanup.policy").configSource).isEqualTo((byte) 5);
                assertThat(r.topicId).isEqualTo(v >= 7 ? topicId(c, name) : Uuids.ZERO);
            }
            CreateTopicsRequestData validate =
                    create("v-validate", -1, Map.of()).setValidateOnly(true);
            CreateTopicsResponseData.CreatableTopicResult planned = c.roundTrip(
                            validate, new CreateTopicsResponseData(), (short) 7)
                    .topics
                    .get(0);
            assertThat(planned.errorCode).isZero();
            assertThat(planned.numPartitions).isEqualTo(1);
            assertThat(planned.topicId).isEqualTo(Uuids.ZERO);
            assertThat(planned.configs)
                    .filteredOn(x -> x.name.equals("retention.ms"))
                    .singleElement()
                    .satisfies(x -> {
                        assertThat(x.value).isEqualTo("3600000");
                        assertThat(x.configSource).isEqualTo((byte) 4);
                    });
            assertThat(topicId(c, "v-validate"))
                    .as("validate only creates nothing")
                    .isNull();
        }
    }

    @Test
    void deleteTopicsV6ByIdWithUnknownTopicIdAndKafkasRefusals() throws Exception {
        try (TestConnection c = connect()) {
            c.roundTrip(create("v-del-id", 1, Map.of()), new CreateTopicsResponseData(), (short) 7);
            c.roundTrip(create("v-del-name", 1, Map.of()), new CreateTopicsResponseData(), (short) 7);
            UUID byId = topicId(c, "v-del-id");
            UUID byName = topicId(c, "v-del-name");
            DeleteTopicsRequestData req = new DeleteTopicsRequestData();
            req.topics.add(new DeleteTopicsRequestData.DeleteTopicState().setTopicId(byId));
            req.topics.add(new DeleteTopicsRequestData.DeleteTopicState().setName("v-del-name"));
            req.topics.add(new DeleteTopicsRequestData.DeleteTopicState().setTopicId(NEVER_CREATED));
            req.topics.add(new DeleteTopicsRequestData.DeleteTopicState()
                    .setName("v-both")
                    .setTopicId(byName));
            req.topics.add(new DeleteTopicsRequestData.DeleteTopicState());
            List<DeleteTopicsResponseData.DeletableTopicResult> r =
                    c.roundTrip(req, new DeleteTopicsResponseData(), (short) 6).responses;
            assertThat(r).hasSize(5);
            assertThat(r.get(0).errorCode).isZero();
            assertThat(r.get(0).name).isEqualTo("v-del-id");
            assertThat(r.get(0).topicId).isEqualTo(byId);
            assertThat(r.get(1).errorCode).isZero();
            assertThat(r.get(1).name).isEqualTo("v-del-name");
            assertThat(r.get(1).topicId).isEqualTo(byName);
            assertThat(r.get(2).errorCode).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
            assertThat(r.get(2).name).isNull();
            assertThat(r.get(2).topicId).isEqualTo(NEVER_CREATED);
            assertThat(r.get(3).errorCode).isEqualTo(Errors.INVALID_REQUEST.code());
            assertThat(r.get(3).errorMessage).isEqualTo("You may not specify both topic name and topic id.");
            assertThat(r.get(4).errorCode).isEqualTo(Errors.INVALID_REQUEST.code());
            assertThat(topicId(c, "v-del-id")).isNull();
            assertThat(topicId(c, "v-del-name")).isNull();

            DeleteTopicsRequestData twice = new DeleteTopicsRequestData();
            twice.topicNames.addAll(List.of("v-twice", "v-twice", "v-missing"));
            List<DeleteTopicsResponseData.DeletableTopicResult> t =
                    c.roundTrip(twice, new DeleteTopicsResponseData(), (short) 5).responses;
            assertThat(t).extracting(x -> x.name).containsExactly("v-twice", "v-missing");
            assertThat(t.get(0).errorCode).isEqualTo(Errors.INVALID_REQUEST.code());
            assertThat(t.get(1).errorCode).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
    }

    @Test
    void createPartitionsV2And3AreFlexible() throws Exception {
        try (TestConnection c = connect()) {
            c.roundTrip(create("v-grow", 1, Map.of()), new CreateTopicsResponseData(), (short) 7);
            for (short v = 2; v <= 3; v++) {
                CreatePartitionsRequestData req = new CreatePartitionsRequestData().setTimeoutMs(30_000);
                req.topics.add(new CreatePartitionsRequestData.CreatePartitionsTopic()
                        .setName("v-grow")
                        .setCount(v)
                        .setAssignments(null));
                CreatePartitionsResponseData r = c.roundTrip(req, new CreatePartitionsResponseData(), v);
                assertThat(r.results.get(0).errorCode).isZero();
            }
            MetadataResponseData md =
                    c.roundTrip(Wire.metadata(false, "v-grow"), new MetadataResponseData(), (short) 13);
            assertThat(md.topics.get(0).partitions).hasSize(3);
        }
    }

    @Test
    void describeClusterV0To2AnswersForBrokerEndpointsOnly() throws Exception {
        try (TestConnection c = connect()) {
            for (short v = 0; v <= 2; v++) {
                DescribeClusterResponseData r = c.roundTrip(
                        new DescribeClusterRequestData().setIncludeFencedBrokers(true),
                        new DescribeClusterResponseData(),
                        v);
                assertThat(r.errorCode).isZero();
                assertThat(r.endpointType).isEqualTo((byte) 1);
                assertThat(r.controllerId).isEqualTo(fixture.get().config().nodeId());
                assertThat(r.brokers).singleElement().satisfies(b -> {
                    assertThat(b.port).isEqualTo(fixture.get().boundPort());
                    assertThat(b.isFenced).isFalse();
                });
            }
            DescribeClusterResponseData controller = c.roundTrip(
                    new DescribeClusterRequestData().setEndpointType((byte) 2),
                    new DescribeClusterResponseData(),
                    (short) 1);
            assertThat(controller.errorCode).isEqualTo(Errors.MISMATCHED_ENDPOINT_TYPE.code());
            DescribeClusterResponseData unknown = c.roundTrip(
                    new DescribeClusterRequestData().setEndpointType((byte) 9),
                    new DescribeClusterResponseData(),
                    (short) 2);
            assertThat(unknown.errorCode).isEqualTo(Errors.UNSUPPORTED_ENDPOINT_TYPE.code());
        }
    }
}
