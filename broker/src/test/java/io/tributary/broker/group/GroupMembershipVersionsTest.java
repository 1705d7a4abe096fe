package io.tributary.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.broker.BrokerFixture;
import io.tributary.broker.TestConnection;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.DescribeGroupsRequestData;
import io.tributary.protocol.message.DescribeGroupsResponseData;
import io.tributary.protocol.message.FindCoordinatorRequestData;
import io.tributary.protocol.message.FindCoordinatorResponseData;
import io.tributary.protocol.message.HeartbeatRequestData;
import io.tributary.protocol.message.HeartbeatResponseData;
import io.tributary.protocol.message.JoinGroupRequestData;
import io.tributary.protocol.message.JoinGroupResponseData;
import io.tributary.protocol.message.LeaveGroupRequestData;
import io.tributary.protocol.message.LeaveGroupResponseData;
import io.tributary.protocol.message.SyncGroupRequestData;
import io.tributary.protocol.message.SyncGroupResponseData;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10 item 5 (group half): the membership APIs at the newer versions Apache kafka-clients 4.3 sends, over a
 * real socket: FindCoordinator v3 (flexible) and v4 (batched keys), JoinGroup v6-9 (protocol type in the answer,
 * reason, SkipAssignment for a static leader, KIP-814), SyncGroup v4-5 (protocol checks), Heartbeat v4 and LeaveGroup
 * v3-5 (a batch of members, each with its own error).
 */
class GroupMembershipVersionsTest {
    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.groups();

    private TestConnection connect() throws Exception {
        return new TestConnection(fixture.get().boundPort());
    }

    @Test
    void findCoordinatorV3AndTheV4BatchAnswerEachKey() throws Exception {
        int node = fixture.get().state().nodeId();
        try (TestConnection c = connect()) {
            FindCoordinatorResponseData v3 = c.roundTrip(
                    new FindCoordinatorRequestData().setKey("g"), new FindCoordinatorResponseData(), (short) 3);
            assertThat(v3.errorCode).isZero();
            assertThat(v3.nodeId).isEqualTo(node);
            assertThat(v3.port).isEqualTo(fixture.get().advertisedPort());

            FindCoordinatorResponseData groups = c.roundTrip(
                    new FindCoordinatorRequestData().setKeyType((byte) 0).setCoordinatorKeys(List.of("a", "b", "c")),
                    new FindCoordinatorResponseData(),
                    (short) 4);
            assertThat(groups.coordinators).extracting(k -> k.key).containsExactly("a", "b", "c");
            for (FindCoordinatorResponseData.Coordinator k : groups.coordinators) {
                assertThat(k.errorCode).as(k.key).isZero();
                assertThat(k.errorMessage).as(k.key).isNull();
                assertThat(k.nodeId).as(k.key).isEqualTo(node);
                assertThat(k.host).as(k.key).isEqualTo(fixture.get().advertisedHost());
                assertThat(k.port).as(k.key).isEqualTo(fixture.get().advertisedPort());
            }

            FindCoordinatorResponseData txn = c.roundTrip(
                    new FindCoordinatorRequestData().setKeyType((byte) 1).setCoordinatorKeys(List.of("tx1", "tx2")),
                    new FindCoordinatorResponseData(),
                    (short) 4);
            assertThat(txn.coordinators).extracting(k -> k.key).containsExactly("tx1", "tx2");
            // Issue 11: the fixture installs the transaction coordinator, so this node answers.
            assertThat(txn.coordinators).allSatisfy(k -> {
                assertThat(k.errorCode).isEqualTo(Errors.NONE.code());
                assertThat(k.nodeId).isEqualTo(node);
            });
        }
    }

    @Test
    void joinGroupV6ToV9NamesTheProtocolTypeAndNeverSkipsTheAssignmentOfANewGeneration() throws Exception {
        try (TestConnection c = connect()) {
            for (short v = 6; v <= 9; v++) {
                String group = "join-v" + v;
                JoinGroupRequestData req = join(group, "").setReason("starting up");
                JoinGroupResponseData first = c.roundTrip(req, new JoinGroupResponseData(), v);
                assertThat(Errors.forCode(first.errorCode)).as("v%d", v).isEqualTo(Errors.MEMBER_ID_REQUIRED);
                assertThat(first.protocolName)
                        .as("v%d protocol name of an error", v)
                        .isEmpty();
                JoinGroupResponseData joined = c.roundTrip(
                        join(group, first.memberId).setReason("second step"), new JoinGroupResponseData(), v);
                assertThat(joined.errorCode).as("v%d", v).isZero();
                assertThat(joined.generationId).as("v%d", v).isEqualTo(1);
                assertThat(joined.leader).as("v%d", v).isEqualTo(first.memberId);
                assertThat(joined.protocolName).as("v%d", v).isEqualTo("range");
                assertThat(joined.protocolType).as("v%d", v).isEqualTo(v >= 7 ? "consumer" : null);
                assertThat(joined.skipAssignment).as("v%d", v).isFalse();
                assertThat(joined.members)
                        .as("v%d", v)
                        .extracting(m -> m.memberId)
                        .containsExactly(first.memberId);
            }
        }
    }

