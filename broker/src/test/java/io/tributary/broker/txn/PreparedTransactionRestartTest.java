package io.tributary.broker.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.broker.TestConnection;
import io.tributary.broker.TributaryBroker;
import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.group.GroupCoordinatorExtension;
import io.tributary.broker.topic.TopicPartition;
import io.tributary.coordinator.transaction.TransactionState;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.AddOffsetsToTxnRequestData;
import io.tributary.protocol.message.AddOffsetsToTxnResponseData;
import io.tributary.protocol.message.AddPartitionsToTxnRequestData;
import io.tributary.protocol.message.AddPartitionsToTxnResponseData;
import io.tributary.protocol.message.CreateTopicsRequestData;
import io.tributary.protocol.message.CreateTopicsResponseData;
import io.tributary.protocol.message.EndTxnRequestData;
import io.tributary.protocol.message.EndTxnResponseData;
import io.tributary.protocol.message.InitProducerIdRequestData;
import io.tributary.protocol.message.InitProducerIdResponseData;
import io.tributary.protocol.record.ControlRecordType;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchHeader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, bad input "the broker killed between the PrepareCommit record and the markers": a
 * transaction that includes consumer offsets (AddOffsetsToTxn) gets its data-partition marker,
 * but the group coordinator hook never answers, so the coordinator stays in PrepareCommit when
 * the broker stops. After the restart the replayed PrepareCommit has its markers written again:
 * the hook is called with the commit and the transaction completes, so it ends fully committed.
 */
class PreparedTransactionRestartTest {
    private Path dir;
    private TributaryBroker broker;

    record HookCall(long producerId, short epoch, boolean commit) {}

    private TributaryBroker start(OffsetsTxnHook hook) {
        return TributaryBroker.start(
                BrokerConfig.fromMap(Map.of(
                        BrokerConfig.LOG_DIRS, dir.toString(),
                        BrokerConfig.LISTENERS, "PLAINTEXT://127.0.0.1:0",
                        BrokerConfig.NUM_NETWORK_THREADS, "2")),
                new GroupCoordinatorExtension(),
                new TransactionCoordinatorExtension(hook));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (broker != null) {
            broker.close();
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    private TransactionState state() {
        return broker.extension(TransactionCoordinatorExtension.class)
                .coordinator()
                .metadata("prep")
                .state();
    }

    /** The control record types found in the partition, in offset order. */
    private List<ControlRecordType> markers() {
        var log = broker.state().topics().log(new TopicPartition("prep-t", 0));
        List<ControlRecordType> out = new ArrayList<>();
        ByteBuffer buf = log.read(0, 1 << 20, true).records().toByteBuffer();
        for (int pos = buf.position(); pos < buf.limit(); pos += RecordBatchHeader.totalSize(buf, pos)) {
            if (RecordBatchHeader.isControl(buf, pos)) {
                RecordBatch.at(buf, pos).forEach(r -> out.add(ControlRecordType.parse(r)));
            }
        }
        return out;
    }

    @Test
    void aTransactionLeftInPrepareCommitIsCompletedAfterTheRestart() throws Exception {
        dir = Files.createTempDirectory("tributary-txn-prepare-");
        broker = start((pid, epoch, commit) -> new CompletableFuture<>()); // never answers
        InitProducerIdResponseData p;
        try (TestConnection c = new TestConnection(broker.boundPort())) {
            CreateTopicsRequestData create = new CreateTopicsRequestData().setTimeoutMs(10_000);
            create.topics.add(new CreateTopicsRequestData.CreatableTopic()
                    .setName("prep-t")
                    .setNumPartitions(1)
                    .setReplicationFactor((short) 1));
            c.roundTrip(create, new CreateTopicsResponseData(), (short) 7);
            p = c.roundTrip(
                    new InitProducerIdRequestData().setTransactionalId("prep").setTransactionTimeoutMs(60_000),
                    new InitProducerIdResponseData(),
                    (short) 4);
            AddPartitionsToTxnRequestData add = new AddPartitionsToTxnRequestData()
                    .setV3AndBelowTransactionalId("prep")
                    .setV3AndBelowProducerId(p.producerId)
                    .setV3AndBelowProducerEpoch(p.producerEpoch);
            add.v3AndBelowTopics.add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic()
                    .setName("prep-t")
                    .setPartitions(new ArrayList<>(List.of(0))));
            assertThat(c.roundTrip(add, new AddPartitionsToTxnResponseData(), (short) 3)
                            .resultsByTopicV3AndBelow
                            .get(0)
                            .resultsByPartition
                            .get(0)
                            .partitionErrorCode)
                    .isZero();
            assertThat(c.roundTrip(
                                    new AddOffsetsToTxnRequestData()
                                            .setTransactionalId("prep")
                                            .setProducerId(p.producerId)
                                            .setProducerEpoch(p.producerEpoch)
                                            .setGroupId("g"),
                                    new AddOffsetsToTxnResponseData(),
                                    (short) 3)
                            .errorCode)
                    .isZero();
            assertThat(c.roundTrip(
                                    new EndTxnRequestData()
                                            .setTransactionalId("prep")
                                            .setProducerId(p.producerId)
                                            .setProducerEpoch(p.producerEpoch)
                                            .setCommitted(true),
                                    new EndTxnResponseData(),
                                    (short) 3)
                            .errorCode)
                    .isEqualTo(Errors.NONE.code());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> markers().size() == 1);
        assertThat(markers()).containsExactly(ControlRecordType.COMMIT);
        assertThat(state()).isEqualTo(TransactionState.PREPARE_COMMIT);
        broker.close();

        List<HookCall> calls = new CopyOnWriteArrayList<>();
        broker = start((pid, epoch, commit) -> {
            calls.add(new HookCall(pid, epoch, commit));
            return CompletableFuture.completedFuture(null);
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> state() == TransactionState.COMPLETE_COMMIT);
        assertThat(calls).containsExactly(new HookCall(p.producerId, p.producerEpoch, true));
        // The data partition's marker is written again; a second COMMIT of a finished transaction is harmless.
        assertThat(markers()).containsExactly(ControlRecordType.COMMIT, ControlRecordType.COMMIT);
    }
}
