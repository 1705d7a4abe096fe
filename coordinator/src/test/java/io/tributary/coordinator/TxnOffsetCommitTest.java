package io.tributary.coordinator;

import static io.tributary.coordinator.ClassicGroupMembershipTest.formGroup;
import static io.tributary.coordinator.GroupCoordinatorTestContext.ctx;
import static io.tributary.coordinator.GroupCoordinatorTestContext.done;
import static io.tributary.coordinator.GroupCoordinatorTestContext.joinRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.protocol.Errors;
import io.tributary.protocol.message.DeleteGroupsRequestData;
import io.tributary.protocol.message.JoinGroupResponseData;
import io.tributary.protocol.message.OffsetFetchRequestData;
import io.tributary.protocol.message.OffsetFetchResponseData;
import io.tributary.protocol.message.TxnOffsetCommitRequestData;
import io.tributary.protocol.message.TxnOffsetCommitResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 (section 4), KIP-98 / KIP-447: offsets committed in a transaction stay pending until
 * the transaction coordinator's marker; require_stable fetches see UNSTABLE_OFFSET_COMMIT
 * meanwhile; the member id and generation fence zombie consumers; all of it survives restarts and
 * snapshots.
 */
class TxnOffsetCommitTest {
    private static final String G = "g";
    private static final long PID = 4000;
    private static final long OTHER_PID = 4001;

    private final GroupCoordinatorTestContext t = new GroupCoordinatorTestContext();