    @Test
    void aStaticLeaderRejoiningUnchangedSkipsTheAssignmentFromV9AndIsNotToldItLeadsBefore() throws Exception {
        try (TestConnection c = connect()) {
            for (short v : new short[] {5, 8, 9}) {
                String group = "static-v" + v;
                JoinGroupResponseData first =
                        c.roundTrip(join(group, "").setGroupInstanceId("a"), new JoinGroupResponseData(), (short) 5);
                assertThat(first.errorCode).isZero();
                sync(c, group, first, (short) 5, new byte[] {7});

                JoinGroupResponseData again =
                        c.roundTrip(join(group, "").setGroupInstanceId("a"), new JoinGroupResponseData(), v);
                assertThat(again.errorCode).as("v%d", v).isZero();
                assertThat(again.memberId).as("v%d", v).isNotEqualTo(first.memberId);
                assertThat(again.generationId).as("v%d: no rebalance", v).isEqualTo(1);
                if (v >= 9) {
                    assertThat(again.leader).as("v%d", v).isEqualTo(again.memberId);
                    assertThat(again.skipAssignment).as("v%d", v).isTrue();
                    assertThat(again.members)
                            .as("v%d", v)
                            .extracting(m -> m.groupInstanceId)
                            .containsExactly("a");
                } else {
                    // The old leader id: the client does not take itself for the leader and runs no assignor.
                    assertThat(again.leader).as("v%d", v).isEqualTo(first.memberId);
                    assertThat(again.members).as("v%d", v).isEmpty();
                }
                // The stored assignment survives: the rejoined member gets it from SyncGroup.
                SyncGroupResponseData s = c.roundTrip(
                        new SyncGroupRequestData()
                                .setGroupId(group)
                                .setGenerationId(1)
                                .setMemberId(again.memberId)
                                .setGroupInstanceId("a"),
                        new SyncGroupResponseData(),
                        (short) 5);
                assertThat(s.errorCode).as("v%d", v).isZero();
                assertThat(s.assignment).as("v%d", v).containsExactly(7);
            }
        }
    }

