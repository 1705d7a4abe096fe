package io.tributary.coordinator;

import static io.tributary.coordinator.ClassicGroupMembershipTest.bytes;
import static io.tributary.coordinator.GroupCoordinatorTestContext.SESSION_MS;
import static io.tributary.coordinator.GroupCoordinatorTestContext.done;
import static io.tributary.coordinator.GroupCoordinatorTestContext.joinRequest;
import static io.tributary.coordinator.GroupCoordinatorTestContext.member;
import static io.tributary.coordinator.GroupCoordinatorTestContext.protocols;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.coordinator.group.ClassicGroupState;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.JoinGroupResponseData;
import io.tributary.protocol.message.LeaveGroupResponseData;
import io.tributary.protocol.message.OffsetCommitResponseData;
import io.tributary.protocol.message.SyncGroupResponseData;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Static membership (KIP-345): group.instance.id keeps a member's slot across restarts. */
class StaticMembershipTest {
    private static final String G = "g";
    private static final int DELAY_MS = GroupCoordinatorConfig.defaults().initialRebalanceDelayMs();

    private final GroupCoordinatorTestContext t = new GroupCoordinatorTestContext();
    private String idA;
    private String idB;

    /** Two static members "a" (leader) and "b", Stable at generation 1 with assignments A and B. */
    private void formStaticGroup() {
        CompletableFuture<JoinGroupResponseData> a = t.join(joinRequest(G, "", "a"));
        CompletableFuture<JoinGroupResponseData> b = t.join(joinRequest(G, "", "b"));
        t.sleep(2L * DELAY_MS);
        idA = done(a).memberId;
        idB = done(b).memberId;
        assertThat(idA).startsWith("a-");
        assertThat(done(a).leader).isEqualTo(idA);
        assertThat(done(a).members).extracting(m -> m.groupInstanceId).containsExactly("a", "b");
        CompletableFuture<SyncGroupResponseData> sb = t.sync(G, idB, "b", 1, Map.of());
        t.sync(G, idA, "a", 1, Map.of(idA, bytes("A"), idB, bytes("B")));
        assertThat(sb.join().assignment).isEqualTo(bytes("B"));
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.STABLE);
    }

    @Test
    void staticMemberJoinsWithoutTheMemberIdRequiredStep() {
        CompletableFuture<JoinGroupResponseData> a = t.join(joinRequest(G, "", "a"));
        assertThat(a).isNotDone();
        assertThat(t.group(G).staticMemberId("a")).isNotNull();
        t.sleep(DELAY_MS);
        assertThat(done(a).errorCode).isZero();
    }

    @Test
    void knownStaticMemberRejoiningUnchangedGetsItsAssignmentBackWithoutRebalance() {
        formStaticGroup();
        // b restarts: it rejoins with an empty member id and the same instance id and protocols.
        JoinGroupResponseData r = done(t.join(joinRequest(G, "", "b")));
        assertThat(r.errorCode).isZero();
        assertThat(r.memberId).isNotEqualTo(idB).startsWith("b-");
        assertThat(r.generationId).isEqualTo(1);
        assertThat(r.leader).isEqualTo(idA);
        assertThat(r.members).isEmpty();
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.STABLE);
        assertThat(t.group(G).generationId()).isEqualTo(1);
        SyncGroupResponseData s = t.sync(G, r.memberId, "b", 1, Map.of()).join();
        assertThat(s.assignment).isEqualTo(bytes("B"));
        assertThat(t.heartbeat(G, r.memberId, "b", 1)).isEqualTo(Errors.NONE);
        assertThat(t.heartbeat(G, idA, "a", 1)).isEqualTo(Errors.NONE);
    }

    @Test
    void staleMemberIdOfAReplacedStaticMemberIsFenced() {
        formStaticGroup();
        String newB = done(t.join(joinRequest(G, "", "b"))).memberId;
        assertThat(t.heartbeat(G, idB, "b", 1)).isEqualTo(Errors.FENCED_INSTANCE_ID);
        assertThat(Errors.forCode(t.sync(G, idB, "b", 1, Map.of()).join().errorCode))
                .isEqualTo(Errors.FENCED_INSTANCE_ID);
        OffsetCommitResponseData c =
                t.commitAsync(7, G, idB, "b", 1, "t", 0, 1, "").join();
        assertThat(Errors.forCode(c.topics.get(0).partitions.get(0).errorCode)).isEqualTo(Errors.FENCED_INSTANCE_ID);
        JoinGroupResponseData j = t.join(joinRequest(G, idB, "b")).join();
        assertThat(Errors.forCode(j.errorCode)).isEqualTo(Errors.FENCED_INSTANCE_ID);
        assertThat(t.group(G).staticMemberId("b")).isEqualTo(newB);
    }

    @Test
    void replacementAnswersTheOldMembersParkedJoinWithFencedInstanceId() {
        formStaticGroup();
        // b's old incarnation asks for a rebalance (changed metadata) and waits for a.
        CompletableFuture<JoinGroupResponseData> oldB =
                t.join(joinRequest(G, idB, "b").setProtocols(protocols("range", "roundrobin")));
        assertThat(oldB).isNotDone();
        CompletableFuture<JoinGroupResponseData> newB = t.join(joinRequest(G, "", "b"));
        assertThat(Errors.forCode(done(oldB).errorCode)).isEqualTo(Errors.FENCED_INSTANCE_ID);
        assertThat(newB).isNotDone();
        CompletableFuture<JoinGroupResponseData> a = t.join(joinRequest(G, idA, "a"));
        assertThat(done(a).generationId).isEqualTo(2);
        assertThat(done(newB).generationId).isEqualTo(2);
    }

    @Test
    void staticLeaderRejoiningUnchangedGetsMembersAndSkipsAssignmentWithoutRebalance() {
        formStaticGroup();
        JoinGroupResponseData r = done(t.join(joinRequest(G, "", "a"), 9));
        assertThat(r.leader).isEqualTo(r.memberId);
        assertThat(r.skipAssignment).isTrue();
        assertThat(r.members).hasSize(2);
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.STABLE);
        // Its SyncGroup in Stable returns the stored assignment, ignoring what it sends.
        SyncGroupResponseData s = t.sync(G, r.memberId, "a", 1, Map.of(r.memberId, bytes("other")))
                .join();
        assertThat(s.assignment).isEqualTo(bytes("A"));
    }

    @Test
    void staticMemberRejoiningWithAChangeOfProtocolTriggersARebalance() {
        formStaticGroup();
        CompletableFuture<JoinGroupResponseData> b =
                t.join(joinRequest(G, "", "b").setProtocols(protocols("roundrobin", "range")));
        // a supports only range, so range stays selected: no rebalance.
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.STABLE);
        assertThat(done(b).generationId).isEqualTo(1);
        CompletableFuture<JoinGroupResponseData> a =
                t.join(joinRequest(G, "", "a").setProtocols(protocols("roundrobin", "range")));
        // Now both prefer roundrobin: the selected protocol would change, so the group rebalances.
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
        assertThat(a).isNotDone();
    }

    @Test
    void leaveGroupByInstanceIdRemovesTheMemberAndRebalances() {
        formStaticGroup();
        LeaveGroupResponseData r = t.leave(G, member("", "b"));
        assertThat(r.members.get(0).errorCode).isZero();
        assertThat(r.members.get(0).groupInstanceId).isEqualTo("b");
        assertThat(t.group(G).hasStaticMember("b")).isFalse();
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
        LeaveGroupResponseData unknown = t.leave(G, member("", "zzz"));
        assertThat(unknown.members.get(0).errorCode).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        LeaveGroupResponseData fenced = t.leave(G, member("wrong-id", "a"));
        assertThat(fenced.members.get(0).errorCode).isEqualTo(Errors.FENCED_INSTANCE_ID.code());
    }

    @Test
    void staticMemberWhoseSessionExpiresIsRemoved() {
        formStaticGroup();
        t.sleep(SESSION_MS / 2);
        assertThat(t.heartbeat(G, idA, "a", 1)).isEqualTo(Errors.NONE);
        t.sleep(SESSION_MS / 2);
        assertThat(t.group(G).hasStaticMember("b")).isFalse();
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
        // A restarted b is then a new member and joins the rebalance.
        CompletableFuture<JoinGroupResponseData> b = t.join(joinRequest(G, "", "b"));
        CompletableFuture<JoinGroupResponseData> a = t.join(joinRequest(G, idA, "a"));
        assertThat(done(a).generationId).isEqualTo(2);
        assertThat(done(b).generationId).isEqualTo(2);
    }

    @Test
    void staticMemberThatDoesNotRejoinKeepsItsSlotThroughTheRebalanceTimeout() {
        formStaticGroup();
        CompletableFuture<JoinGroupResponseData> a = t.join(joinRequest(G, idA, "a"));
        // b heartbeats (REBALANCE_IN_PROGRESS) but does not rejoin before the rebalance timeout.
        for (int i = 0; i < 6; i++) {
            t.sleep(5_000);
            t.heartbeat(G, idB, "b", 1);
        }
        JoinGroupResponseData ra = done(a);
        assertThat(ra.generationId).isEqualTo(2);
        assertThat(t.group(G).hasStaticMember("b")).isTrue();
        assertThat(ra.members).extracting(m -> m.memberId).contains(idA, idB);
    }
}
