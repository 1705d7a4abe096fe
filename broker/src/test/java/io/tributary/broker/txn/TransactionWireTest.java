package io.tributary.broker.txn;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.broker.BrokerFixture;
import io.tributary.broker.TestConnection;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.AddPartitionsToTxnRequestData;
import io.tributary.protocol.message.AddPartitionsToTxnResponseData;
import io.tributary.protocol.message.CreateTopicsRequestData;
import io.tributary.protocol.message.CreateTopicsResponseData;
import io.tributary.protocol.message.EndTxnRequestData;
import io.tributary.protocol.message.EndTxnResponseData;
import io.tributary.protocol.message.InitProducerIdRequestData;
import io.tributary.protocol.message.InitProducerIdResponseData;
import io.tributary.protocol.message.ProduceRequestData;
import io.tributary.protocol.message.ProduceResponseData;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.MemoryRecordsBuilder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11, bad input on the wire: each transactional request that Kafka refuses gets Kafka's
 * error code, and a refused transactional Produce writes nothing.
 */
class TransactionWireTest {
    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.broker();

    private TestConnection connect() throws Exception {
        return new TestConnection(fixture.get().boundPort());
    }

    private static InitProducerIdResponseData init(TestConnection c, String id, int timeoutMs) throws Exception {
        return c.roundTrip(
                new InitProducerIdRequestData().setTransactionalId(id).setTransactionTimeoutMs(timeoutMs),
                new InitProducerIdResponseData(),
                (short) 4);
    }