    @Test
    void syncGroupV5RefusesAnotherProtocolTypeOrNameAndNamesTheGroupsOwn() throws Exception {
        try (TestConnection c = connect()) {
            JoinGroupResponseData j =
                    c.roundTrip(join("sync5", "").setGroupInstanceId("s"), new JoinGroupResponseData(), (short) 9);
            SyncGroupResponseData wrongName = c.roundTrip(
                    syncRequest("sync5", j).setProtocolType("consumer").setProtocolName("roundrobin"),
                    new SyncGroupResponseData(),
                    (short) 5);
            assertThat(Errors.forCode(wrongName.errorCode)).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
            SyncGroupResponseData wrongType = c.roundTrip(
                    syncRequest("sync5", j).setProtocolType("connect").setProtocolName("range"),
                    new SyncGroupResponseData(),
                    (short) 5);
            assertThat(Errors.forCode(wrongType.errorCode)).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
            SyncGroupResponseData ok = c.roundTrip(
                    syncRequest("sync5", j)
                            .setProtocolType("consumer")
                            .setProtocolName("range")
                            .setAssignments(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment()
                                    .setMemberId(j.memberId)
                                    .setAssignment(new byte[] {4, 2}))),
                    new SyncGroupResponseData(),
                    (short) 5);
            assertThat(ok.errorCode).isZero();
            assertThat(ok.protocolType).isEqualTo("consumer");
            assertThat(ok.protocolName).isEqualTo("range");
            assertThat(ok.assignment).containsExactly(4, 2);
            // v4 is flexible but has no protocol fields: the same member syncs again, unchecked.
            SyncGroupResponseData v4 = c.roundTrip(syncRequest("sync5", j), new SyncGroupResponseData(), (short) 4);
            assertThat(v4.errorCode).isZero();
            assertThat(v4.assignment).containsExactly(4, 2);
        }
    }

    @Test
    void heartbeatV4AnswersMembersAndStrangers() throws Exception {
        try (TestConnection c = connect()) {
            JoinGroupResponseData j =
                    c.roundTrip(join("hb4", "").setGroupInstanceId("h"), new JoinGroupResponseData(), (short) 9);
            sync(c, "hb4", j, (short) 5, new byte[0]);
            HeartbeatResponseData ok = c.roundTrip(
                    new HeartbeatRequestData()
                            .setGroupId("hb4")
                            .setGenerationId(j.generationId)
                            .setMemberId(j.memberId)
                            .setGroupInstanceId("h"),
                    new HeartbeatResponseData(),
                    (short) 4);
            assertThat(ok.errorCode).isZero();
            HeartbeatResponseData stranger = c.roundTrip(
                    new HeartbeatRequestData()
                            .setGroupId("hb4")
                            .setGenerationId(1)
                            .setMemberId("nobody"),
                    new HeartbeatResponseData(),
                    (short) 4);
            assertThat(Errors.forCode(stranger.errorCode)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        }
    }

    @Test
    void leaveGroupV3ToV5RemovesABatchAndAnswersEachMember() throws Exception {
        try (TestConnection c = connect()) {
            for (short v = 3; v <= 5; v++) {
                String group = "leave-v" + v;
                JoinGroupResponseData a =
                        c.roundTrip(join(group, "").setGroupInstanceId("a"), new JoinGroupResponseData(), (short) 9);
                sync(c, group, a, (short) 5, new byte[0]);
                // The admin's "remove members": by instance id alone, plus two that are not there.
                LeaveGroupResponseData r = c.roundTrip(
                        new LeaveGroupRequestData()
                                .setGroupId(group)
                                .setMembers(List.of(
                                        new LeaveGroupRequestData.MemberIdentity()
                                                .setMemberId("")
                                                .setGroupInstanceId("a")
                                                .setReason("removed by the operator"),
                                        new LeaveGroupRequestData.MemberIdentity()
                                                .setMemberId("")
                                                .setGroupInstanceId("nobody"),
                                        new LeaveGroupRequestData.MemberIdentity().setMemberId("ghost"))),
                        new LeaveGroupResponseData(),
                        v);
                assertThat(r.errorCode).as("v%d", v).isZero();
                assertThat(r.members)
                        .as("v%d", v)
                        .extracting(m -> m.groupInstanceId + "/" + m.memberId + "=" + Errors.forCode(m.errorCode))
                        .containsExactly(
                                "a/=" + Errors.NONE,
                                "nobody/=" + Errors.UNKNOWN_MEMBER_ID,
                                "null/ghost=" + Errors.UNKNOWN_MEMBER_ID);
                DescribeGroupsResponseData d = c.roundTrip(
                        new DescribeGroupsRequestData().setGroups(List.of(group)),
                        new DescribeGroupsResponseData(),
                        (short) 5);
                assertThat(d.groups.get(0).groupState).as("v%d", v).isEqualTo("Empty");
                assertThat(d.groups.get(0).members).as("v%d", v).isEmpty();
            }
            LeaveGroupResponseData unknownGroup = c.roundTrip(
                    new LeaveGroupRequestData()
                            .setGroupId("never-was")
                            .setMembers(List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId("m"))),
                    new LeaveGroupResponseData(),
                    (short) 5);
            assertThat(unknownGroup.errorCode).isZero();
            assertThat(unknownGroup.members)
                    .extracting(m -> Errors.forCode(m.errorCode))
                    .containsExactly(Errors.UNKNOWN_MEMBER_ID);
        }
    }

    static JoinGroupRequestData join(String group, String memberId) {
        return GroupWireTest.joinRequest(group).setMemberId(memberId);
    }

    static SyncGroupRequestData syncRequest(String group, JoinGroupResponseData j) {
        SyncGroupRequestData req = new SyncGroupRequestData()
                .setGroupId(group)
                .setGenerationId(j.generationId)
                .setMemberId(j.memberId);
        if (!j.members.isEmpty()) {
            req.setGroupInstanceId(j.members.get(0).groupInstanceId);
        }
        return req;
    }

    /** The leader's SyncGroup giving itself {@code assignment}: the group becomes Stable. */
    static void sync(TestConnection c, String group, JoinGroupResponseData leader, short v, byte[] assignment)
            throws Exception {
        SyncGroupResponseData s = c.roundTrip(
                syncRequest(group, leader)
                        .setAssignments(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment()
                                .setMemberId(leader.memberId)
                                .setAssignment(assignment))),
                new SyncGroupResponseData(),
                v);
        assertThat(s.errorCode).as("SyncGroup of %s", group).isZero();
    }
}
