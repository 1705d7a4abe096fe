package io.tributary.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.coordinator.testing.InMemoryCoordinatorLog;
import io.tributary.coordinator.testing.ManualEventLoop;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ConsumerGroupDescribeRequestData;
import io.tributary.protocol.message.ConsumerGroupDescribeResponseData;
import io.tributary.protocol.message.ConsumerGroupHeartbeatRequestData;
import io.tributary.protocol.message.ConsumerGroupHeartbeatResponseData;
import io.tributary.protocol.message.OffsetCommitRequestData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lag-aware assignor (issue 14, feature X6) inside the coordinator: lag is the broker's end
 * offset minus the offset the group committed, and members choosing {@code lag-aware} get a target
 * balanced by it; a broker that does not list it refuses it like any unknown assignor.
 */
class LagAwareGroupTest {
    private static final String GROUP = "lagged";
    private static final UUID FOO = new UUID(1, 1);
    private static final long BACKLOG = 1_000;
    private static final long CAUGHT_UP = 50;

    private final TopicMetadata topics = new TopicMetadata() {
        @Override
        public Topic byName(String name) {
            return name.equals("foo") ? new Topic("foo", FOO, 9) : null;
        }

        @Override
        public Collection<String> names() {
            return List.of("foo");
        }
    };
    // Partitions 0, 1 and 2 have a backlog (the ones the first member keeps under uniform); the rest are caught up.
    private final PartitionEndOffsets ends = (t, p) -> t.equals("foo") ? CAUGHT_UP + (p < 3 ? BACKLOG : 0) : -1;
    private final ManualEventLoop loop = new ManualEventLoop();
    private GroupCoordinator coordinator;

    private void start(String assignors) {
        GroupCoordinatorConfig config = GroupCoordinatorConfig.fromProperties(
                Map.of(GroupCoordinatorConfig.GROUP_CONSUMER_ASSIGNORS, assignors));
        coordinator = new GroupCoordinator(config, new InMemoryCoordinatorLog(), loop);
        coordinator.setTopicMetadata(topics);
        coordinator.setEndOffsets(ends);
        assertThat(coordinator.start()).isCompleted();
    }

    @AfterEach
    void close() {
        coordinator.close();
        loop.close();
    }

    private ConsumerGroupHeartbeatResponseData join(String memberId, String assignor) {
        return coordinator
                .consumerGroupHeartbeat(
                        RequestContext.of(1, "client", "/127.0.0.1"),
                        new ConsumerGroupHeartbeatRequestData()
                                .setGroupId(GROUP)
                                .setMemberId(memberId)
                                .setMemberEpoch(0)
                                .setRebalanceTimeoutMs(30_000)
                                .setServerAssignor(assignor)
                                .setSubscribedTopicNames(List.of("foo"))
                                .setTopicPartitions(new ArrayList<>()))
                .join();
    }

    private void commitCaughtUpOffsets() {
        OffsetCommitRequestData.OffsetCommitRequestTopic t =
                new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("foo");
        for (int p = 0; p < 9; p++) {
            t.partitions.add(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                    .setPartitionIndex(p)
                    .setCommittedOffset(CAUGHT_UP));
        }
        OffsetCommitRequestData req =
                new OffsetCommitRequestData().setGroupId(GROUP).setMemberId("").setGenerationIdOrMemberEpoch(-1);
        req.topics.add(t);
        var r = coordinator.offsetCommit(RequestContext.of(9, "c", "/h"), req).join();
        assertThat(r.topics.get(0).partitions)
                .allSatisfy(p -> assertThat(p.errorCode).isZero());
    }

    private List<ConsumerGroupDescribeResponseData.Member> describe() {
        var d = coordinator
                .consumerGroupDescribe(
                        RequestContext.of(0, "c", "/h"),
                        new ConsumerGroupDescribeRequestData().setGroupIds(List.of(GROUP)))
                .join();
        return d.groups.get(0).members;
    }

    private static List<Integer> target(ConsumerGroupDescribeResponseData.Member m) {
        List<Integer> out = new ArrayList<>();
        m.targetAssignment.topicPartitions.forEach(tp -> out.addAll(tp.partitions));
        return out;
    }

    @Test
    void membersChoosingLagAwareShareTheBacklogAsWellAsThePartitions() {
        start("uniform,range,lag-aware");
        commitCaughtUpOffsets();
        for (String m : List.of("a", "b", "c")) {
            assertThat(join(m, "lag-aware").errorCode).isEqualTo(Errors.NONE.code());
        }
        List<ConsumerGroupDescribeResponseData.Member> members = describe();
        assertThat(members).hasSize(3);
        for (var m : members) {
            List<Integer> target = target(m);
            assertThat(target).as("target of %s", m.memberId).hasSize(3);
            assertThat(target.stream().filter(p -> p < 3))
                    .as("backlogged partitions of %s", m.memberId)
                    .hasSize(1);
        }
    }

    @Test
    void uniformPilesTheSameBacklogOnOneMember() {
        // The contrast that motivates X6: the same group and lags under uniform.
        start("uniform,range,lag-aware");
        commitCaughtUpOffsets();
        for (String m : List.of("a", "b", "c")) {
            join(m, "uniform");
        }
        assertThat(describe())
                .anySatisfy(m -> assertThat(target(m)).filteredOn(p -> p < 3).hasSize(3));
    }

    @Test
    void aBrokerThatDoesNotListLagAwareRefusesIt() {
        start("uniform,range");
        assertThat(join("a", "lag-aware").errorCode).isEqualTo(Errors.UNSUPPORTED_ASSIGNOR.code());
    }
}
