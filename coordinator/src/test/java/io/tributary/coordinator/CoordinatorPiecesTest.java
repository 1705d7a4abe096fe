package io.tributary.coordinator;

import static io.tributary.coordinator.ClassicGroupMembershipTest.bytes;
import static io.tributary.coordinator.GroupCoordinatorTestContext.done;
import static io.tributary.coordinator.GroupCoordinatorTestContext.joinRequest;
import static io.tributary.coordinator.GroupCoordinatorTestContext.subscription;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.coordinator.group.ClassicGroupState;
import io.tributary.coordinator.record.Protocol;
import io.tributary.coordinator.record.RecordCodec;
import io.tributary.coordinator.runtime.CoordinatorRecord;
import io.tributary.coordinator.runtime.ThreadEventLoop;
import io.tributary.coordinator.testing.InMemoryCoordinatorLog;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.FindCoordinatorRequestData;
import io.tributary.protocol.message.FindCoordinatorResponseData;
import io.tributary.protocol.message.HeartbeatRequestData;
import io.tributary.protocol.message.HeartbeatResponseData;
import io.tributary.protocol.message.JoinGroupRequestData;
import io.tributary.protocol.message.JoinGroupResponseData;
import io.tributary.protocol.message.SyncGroupRequestData;
import io.tributary.protocol.message.SyncGroupResponseData;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** State transitions, record layout, FindCoordinator, cooperative pass-through and the real thread. */
class CoordinatorPiecesTest {

    @Test
    void onlyKafkasTransitionsAreAllowed() {
        assertThat(ClassicGroupState.PREPARING_REBALANCE.canTransitionFrom(ClassicGroupState.EMPTY))
                .isTrue();
        assertThat(ClassicGroupState.PREPARING_REBALANCE.canTransitionFrom(ClassicGroupState.STABLE))
                .isTrue();
        assertThat(ClassicGroupState.PREPARING_REBALANCE.canTransitionFrom(ClassicGroupState.COMPLETING_REBALANCE))
                .isTrue();
        assertThat(ClassicGroupState.COMPLETING_REBALANCE.canTransitionFrom(ClassicGroupState.PREPARING_REBALANCE))
                .isTrue();
        assertThat(ClassicGroupState.STABLE.canTransitionFrom(ClassicGroupState.COMPLETING_REBALANCE))
                .isTrue();
        assertThat(ClassicGroupState.EMPTY.canTransitionFrom(ClassicGroupState.PREPARING_REBALANCE))
                .isTrue();
        for (ClassicGroupState s : ClassicGroupState.values()) {
            assertThat(ClassicGroupState.DEAD.canTransitionFrom(s)).isTrue();
        }
        assertThat(ClassicGroupState.STABLE.canTransitionFrom(ClassicGroupState.PREPARING_REBALANCE))
                .isFalse();
        assertThat(ClassicGroupState.STABLE.canTransitionFrom(ClassicGroupState.EMPTY))
                .isFalse();
        assertThat(ClassicGroupState.COMPLETING_REBALANCE.canTransitionFrom(ClassicGroupState.STABLE))
                .isFalse();
        assertThat(ClassicGroupState.EMPTY.canTransitionFrom(ClassicGroupState.STABLE))
                .isFalse();
        for (ClassicGroupState s : EnumSet.allOf(ClassicGroupState.class)) {
            assertThat(s.canTransitionFrom(ClassicGroupState.DEAD)).isEqualTo(s == ClassicGroupState.DEAD);
        }
        assertThat(ClassicGroupState.COMPLETING_REBALANCE.toString()).isEqualTo("CompletingRebalance");
    }

