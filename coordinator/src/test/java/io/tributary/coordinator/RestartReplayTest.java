package io.tributary.coordinator;

import static io.tributary.coordinator.ClassicGroupMembershipTest.bytes;
import static io.tributary.coordinator.ClassicGroupMembershipTest.formGroup;
import static io.tributary.coordinator.GroupCoordinatorTestContext.SESSION_MS;
import static io.tributary.coordinator.GroupCoordinatorTestContext.done;
import static io.tributary.coordinator.GroupCoordinatorTestContext.joinRequest;
import static io.tributary.coordinator.GroupCoordinatorTestContext.member;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.coordinator.group.ClassicGroup;
import io.tributary.coordinator.group.ClassicGroupState;
import io.tributary.coordinator.record.RecordCodec;
import io.tributary.coordinator.runtime.CoordinatorRecord;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.JoinGroupResponseData;
import io.tributary.protocol.message.OffsetCommitResponseData;
import io.tributary.protocol.message.SyncGroupResponseData;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Durable state: everything a restart must keep is rebuilt by replaying the log (what a broker
 * killed with SIGKILL finds on disk), responses wait for durability, and snapshots bound the log.
 */
class RestartReplayTest {
    private static final String G = "g";

    @Test
    void stableGroupAndOffsetsSurviveARestart() {
        GroupCoordinatorTestContext t = new GroupCoordinatorTestContext();
        List<JoinGroupResponseData> m = formGroup(t, G, 2);
        String a = m.get(0).memberId;
        String b = m.get(1).memberId;
        assertThat(t.commit(G, a, 1, "t", 0, 100)).isEqualTo(Errors.NONE);
        assertThat(t.commit(G, b, 1, "t", 1, 200)).isEqualTo(Errors.NONE);

        t.restart();

        ClassicGroup g = t.group(G);
        assertThat(g.state()).isEqualTo(ClassicGroupState.STABLE);
        assertThat(g.generationId()).isEqualTo(1);
        assertThat(g.leaderId()).isEqualTo(a);
        assertThat(g.protocolType()).isEqualTo("consumer");
        assertThat(g.protocolName()).isEqualTo("range");
        assertThat(g.member(b).assignment()).isEqualTo(bytes("assignment-of-" + b));
        assertThat(g.member(b).clientHost()).isEqualTo("/127.0.0.1");
        assertThat(g.member(b).sessionTimeoutMs()).isEqualTo(SESSION_MS);
        // The members carry on as if nothing happened.
        assertThat(t.heartbeat(G, a, 1)).isEqualTo(Errors.NONE);
        assertThat(t.heartbeat(G, b, 1)).isEqualTo(Errors.NONE);
        assertThat(t.sync(G, b, 1, Map.of()).join().assignment).isEqualTo(bytes("assignment-of-" + b));
        assertThat(t.committed(G, "t", 0)).isEqualTo(100);
        assertThat(t.committed(G, "t", 1)).isEqualTo(200);
        assertThat(t.commit(G, b, 1, "t", 1, 201)).isEqualTo(Errors.NONE);
    }

    @Test
    void loadedMembersThatStopHeartbeatingExpire() {
        GroupCoordinatorTestContext t = new GroupCoordinatorTestContext();
        List<JoinGroupResponseData> m = formGroup(t, G, 2);
        t.restart();
        t.sleep(SESSION_MS / 2);
        assertThat(t.heartbeat(G, m.get(0).memberId, 1)).isEqualTo(Errors.NONE);
        t.sleep(SESSION_MS / 2);
        assertThat(t.group(G).hasMember(m.get(1).memberId)).isFalse();
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
    }

