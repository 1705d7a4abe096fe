package io.tributary.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.coordinator.consumer.ConsumerGroup;
import io.tributary.coordinator.testing.InMemoryCoordinatorLog;
import io.tributary.coordinator.testing.ManualEventLoop;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ConsumerGroupDescribeRequestData;
import io.tributary.protocol.message.ConsumerGroupDescribeResponseData;
import io.tributary.protocol.message.ConsumerGroupHeartbeatRequestData;
import io.tributary.protocol.message.ConsumerGroupHeartbeatResponseData;
import io.tributary.protocol.message.JoinGroupRequestData;
import io.tributary.protocol.message.JoinGroupResponseData;
import io.tributary.protocol.message.ListGroupsRequestData;
import io.tributary.protocol.message.ListGroupsResponseData;
import io.tributary.protocol.message.OffsetCommitRequestData;
import io.tributary.protocol.message.OffsetCommitResponseData;
import io.tributary.protocol.message.OffsetFetchRequestData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ConsumerGroupHeartbeat (KIP-848, issue 14, feature X1) on the fake clock: join, rebalance with
 * revoke-before-assign, fencing, session expiry, leave, static rejoin, replay after a restart.
 */
class ConsumerGroupHeartbeatTest {
    private static final String GROUP = "g";
    private static final UUID FOO = new UUID(1, 1);
    private static final UUID BAR = new UUID(2, 2);

    private final Map<String, TopicMetadata.Topic> topicMap = new ConcurrentHashMap<>();
    private final TopicMetadata topics = new TopicMetadata() {
        @Override
        public Topic byName(String name) {
            return topicMap.get(name);
        }

        @Override
        public Collection<String> names() {
            return List.copyOf(topicMap.keySet());
        }
    };
    private final InMemoryCoordinatorLog log = new InMemoryCoordinatorLog();
    private final GroupCoordinatorConfig config = GroupCoordinatorConfig.defaults();
    private ManualEventLoop loop = new ManualEventLoop();
    private GroupCoordinator coordinator;

    ConsumerGroupHeartbeatTest() {
        topicMap.put("foo", new TopicMetadata.Topic("foo", FOO, 6));
        topicMap.put("bar", new TopicMetadata.Topic("bar", BAR, 3));
        start();
    }

    private void start() {
        coordinator = new GroupCoordinator(config, log, loop);
        coordinator.setTopicMetadata(topics);
        assertThat(coordinator.start()).isCompleted();
    }

    private void restart() {
        coordinator.close();
        long now = loop.nowMs();
        loop.close();
        loop = new ManualEventLoop(now);
        start();
    }

    @AfterEach
    void close() {
        coordinator.close();
        loop.close();
    }

    // ---- helpers

    private ConsumerGroupHeartbeatResponseData hb(ConsumerGroupHeartbeatRequestData req) {
        var f = coordinator.consumerGroupHeartbeat(RequestContext.of(1, "client", "/127.0.0.1"), req);
        assertThat(f).isCompleted();
        return f.join();
    }

    private static ConsumerGroupHeartbeatRequestData join(String memberId, String... topicNames) {
        return new ConsumerGroupHeartbeatRequestData()
                .setGroupId(GROUP)
                .setMemberId(memberId)
                .setMemberEpoch(0)
                .setRebalanceTimeoutMs(30_000)
                .setSubscribedTopicNames(List.of(topicNames))
                .setTopicPartitions(new ArrayList<>());
    }

    private static ConsumerGroupHeartbeatRequestData beat(String memberId, int epoch, Map<UUID, Set<Integer>> owned) {
        ConsumerGroupHeartbeatRequestData r = new ConsumerGroupHeartbeatRequestData()
                .setGroupId(GROUP)
                .setMemberId(memberId)
                .setMemberEpoch(epoch);
        if (owned != null) {
            List<ConsumerGroupHeartbeatRequestData.TopicPartitions> tps = new ArrayList<>();
            owned.forEach((t, ps) -> tps.add(new ConsumerGroupHeartbeatRequestData.TopicPartitions()
                    .setTopicId(t)
                    .setPartitions(new ArrayList<>(ps))));
            r.setTopicPartitions(tps);
        }
        return r;
    }

    private static Map<UUID, Set<Integer>> assigned(ConsumerGroupHeartbeatResponseData r) {
        assertThat(r.assignment).as("assignment in %s", r).isNotNull();
        Map<UUID, Set<Integer>> out = new TreeMap<>();
        r.assignment.topicPartitions.forEach(tp -> out.put(tp.topicId, new TreeSet<>(tp.partitions)));
        return out;
    }

