package io.tributary.coordinator;

import static io.tributary.coordinator.GroupCoordinatorTestContext.REBALANCE_MS;
import static io.tributary.coordinator.GroupCoordinatorTestContext.SESSION_MS;
import static io.tributary.coordinator.GroupCoordinatorTestContext.done;
import static io.tributary.coordinator.GroupCoordinatorTestContext.joinRequest;
import static io.tributary.coordinator.GroupCoordinatorTestContext.member;
import static io.tributary.coordinator.GroupCoordinatorTestContext.protocols;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.coordinator.group.ClassicGroupState;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.JoinGroupRequestData;
import io.tributary.protocol.message.JoinGroupResponseData;
import io.tributary.protocol.message.LeaveGroupRequestData;
import io.tributary.protocol.message.LeaveGroupResponseData;
import io.tributary.protocol.message.SyncGroupResponseData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The classic group state machine with dynamic members, driven by a fake clock. */
class ClassicGroupMembershipTest {
    private static final String G = "g";
    private static final int DELAY_MS = GroupCoordinatorConfig.defaults().initialRebalanceDelayMs();

    private final GroupCoordinatorTestContext t = new GroupCoordinatorTestContext();

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Forms a Stable group of n dynamic members; returns their JoinGroup responses in join order. */
    static List<JoinGroupResponseData> formGroup(GroupCoordinatorTestContext t, String groupId, int n) {
        List<CompletableFuture<JoinGroupResponseData>> joins = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            joins.add(t.joinDynamic(groupId));
        }
        // Members arriving during the initial delay extend it once more (Kafka's rule).
        t.sleep((n == 1 ? 1 : 2) * (long) t.config.initialRebalanceDelayMs());
        List<JoinGroupResponseData> out = new ArrayList<>();
        joins.forEach(f -> out.add(done(f)));
        syncAll(t, groupId, out);
        assertThat(t.group(groupId).state()).isEqualTo(ClassicGroupState.STABLE);
        return out;
    }

    /** The leader syncs "assignment-of-<member>" for everyone, then the followers sync. */
    static void syncAll(GroupCoordinatorTestContext t, String groupId, List<JoinGroupResponseData> joins) {
        JoinGroupResponseData leader = joins.stream()
                .filter(j -> j.memberId.equals(j.leader))
                .findFirst()
                .orElseThrow();
        Map<String, byte[]> assignment = new HashMap<>();
        leader.members.forEach(m -> assignment.put(m.memberId, bytes("assignment-of-" + m.memberId)));
        List<CompletableFuture<SyncGroupResponseData>> syncs = new ArrayList<>();
        for (JoinGroupResponseData j : joins) {
            if (!j.memberId.equals(j.leader)) {
                syncs.add(t.sync(groupId, j.memberId, j.generationId, Map.of()));
            }
        }
        syncs.add(t.sync(groupId, leader.memberId, leader.generationId, assignment));
        for (CompletableFuture<SyncGroupResponseData> s : syncs) {
            assertThat(s).isCompleted();
            assertThat(s.join().errorCode).isEqualTo(Errors.NONE.code());
        }
    }

    @Test
    void joinV4WithoutMemberIdAnswersMemberIdRequiredWithTheNewId() {
        JoinGroupResponseData r = t.join(joinRequest(G, "", null), 4).join();
        assertThat(Errors.forCode(r.errorCode)).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        assertThat(r.memberId).startsWith("client-");
        assertThat(t.group(G).isPendingMember(r.memberId)).isTrue();
        assertThat(t.group(G).numMembers()).isZero();
    }

    @Test
    void joinV3WithoutMemberIdJoinsDirectly() {
        CompletableFuture<JoinGroupResponseData> f = t.join(joinRequest(G, "", null), 3);
        assertThat(f).isNotDone();
        assertThat(t.group(G).numMembers()).isEqualTo(1);
        t.sleep(DELAY_MS);
        JoinGroupResponseData r = done(f);
        assertThat(r.errorCode).isZero();
        assertThat(r.generationId).isEqualTo(1);
        assertThat(r.leader).isEqualTo(r.memberId);
    }

    @Test
    void pendingMemberThatNeverRejoinsIsForgottenAfterTheSessionTimeout() {
        JoinGroupResponseData r = t.join(joinRequest(G, "", null), 4).join();
        t.sleep(SESSION_MS - 1);
        assertThat(t.group(G).isPendingMember(r.memberId)).isTrue();
        t.sleep(1);
        assertThat(t.group(G).isPendingMember(r.memberId)).isFalse();
        // A late rejoin with that id is now unknown (the unpersisted empty group is gone too).
        JoinGroupResponseData late = t.join(joinRequest(G, r.memberId, null)).join();
        assertThat(Errors.forCode(late.errorCode)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void joinWithUnknownMemberIdOfMissingGroupIsUnknownMember() {
        JoinGroupResponseData r = t.join(joinRequest(G, "nobody", null)).join();
        assertThat(Errors.forCode(r.errorCode)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(r.memberId).isEqualTo("nobody");
        assertThat(t.group(G)).isNull();
    }

    @Test
    void firstMemberLeadsAndGetsAllMembersMetadataAndTheSelectedProtocol() {
        CompletableFuture<JoinGroupResponseData> a =
                t.joinDynamic(G, joinRequest(G, "", null).setProtocols(protocols("range", "roundrobin")));
        CompletableFuture<JoinGroupResponseData> b =
                t.joinDynamic(G, joinRequest(G, "", null).setProtocols(protocols("roundrobin", "range")));
        CompletableFuture<JoinGroupResponseData> c =
                t.joinDynamic(G, joinRequest(G, "", null).setProtocols(protocols("roundrobin", "sticky")));
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
        t.sleep(2 * DELAY_MS);
        JoinGroupResponseData ra = done(a);
        JoinGroupResponseData rb = done(b);
        JoinGroupResponseData rc = done(c);
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.COMPLETING_REBALANCE);
        // Only "roundrobin" is supported by all three.
        assertThat(List.of(ra.protocolName, rb.protocolName, rc.protocolName)).containsOnly("roundrobin");
        assertThat(ra.protocolType).isEqualTo("consumer");
        assertThat(ra.leader).isEqualTo(ra.memberId);
        assertThat(rb.leader).isEqualTo(ra.memberId);
        assertThat(ra.members).extracting(m -> m.memberId).containsExactly(ra.memberId, rb.memberId, rc.memberId);
        assertThat(ra.members.get(0).metadata).isEqualTo(GroupCoordinatorTestContext.subscription("t"));
        assertThat(rb.members).isEmpty();
        assertThat(List.of(ra.generationId, rb.generationId, rc.generationId)).containsOnly(1);
    }

    @Test
    void protocolVotesPreferMembersOrder() {
        CompletableFuture<JoinGroupResponseData> a =
                t.joinDynamic(G, joinRequest(G, "", null).setProtocols(protocols("range", "roundrobin")));
        CompletableFuture<JoinGroupResponseData> b =
                t.joinDynamic(G, joinRequest(G, "", null).setProtocols(protocols("roundrobin", "range")));
        CompletableFuture<JoinGroupResponseData> c =
                t.joinDynamic(G, joinRequest(G, "", null).setProtocols(protocols("roundrobin", "range")));
        t.sleep(2 * DELAY_MS);
        assertThat(done(a).protocolName).isEqualTo("roundrobin");
        assertThat(done(b).protocolName).isEqualTo("roundrobin");
        assertThat(done(c).protocolName).isEqualTo("roundrobin");
    }

    @Test
    void memberWithNoCommonProtocolIsRejected() {
        formGroup(t, G, 1);
        JoinGroupResponseData r = t.join(joinRequest(G, "", null).setProtocols(protocols("sticky")), 3)
                .join();
        assertThat(Errors.forCode(r.errorCode)).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
        JoinGroupResponseData wrongType =
                t.join(joinRequest(G, "", null).setProtocolType("connect"), 3).join();
        assertThat(Errors.forCode(wrongType.errorCode)).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
    }

    @Test
    void firstMemberNeedsAProtocolTypeAndProtocols() {
        JoinGroupResponseData r =
                t.join(joinRequest("new", "", null).setProtocolType(""), 3).join();
        assertThat(Errors.forCode(r.errorCode)).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
        JoinGroupResponseData r2 = t.join(joinRequest("new", "", null).setProtocols(new ArrayList<>()), 3)
                .join();
        assertThat(Errors.forCode(r2.errorCode)).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
        assertThat(t.group("new")).isNull();
    }

    @Test
    void sessionTimeoutOutsideBrokerBoundsIsInvalid() {
        JoinGroupResponseData low =
                t.join(joinRequest(G, "", null).setSessionTimeoutMs(5_999)).join();
        JoinGroupResponseData high =
                t.join(joinRequest(G, "", null).setSessionTimeoutMs(1_800_001)).join();
        assertThat(Errors.forCode(low.errorCode)).isEqualTo(Errors.INVALID_SESSION_TIMEOUT);
        assertThat(Errors.forCode(high.errorCode)).isEqualTo(Errors.INVALID_SESSION_TIMEOUT);
        JoinGroupResponseData ok =
                t.join(joinRequest(G, "", null).setSessionTimeoutMs(6_000)).join();
        assertThat(Errors.forCode(ok.errorCode)).isEqualTo(Errors.MEMBER_ID_REQUIRED);
    }

    @Test
    void invalidGroupIdIsRejected() {
        JoinGroupResponseData r = t.join(joinRequest("", "", null)).join();
        assertThat(Errors.forCode(r.errorCode)).isEqualTo(Errors.INVALID_GROUP_ID);
        assertThat(t.heartbeat("", "m", 1)).isEqualTo(Errors.INVALID_GROUP_ID);
    }

    @Test
    void initialDelayIsExtendedByNewMembersUpToTheRebalanceTimeout() {
        CompletableFuture<JoinGroupResponseData> a = t.joinDynamic(G);
        t.sleep(DELAY_MS - 1);
        CompletableFuture<JoinGroupResponseData> b = t.joinDynamic(G);
        t.sleep(1);
        // b arrived during the delay, so the delay starts over.
        assertThat(a).isNotDone();
        t.sleep(DELAY_MS - 1);
        assertThat(a).isNotDone();
        t.sleep(1);
        assertThat(done(a).generationId).isEqualTo(1);
        assertThat(done(b).generationId).isEqualTo(1);
    }

    @Test
    void initialDelayOfZeroCompletesTheJoinAtOnce() {
        GroupCoordinatorTestContext t0 = new GroupCoordinatorTestContext(
                GroupCoordinatorConfig.defaults().withInitialRebalanceDelayMs(0));
        CompletableFuture<JoinGroupResponseData> a = t0.joinDynamic(G);
        assertThat(done(a).errorCode).isZero();
        assertThat(t0.group(G).state()).isEqualTo(ClassicGroupState.COMPLETING_REBALANCE);
    }

    @Test
    void syncFromLeaderMakesTheGroupStableAndHandsOutAssignments() {
        CompletableFuture<JoinGroupResponseData> a = t.joinDynamic(G);
        CompletableFuture<JoinGroupResponseData> b = t.joinDynamic(G);
        t.sleep(2 * DELAY_MS);
        JoinGroupResponseData leader = done(a);
        JoinGroupResponseData follower = done(b);
        CompletableFuture<SyncGroupResponseData> fs = t.sync(G, follower.memberId, 1, Map.of());
        assertThat(fs).as("follower waits for the leader's assignment").isNotDone();
        CompletableFuture<SyncGroupResponseData> ls =
                t.sync(G, leader.memberId, 1, Map.of(leader.memberId, bytes("A"), follower.memberId, bytes("B")));
        assertThat(ls.join().assignment).isEqualTo(bytes("A"));
        assertThat(fs.join().assignment).isEqualTo(bytes("B"));
        assertThat(fs.join().protocolName).isEqualTo("range");
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.STABLE);
        // A later sync in Stable returns the stored assignment.
        assertThat(t.sync(G, follower.memberId, 1, Map.of()).join().assignment).isEqualTo(bytes("B"));
    }

    @Test
    void leaderLeavingOutAMemberGivesItAnEmptyAssignment() {
        CompletableFuture<JoinGroupResponseData> a = t.joinDynamic(G);
        CompletableFuture<JoinGroupResponseData> b = t.joinDynamic(G);
        t.sleep(2 * DELAY_MS);
        CompletableFuture<SyncGroupResponseData> fs = t.sync(G, done(b).memberId, 1, Map.of());
        t.sync(G, done(a).memberId, 1, Map.of(done(a).memberId, bytes("A")));
        assertThat(fs.join().errorCode).isZero();
        assertThat(fs.join().assignment).isEmpty();
    }

    @Test
    void syncErrors() {
        List<JoinGroupResponseData> m = formGroup(t, G, 2);
        String id = m.get(1).memberId;
        assertThat(Errors.forCode(t.sync(G, id, 7, Map.of()).join().errorCode)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(Errors.forCode(t.sync(G, "ghost", 1, Map.of()).join().errorCode))
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(Errors.forCode(t.sync("nogroup", id, 1, Map.of()).join().errorCode))
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        // A member joining sends the group to PreparingRebalance: syncs answer REBALANCE_IN_PROGRESS.
        t.joinDynamic(G);
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
        assertThat(Errors.forCode(t.sync(G, id, 1, Map.of()).join().errorCode)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    }

    @Test
    void syncWithOtherProtocolNameIsInconsistent() {
        List<JoinGroupResponseData> m = formGroup(t, G, 1);
        io.tributary.protocol.message.SyncGroupRequestData req =
                new io.tributary.protocol.message.SyncGroupRequestData()
                        .setGroupId(G)
                        .setMemberId(m.get(0).memberId)
                        .setGenerationId(1)
                        .setProtocolType("consumer")
                        .setProtocolName("roundrobin");
        SyncGroupResponseData r =
                t.coordinator.syncGroup(GroupCoordinatorTestContext.ctx(5), req).join();
        assertThat(Errors.forCode(r.errorCode)).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
    }

    @Test
    void heartbeatAnswersFollowTheState() {
        CompletableFuture<JoinGroupResponseData> a = t.joinDynamic(G);
        t.sleep(DELAY_MS);
        String id = done(a).memberId;
        // CompletingRebalance: heartbeats are fine (clients heartbeat between join and sync).
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.COMPLETING_REBALANCE);
        assertThat(t.heartbeat(G, id, 1)).isEqualTo(Errors.NONE);
        t.sync(G, id, 1, Map.of(id, bytes("A")));
        assertThat(t.heartbeat(G, id, 1)).isEqualTo(Errors.NONE);
        assertThat(t.heartbeat(G, id, 0)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(t.heartbeat(G, "ghost", 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(t.heartbeat("other", id, 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        t.joinDynamic(G);
        assertThat(t.heartbeat(G, id, 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    }

    @Test
    void commitDuringCompletingRebalanceIsRebalanceInProgress() {
        CompletableFuture<JoinGroupResponseData> a = t.joinDynamic(G);
        t.sleep(DELAY_MS);
        String id = done(a).memberId;
        assertThat(t.commit(G, id, 1, "t", 0, 5)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        t.sync(G, id, 1, Map.of(id, bytes("A")));
        assertThat(t.commit(G, id, 1, "t", 0, 5)).isEqualTo(Errors.NONE);
        // During PreparingRebalance a member of the current generation may still commit.
        t.joinDynamic(G);
        assertThat(t.commit(G, id, 1, "t", 0, 6)).isEqualTo(Errors.NONE);
        assertThat(t.committed(G, "t", 0)).isEqualTo(6);
    }

    @Test
    void sessionExpiryRemovesTheMemberAndRebalances() {
        List<JoinGroupResponseData> m = formGroup(t, G, 2);
        String a = m.get(0).memberId;
        String b = m.get(1).memberId;
        // Only a keeps heartbeating; b's session started when the join completed.
        t.sleep(SESSION_MS / 2);
        assertThat(t.heartbeat(G, a, 1)).isEqualTo(Errors.NONE);
        t.sleep(SESSION_MS / 2 - 1);
        assertThat(t.heartbeat(G, a, 1)).isEqualTo(Errors.NONE);
        assertThat(t.group(G).hasMember(b)).isTrue();
        t.sleep(1);
        assertThat(t.group(G).hasMember(b)).isFalse();
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
        assertThat(t.heartbeat(G, a, 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        assertThat(t.heartbeat(G, b, 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        // a is the only member: its rejoin completes the rebalance at once.
        JoinGroupResponseData r = done(t.join(joinRequest(G, a, null)));
        assertThat(r.generationId).isEqualTo(2);
        assertThat(r.members).extracting(x -> x.memberId).containsExactly(a);
    }

    @Test
    void offsetCommitsAlsoKeepTheSessionAlive() {
        List<JoinGroupResponseData> m = formGroup(t, G, 1);
        for (int i = 0; i < 5; i++) {
            t.sleep(SESSION_MS - 1);
            assertThat(t.commit(G, m.get(0).memberId, 1, "t", 0, i)).isEqualTo(Errors.NONE);
        }
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.STABLE);
        t.sleep(SESSION_MS);
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.EMPTY);
    }

    @Test
    void heartbeatsKeepAMemberAliveIndefinitely() {
        List<JoinGroupResponseData> m = formGroup(t, G, 1);
        for (int i = 0; i < 20; i++) {
            t.sleep(SESSION_MS - 1);
            assertThat(t.heartbeat(G, m.get(0).memberId, 1)).isEqualTo(Errors.NONE);
        }
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.STABLE);
    }

    @Test
    void memberThatDoesNotRejoinIsDroppedAtTheRebalanceTimeout() {
        List<JoinGroupResponseData> m = formGroup(t, G, 2);
        String a = m.get(0).memberId;
        String b = m.get(1).memberId;
        // b asks for a rebalance (changed metadata); a keeps heartbeating but never rejoins.
        CompletableFuture<JoinGroupResponseData> rb =
                t.join(joinRequest(G, b, null).setProtocols(protocols("range", "roundrobin")));
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
        long waited = 0;
        while (waited < REBALANCE_MS - 5_000) {
            t.sleep(5_000);
            waited += 5_000;
            assertThat(t.heartbeat(G, a, 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        }
        assertThat(rb).isNotDone();
        t.sleep(5_000);
        JoinGroupResponseData r = done(rb);
        assertThat(r.generationId).isEqualTo(2);
        assertThat(t.group(G).hasMember(a)).isFalse();
        // a was the leader: b leads the new generation.
        assertThat(r.leader).isEqualTo(b);
        assertThat(r.members).extracting(x -> x.memberId).containsExactly(b);
        assertThat(t.heartbeat(G, a, 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void leaderLeavingHandsLeadershipToTheOldestRemainingMember() {
        List<JoinGroupResponseData> m = formGroup(t, G, 3);
        String a = m.get(0).memberId;
        String b = m.get(1).memberId;
        String c = m.get(2).memberId;
        assertThat(t.group(G).leaderId()).isEqualTo(a);
        LeaveGroupResponseData lr = t.leave(G, member(a, null));
        assertThat(lr.errorCode).isZero();
        assertThat(lr.members).extracting(x -> x.errorCode).containsExactly((short) 0);
        assertThat(t.group(G).leaderId()).isEqualTo(b);
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
        CompletableFuture<JoinGroupResponseData> jc = t.join(joinRequest(G, c, null));
        assertThat(jc).isNotDone();
        CompletableFuture<JoinGroupResponseData> jb = t.join(joinRequest(G, b, null));
        assertThat(done(jb).leader).isEqualTo(b);
        assertThat(done(jb).members).hasSize(2);
        assertThat(done(jc).members).isEmpty();
        assertThat(done(jc).generationId).isEqualTo(2);
    }

    @Test
    void leaveOfUnknownMemberAndLegacyVersions() {
        formGroup(t, G, 1);
        LeaveGroupResponseData r = t.leave(G, member("ghost", null));
        assertThat(r.members.get(0).errorCode).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        LeaveGroupResponseData v0 = t.coordinator
                .leaveGroup(
                        GroupCoordinatorTestContext.ctx(0),
                        new LeaveGroupRequestData().setGroupId(G).setMemberId("ghost"))
                .join();
        assertThat(Errors.forCode(v0.errorCode)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        LeaveGroupResponseData missing = t.leave("nogroup", member("x", null));
        assertThat(missing.members.get(0).errorCode).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
    }

    @Test
    void lastMemberLeavingEmptiesTheGroupAndPersistsIt() {
        List<JoinGroupResponseData> m = formGroup(t, G, 1);
        int before = t.log.size();
        t.leave(G, member(m.get(0).memberId, null));
        // PreparingRebalance with nobody left completes at once into Empty, generation 2.
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.EMPTY);
        assertThat(t.group(G).generationId()).isEqualTo(2);
        assertThat(t.log.size()).isEqualTo(before + 1);
    }

    @Test
    void leaveDuringCompletingRebalanceAnswersParkedSyncsAndRebalances() {
        CompletableFuture<JoinGroupResponseData> a = t.joinDynamic(G);
        CompletableFuture<JoinGroupResponseData> b = t.joinDynamic(G);
        t.sleep(2 * DELAY_MS);
        CompletableFuture<SyncGroupResponseData> sb = t.sync(G, done(b).memberId, 1, Map.of());
        t.leave(G, member(done(a).memberId, null));
        assertThat(Errors.forCode(sb.join().errorCode)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
        assertThat(t.group(G).leaderId()).isEqualTo(done(b).memberId);
    }

    @Test
    void followerWhoMissesSyncIsRemovedAfterTheRebalanceTimeout() {
        CompletableFuture<JoinGroupResponseData> a = t.joinDynamic(G);
        CompletableFuture<JoinGroupResponseData> b = t.joinDynamic(G);
        t.sleep(2 * DELAY_MS);
        String la = done(a).memberId;
        t.sync(G, la, 1, Map.of(la, bytes("A")));
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.STABLE);
        for (int i = 0; i < 6; i++) {
            t.sleep(5_000);
            t.heartbeat(G, la, 1);
            t.heartbeat(G, done(b).memberId, 1);
        }
        assertThat(t.group(G).hasMember(done(b).memberId)).isFalse();
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
    }

    @Test
    void followerRejoiningUnchangedInStableGetsTheCurrentGeneration() {
        List<JoinGroupResponseData> m = formGroup(t, G, 2);
        JoinGroupResponseData again = done(t.join(joinRequest(G, m.get(1).memberId, null)));
        assertThat(again.generationId).isEqualTo(1);
        assertThat(again.members).isEmpty();
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.STABLE);
    }

    @Test
    void leaderRejoiningInStableTriggersARebalanceEvenWithSameMetadata() {
        List<JoinGroupResponseData> m = formGroup(t, G, 2);
        CompletableFuture<JoinGroupResponseData> la = t.join(joinRequest(G, m.get(0).memberId, null));
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
        CompletableFuture<JoinGroupResponseData> lb = t.join(joinRequest(G, m.get(1).memberId, null));
        assertThat(done(la).generationId).isEqualTo(2);
        assertThat(done(lb).generationId).isEqualTo(2);
    }

    @Test
    void groupMaxSizeRejectsNewMembers() {
        GroupCoordinatorTestContext small = new GroupCoordinatorTestContext(
                GroupCoordinatorConfig.defaults().withMaxGroupSize(2));
        formGroup(small, G, 2);
        JoinGroupResponseData third = small.join(joinRequest(G, "", null), 3).join();
        assertThat(Errors.forCode(third.errorCode)).isEqualTo(Errors.GROUP_MAX_SIZE_REACHED);
        assertThat(small.group(G).numMembers()).isEqualTo(2);
    }

    @Test
    void newMemberThatNeverCompletesAJoinIsDroppedByTheNewMemberTimeout() {
        GroupCoordinatorTestContext tc = new GroupCoordinatorTestContext();
        List<JoinGroupResponseData> m = formGroup(tc, G, 1);
        String a = m.get(0).memberId;
        // A new member with a huge rebalance timeout joins; the old member never rejoins but is static-free.
        JoinGroupRequestData req = joinRequest(G, "", null).setRebalanceTimeoutMs(600_000);
        CompletableFuture<JoinGroupResponseData> late = tc.joinDynamic(G, req);
        assertThat(tc.group(G).state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
        for (int i = 0; i < 61; i++) {
            tc.sleep(5_000);
            tc.heartbeat(G, a, 1);
        }
        // After group.new.member.join.timeout (5 min) the new member is gone with UNKNOWN_MEMBER_ID.
        assertThat(Errors.forCode(done(late).errorCode)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void duplicateJoinAnswersTheOlderRequest() {
        List<JoinGroupResponseData> m = formGroup(t, G, 2);
        CompletableFuture<JoinGroupResponseData> first = t.join(joinRequest(G, m.get(0).memberId, null));
        assertThat(first).isNotDone();
        CompletableFuture<JoinGroupResponseData> second = t.join(joinRequest(G, m.get(0).memberId, null));
        // The older request is answered so its connection is not blocked; the newer one waits.
        assertThat(Errors.forCode(done(first).errorCode)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        assertThat(second).isNotDone();
        CompletableFuture<JoinGroupResponseData> other = t.join(joinRequest(G, m.get(1).memberId, null));
        assertThat(done(second).generationId).isEqualTo(2);
        assertThat(done(other).generationId).isEqualTo(2);
    }
}
