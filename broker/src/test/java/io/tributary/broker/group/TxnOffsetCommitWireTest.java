package io.tributary.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.broker.BrokerFixture;
import io.tributary.broker.TestConnection;
import io.tributary.coordinator.GroupCoordinator;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.ApiVersionsRequestData;
import io.tributary.protocol.message.ApiVersionsResponseData;
import io.tributary.protocol.message.OffsetFetchRequestData;
import io.tributary.protocol.message.OffsetFetchResponseData;
import io.tributary.protocol.message.TxnOffsetCommitRequestData;
import io.tributary.protocol.message.TxnOffsetCommitResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11 (section 4) on the wire: TxnOffsetCommit is advertised 0-5, checks the partitions like
 * OffsetCommit, and its offsets stay invisible (UNSTABLE_OFFSET_COMMIT for require_stable) until the
 * transaction coordinator completes the transaction, after which Apache's Admin and consumer read
 * them, also after a broker restart.
 */
class TxnOffsetCommitWireTest {
    private static final long PID = 77;

    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.groups();

    @BeforeEach
    void start() {
        fixture.get().state().topics().create("t", 2, 1, Map.of(), false);
    }

    private TestConnection connect() throws Exception {
        return new TestConnection(fixture.get().boundPort());
    }

    private GroupCoordinator coordinator() {
        return fixture.get().extension(GroupCoordinatorExtension.class).coordinator();
    }

    static TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic txnTopic(String name, int... partitions) {
        TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic t =
                new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setName(name);
        for (int p : partitions) {
            t.partitions.add(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition()
                    .setPartitionIndex(p)
                    .setCommittedOffset(100 + p)
                    .setCommittedMetadata("m" + p));
        }
        return t;
    }

    static List<String> errors(TxnOffsetCommitResponseData r) {
        List<String> out = new ArrayList<>();
        r.topics.forEach(t -> t.partitions.forEach(p -> out.add(t.name + "-" + p.partitionIndex + "=" + p.errorCode)));
        return out;
    }

    @Test
    void advertisedFromZeroToFive() throws Exception {
        try (TestConnection c = connect()) {
            ApiVersionsResponseData r =
                    c.roundTrip(new ApiVersionsRequestData(), new ApiVersionsResponseData(), (short) 3);
            ApiVersionsResponseData.ApiVersion v = r.apiKeys.stream()
                    .filter(k -> k.apiKey == ApiMessageType.TXN_OFFSET_COMMIT.apiKey())
                    .findFirst()
                    .orElseThrow();
            assertThat(new int[] {v.minVersion, v.maxVersion}).containsExactly(0, 5);
        }
    }

    @Test
    void offsetsBecomeVisibleToApacheClientsOnlyWhenTheTransactionCommits() throws Exception {
        String group = "txn-group";
        try (TestConnection c = connect()) {
            for (short v = 0; v <= 5; v++) {
                TxnOffsetCommitRequestData req = new TxnOffsetCommitRequestData()
                        .setTransactionalId("tx")
                        .setGroupId(v == 5 ? group : "other-" + v)
                        .setProducerId(PID + v)
                        .setProducerEpoch((short) 1)
                        .setTopics(List.of(txnTopic("nope", 0), txnTopic("t", 0, 1, 5)));
                TxnOffsetCommitResponseData r = c.roundTrip(req, new TxnOffsetCommitResponseData(), v);
                assertThat(errors(r))
                        .as("v%d", v)
                        .containsExactly(
                                "nope-0=" + Errors.UNKNOWN_TOPIC_OR_PARTITION.code(),
                                "t-0=0",
                                "t-1=0",
                                "t-5=" + Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
            }
            OffsetFetchRequestData fetch = new OffsetFetchRequestData()
                    .setGroupId(group)
                    .setRequireStable(true)
                    .setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic()
                            .setName("t")
                            .setPartitionIndexes(List.of(0, 1))));
            OffsetFetchResponseData f = c.roundTrip(fetch, new OffsetFetchResponseData(), (short) 7);
            assertThat(f.topics.get(0).partitions)
                    .allSatisfy(p -> assertThat(p.errorCode).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code()));
        }
        Properties ap = new Properties();
        ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.get().bootstrapServers());
        try (Admin admin = Admin.create(ap)) {
            Map<TopicPartition, OffsetAndMetadata> before = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS);
            assertThat(before).isEmpty();

            // What the transaction coordinator's marker writer does on commit.
            coordinator().completeTransaction(PID + 5, (short) 1, true).get(10, TimeUnit.SECONDS);
            coordinator().completeTransaction(PID + 4, (short) 1, false).get(10, TimeUnit.SECONDS);

            Map<TopicPartition, OffsetAndMetadata> after = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS);
            assertThat(after)
                    .containsOnly(
                            Map.entry(new TopicPartition("t", 0), new OffsetAndMetadata(100, "m0")),
                            Map.entry(new TopicPartition("t", 1), new OffsetAndMetadata(101, "m1")));
            assertThat(admin.listConsumerGroupOffsets("other-4")
                            .partitionsToOffsetAndMetadata()
                            .get(10, TimeUnit.SECONDS))
                    .as("aborted")
                    .isEmpty();
        }
        fixture.restart(Map.of());
        // A read_committed consumer fetches with require_stable: it gets the committed offsets.
        Properties cp = new Properties();
        cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.get().bootstrapServers());
        cp.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cp)) {
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(
                    Set.of(new TopicPartition("t", 0), new TopicPartition("t", 1)), java.time.Duration.ofSeconds(10));
            assertThat(committed.get(new TopicPartition("t", 0)).offset()).isEqualTo(100);
            assertThat(committed.get(new TopicPartition("t", 1)).offset()).isEqualTo(101);
        }
        try (TestConnection c = connect()) {
            OffsetFetchRequestData fetch = new OffsetFetchRequestData()
                    .setGroupId("other-3")
                    .setRequireStable(true)
                    .setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic()
                            .setName("t")
                            .setPartitionIndexes(List.of(0))));
            OffsetFetchResponseData f = c.roundTrip(fetch, new OffsetFetchResponseData(), (short) 7);
            assertThat(f.topics.get(0).partitions.get(0).errorCode)
                    .as("still pending after the restart")
                    .isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code());
        }
    }
}
