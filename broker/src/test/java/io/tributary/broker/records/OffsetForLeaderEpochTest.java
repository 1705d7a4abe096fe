package io.tributary.broker.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.broker.BrokerFixture;
import io.tributary.broker.TestConnection;
import io.tributary.broker.auth.AuthorizerNames;
import io.tributary.broker.config.BrokerConfig;
import io.tributary.protocol.Errors;
import io.tributary.protocol.ProtocolWriter;
import io.tributary.protocol.message.OffsetForLeaderEpochRequestData;
import io.tributary.protocol.message.OffsetForLeaderEpochResponseData;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
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
 * Issue 10 item 3: OffsetForLeaderEpoch (API 23) v2-4 as Kafka's leader answers from its epoch cache on a node whose
 * only epoch is 0: epoch 0 ends at the log end, an older epoch where epoch 0 starts (the log start), -1 and newer
 * epochs -1/-1; a stale current epoch FENCED_LEADER_EPOCH, a newer one UNKNOWN_LEADER_EPOCH; bad input: unknown
 * topic or partition, and no DESCRIBE on the topic (nor CLUSTER_ACTION) TOPIC_AUTHORIZATION_FAILED.
 */
class OffsetForLeaderEpochTest {
    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.broker(Map.of(
            BrokerConfig.AUTHORIZER_CLASS_NAME,
            AuthorizerNames.STANDARD_AUTHORIZER,
            BrokerConfig.ALLOW_EVERYONE_IF_NO_ACL_FOUND,
            "true"));

    private void setUp() throws Exception {
        String bootstrap = "127.0.0.1:" + fixture.get().boundPort();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            admin.createTopics(List.of(new NewTopic("epochs", 1, (short) 1), new NewTopic("guarded", 1, (short) 1)))
                    .all()
                    .get(20, TimeUnit.SECONDS);
            for (int i = 0; i < 8; i++) {
                producer.send(new ProducerRecord<>("epochs", 0, null, new byte[10]));
            }
            producer.flush();
            admin.deleteRecords(Map.of(new TopicPartition("epochs", 0), RecordsToDelete.beforeOffset(3)))
                    .all()
                    .get(20, TimeUnit.SECONDS);
            // ACLs on the topic and on the cluster for someone else: ANONYMOUS may neither describe nor act.
            admin.createAcls(List.of(
                            new AclBinding(
                                    new ResourcePattern(ResourceType.TOPIC, "guarded", PatternType.LITERAL),
                                    new AccessControlEntry(
                                            "User:alice", "*", AclOperation.DESCRIBE, AclPermissionType.ALLOW)),
                            new AclBinding(
                                    new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL),
                                    new AccessControlEntry(
                                            "User:alice", "*", AclOperation.CLUSTER_ACTION, AclPermissionType.ALLOW))))
                    .all()
                    .get(20, TimeUnit.SECONDS);
        }
    }

    private OffsetForLeaderEpochResponseData.EpochEndOffset ask(
            short version, String topic, int partition, int currentLeaderEpoch, int leaderEpoch) throws Exception {
        try (TestConnection c = new TestConnection(fixture.get().boundPort())) {
            OffsetForLeaderEpochResponseData r = c.roundTrip(
                    new OffsetForLeaderEpochRequestData()
                            .setReplicaId(-1)
                            .setTopics(List.of(new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic()
                                    .setTopic(topic)
                                    .setPartitions(
                                            List.of(new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition()
                                                    .setPartition(partition)
                                                    .setCurrentLeaderEpoch(currentLeaderEpoch)
                                                    .setLeaderEpoch(leaderEpoch))))),
                    new OffsetForLeaderEpochResponseData(),
                    version);
            assertThat(r.topics).hasSize(1);
            assertThat(r.topics.get(0).topic).isEqualTo(topic);
            return r.topics.get(0).partitions.get(0);
        }
    }

    private static void assertAnswer(
            OffsetForLeaderEpochResponseData.EpochEndOffset r, Errors error, int epoch, long endOffset) {
        assertThat(Errors.forCode(r.errorCode)).isEqualTo(error);
        assertThat(r.leaderEpoch).as("leader epoch").isEqualTo(epoch);
        assertThat(r.endOffset).as("end offset").isEqualTo(endOffset);
    }

    @Test
    void endOffsetsAndEpochChecksAsKafkasLeaderAnswers() throws Exception {
        setUp();
        for (short v = 2; v <= 4; v++) {
            assertAnswer(ask(v, "epochs", 0, 0, 0), Errors.NONE, 0, 8);
            assertAnswer(ask(v, "epochs", 0, -1, 0), Errors.NONE, 0, 8);
            assertAnswer(ask(v, "epochs", 0, 0, 1), Errors.NONE, -1, -1);
            assertAnswer(ask(v, "epochs", 0, 0, -1), Errors.NONE, -1, -1);
            assertAnswer(ask(v, "epochs", 0, 0, -5), Errors.NONE, -5, 3);
            assertAnswer(ask(v, "epochs", 0, 1, 0), Errors.UNKNOWN_LEADER_EPOCH, -1, -1);
            assertAnswer(ask(v, "epochs", 0, -2, 0), Errors.FENCED_LEADER_EPOCH, -1, -1);
        }
    }

    @Test
    void badInputGetsKafkasErrors() throws Exception {
        setUp();
        assertAnswer(ask((short) 4, "epochs", 1, 0, 0), Errors.UNKNOWN_TOPIC_OR_PARTITION, -1, -1);
        assertAnswer(ask((short) 4, "nope", 0, 0, 0), Errors.UNKNOWN_TOPIC_OR_PARTITION, -1, -1);
        assertAnswer(ask((short) 4, "guarded", 0, 0, 0), Errors.TOPIC_AUTHORIZATION_FAILED, -1, -1);
        try (TestConnection c = new TestConnection(fixture.get().boundPort())) {
            OffsetForLeaderEpochRequestData body = new OffsetForLeaderEpochRequestData();
            byte[] header = TestConnection.encodeRequest(body.apiKey(), (short) 1, 1, "test-client", null);
            ProtocolWriter w = new ProtocolWriter();
            w.writeRaw(header);
            body.write(w, (short) 2);
            c.sendRaw(w.toByteArray());
            assertThat(c.isClosedByPeer())
                    .as("v1 is not served (Kafka 4 serves v2-4)")
                    .isTrue();
        }
    }
}