    private static AddPartitionsToTxnResponseData add(
            TestConnection c, String id, long pid, short epoch, short version, String topic, int... partitions)
            throws Exception {
        List<Integer> ps = java.util.Arrays.stream(partitions).boxed().toList();
        AddPartitionsToTxnRequestData req = new AddPartitionsToTxnRequestData()
                .setV3AndBelowTransactionalId(id)
                .setV3AndBelowProducerId(pid)
                .setV3AndBelowProducerEpoch(epoch);
        req.v3AndBelowTopics.add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic()
                .setName(topic)
                .setPartitions(new java.util.ArrayList<>(ps)));
        return c.roundTrip(req, new AddPartitionsToTxnResponseData(), version);
    }

    private static Errors produceTxn(TestConnection c, String id, long pid, short epoch, String topic, int partition)
            throws Exception {
        MemoryRecordsBuilder b = MemoryRecordsBuilder.forProduce(CompressionType.NONE)
                .producerState(pid, epoch, 0)
                .transactional(true);
        b.append(1_000L, null, "v".getBytes(StandardCharsets.UTF_8));
        ProduceRequestData req = new ProduceRequestData()
                .setAcks((short) -1)
                .setTimeoutMs(10_000)
                .setTransactionalId(id);
        req.topicData.add(new ProduceRequestData.TopicProduceData()
                .setName(topic)
                .setPartitionData(new java.util.ArrayList<>(List.of(new ProduceRequestData.PartitionProduceData()
                        .setIndex(partition)
                        .setRecords(b.build())))));
        ProduceResponseData r = c.roundTrip(req, new ProduceResponseData(), (short) 11);
        return Errors.forCode(r.responses.get(0).partitionResponses.get(0).errorCode);
    }

    @Test
    void transactionalRequestsWithBadInputGetKafkasErrors() throws Exception {
        try (TestConnection c = connect()) {
            CreateTopicsRequestData create = new CreateTopicsRequestData().setTimeoutMs(10_000);
            create.topics.add(new CreateTopicsRequestData.CreatableTopic()
                    .setName("t")
                    .setNumPartitions(2)
                    .setReplicationFactor((short) 1));
            assertThat(c.roundTrip(create, new CreateTopicsResponseData(), (short) 7)
                            .topics
                            .iterator()
                            .next()
                            .errorCode)
                    .isZero();
            // transaction.timeout.ms above transaction.max.timeout.ms (900000 by default).
            assertThat(init(c, "x", 900_001).errorCode).isEqualTo(Errors.INVALID_TRANSACTION_TIMEOUT.code());
            InitProducerIdResponseData p = init(c, "x", 60_000);
            assertThat(p.errorCode).isZero();

            // A topic that does not exist: its partition is refused, the others are not attempted.
            AddPartitionsToTxnRequestData both = new AddPartitionsToTxnRequestData()
                    .setV3AndBelowTransactionalId("x")
                    .setV3AndBelowProducerId(p.producerId)
                    .setV3AndBelowProducerEpoch(p.producerEpoch);
            both.v3AndBelowTopics.add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic()
                    .setName("t")
                    .setPartitions(new java.util.ArrayList<>(List.of(0))));
            both.v3AndBelowTopics.add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic()
                    .setName("missing")
                    .setPartitions(new java.util.ArrayList<>(List.of(0))));
            AddPartitionsToTxnResponseData r = c.roundTrip(both, new AddPartitionsToTxnResponseData(), (short) 3);
            Map<String, Short> byTopic = new java.util.HashMap<>();
            r.resultsByTopicV3AndBelow.forEach(
                    t -> byTopic.put(t.name, t.resultsByPartition.get(0).partitionErrorCode));
            assertThat(byTopic)
                    .containsEntry("t", Errors.OPERATION_NOT_ATTEMPTED.code())
                    .containsEntry("missing", Errors.UNKNOWN_TOPIC_OR_PARTITION.code());

            // EndTxn without a transaction; a stale epoch (v1 has no PRODUCER_FENCED); an unknown producer id.
            EndTxnRequestData end = new EndTxnRequestData()
                    .setTransactionalId("x")
                    .setProducerId(p.producerId)
                    .setProducerEpoch(p.producerEpoch)
                    .setCommitted(true);
            assertThat(c.roundTrip(end, new EndTxnResponseData(), (short) 3).errorCode)
                    .isEqualTo(Errors.INVALID_TXN_STATE.code());
            short stale = (short) (p.producerEpoch + 5);
            assertThat(add(c, "x", p.producerId, stale, (short) 1, "t", 0)
                            .resultsByTopicV3AndBelow
                            .get(0)
                            .resultsByPartition
                            .get(0)
                            .partitionErrorCode)
                    .isEqualTo(Errors.INVALID_PRODUCER_EPOCH.code());
            assertThat(add(c, "x", p.producerId, stale, (short) 3, "t", 0)
                            .resultsByTopicV3AndBelow
                            .get(0)
                            .resultsByPartition
                            .get(0)
                            .partitionErrorCode)
                    .isEqualTo(Errors.PRODUCER_FENCED.code());
            assertThat(add(c, "x", p.producerId + 1, p.producerEpoch, (short) 3, "t", 0)
                            .resultsByTopicV3AndBelow
                            .get(0)
                            .resultsByPartition
                            .get(0)
                            .partitionErrorCode)
                    .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING.code());

            // Produce to a partition not added to the transaction, then to one that was.
            assertThat(add(c, "x", p.producerId, p.producerEpoch, (short) 3, "t", 0)
                            .resultsByTopicV3AndBelow
                            .get(0)
                            .resultsByPartition
                            .get(0)
                            .partitionErrorCode)
                    .isZero();
            assertThat(produceTxn(c, "x", p.producerId, p.producerEpoch, "t", 1))
                    .isEqualTo(Errors.INVALID_TXN_STATE);
            assertThat(produceTxn(c, "x", p.producerId, (short) (p.producerEpoch - 1), "t", 0))
                    .isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
            assertThat(produceTxn(c, "x", p.producerId, p.producerEpoch, "t", 0))
                    .isEqualTo(Errors.NONE);
            assertThat(fixture.get()
                            .state()
                            .topics()
                            .log(new io.tributary.broker.topic.TopicPartition("t", 1))
                            .logEndOffset())
                    .isZero();
            assertThat(c.roundTrip(end, new EndTxnResponseData(), (short) 3).errorCode)
                    .isZero();
        }
    }
}
