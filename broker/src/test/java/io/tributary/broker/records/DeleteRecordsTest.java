package io.tributary.broker.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.broker.BrokerFixture;
import io.tributary.broker.TestConnection;
import io.tributary.broker.auth.AuthorizerNames;
import io.tributary.broker.config.BrokerConfig;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.DeleteRecordsRequestData;
import io.tributary.protocol.message.DeleteRecordsResponseData;
import io.tributary.protocol.message.FetchRequestData;
import io.tributary.protocol.message.FetchResponseData;
import io.tributary.protocol.message.ListOffsetsRequestData;
import io.tributary.protocol.message.ListOffsetsResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10 item 3, bad input: DeleteRecords (API 21) on the wire, each error as Kafka answers it (low watermark -1):
 * an offset past the high watermark or negative OFFSET_OUT_OF_RANGE, an unknown topic or partition
 * UNKNOWN_TOPIC_OR_PARTITION, a compact-only topic POLICY_VIOLATION, no DELETE on the topic TOPIC_AUTHORIZATION_FAILED;
 * a refused partition moves nothing, and the good partitions of the same request are applied.
 */
class DeleteRecordsTest {
    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.broker(Map.of(
            BrokerConfig.AUTHORIZER_CLASS_NAME,
            AuthorizerNames.STANDARD_AUTHORIZER,
            BrokerConfig.ALLOW_EVERYONE_IF_NO_ACL_FOUND,
            "true"));

    private String bootstrap() {
        return "127.0.0.1:" + fixture.get().boundPort();
    }

