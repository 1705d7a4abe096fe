package io.tributary.coordinator;

import static io.tributary.coordinator.ClassicGroupMembershipTest.formGroup;
import static io.tributary.coordinator.GroupCoordinatorTestContext.ctx;
import static io.tributary.coordinator.GroupCoordinatorTestContext.done;
import static io.tributary.coordinator.GroupCoordinatorTestContext.joinRequest;
import static io.tributary.coordinator.GroupCoordinatorTestContext.member;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.coordinator.group.ClassicGroupState;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.JoinGroupResponseData;
import io.tributary.protocol.message.LeaveGroupRequestData;
import io.tributary.protocol.message.LeaveGroupResponseData;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Version-dependent behaviour: v0 joins, v0-2 leaves, pending members leaving, size limits mid-rebalance. */
class ProtocolVersionsTest {
    private static final String G = "g";

    private final GroupCoordinatorTestContext t = new GroupCoordinatorTestContext();

    @Test
    void joinV0UsesTheSessionTimeoutAsRebalanceTimeout() {
        CompletableFuture<JoinGroupResponseData> a =
                t.join(joinRequest(G, "", null).setRebalanceTimeoutMs(-1), 0);
        assertThat(t.group(G).rebalanceTimeoutMs()).isEqualTo(GroupCoordinatorTestContext.SESSION_MS);
        t.sleep(3_000);
        assertThat(done(a).errorCode).isZero();
        assertThat(done(a).protocolName).isEqualTo("range");
    }

    @Test
    void leaveV0RemovesTheMemberAndReportsNoError() {
        List<JoinGroupResponseData> m = formGroup(t, G, 2);
        LeaveGroupResponseData r = t.coordinator
                .leaveGroup(ctx(1), new LeaveGroupRequestData().setGroupId(G).setMemberId(m.get(1).memberId))
                .join();
        assertThat(r.errorCode).isZero();
        assertThat(r.members).isEmpty();
        assertThat(t.group(G).hasMember(m.get(1).memberId)).isFalse();
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
    }

    @Test
    void pendingMemberMayLeaveBeforeItJoins() {
        JoinGroupResponseData first = t.join(joinRequest(G, "", null), 4).join();
        LeaveGroupResponseData r = t.leave(G, member(first.memberId, null));
        assertThat(r.members.get(0).errorCode).isZero();
        assertThat(t.group(G).isPendingMember(first.memberId)).isFalse();
    }

    @Test
    void batchedLeaveReportsPerMemberErrorsAndRebalancesOnce() {
        List<JoinGroupResponseData> m = formGroup(t, G, 3);
        LeaveGroupResponseData r =
                t.leave(G, member(m.get(1).memberId, null), member("ghost", null), member(m.get(2).memberId, null));
        assertThat(r.members)
                .extracting(x -> Errors.forCode(x.errorCode))
                .containsExactly(Errors.NONE, Errors.UNKNOWN_MEMBER_ID, Errors.NONE);
        assertThat(t.group(G).numMembers()).isEqualTo(1);
        // The remaining leader rejoins and completes the rebalance alone.
        JoinGroupResponseData j = done(t.join(joinRequest(G, m.get(0).memberId, null)));
        assertThat(j.generationId).isEqualTo(2);
        assertThat(j.members).hasSize(1);
    }

    @Test
    void maxGroupSizeCountsMembersWaitingDuringARebalance() {
        GroupCoordinatorTestContext small = new GroupCoordinatorTestContext(
                GroupCoordinatorConfig.defaults().withMaxGroupSize(1));
        CompletableFuture<JoinGroupResponseData> a = small.join(joinRequest(G, "", null), 3);
        JoinGroupResponseData b = small.join(joinRequest(G, "", null), 3).join();
        assertThat(Errors.forCode(b.errorCode)).isEqualTo(Errors.GROUP_MAX_SIZE_REACHED);
        small.sleep(3_000);
        assertThat(done(a).errorCode).isZero();
    }

    @Test
    void joinV9LeaderOfANewGenerationMustAssign() {
        CompletableFuture<JoinGroupResponseData> a = t.join(joinRequest(G, "", "a"), 9);
        t.sleep(3_000);
        assertThat(done(a).skipAssignment).isFalse();
        assertThat(done(a).members).hasSize(1);
        assertThat(done(a).protocolType).isEqualTo("consumer");
    }
}