    @Test
    void recordsRoundTrip() {
        CoordinatorRecord offset =
                RecordCodec.offsetCommit("g", "t", 3, new RecordCodec.OffsetValue(42, 7, "meta", 1_000, -1));
        assertThat(RecordCodec.decodeKey(offset.key())).isEqualTo(new RecordCodec.OffsetKey("g", "t", 3));
        assertThat(RecordCodec.decodeOffsetValue(offset.value()))
                .isEqualTo(new RecordCodec.OffsetValue(42, 7, "meta", 1_000, -1));
        assertThat(RecordCodec.offsetTombstone("g", "t", 3).key()).isEqualTo(offset.key());
        assertThat(RecordCodec.offsetTombstone("g", "t", 3).isTombstone()).isTrue();

        RecordCodec.GroupValue gv = new RecordCodec.GroupValue(
                "consumer",
                5,
                "range",
                "m1",
                99,
                List.of(
                        new RecordCodec.MemberValue(
                                "m1",
                                null,
                                "c",
                                "/h",
                                300,
                                10,
                                List.of(new Protocol("range", bytes("md"))),
                                bytes("as")),
                        new RecordCodec.MemberValue("m2", "i2", "c", "/h", 300, 10, List.of(), null)));
        CoordinatorRecord group = RecordCodec.groupMetadata("g", gv);
        assertThat(RecordCodec.decodeKey(group.key())).isEqualTo(new RecordCodec.GroupKey("g"));
        RecordCodec.GroupValue back = RecordCodec.decodeGroupValue(group.value());
        assertThat(back.generationId()).isEqualTo(5);
        assertThat(back.leaderId()).isEqualTo("m1");
        assertThat(back.currentStateTimestampMs()).isEqualTo(99);
        assertThat(back.members().get(0).protocols()).containsExactly(new Protocol("range", bytes("md")));
        assertThat(back.members().get(0).assignment()).isEqualTo(bytes("as"));
        assertThat(back.members().get(1).groupInstanceId()).isEqualTo("i2");
        assertThat(back.members().get(1).assignment()).isNull();
        assertThatThrownBy(() -> RecordCodec.decodeGroupValue(new byte[] {0, 0, 0}))
                .isInstanceOf(io.tributary.protocol.ProtocolException.class);
    }

    @Test
    void recordsTravelThroughKafkaRecordBatches() {
        List<CoordinatorRecord> in = List.of(
                RecordCodec.offsetCommit("g", "t", 0, new RecordCodec.OffsetValue(1, -1, "", 5, -1)),
                RecordCodec.offsetTombstone("g", "t", 1),
                RecordCodec.groupTombstone("g"));
        io.tributary.protocol.record.MemoryRecords batches =
                io.tributary.coordinator.runtime.CoordinatorRecordBatches.toBatches(in, 1_000);
        List<CoordinatorRecord> out = new ArrayList<>();
        long next = io.tributary.coordinator.runtime.CoordinatorRecordBatches.forEach(batches.buffer(), out::add);
        assertThat(out).containsExactlyElementsOf(in);
        assertThat(out.get(1).isTombstone()).isTrue();
        assertThat(next).isEqualTo(3);
    }

    @Test
    void findCoordinatorAnswersThisNodeForGroupsInEveryVersion() {
        FindCoordinatorResponseData v0 = GroupCoordinator.findCoordinator(
                RequestContext.of(0, "c", "h"), new FindCoordinatorRequestData().setKey("g"), 1, "localhost", 9092);
        assertThat(v0.errorCode).isZero();
        assertThat(v0.nodeId).isEqualTo(1);
        assertThat(v0.host).isEqualTo("localhost");
        assertThat(v0.port).isEqualTo(9092);
        FindCoordinatorResponseData txn = GroupCoordinator.findCoordinator(
                RequestContext.of(2, "c", "h"),
                new FindCoordinatorRequestData().setKey("tx").setKeyType((byte) 1),
                1,
                "localhost",
                9092);
        assertThat(Errors.forCode(txn.errorCode)).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        FindCoordinatorResponseData v4 = GroupCoordinator.findCoordinator(
                RequestContext.of(4, "c", "h"),
                new FindCoordinatorRequestData().setCoordinatorKeys(new ArrayList<>(List.of("a", "b"))),
                1,
                "h",
                1);
        assertThat(v4.coordinators).extracting(c -> c.key).containsExactly("a", "b");
        assertThat(v4.coordinators).extracting(c -> c.nodeId).containsOnly(1);
        FindCoordinatorResponseData bad = GroupCoordinator.findCoordinator(
                RequestContext.of(4, "c", "h"),
                new FindCoordinatorRequestData().setKeyType((byte) 9).setCoordinatorKeys(new ArrayList<>(List.of("a"))),
                1,
                "h",
                1);
        assertThat(Errors.forCode(bad.coordinators.get(0).errorCode)).isEqualTo(Errors.INVALID_REQUEST);
    }