    private void setUp() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()));
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            admin.createTopics(List.of(
                            new NewTopic("recs", 2, (short) 1),
                            new NewTopic("guarded", 1, (short) 1),
                            new NewTopic("compacted", 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
                    .all()
                    .get(20, TimeUnit.SECONDS);
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("recs", 0, null, new byte[100]));
                producer.send(new ProducerRecord<>("guarded", 0, null, new byte[100]));
                producer.send(new ProducerRecord<>("compacted", 0, ("k" + i).getBytes(), new byte[100]));
            }
            producer.flush();
            // Someone else's ACL on "guarded": ANONYMOUS is no longer allowed everything there.
            admin.createAcls(List.of(new AclBinding(
                            new ResourcePattern(ResourceType.TOPIC, "guarded", PatternType.LITERAL),
                            new AccessControlEntry("User:alice", "*", AclOperation.DELETE, AclPermissionType.ALLOW))))
                    .all()
                    .get(20, TimeUnit.SECONDS);
        }
    }

    private static DeleteRecordsRequestData.DeleteRecordsTopic topic(String name, long... partitionOffsetPairs) {
        List<DeleteRecordsRequestData.DeleteRecordsPartition> parts = new ArrayList<>();
        for (int i = 0; i < partitionOffsetPairs.length; i += 2) {
            parts.add(new DeleteRecordsRequestData.DeleteRecordsPartition()
                    .setPartitionIndex((int) partitionOffsetPairs[i])
                    .setOffset(partitionOffsetPairs[i + 1]));
        }
        return new DeleteRecordsRequestData.DeleteRecordsTopic().setName(name).setPartitions(parts);
    }

    private DeleteRecordsResponseData deleteRecords(short version, DeleteRecordsRequestData.DeleteRecordsTopic... ts)
            throws Exception {
        try (TestConnection c = new TestConnection(fixture.get().boundPort())) {
            return c.roundTrip(
                    new DeleteRecordsRequestData().setTimeoutMs(5000).setTopics(List.of(ts)),
                    new DeleteRecordsResponseData(),
                    version);
        }
    }

    private static DeleteRecordsResponseData.DeleteRecordsPartitionResult result(
            DeleteRecordsResponseData response, String topic, int partition) {
        return response.topics.stream()
                .filter(t -> t.name.equals(topic))
                .flatMap(t -> t.partitions.stream())
                .filter(p -> p.partitionIndex == partition)
                .findFirst()
                .orElseThrow();
    }

    private long earliest(String topic, int partition) throws Exception {
        try (TestConnection c = new TestConnection(fixture.get().boundPort())) {
            ListOffsetsResponseData r = c.roundTrip(
                    new ListOffsetsRequestData()
                            .setReplicaId(-1)
                            .setTopics(List.of(new ListOffsetsRequestData.ListOffsetsTopic()
                                    .setName(topic)
                                    .setPartitions(List.of(new ListOffsetsRequestData.ListOffsetsPartition()
                                            .setPartitionIndex(partition)
                                            .setTimestamp(-2))))),
                    new ListOffsetsResponseData(),
                    (short) 4);
            return r.topics.get(0).partitions.get(0).offset;
        }
    }

    @Test
    void badInputGetsKafkasErrorsAndMovesNothing() throws Exception {
        setUp();
        DeleteRecordsResponseData r = deleteRecords(
                (short) 2,
                topic("recs", 0, 11, 1, -2, 7, 0),
                topic("nope", 0, 1),
                topic("compacted", 0, 1),
                topic("guarded", 0, 1));
        assertThat(result(r, "recs", 0).errorCode)
                .as("past the high watermark 10")
                .isEqualTo(code(Errors.OFFSET_OUT_OF_RANGE));
        assertThat(result(r, "recs", 1).errorCode).as("negative").isEqualTo(code(Errors.OFFSET_OUT_OF_RANGE));
        assertThat(result(r, "recs", 7).errorCode).isEqualTo(code(Errors.UNKNOWN_TOPIC_OR_PARTITION));
        assertThat(result(r, "nope", 0).errorCode).isEqualTo(code(Errors.UNKNOWN_TOPIC_OR_PARTITION));
        assertThat(result(r, "compacted", 0).errorCode).isEqualTo(code(Errors.POLICY_VIOLATION));
        assertThat(result(r, "guarded", 0).errorCode).isEqualTo(code(Errors.TOPIC_AUTHORIZATION_FAILED));
        for (var t : r.topics) {
            for (var p : t.partitions) {
                assertThat(p.lowWatermark).as("%s-%d", t.name, p.partitionIndex).isEqualTo(-1);
            }
        }
        assertThat(earliest("recs", 0)).isZero();
        assertThat(earliest("compacted", 0)).isZero();
    }

    @Test
    void theStartMovesReadsBelowItAreOutOfRangeAndMinusOneIsTheHighWatermark() throws Exception {
        setUp();
        for (short version = 0; version <= 2; version++) {
            DeleteRecordsResponseData r = deleteRecords(version, topic("recs", 0, 3 + version, 1, 0));
            assertThat(result(r, "recs", 0).errorCode).isZero();
            assertThat(result(r, "recs", 0).lowWatermark).isEqualTo(3 + version);
            assertThat(result(r, "recs", 1).lowWatermark)
                    .as("an empty partition")
                    .isZero();
        }
        assertThat(earliest("recs", 0)).isEqualTo(5);
        assertThat(result(deleteRecords((short) 2, topic("recs", 0, 1)), "recs", 0).lowWatermark)
                .as("below the current start: nothing changes")
                .isEqualTo(5);

        FetchResponseData.PartitionData below = fetch(4);
        assertThat(below.errorCode).isEqualTo(code(Errors.OFFSET_OUT_OF_RANGE));
        assertThat(below.logStartOffset).isEqualTo(5);
        FetchResponseData.PartitionData at = fetch(5);
        assertThat(at.errorCode).isZero();
        assertThat(at.logStartOffset).isEqualTo(5);

        DeleteRecordsResponseData all = deleteRecords((short) 2, topic("recs", 0, -1));
        assertThat(result(all, "recs", 0).lowWatermark).isEqualTo(10);
        assertThat(earliest("recs", 0)).isEqualTo(10);
    }

    private FetchResponseData.PartitionData fetch(long offset) throws Exception {
        try (TestConnection c = new TestConnection(fixture.get().boundPort())) {
            FetchResponseData r = c.roundTrip(
                    new FetchRequestData()
                            .setReplicaId(-1)
                            .setMaxWaitMs(0)
                            .setMinBytes(0)
                            .setMaxBytes(1 << 20)
                            .setTopics(List.of(new FetchRequestData.FetchTopic()
                                    .setTopic("recs")
                                    .setPartitions(List.of(new FetchRequestData.FetchPartition()
                                            .setPartition(0)
                                            .setFetchOffset(offset)
                                            .setPartitionMaxBytes(1 << 20))))),
                    new FetchResponseData(),
                    (short) 11);
            return r.responses.get(0).partitions.get(0);
        }
    }

    private static short code(Errors e) {
        return e.code();
    }
}
