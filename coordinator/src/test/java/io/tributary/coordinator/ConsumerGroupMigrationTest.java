package io.tributary.coordinator;

import static io.tributary.coordinator.GroupCoordinatorTestContext.joinRequest;
import static io.tributary.coordinator.GroupCoordinatorTestContext.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.coordinator.consumer.ConsumerGroup;
import io.tributary.coordinator.group.ClassicGroup;
import io.tributary.coordinator.group.ClassicGroupState;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ConsumerGroupDescribeRequestData;
import io.tributary.protocol.message.ConsumerGroupDescribeResponseData;
import io.tributary.protocol.message.ConsumerGroupHeartbeatRequestData;
import io.tributary.protocol.message.ConsumerGroupHeartbeatResponseData;
import io.tributary.protocol.message.JoinGroupRequestData;
import io.tributary.protocol.message.JoinGroupResponseData;
import io.tributary.protocol.message.ListGroupsRequestData;
import io.tributary.protocol.message.SyncGroupResponseData;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * KIP-848 online migration (issue 14, X1) on the fake clock: a classic group becomes a consumer
 * group when a member joins with ConsumerGroupHeartbeat, its classic members keep their partitions
 * and are steered with REBALANCE_IN_PROGRESS; it goes back to classic when the last new-protocol
 * member leaves; offsets stay; group.consumer.migration.policy.
 */
class ConsumerGroupMigrationTest {
    private static final String G = "mig";
    private static final UUID FOO = new UUID(7, 7);

    private GroupCoordinatorTestContext t;

    private final TopicMetadata topics = new TopicMetadata() {
        @Override
        public Topic byName(String name) {
            return name.equals("foo") ? new Topic("foo", FOO, 6) : null;
        }

        @Override
        public Collection<String> names() {
            return List.of("foo");
        }
    };

    private void start(GroupCoordinatorConfig config) {
        t = new GroupCoordinatorTestContext(config);
        t.coordinator.setTopicMetadata(topics);
    }

    @AfterEach
    void close() {
        t.coordinator.close();
        t.loop.close();
    }

    // ---- classic helpers

    private static JoinGroupRequestData classicJoin(String memberId) {
        JoinGroupRequestData r = joinRequest(G, memberId, null);
        r.protocols.get(0).setMetadata(subscription("foo"));
        return r;
    }