    static TxnOffsetCommitRequestData txnRequest(
            long pid, int epoch, String group, String member, int generation, String topic, int partition, long off) {
        TxnOffsetCommitRequestData req = new TxnOffsetCommitRequestData()
                .setTransactionalId("tx-" + pid)
                .setGroupId(group)
                .setProducerId(pid)
                .setProducerEpoch((short) epoch)
                .setMemberId(member)
                .setGenerationId(generation);
        req.topics.add(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic()
                .setName(topic)
                .setPartitions(new ArrayList<>(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition()
                        .setPartitionIndex(partition)
                        .setCommittedOffset(off)
                        .setCommittedLeaderEpoch(2)
                        .setCommittedMetadata("txn-meta")))));
        return req;
    }

    private Errors txnCommit(TxnOffsetCommitRequestData req) {
        TxnOffsetCommitResponseData r =
                t.coordinator.txnOffsetCommit(ctx(3), req).join();
        return Errors.forCode(r.topics.get(0).partitions.get(0).errorCode);
    }

    private Errors txnCommit(long pid, int epoch, String topic, int partition, long offset) {
        return txnCommit(txnRequest(pid, epoch, G, "", -1, topic, partition, offset));
    }

    private void complete(long pid, int epoch, boolean commit) {
        CompletableFuture<Void> f = t.coordinator.completeTransaction(pid, (short) epoch, commit);
        assertThat(f).isCompleted();
        f.join();
    }

    /** OffsetFetch v8 of one partition: its (error, offset). */
    private OffsetFetchResponseData.OffsetFetchResponsePartitions fetch(String topic, int partition, boolean stable) {
        OffsetFetchRequestData req = new OffsetFetchRequestData().setRequireStable(stable);
        req.groups.add(new OffsetFetchRequestData.OffsetFetchRequestGroup()
                .setGroupId(G)
                .setTopics(new ArrayList<>(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopics()
                        .setName(topic)
                        .setPartitionIndexes(new ArrayList<>(List.of(partition)))))));
        OffsetFetchResponseData r = t.coordinator.offsetFetch(ctx(8), req).join();
        return r.groups.get(0).topics.get(0).partitions.get(0);
    }

    private long stable(String topic, int partition) {
        OffsetFetchResponseData.OffsetFetchResponsePartitions p = fetch(topic, partition, true);
        assertThat(Errors.forCode(p.errorCode)).isEqualTo(Errors.NONE);
        return p.committedOffset;
    }

    private void assertUnstable(String topic, int partition) {
        OffsetFetchResponseData.OffsetFetchResponsePartitions p = fetch(topic, partition, true);
        assertThat(Errors.forCode(p.errorCode)).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT);
        assertThat(p.committedOffset).isEqualTo(-1);
    }

    @Test
    void pendingOffsetsAreInvisibleUntilTheCommitMarker() {
        assertThat(t.commit(G, "", -1, "t", 0, 5)).isEqualTo(Errors.NONE);
        assertThat(txnCommit(PID, 0, "t", 0, 10)).isEqualTo(Errors.NONE);
        assertThat(txnCommit(PID, 0, "t", 1, 11)).isEqualTo(Errors.NONE);

        // Without require_stable the committed offset (or none) is answered.
        assertThat(fetch("t", 0, false).committedOffset).isEqualTo(5);
        assertThat(fetch("t", 1, false).committedOffset).isEqualTo(-1);
        assertUnstable("t", 0);
        assertUnstable("t", 1);
        assertThat(stable("other", 0)).isEqualTo(-1);

        complete(PID, 0, true);
        assertThat(stable("t", 0)).isEqualTo(10);
        assertThat(stable("t", 1)).isEqualTo(11);
        assertThat(fetch("t", 1, true).metadata).isEqualTo("txn-meta");
        assertThat(fetch("t", 1, true).committedLeaderEpoch).isEqualTo(2);
        assertThat(t.coordinator.shard().pendingTxnOffsets().size()).isZero();
    }

    @Test
    void abortDropsThePendingOffsets() {
        t.commit(G, "", -1, "t", 0, 5);
        txnCommit(PID, 0, "t", 0, 10);
        txnCommit(OTHER_PID, 0, "t", 1, 20);
        complete(PID, 0, false);
        assertThat(stable("t", 0)).isEqualTo(5);
        // Another producer's transaction is untouched.
        assertUnstable("t", 1);
        complete(OTHER_PID, 0, true);
        assertThat(stable("t", 1)).isEqualTo(20);
    }

    @Test
    void aLaterPlainCommitWinsOverAnEarlierTransactionalOne() {
        txnCommit(PID, 0, "t", 0, 10);
        assertThat(t.commit(G, "", -1, "t", 0, 20)).isEqualTo(Errors.NONE);
        complete(PID, 0, true);
        assertThat(stable("t", 0))
                .as("the plain commit was written after the transaction's")
                .isEqualTo(20);

        // The other order: the transactional commit is the newer one and replaces the plain one.
        t.commit(G, "", -1, "t", 1, 20);
        txnCommit(PID, 1, "t", 1, 30);
        complete(PID, 1, true);
        assertThat(stable("t", 1)).isEqualTo(30);
    }

    @Test
    void completingTwiceOrWithAStaleEpochChangesNothing() {
        txnCommit(PID, 3, "t", 0, 10);
        complete(PID, 2, true);
        assertUnstable("t", 0);
        assertThat(txnCommit(PID, 2, "t", 0, 9))
                .as("an older epoch of the producer")
                .isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        complete(PID, 3, true);
        int logSize = t.log.size();
        complete(PID, 3, true);
        complete(PID, 3, false);
        assertThat(t.log.size()).as("a repeated marker writes nothing").isEqualTo(logSize);
        assertThat(stable("t", 0)).isEqualTo(10);
    }

    @Test
    void aZombieFencedByTheAbortMarkerCannotCommitOffsetsLaterEvenAfterARestartAndASnapshot() {
        t.restart(GroupCoordinatorConfig.defaults().withSnapshotMinRecords(10));
        txnCommit(PID, 0, "t", 0, 10);
        // A new instance's InitProducerId bumps the epoch; the coordinator aborts with that epoch.
        complete(PID, 1, false);
        assertThat(txnCommit(PID, 0, "t", 0, 11)).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        for (int i = 0; i < 30; i++) {
            t.commit("busy", "", -1, "x", 0, i);
        }
        assertThat(t.log.startOffset())
                .as("the marker record was truncated after a snapshot")
                .isGreaterThan(3);
        t.restart();
        assertThat(txnCommit(PID, 0, "t", 0, 12)).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(txnCommit(PID, 1, "t", 0, 13)).isEqualTo(Errors.NONE);
        complete(PID, 1, true);
        assertThat(stable("t", 0)).isEqualTo(13);
    }

    @Test
    void replayAfterARestartRestoresPendingAndCompletedTransactions() {
        t.commit(G, "", -1, "t", 0, 1);
        txnCommit(PID, 0, "t", 0, 10);
        complete(PID, 0, true);
        txnCommit(OTHER_PID, 0, "t", 1, 20);
        txnCommit(PID, 1, "t", 2, 30);
        complete(PID, 1, false);
        // A plain commit after a still-open transaction's offset must keep winning after the replay.
        txnCommit(OTHER_PID, 0, "t", 3, 40);
        t.commit(G, "", -1, "t", 3, 41);

        t.restart();

        assertThat(stable("t", 0)).isEqualTo(10);
        assertUnstable("t", 1);
        assertThat(stable("t", 2)).isEqualTo(-1);
        assertUnstable("t", 3);
        // The marker re-written after the restart completes the transaction that was open.
        complete(OTHER_PID, 0, true);
        assertThat(stable("t", 1)).isEqualTo(20);
        assertThat(stable("t", 3)).isEqualTo(41);
        complete(PID, 0, true);
        assertThat(stable("t", 0)).isEqualTo(10);
    }

    @Test
    void pendingOffsetsAndTheirOrderSurviveASnapshot() {
        t.restart(GroupCoordinatorConfig.defaults().withSnapshotMinRecords(20));
        txnCommit(PID, 0, "t", 0, 10);
        t.commit(G, "", -1, "t", 0, 11);
        t.commit(G, "", -1, "t", 1, 20);
        txnCommit(PID, 0, "t", 1, 21);
        txnCommit(OTHER_PID, 0, "t", 2, 30);
        for (int i = 0; i < 200; i++) {
            t.commit("busy", "", -1, "x", 0, i);
        }
        assertThat(t.log.startOffset())
                .as("the log was truncated after a snapshot")
                .isGreaterThan(5);

        t.restart();

        assertUnstable("t", 0);
        assertUnstable("t", 2);
        assertThat(fetch("t", 1, false).committedOffset).isEqualTo(20);
        complete(PID, 0, true);
        complete(OTHER_PID, 0, false);
        assertThat(stable("t", 0))
                .as("the plain commit came after the transaction's")
                .isEqualTo(11);
        assertThat(stable("t", 1))
                .as("the transaction's commit came after the plain one")
                .isEqualTo(21);
        assertThat(stable("t", 2)).isEqualTo(-1);
    }

    @Test
    void memberIdAndGenerationFenceZombieConsumers() {
        List<JoinGroupResponseData> m = formGroup(t, G, 1);
        String member = m.get(0).memberId;
        assertThat(txnCommit(txnRequest(PID, 0, G, member, 1, "t", 0, 1))).isEqualTo(Errors.NONE);
        assertThat(txnCommit(txnRequest(PID, 0, G, member, 0, "t", 0, 1))).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(txnCommit(txnRequest(PID, 0, G, "zombie", 1, "t", 0, 1))).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        // Generation -1 and no member id (pre-KIP-447 producers) skip the check, even with members.
        assertThat(txnCommit(txnRequest(PID, 0, G, "", -1, "t", 0, 1))).isEqualTo(Errors.NONE);
        // An unknown group is created for generation -1 only.
        assertThat(txnCommit(txnRequest(PID, 0, "new", "", -1, "t", 0, 1))).isEqualTo(Errors.NONE);
        assertThat(t.group("new")).isNotNull();
        assertThat(txnCommit(txnRequest(PID, 0, "missing", "m", 3, "t", 0, 1))).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(txnCommit(txnRequest(PID, 0, "", "", -1, "t", 0, 1))).isEqualTo(Errors.INVALID_GROUP_ID);
    }

    @Test
    void aStaticMemberReplacedByANewInstanceIsFenced() {
        CompletableFuture<JoinGroupResponseData> a = t.join(joinRequest("s", "", "instance-a"));
        t.sleep(t.config.initialRebalanceDelayMs());
        String first = done(a).memberId;
        t.sync("s", first, "instance-a", 1, Map.of(first, new byte[0])).join();
        // The instance restarts: a new member id takes the instance id over.
        JoinGroupResponseData again = done(t.join(joinRequest("s", "", "instance-a")));
        assertThat(again.memberId).isNotEqualTo(first);
        TxnOffsetCommitRequestData zombie =
                txnRequest(PID, 0, "s", first, 1, "t", 0, 1).setGroupInstanceId("instance-a");
        assertThat(txnCommit(zombie)).isEqualTo(Errors.FENCED_INSTANCE_ID);
    }

    @Test
    void pendingOffsetsNeverExpireAndDeletingTheGroupDropsThem() {
        t.restart(GroupCoordinatorConfig.defaults().withOffsetsRetention(60_000, 10_000));
        txnCommit(PID, 0, "t", 0, 10);
        t.sleep(10 * 60_000);
        assertThat(t.group(G)).as("a group with an open transaction is kept").isNotNull();
        assertUnstable("t", 0);

        t.coordinator
                .deleteGroups(ctx(1), new DeleteGroupsRequestData().setGroupsNames(new ArrayList<>(List.of(G))))
                .join();
        assertThat(t.coordinator.shard().pendingTxnOffsets().size()).isZero();
        complete(PID, 0, true);
        assertThat(stable("t", 0)).isEqualTo(-1);

        t.restart();
        assertThat(t.coordinator.shard().pendingTxnOffsets().size()).isZero();
        assertThat(stable("t", 0)).isEqualTo(-1);
    }

    @Test
    void offsetFetchBeforeV7NeverAnswersUnstable() {
        t.commit(G, "", -1, "t", 0, 5);
        txnCommit(PID, 0, "t", 0, 10);
        OffsetFetchRequestData req = new OffsetFetchRequestData().setGroupId(G).setRequireStable(true);
        req.topics.add(new OffsetFetchRequestData.OffsetFetchRequestTopic()
                .setName("t")
                .setPartitionIndexes(new ArrayList<>(List.of(0))));
        OffsetFetchResponseData r = t.coordinator.offsetFetch(ctx(6), req).join();
        assertThat(r.topics.get(0).partitions.get(0).committedOffset).isEqualTo(5);
        assertThat(r.topics.get(0).partitions.get(0).errorCode).isZero();
    }
}