    @Test
    void cooperativeFollowUpRebalanceCarriesOwnedPartitionsUntouched() {
        GroupCoordinatorTestContext t = new GroupCoordinatorTestContext();
        String g = "coop";
        JoinGroupRequestData tmpl = joinRequest(g, "", null);
        tmpl.protocols = new ArrayList<>(List.of(new JoinGroupRequestData.JoinGroupRequestProtocol()
                .setName("cooperative-sticky")
                .setMetadata(subscription(List.of("t"), Map.of()))));
        CompletableFuture<JoinGroupResponseData> a = t.joinDynamic(g, tmpl);
        t.sleep(3_000);
        String idA = done(a).memberId;
        t.sync(g, idA, 1, Map.of(idA, bytes("t-0,t-1")));
        // B joins; A rejoins reporting what it owns (KIP-429), and the leader sees those bytes as sent.
        byte[] ownedByA = subscription(List.of("t"), Map.of("t", List.of(0, 1)));
        CompletableFuture<JoinGroupResponseData> b = t.joinDynamic(
                g,
                joinRequest(g, "", null)
                        .setProtocols(new ArrayList<>(List.of(new JoinGroupRequestData.JoinGroupRequestProtocol()
                                .setName("cooperative-sticky")
                                .setMetadata(subscription(List.of("t"), Map.of()))))));
        CompletableFuture<JoinGroupResponseData> a2 = t.join(joinRequest(g, idA, null)
                .setProtocols(new ArrayList<>(List.of(new JoinGroupRequestData.JoinGroupRequestProtocol()
                        .setName("cooperative-sticky")
                        .setMetadata(ownedByA)))));
        JoinGroupResponseData leader = done(a2);
        assertThat(leader.generationId).isEqualTo(2);
        assertThat(leader.members.get(0).metadata).isEqualTo(ownedByA);
        String idB = done(b).memberId;
        // Generation 2: A keeps t-0, revokes t-1 (not yet given to B).
        CompletableFuture<SyncGroupResponseData> sb = t.sync(g, idB, 2, Map.of());
        t.sync(g, idA, 2, Map.of(idA, bytes("t-0"), idB, bytes("")));
        assertThat(sb.join().assignment).isEmpty();
        // The follow-up rebalance: A (leader) rejoins after revoking; B gets t-1 in generation 3.
        CompletableFuture<JoinGroupResponseData> a3 = t.join(joinRequest(g, idA, null)
                .setProtocols(new ArrayList<>(List.of(new JoinGroupRequestData.JoinGroupRequestProtocol()
                        .setName("cooperative-sticky")
                        .setMetadata(subscription(List.of("t"), Map.of("t", List.of(0))))))));
        CompletableFuture<JoinGroupResponseData> b3 = t.join(joinRequest(g, idB, null)
                .setProtocols(new ArrayList<>(List.of(new JoinGroupRequestData.JoinGroupRequestProtocol()
                        .setName("cooperative-sticky")
                        .setMetadata(subscription(List.of("t"), Map.of()))))));
        assertThat(done(a3).generationId).isEqualTo(3);
        assertThat(done(b3).generationId).isEqualTo(3);
        CompletableFuture<SyncGroupResponseData> sb3 = t.sync(g, idB, 3, Map.of());
        t.sync(g, idA, 3, Map.of(idA, bytes("t-0"), idB, bytes("t-1")));
        assertThat(sb3.join().assignment).isEqualTo(bytes("t-1"));
    }