    /** Two classic members c1 (partitions 0-2) and c2 (3-5), Stable at generation 1; returns their ids. */
    private List<String> stableClassicGroup() {
        CompletableFuture<JoinGroupResponseData> f1 = t.joinDynamic(G, classicJoin(""));
        CompletableFuture<JoinGroupResponseData> f2 = t.joinDynamic(G, classicJoin(""));
        for (int i = 0; i < 40 && !(f1.isDone() && f2.isDone()); i++) {
            t.sleep(1_000);
        }
        JoinGroupResponseData r1 = GroupCoordinatorTestContext.done(f1);
        JoinGroupResponseData r2 = GroupCoordinatorTestContext.done(f2);
        assertThat(r1.generationId).isEqualTo(1);
        String c1 = r1.memberId;
        String c2 = r2.memberId;
        String leader = r1.leader;
        CompletableFuture<SyncGroupResponseData> s1 =
                t.sync(G, leader, 1, Map.of(c1, assignment(Set.of(0, 1, 2)), c2, assignment(Set.of(3, 4, 5))));
        CompletableFuture<SyncGroupResponseData> s2 = t.sync(G, leader.equals(c1) ? c2 : c1, 1, Map.of());
        assertThat(s1.join().errorCode).isZero();
        assertThat(s2.join().errorCode).isZero();
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.STABLE);
        return List.of(c1, c2);
    }

    private JoinGroupResponseData rejoin(String memberId) {
        CompletableFuture<JoinGroupResponseData> f = t.join(classicJoin(memberId), 7);
        return GroupCoordinatorTestContext.done(f);
    }

    private Set<Integer> syncPartitions(String memberId, int generation) {
        SyncGroupResponseData r = t.sync(G, memberId, generation, Map.of()).join();
        assertThat(Errors.forCode(r.errorCode)).isEqualTo(Errors.NONE);
        return partitionsOf(r.assignment);
    }

    static byte[] assignment(Set<Integer> partitions) {
        ByteBuffer b = ByteBuffer.allocate(256);
        b.putShort((short) 0);
        b.putInt(1);
        byte[] name = "foo".getBytes(StandardCharsets.UTF_8);
        b.putShort((short) name.length).put(name);
        b.putInt(partitions.size());
        new TreeSet<>(partitions).forEach(b::putInt);
        b.putInt(-1);
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    static Set<Integer> partitionsOf(byte[] assignment) {
        ByteBuffer b = ByteBuffer.wrap(assignment);
        b.getShort();
        Set<Integer> out = new TreeSet<>();
        int topicsCount = b.getInt();
        for (int i = 0; i < topicsCount; i++) {
            byte[] name = new byte[b.getShort()];
            b.get(name);
            int n = b.getInt();
            for (int j = 0; j < n; j++) {
                out.add(b.getInt());
            }
        }
        return out;
    }

    // ---- consumer helpers

    private ConsumerGroupHeartbeatResponseData hb(String memberId, int epoch, Set<Integer> owned) {
        ConsumerGroupHeartbeatRequestData r = new ConsumerGroupHeartbeatRequestData()
                .setGroupId(G)
                .setMemberId(memberId)
                .setMemberEpoch(epoch);
        if (epoch == 0) {
            r.setRebalanceTimeoutMs(30_000)
                    .setSubscribedTopicNames(List.of("foo"))
                    .setTopicPartitions(new ArrayList<>());
        }
        if (owned != null) {
            r.setTopicPartitions(new ArrayList<>(List.of(new ConsumerGroupHeartbeatRequestData.TopicPartitions()
                    .setTopicId(FOO)
                    .setPartitions(new ArrayList<>(owned)))));
        }
        return t.coordinator
                .consumerGroupHeartbeat(GroupCoordinatorTestContext.ctx(1), r)
                .join();
    }

    private static Set<Integer> partitionsOf(ConsumerGroupHeartbeatResponseData r, Set<Integer> before) {
        if (r.assignment == null) {
            return before;
        }
        Set<Integer> out = new TreeSet<>();
        r.assignment.topicPartitions.forEach(tp -> out.addAll(tp.partitions));
        return out;
    }

    private ConsumerGroup consumerGroup() {
        return t.coordinator.shard().consumerGroups().store().get(G);
    }

    @SafeVarargs
    private static void assertDisjoint(Set<Integer>... owners) {
        Set<Integer> seen = new HashSet<>();
        for (Set<Integer> o : owners) {
            for (int p : o) {
                assertThat(seen.add(p)).as("partition %s owned twice", p).isTrue();
            }
        }
    }

    // ---- tests

    @Test
    void classicGroupUpgradesOnAConsumerJoinAndDowngradesWhenTheLastConsumerMemberLeaves() {
        start(GroupCoordinatorConfig.defaults());
        List<String> ids = stableClassicGroup();
        String c1 = ids.get(0);
        String c2 = ids.get(1);
        Set<Integer> own1 = Set.of(0, 1, 2);
        Set<Integer> own2 = Set.of(3, 4, 5);
        assertThat(t.commit(G, c1, 1, "foo", 0, 42)).isEqualTo(Errors.NONE);

        ConsumerGroupHeartbeatResponseData n = hb("n1", 0, null);
        assertThat(n.errorCode).isZero();
        assertThat(n.memberEpoch).isEqualTo(2);
        Set<Integer> ownN = partitionsOf(n, Set.of());
        assertThat(ownN).as("everything is still owned by the classic members").isEmpty();
        assertThat(t.group(G)).isNull();
        assertThat(consumerGroup().numMembers()).isEqualTo(3);
        // A classic member of the old generation is told to rejoin; its stale commit is refused.
        assertThat(t.heartbeat(G, c1, 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        assertThat(t.heartbeat(G, c1, 0)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(t.heartbeat(G, "nobody", 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);

        // The state survives a coordinator restart (classic members persisted in the record).
        t.restart();
        t.coordinator.setTopicMetadata(topics);
        assertThat(t.heartbeat(G, c1, 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);

        // c1 rejoins as an eager client (owns nothing now) and gets part of its old partitions.
        JoinGroupResponseData j1 = rejoin(c1);
        assertThat(Errors.forCode(j1.errorCode)).isEqualTo(Errors.NONE);
        assertThat(j1.generationId).isEqualTo(2);
        assertThat(j1.protocolName).isEqualTo("range");
        own1 = syncPartitions(c1, 2);
        assertThat(own1).hasSize(2).isSubsetOf(0, 1, 2);
        assertDisjoint(own1, own2, ownN);
        assertThat(t.commit(G, c1, 2, "foo", 1, 7)).isEqualTo(Errors.NONE);
        assertThat(t.commit(G, c1, 1, "foo", 1, 7)).isEqualTo(Errors.ILLEGAL_GENERATION);

        ownN = partitionsOf(hb("n1", 2, ownN), ownN);
        assertThat(ownN).hasSize(1);
        assertDisjoint(own1, own2, ownN);
        assertThat(t.heartbeat(G, c2, 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        assertThat(rejoin(c2).generationId).isEqualTo(2);
        own2 = syncPartitions(c2, 2);
        assertThat(own2).hasSize(2);
        assertDisjoint(own1, own2, ownN);
        ownN = partitionsOf(hb("n1", 2, ownN), ownN);
        assertThat(ownN).hasSize(2);
        assertDisjoint(own1, own2, ownN);
        assertThat(t.heartbeat(G, c1, 2)).isEqualTo(Errors.NONE);
        assertThat(consumerGroup().state()).isEqualTo(ConsumerGroup.STABLE);

        // Both kinds of member are described; the group is listed as a consumer group.
        ConsumerGroupDescribeResponseData d = t.coordinator
                .consumerGroupDescribe(
                        GroupCoordinatorTestContext.ctx(1),
                        new ConsumerGroupDescribeRequestData().setGroupIds(List.of(G)))
                .join();
        assertThat(d.groups.get(0).members).hasSize(3);
        assertThat(d.groups.get(0).members)
                .filteredOn(m -> m.memberType == 0)
                .extracting(m -> m.memberId)
                .containsExactlyInAnyOrder(c1, c2);
        assertThat(t.coordinator
                        .listGroups(
                                GroupCoordinatorTestContext.ctx(5),
                                new ListGroupsRequestData().setTypesFilter(List.of("classic")))
                        .join()
                        .groups)
                .isEmpty();
        // A member of another protocol type cannot join.
        JoinGroupRequestData connect = classicJoin("").setProtocolType("connect");
        assertThat(Errors.forCode(t.join(connect, 7).join().errorCode)).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);

        // The last consumer-protocol member leaves: a classic group again, rebalancing.
        assertThat(hb("n1", -1, null).errorCode).isZero();
        assertThat(consumerGroup()).isNull();
        ClassicGroup back = t.group(G);
        assertThat(back.state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
        assertThat(back.numMembers()).isEqualTo(2);
        assertThat(t.heartbeat(G, c1, 2)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        CompletableFuture<JoinGroupResponseData> r1 = t.join(classicJoin(c1), 7);
        CompletableFuture<JoinGroupResponseData> r2 = t.join(classicJoin(c2), 7);
        assertThat(GroupCoordinatorTestContext.done(r1).generationId).isEqualTo(3);
        assertThat(GroupCoordinatorTestContext.done(r2).generationId).isEqualTo(3);
        assertThat(t.committed(G, "foo", 0)).isEqualTo(42);
        assertThat(t.committed(G, "foo", 1)).isEqualTo(7);
    }

    @Test
    void classicMembersThatNeverRejoinOrNeverSyncAreRemovedAfterTheirRebalanceTimeout() {
        start(GroupCoordinatorConfig.defaults());
        List<String> ids = stableClassicGroup();
        hb("n1", 0, null);
        // Both keep heartbeating (their sessions stay alive) but never rejoin.
        for (int i = 0; i < 6; i++) {
            for (String c : ids) {
                assertThat(t.heartbeat(G, c, 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
            }
            hb("n1", consumerGroup().memberEpoch("n1"), null);
            t.sleep(5_000);
        }
        assertThat(consumerGroup().memberIds()).containsExactly("n1");
        // A member that joins and heartbeats but never syncs is removed too.
        JoinGroupResponseData first = t.join(classicJoin(""), 7).join();
        JoinGroupResponseData j = rejoin(first.memberId);
        assertThat(j.errorCode).isZero();
        for (int i = 0; i < 6; i++) {
            t.heartbeat(G, j.memberId, j.generationId);
            hb("n1", consumerGroup().memberEpoch("n1"), null);
            t.sleep(5_000);
        }
        assertThat(consumerGroup().memberIds()).containsExactly("n1");
    }

    @Test
    void classicStaticMemberReplacingTheLastConsumerProtocolMemberDowngradesWithoutRebalance() {
        start(GroupCoordinatorConfig.defaults());
        stableClassicGroup();
        ConsumerGroupHeartbeatRequestData join = new ConsumerGroupHeartbeatRequestData()
                .setGroupId(G)
                .setMemberId("s1")
                .setInstanceId("i1")
                .setMemberEpoch(0)
                .setRebalanceTimeoutMs(30_000)
                .setSubscribedTopicNames(List.of("foo"))
                .setTopicPartitions(new ArrayList<>());
        ConsumerGroupHeartbeatResponseData joined = t.coordinator
                .consumerGroupHeartbeat(GroupCoordinatorTestContext.ctx(1), join)
                .join();
        assertThat(joined.errorCode).isZero();
        ConsumerGroupHeartbeatRequestData leave = new ConsumerGroupHeartbeatRequestData()
                .setGroupId(G)
                .setMemberId("s1")
                .setInstanceId("i1")
                .setMemberEpoch(-2);
        assertThat(t.coordinator
                        .consumerGroupHeartbeat(GroupCoordinatorTestContext.ctx(1), leave)
                        .join()
                        .errorCode)
                .isZero();
        assertThat(consumerGroup().numMembers()).isEqualTo(3);
        // The same instance restarts with the classic protocol: it takes s1's place and the group
        // is classic again, Stable, at generation = the consumer group's epoch.
        JoinGroupRequestData classicStatic = joinRequest(G, "", "i1");
        classicStatic.protocols.get(0).setMetadata(subscription("foo"));
        JoinGroupResponseData r = GroupCoordinatorTestContext.done(t.join(classicStatic, 7));
        assertThat(Errors.forCode(r.errorCode)).isEqualTo(Errors.NONE);
        assertThat(consumerGroup()).isNull();
        ClassicGroup back = t.group(G);
        assertThat(back.state()).isEqualTo(ClassicGroupState.STABLE);
        assertThat(back.numMembers()).isEqualTo(3);
        assertThat(back.generationId()).isEqualTo(joined.memberEpoch);
        assertThat(back.staticMemberId("i1")).isEqualTo(r.memberId);
        assertThat(syncPartitions(r.memberId, r.generationId)).isEmpty();
    }

    @Test
    void disabledPolicyKeepsAClassicGroupFromTheNewProtocol() {
        start(GroupCoordinatorConfig.defaults().withMigrationPolicy("DISABLED"));
        stableClassicGroup();
        ConsumerGroupHeartbeatResponseData n = hb("n1", 0, null);
        assertThat(Errors.forCode(n.errorCode)).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.STABLE);
        assertThat(consumerGroup()).isNull();
        // Nor may a classic member join a consumer group (Apache 4.3: only under this policy).
        ConsumerGroupHeartbeatResponseData other = t.coordinator
                .consumerGroupHeartbeat(
                        GroupCoordinatorTestContext.ctx(1),
                        new ConsumerGroupHeartbeatRequestData()
                                .setGroupId("other")
                                .setMemberId("n2")
                                .setMemberEpoch(0)
                                .setRebalanceTimeoutMs(30_000)
                                .setSubscribedTopicNames(List.of("foo"))
                                .setTopicPartitions(new ArrayList<>()))
                .join();
        assertThat(other.errorCode).isZero();
        JoinGroupRequestData join = classicJoin("").setGroupId("other");
        assertThat(Errors.forCode(t.join(join, 7).join().errorCode)).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
    }

    @Test
    void upgradeOnlyPolicyKeepsTheConsumerGroupWhenOnlyClassicMembersRemain() {
        start(GroupCoordinatorConfig.defaults().withMigrationPolicy("upgrade"));
        List<String> ids = stableClassicGroup();
        assertThat(hb("n1", 0, null).errorCode).isZero();
        assertThat(hb("n1", -1, null).errorCode).isZero();
        assertThat(t.group(G)).isNull();
        assertThat(consumerGroup().numMembers()).isEqualTo(2);
        // Its classic members carry on inside the consumer group.
        assertThat(rejoin(ids.get(0)).errorCode).isZero();
    }

    @Test
    void classicMemberJoiningAConsumerGroupIsAssignedByTheCoordinator() {
        start(GroupCoordinatorConfig.defaults());
        Set<Integer> ownN = partitionsOf(hb("n1", 0, null), Set.of());
        assertThat(ownN).hasSize(6);
        // Two-step join, then the member waits for what n1 gives up.
        JoinGroupResponseData first = t.join(classicJoin(""), 7).join();
        assertThat(Errors.forCode(first.errorCode)).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        JoinGroupResponseData j = rejoin(first.memberId);
        assertThat(j.errorCode).isZero();
        assertThat(j.leader).isEmpty();
        Set<Integer> ownC = syncPartitions(j.memberId, j.generationId);
        assertThat(ownC).isEmpty();
        ConsumerGroupHeartbeatResponseData revoke = hb("n1", 1, ownN);
        ownN = partitionsOf(revoke, ownN);
        assertThat(ownN).hasSize(3);
        // Until n1 confirms it let them go, the classic member has nothing to rejoin for.
        assertThat(t.heartbeat(G, j.memberId, j.generationId)).isEqualTo(Errors.NONE);
        ConsumerGroupHeartbeatResponseData released = hb("n1", revoke.memberEpoch, ownN);
        assertThat(released.memberEpoch).isEqualTo(2);
        assertThat(t.heartbeat(G, j.memberId, j.generationId)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        JoinGroupResponseData again = rejoin(j.memberId);
        ownC = syncPartitions(j.memberId, again.generationId);
        assertThat(ownC).hasSize(3);
        assertDisjoint(ownC, ownN);
        assertThat(t.heartbeat(G, j.memberId, again.generationId)).isEqualTo(Errors.NONE);
        // LeaveGroup of a classic member does not end the consumer group.
        assertThat(t.leave(G, GroupCoordinatorTestContext.member(j.memberId, null))
                        .members
                        .get(0)
                        .errorCode)
                .isZero();
        assertThat(consumerGroup().numMembers()).isEqualTo(1);
    }
}