    private ConsumerGroup group() {
        return coordinator.shard().consumerGroups().store().get(GROUP);
    }

    private static int count(Map<UUID, Set<Integer>> a) {
        return a.values().stream().mapToInt(Set::size).sum();
    }

    // ---- tests

    @Test
    void firstMemberJoinsAndGetsEveryPartitionAtEpochOne() {
        ConsumerGroupHeartbeatResponseData r = hb(join("m1", "foo"));
        assertThat(r.errorCode).isEqualTo(Errors.NONE.code());
        assertThat(r.memberId).isEqualTo("m1");
        assertThat(r.memberEpoch).isEqualTo(1);
        assertThat(r.heartbeatIntervalMs).isEqualTo(5_000);
        assertThat(assigned(r)).isEqualTo(Map.of(FOO, Set.of(0, 1, 2, 3, 4, 5)));
        assertThat(group().state()).isEqualTo(ConsumerGroup.STABLE);
    }

    @Test
    void secondMemberGetsPartitionsOnlyAfterTheFirstRevokedThem() {
        ConsumerGroupHeartbeatResponseData r1 = hb(join("m1", "foo"));
        Map<UUID, Set<Integer>> owned1 = assigned(r1);
        ConsumerGroupHeartbeatResponseData r2 = hb(join("m2", "foo"));
        // m2 is at the new epoch but its partitions are still m1's.
        assertThat(r2.memberEpoch).isEqualTo(2);
        assertThat(assigned(r2)).isEmpty();
        assertThat(group().state()).isEqualTo(ConsumerGroup.RECONCILING);

        // m1 is told to give three up; its epoch stays until it has.
        ConsumerGroupHeartbeatResponseData r1b = hb(beat("m1", 1, owned1));
        assertThat(r1b.memberEpoch).isEqualTo(1);
        Map<UUID, Set<Integer>> kept = assigned(r1b);
        assertThat(count(kept)).isEqualTo(3);
        // Still owned by m1 (not yet acknowledged): m2 gets nothing.
        assertThat(hb(beat("m2", 2, Map.of())).assignment).isNull();

        // m1 acknowledges: new epoch; then m2 gets the other three.
        ConsumerGroupHeartbeatResponseData r1c = hb(beat("m1", 1, kept));
        assertThat(r1c.memberEpoch).isEqualTo(2);
        Map<UUID, Set<Integer>> got = assigned(hb(beat("m2", 2, Map.of())));
        assertThat(count(got)).isEqualTo(3);
        assertThat(got.get(FOO)).doesNotContainAnyElementsOf(kept.get(FOO));
        assertThat(group().state()).isEqualTo(ConsumerGroup.STABLE);
    }

    @Test
    void wrongEpochsAndUnknownMembersAreRefused() {
        hb(join("m1", "foo"));
        assertThat(hb(beat("m1", 7, null)).errorCode).isEqualTo(Errors.FENCED_MEMBER_EPOCH.code());
        assertThat(hb(beat("nobody", 1, null)).errorCode).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(hb(join("m2", "foo").setServerAssignor("nope")).errorCode)
                .isEqualTo(Errors.UNSUPPORTED_ASSIGNOR.code());
        assertThat(hb(join("m2", "foo").setSubscribedTopicRegex("(")).errorCode)
                .isEqualTo(Errors.INVALID_REGULAR_EXPRESSION.code());
        assertThat(hb(join("", "foo")).errorCode).isEqualTo(Errors.INVALID_REQUEST.code());
        // The group keeps serving its member.
        assertThat(hb(beat("m1", 1, null)).errorCode).isEqualTo(Errors.NONE.code());
    }

    @Test
    void sessionTimeoutRemovesTheMemberAndFreesItsPartitions() {
        hb(join("m1", "foo"));
        ConsumerGroupHeartbeatResponseData r2 = hb(join("m2", "foo"));
        assertThat(r2.memberEpoch).isEqualTo(2);
        loop.sleep(40_000);
        hb(beat("m2", 2, Map.of()));
        loop.sleep(10_000); // m1 silent for 50 s > 45 s
        assertThat(group().memberIds()).containsExactly("m2");
        ConsumerGroupHeartbeatResponseData r = hb(beat("m2", 2, Map.of()));
        assertThat(r.memberEpoch).isEqualTo(3);
        assertThat(assigned(r)).isEqualTo(Map.of(FOO, Set.of(0, 1, 2, 3, 4, 5)));
        assertThat(hb(beat("m1", 1, null)).errorCode).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
    }