    @Test
    void realThreadServesAGroupEndToEnd() throws Exception {
        try (ThreadEventLoop loop = new ThreadEventLoop("test-coordinator")) {
            GroupCoordinator c = new GroupCoordinator(
                    GroupCoordinatorConfig.defaults().withInitialRebalanceDelayMs(0),
                    new InMemoryCoordinatorLog(),
                    loop);
            c.start().get(5, TimeUnit.SECONDS);
            RequestContext v3 = RequestContext.of(3, "client", "/127.0.0.1");
            JoinGroupResponseData j =
                    c.joinGroup(v3, joinRequest("g", "", null)).get(5, TimeUnit.SECONDS);
            assertThat(j.errorCode).isZero();
            SyncGroupResponseData s = c.syncGroup(
                            v3,
                            new SyncGroupRequestData()
                                    .setGroupId("g")
                                    .setMemberId(j.memberId)
                                    .setGenerationId(j.generationId)
                                    .setAssignments(new ArrayList<>(
                                            List.of(new SyncGroupRequestData.SyncGroupRequestAssignment()
                                                    .setMemberId(j.memberId)
                                                    .setAssignment(bytes("A"))))))
                    .get(5, TimeUnit.SECONDS);
            assertThat(s.assignment).isEqualTo(bytes("A"));
            HeartbeatResponseData h = c.heartbeat(
                            v3,
                            new HeartbeatRequestData()
                                    .setGroupId("g")
                                    .setMemberId(j.memberId)
                                    .setGenerationId(j.generationId))
                    .get(5, TimeUnit.SECONDS);
            assertThat(h.errorCode).isZero();
            c.close();
            HeartbeatResponseData afterClose = c.heartbeat(
                            v3,
                            new HeartbeatRequestData()
                                    .setGroupId("g")
                                    .setMemberId(j.memberId)
                                    .setGenerationId(j.generationId))
                    .get(5, TimeUnit.SECONDS);
            assertThat(Errors.forCode(afterClose.errorCode)).isEqualTo(Errors.NOT_COORDINATOR);
        }
    }

    @Test
    void coordinatorWithItsOwnThreadStopsItOnClose() throws Exception {
        GroupCoordinator c =
                GroupCoordinator.withOwnThread(GroupCoordinatorConfig.defaults(), new InMemoryCoordinatorLog());
        c.start().get(5, TimeUnit.SECONDS);
        RequestContext v4 = RequestContext.of(4, "client", "/127.0.0.1");
        JoinGroupResponseData first =
                c.joinGroup(v4, joinRequest("g", "", null)).get(5, TimeUnit.SECONDS);
        assertThat(Errors.forCode(first.errorCode)).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        // Parked in the initial rebalance delay when the coordinator closes: answered, not dropped.
        CompletableFuture<JoinGroupResponseData> parked = c.joinGroup(v4, joinRequest("g", first.memberId, null));
        c.close();
        assertThat(Errors.forCode(parked.get(5, TimeUnit.SECONDS).errorCode)).isEqualTo(Errors.NOT_COORDINATOR);
        JoinGroupResponseData late = c.joinGroup(v4, joinRequest("g", "", null)).get(5, TimeUnit.SECONDS);
        assertThat(Errors.forCode(late.errorCode)).isEqualTo(Errors.NOT_COORDINATOR);
    }

    @Test
    void joinResponseBeforeV7NeverCarriesANullProtocolName() {
        GroupCoordinatorTestContext t = new GroupCoordinatorTestContext();
        JoinGroupResponseData r = t.join(joinRequest("g", "", null), 4).join();
        assertThat(r.protocolName).isEqualTo("");
        assertThat(r.leader).isEqualTo("");
        CompletableFuture<JoinGroupResponseData> ok = t.join(joinRequest("g", r.memberId, null), 4);
        t.sleep(3_000);
        assertThat(done(ok).protocolName).isEqualTo("range");
    }
}