    @Test
    void staticMembershipSurvivesARestartAndARestartedMemberGetsItsAssignmentBack() {
        GroupCoordinatorTestContext t = new GroupCoordinatorTestContext();
        CompletableFuture<JoinGroupResponseData> a = t.join(joinRequest(G, "", "a"));
        t.sleep(3_000);
        String idA = done(a).memberId;
        t.sync(G, idA, "a", 1, Map.of(idA, bytes("A")));

        t.restart();
        assertThat(t.group(G).staticMemberId("a")).isEqualTo(idA);
        // The consumer restarts too: same instance id, no member id; no rebalance.
        JoinGroupResponseData r = done(t.join(joinRequest(G, "", "a")));
        assertThat(r.generationId).isEqualTo(1);
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.STABLE);
        assertThat(t.sync(G, r.memberId, "a", 1, Map.of()).join().assignment).isEqualTo(bytes("A"));

        // The replacement was persisted: another restart keeps the new member id.
        t.restart();
        assertThat(t.group(G).staticMemberId("a")).isEqualTo(r.memberId);
        assertThat(t.heartbeat(G, idA, "a", 1)).isEqualTo(Errors.FENCED_INSTANCE_ID);
    }

    @Test
    void groupCaughtMidRebalanceReloadsItsLastPersistedState() {
        GroupCoordinatorTestContext t = new GroupCoordinatorTestContext();
        List<JoinGroupResponseData> m = formGroup(t, G, 2);
        t.joinDynamic(G);
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
        t.restart();
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.STABLE);
        assertThat(t.group(G).numMembers()).isEqualTo(2);
        assertThat(t.heartbeat(G, m.get(0).memberId, 1)).isEqualTo(Errors.NONE);
    }

    @Test
    void emptiedGroupReloadsEmptyWithItsGeneration() {
        GroupCoordinatorTestContext t = new GroupCoordinatorTestContext();
        List<JoinGroupResponseData> m = formGroup(t, G, 1);
        t.leave(G, member(m.get(0).memberId, null));
        t.restart();
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.EMPTY);
        assertThat(t.group(G).generationId()).isEqualTo(2);
        assertThat(t.group(G).protocolType()).isEqualTo("consumer");
        // A new member starts generation 3.
        CompletableFuture<JoinGroupResponseData> j = t.joinDynamic(G);
        t.sleep(3_000);
        assertThat(done(j).generationId).isEqualTo(3);
    }

    @Test
    void responsesWaitUntilTheirRecordsAreDurable() {
        GroupCoordinatorTestContext t = new GroupCoordinatorTestContext();
        t.log.holdDurability();
        CompletableFuture<OffsetCommitResponseData> c = t.commitAsync("s", "", -1, "t", 0, 1);
        assertThat(c).isNotDone();
        // A read that follows waits too: it must not reveal what is not yet durable.
        CompletableFuture<io.tributary.protocol.message.OffsetFetchResponseData> f = t.coordinator.offsetFetch(
                GroupCoordinatorTestContext.ctx(7),
                new io.tributary.protocol.message.OffsetFetchRequestData()
                        .setGroupId("s")
                        .setTopics(null));
        assertThat(f).isNotDone();
        t.log.releaseDurability();
        assertThat(c).isCompleted();
        assertThat(f.join().topics.get(0).partitions.get(0).committedOffset).isEqualTo(1);
    }

    @Test
    void syncResponsesWaitForTheAssignmentRecord() {
        GroupCoordinatorTestContext t = new GroupCoordinatorTestContext();
        CompletableFuture<JoinGroupResponseData> a = t.joinDynamic(G);
        t.sleep(3_000);
        String id = done(a).memberId;
        t.log.holdDurability();
        CompletableFuture<SyncGroupResponseData> s = t.sync(G, id, 1, Map.of(id, bytes("A")));
        assertThat(s).isNotDone();
        t.log.releaseDurability();
        assertThat(s.join().assignment).isEqualTo(bytes("A"));
    }

    @Test
    void failedAppendAnswersNotCoordinatorAndRebuildsStateFromTheLog() {
        GroupCoordinatorTestContext t = new GroupCoordinatorTestContext();
        t.commit("s", "", -1, "t", 0, 1);
        t.log.failNextAppend(new RuntimeException("disk full"));
        OffsetCommitResponseData r = t.commitAsync("s", "", -1, "t", 0, 2).join();
        assertThat(Errors.forCode(r.topics.get(0).partitions.get(0).errorCode)).isEqualTo(Errors.NOT_COORDINATOR);
        // The failed commit never became visible: the state was rebuilt from what is on disk.
        assertThat(t.committed("s", "t", 0)).isEqualTo(1);
        assertThat(t.commit("s", "", -1, "t", 0, 3)).isEqualTo(Errors.NONE);
        assertThat(t.committed("s", "t", 0)).isEqualTo(3);
    }

    @Test
    void failedAppendAnswersParkedJoinsSoNoConnectionHangs() {
        GroupCoordinatorTestContext t = new GroupCoordinatorTestContext();
        List<JoinGroupResponseData> m = formGroup(t, G, 2);
        CompletableFuture<JoinGroupResponseData> parked = t.join(joinRequest(G, m.get(0).memberId, null));
        assertThat(parked).isNotDone();
        t.log.failNextAppend(new RuntimeException("io error"));
        t.commitAsync("s", "", -1, "t", 0, 2).join();
        assertThat(Errors.forCode(done(parked).errorCode)).isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.STABLE);
    }

    @Test
    void snapshotsKeepTheLogBoundedAndReplayToTheSameState() {
        GroupCoordinatorTestContext t = new GroupCoordinatorTestContext(
                GroupCoordinatorConfig.defaults().withSnapshotMinRecords(20));
        List<JoinGroupResponseData> m = formGroup(t, G, 2);
        for (int i = 0; i < 1_000; i++) {
            assertThat(t.commit(G, m.get(0).memberId, 1, "t", i % 3, i)).isEqualTo(Errors.NONE);
        }
        t.commit("deleted", "", -1, "t", 0, 1);
        t.coordinator
                .deleteGroups(
                        GroupCoordinatorTestContext.ctx(1),
                        new io.tributary.protocol.message.DeleteGroupsRequestData()
                                .setGroupsNames(new java.util.ArrayList<>(List.of("deleted"))))
                .join();
        for (int i = 0; i < 50; i++) {
            t.commit(G, m.get(0).memberId, 1, "t", 0, 5_000 + i);
        }
        // Live state: 1 group record + 3 offsets; the log holds at most a few snapshots' worth.
        assertThat(t.log.size()).isLessThan(60);
        assertThat(t.log.startOffset()).isGreaterThan(1_000);
        t.restart();
        assertThat(t.committed(G, "t", 0)).isEqualTo(5_049);
        assertThat(t.committed(G, "t", 1)).isEqualTo(997);
        assertThat(t.committed(G, "t", 2)).isEqualTo(998);
        assertThat(t.group("deleted")).isNull();
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.STABLE);
        assertThat(t.group(G).member(m.get(1).memberId).assignment())
                .isEqualTo(bytes("assignment-of-" + m.get(1).memberId));
    }

    @Test
    void replayingALogWithDuplicatesAndUnknownRecordsGivesTheSameState() {
        GroupCoordinatorTestContext t = new GroupCoordinatorTestContext();
        List<JoinGroupResponseData> m = formGroup(t, G, 1);
        t.commit(G, m.get(0).memberId, 1, "t", 0, 9);
        List<CoordinatorRecord> all = t.log.records();
        // A prefix deleted only partly (segment granularity) means old records replay again.
        t.log.append(all);
        t.log.append(List.of(new CoordinatorRecord(new byte[] {0, 99, 1, 2}, new byte[] {0, 0})));
        // A corrupt value of a known key type is skipped too, not fatal for loading.
        t.log.append(
                List.of(new CoordinatorRecord(RecordCodec.groupTombstone("x").key(), new byte[] {0, 0, 1})));
        t.restart();
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.STABLE);
        assertThat(t.committed(G, "t", 0)).isEqualTo(9);
        assertThat(RecordCodec.decodeKey(new byte[] {0, 99})).isInstanceOf(RecordCodec.UnknownKey.class);
    }
}