    @Test
    void aMemberThatNeverRevokesIsFencedAfterItsRebalanceTimeout() {
        Map<UUID, Set<Integer>> owned1 = assigned(hb(join("m1", "foo")));
        hb(join("m2", "foo"));
        hb(beat("m1", 1, owned1)); // asked to revoke; never acknowledges
        for (int i = 0; i < 7; i++) {
            loop.sleep(5_000);
            hb(beat("m2", 2, Map.of()));
        }
        assertThat(group().memberIds()).containsExactly("m2");
        assertThat(count(group().assignedPartitions("m2").entrySet().stream()
                        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> Set.copyOf(e.getValue())))))
                .isEqualTo(6);
    }

    @Test
    void leaveBumpsTheEpochAndTheOthersTakeOver() {
        Map<UUID, Set<Integer>> owned1 = assigned(hb(join("m1", "foo", "bar")));
        assertThat(count(owned1)).isEqualTo(9);
        ConsumerGroupHeartbeatResponseData left = hb(beat("m1", 1, null).setMemberEpoch(-1));
        assertThat(left.errorCode).isEqualTo(Errors.NONE.code());
        assertThat(left.memberEpoch).isEqualTo(-1);
        assertThat(group().state()).isEqualTo(ConsumerGroup.EMPTY);
        assertThat(group().groupEpoch()).isEqualTo(2);
    }

    @Test
    void staticMemberRejoinsWithItsPartitionsAndNoRebalance() {
        Map<UUID, Set<Integer>> a = assigned(hb(join("m1", "foo").setInstanceId("i1")));
        hb(join("m2", "foo").setInstanceId("i2"));
        // Settle: m1 revokes, m2 takes the rest.
        Map<UUID, Set<Integer>> kept = assigned(hb(beat("m1", 1, a)));
        hb(beat("m1", 1, kept));
        hb(beat("m2", 2, Map.of()));
        int epoch = group().groupEpoch();
        // A second process with the same instance id while the first is alive.
        assertThat(hb(join("m1-new", "foo").setInstanceId("i1")).errorCode)
                .isEqualTo(Errors.UNRELEASED_INSTANCE_ID.code());
        // Temporary leave, then the restarted process comes back under a new member id.
        hb(beat("m1", 2, null).setMemberEpoch(-2).setInstanceId("i1"));
        ConsumerGroupHeartbeatResponseData back = hb(join("m1-new", "foo").setInstanceId("i1"));
        assertThat(back.errorCode).isEqualTo(Errors.NONE.code());
        assertThat(back.memberEpoch).isEqualTo(2);
        assertThat(assigned(back)).isEqualTo(kept);
        assertThat(group().groupEpoch()).isEqualTo(epoch);
    }

    @Test
    void partitionGrowthBumpsTheGroupEpoch() {
        hb(join("m1", "foo"));
        topicMap.put("foo", new TopicMetadata.Topic("foo", FOO, 8));
        ConsumerGroupHeartbeatResponseData r = hb(beat("m1", 1, Map.of(FOO, Set.of(0, 1, 2, 3, 4, 5))));
        assertThat(r.memberEpoch).isEqualTo(2);
        assertThat(assigned(r).get(FOO)).hasSize(8);
    }

    @Test
    void regexSubscriptionPicksUpANewTopicAndADeletedTopicIsDropped() {
        ConsumerGroupHeartbeatRequestData j = join("m1");
        j.setSubscribedTopicNames(null).setSubscribedTopicRegex("f.*");
        ConsumerGroupHeartbeatResponseData r = hb(j);
        assertThat(assigned(r)).isEqualTo(Map.of(FOO, Set.of(0, 1, 2, 3, 4, 5)));
        UUID fab = new UUID(3, 3);
        topicMap.put("fab", new TopicMetadata.Topic("fab", fab, 2));
        r = hb(beat("m1", 1, Map.of(FOO, Set.of(0, 1, 2, 3, 4, 5))));
        assertThat(r.memberEpoch).isEqualTo(2);
        assertThat(assigned(r)).isEqualTo(Map.of(FOO, Set.of(0, 1, 2, 3, 4, 5), fab, Set.of(0, 1)));
        topicMap.remove("foo");
        r = hb(beat("m1", 2, assigned(r)));
        // foo's partitions must be given up first (the member still reports them).
        assertThat(r.memberEpoch).isEqualTo(2);
        assertThat(assigned(r)).isEqualTo(Map.of(fab, Set.of(0, 1)));
        assertThat(hb(beat("m1", 2, Map.of(fab, Set.of(0, 1)))).memberEpoch).isEqualTo(3);
    }

    @Test
    void groupMaxSizeIsEnforced() {
        coordinator.close();
        loop.close();
        loop = new ManualEventLoop();
        coordinator = new GroupCoordinator(config.withConsumerMaxSize(1), log, loop);
        coordinator.setTopicMetadata(topics);
        assertThat(coordinator.start()).isCompleted();
        assertThat(hb(join("m1", "foo")).errorCode).isZero();
        assertThat(hb(join("m2", "foo")).errorCode).isEqualTo(Errors.GROUP_MAX_SIZE_REACHED.code());
    }

    @Test
    void stateSurvivesARestartByReplay() {
        Map<UUID, Set<Integer>> a = assigned(hb(join("m1", "foo")));
        hb(join("m2", "foo"));
        Map<UUID, Set<Integer>> kept = assigned(hb(beat("m1", 1, a)));
        restart();
        assertThat(group().groupEpoch()).isEqualTo(2);
        assertThat(group().memberEpoch("m1")).isEqualTo(1);
        // The pending revocation is remembered: m2 still waits for m1.
        assertThat(hb(beat("m2", 2, Map.of())).assignment).isNull();
        assertThat(hb(beat("m1", 1, kept)).memberEpoch).isEqualTo(2);
        assertThat(count(assigned(hb(beat("m2", 2, Map.of()))))).isEqualTo(3);
        // Timers are back too: both sessions expire.
        loop.sleep(46_000);
        assertThat(group().memberIds()).isEmpty();
    }

    @Test
    void snapshotsRestateConsumerGroupsAndBoundTheLog() {
        coordinator.close();
        loop.close();
        loop = new ManualEventLoop();
        GroupCoordinatorConfig small = config.withSnapshotMinRecords(5);
        coordinator = new GroupCoordinator(small, log, loop);
        coordinator.setTopicMetadata(topics);
        assertThat(coordinator.start()).isCompleted();
        Map<UUID, Set<Integer>> owned = assigned(hb(join("m1", "foo")));
        for (int i = 0; i < 100; i++) {
            hb(join("x" + i, "foo"));
            hb(beat("x" + i, 0, null).setMemberEpoch(-1));
        }
        ConsumerGroupHeartbeatResponseData r = hb(beat("m1", 1, owned));
        int epoch = r.memberEpoch;
        assertThat(epoch).isEqualTo(201);
        assertThat(log.size()).isLessThan(30);
        coordinator.close();
        long now = loop.nowMs();
        loop.close();
        loop = new ManualEventLoop(now);
        coordinator = new GroupCoordinator(small, log, loop);
        coordinator.setTopicMetadata(topics);
        assertThat(coordinator.start()).isCompleted();
        assertThat(group().groupEpoch()).isEqualTo(201);
        assertThat(group().memberIds()).containsExactly("m1");
        assertThat(hb(beat("m1", epoch, owned)).errorCode).isZero();
    }

    @Test
    void anEmptyConsumerGroupsOffsetsExpireAndThenTheGroup() {
        coordinator.close();
        loop.close();
        loop = new ManualEventLoop();
        coordinator = new GroupCoordinator(config.withOffsetsRetention(60_000, 1_000), log, loop);
        coordinator.setTopicMetadata(topics);
        assertThat(coordinator.start()).isCompleted();
        hb(join("m1", "foo"));
        assertThat(commit("m1", 1)).isZero();
        for (int i = 0; i < 6; i++) {
            loop.sleep(20_000); // subscribed: kept although old
            assertThat(hb(beat("m1", 1, null)).errorCode).isZero();
        }
        assertThat(coordinator.shard().offsetStore().offsets(GROUP)).isNotEmpty();
        hb(beat("m1", 1, null).setMemberEpoch(-1));
        assertThat(group()).isNotNull();
        loop.sleep(2_000); // unsubscribed now and older than the retention: gone, and the group with them
        assertThat(group()).isNull();
        assertThat(coordinator.shard().offsetStore().offsets(GROUP)).isEmpty();
    }

    @Test
    void anOffsetsOnlyClassicGroupIsTakenOverWithItsOffsetsAlsoAfterARestart() {
        assertThat(commit("", -1)).isZero(); // a "simple" classic group now holds the id
        assertThat(coordinator.shard().groups().get(GROUP)).isNotNull();
        assertThat(hb(join("m1", "foo")).errorCode).isZero();
        assertThat(coordinator.shard().groups().get(GROUP)).isNull();
        restart();
        assertThat(coordinator.shard().groups().get(GROUP)).isNull();
        assertThat(group().memberIds()).containsExactly("m1");
        assertThat(coordinator.shard().offsetStore().offsets(GROUP)).containsKey("foo");
        // Committing in the group again (replayed later) creates no classic group either.
        assertThat(commit("m1", 1)).isZero();
        restart();
        assertThat(coordinator.shard().groups().get(GROUP)).isNull();
    }

    @Test
    void offsetCommitsAreCheckedByMemberEpoch() {
        hb(join("m1", "foo"));
        assertThat(commit("m1", 1)).isEqualTo(Errors.NONE.code());
        assertThat(commit("m1", 0)).isEqualTo(Errors.STALE_MEMBER_EPOCH.code());
        assertThat(commit("m1", 5)).isEqualTo(Errors.FENCED_MEMBER_EPOCH.code());
        assertThat(commit("zz", 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(fetch("m1", 1)).isEqualTo(Errors.NONE.code());
        assertThat(fetch("m1", 0)).isEqualTo(Errors.STALE_MEMBER_EPOCH.code());
        assertThat(fetch("zz", 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(fetch(null, -1)).isEqualTo(Errors.NONE.code());
    }

    private short fetch(String memberId, int epoch) {
        OffsetFetchRequestData req = new OffsetFetchRequestData();
        req.groups.add(new OffsetFetchRequestData.OffsetFetchRequestGroup()
                .setGroupId(GROUP)
                .setMemberId(memberId)
                .setMemberEpoch(epoch)
                .setTopics(null));
        return coordinator
                .offsetFetch(RequestContext.of(9, "c", "/h"), req)
                .join()
                .groups
                .get(0)
                .errorCode;
    }

    private short commit(String memberId, int epoch) {
        OffsetCommitRequestData req = new OffsetCommitRequestData()
                .setGroupId(GROUP)
                .setMemberId(memberId)
                .setGenerationIdOrMemberEpoch(epoch);
        OffsetCommitRequestData.OffsetCommitRequestTopic t =
                new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("foo");
        t.partitions.add(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                .setPartitionIndex(0)
                .setCommittedOffset(5));
        req.topics.add(t);
        OffsetCommitResponseData r =
                coordinator.offsetCommit(RequestContext.of(9, "c", "/h"), req).join();
        return r.topics.get(0).partitions.get(0).errorCode;
    }

    @Test
    void classicAndConsumerGroupsKeepToTheirOwnIdsAndAreListedWithTheirType() {
        hb(join("m1", "foo"));
        JoinGroupResponseData j = coordinator
                .joinGroup(
                        RequestContext.of(9, "c", "/h"),
                        new JoinGroupRequestData()
                                .setGroupId(GROUP)
                                .setMemberId("")
                                .setProtocolType("consumer")
                                .setSessionTimeoutMs(10_000)
                                .setRebalanceTimeoutMs(10_000))
                .join();
        assertThat(j.errorCode).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL.code());
        ListGroupsResponseData l = coordinator
                .listGroups(
                        RequestContext.of(5, "c", "/h"),
                        new ListGroupsRequestData().setTypesFilter(List.of("consumer")))
                .join();
        assertThat(l.groups).hasSize(1);
        assertThat(l.groups.get(0).groupType).isEqualTo("consumer");
        assertThat(l.groups.get(0).groupState).isEqualTo("Stable");
        ConsumerGroupDescribeResponseData d = coordinator
                .consumerGroupDescribe(
                        RequestContext.of(0, "c", "/h"),
                        new ConsumerGroupDescribeRequestData().setGroupIds(List.of(GROUP, "missing")))
                .join();
        assertThat(d.groups.get(0).errorCode).isZero();
        assertThat(d.groups.get(0).members).hasSize(1);
        assertThat(d.groups.get(0).members.get(0).assignment.topicPartitions.get(0).topicName)
                .isEqualTo("foo");
        assertThat(d.groups.get(1).errorCode).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
    }

    @Test
    void rangeAssignorIsChosenByName() {
        ConsumerGroupHeartbeatResponseData r = hb(join("m1", "foo").setServerAssignor("range"));
        assertThat(assigned(r)).isEqualTo(Map.of(FOO, Set.of(0, 1, 2, 3, 4, 5)));
        hb(join("m2", "foo").setServerAssignor("range"));
        Map<UUID, Set<Integer>> kept = assigned(hb(beat("m1", 1, assigned(r))));
        assertThat(kept).isEqualTo(Map.of(FOO, Set.of(0, 1, 2)));
    }
}
