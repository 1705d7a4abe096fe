package io.tributary.coordinator;

import static io.tributary.coordinator.GroupCoordinatorTestContext.joinRequest;
import static io.tributary.coordinator.GroupCoordinatorTestContext.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.coordinator.group.ClassicGroupState;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ConsumerGroupHeartbeatRequestData;
import io.tributary.protocol.message.ConsumerGroupHeartbeatResponseData;
import io.tributary.protocol.message.JoinGroupRequestData;
import io.tributary.protocol.message.JoinGroupResponseData;
import io.tributary.protocol.message.OffsetCommitRequestData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 (KIP-848 online upgrade), Kafka's behaviour: a classic group whose member's embedded
 * consumer protocol (subscription or assignment) cannot be read is not upgraded: the joining
 * consumer-protocol member gets GROUP_ID_NOT_FOUND and the classic group stays as it was. After
 * an upgrade, a classic member's offset commits keep its session alive.
 */
class MalformedUpgradeTest {
    private static final String G = "malformed";
    private final GroupCoordinatorTestContext t = new GroupCoordinatorTestContext(GroupCoordinatorConfig.defaults());

    MalformedUpgradeTest() {
        t.coordinator.setTopicMetadata(new TopicMetadata() {
            @Override
            public Topic byName(String name) {
                return name.equals("foo") ? new Topic("foo", new UUID(7, 7), 3) : null;
            }

            @Override
            public Collection<String> names() {
                return List.of("foo");
            }
        });
    }

    @AfterEach
    void close() {
        t.coordinator.close();
        t.loop.close();
    }

    /** One classic member, Stable at generation 1, with the given JoinGroup metadata and SyncGroup assignment. */
    private void stableClassicMember(byte[] metadata, byte[] assignment) {
        JoinGroupRequestData join = joinRequest(G, "", null);
        join.protocols.get(0).setMetadata(metadata);
        CompletableFuture<JoinGroupResponseData> f = t.joinDynamic(G, join);
        for (int i = 0; i < 40 && !f.isDone(); i++) {
            t.sleep(1_000);
        }
        JoinGroupResponseData r = GroupCoordinatorTestContext.done(f);
        assertThat(t.sync(G, r.memberId, r.generationId, Map.of(r.memberId, assignment))
                        .join()
                        .errorCode)
                .isZero();
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.STABLE);
    }

    private ConsumerGroupHeartbeatResponseData consumerJoin() {
        return t.coordinator
                .consumerGroupHeartbeat(
                        GroupCoordinatorTestContext.ctx(1),
                        new ConsumerGroupHeartbeatRequestData()
                                .setGroupId(G)
                                .setMemberId("n1")
                                .setMemberEpoch(0)
                                .setRebalanceTimeoutMs(30_000)
                                .setSubscribedTopicNames(List.of("foo"))
                                .setTopicPartitions(new ArrayList<>()))
                .join();
    }

    @Test
    void anUnreadableSubscriptionKeepsTheGroupClassic() {
        stableClassicMember(new byte[] {0, 1, 0, 0}, ConsumerGroupMigrationTest.assignment(java.util.Set.of(0)));
        ConsumerGroupHeartbeatResponseData r = consumerJoin();
        assertThat(Errors.forCode(r.errorCode)).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.STABLE);
        assertThat(t.group(G).numMembers()).isEqualTo(1);
        assertThat(t.coordinator.shard().consumerGroups().store().get(G)).isNull();
    }

    @Test
    void anUnreadableAssignmentKeepsTheGroupClassic() {
        stableClassicMember(subscription("foo"), new byte[] {0, 0, 0, 0, 0, 9});
        assertThat(Errors.forCode(consumerJoin().errorCode)).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.STABLE);
    }

    @Test
    void aReadableGroupStillUpgrades() {
        stableClassicMember(subscription("foo"), ConsumerGroupMigrationTest.assignment(java.util.Set.of(0, 1, 2)));
        assertThat(Errors.forCode(consumerJoin().errorCode)).isEqualTo(Errors.NONE);
        assertThat(t.coordinator.shard().consumerGroups().store().get(G)).isNotNull();
    }

    private short commitAs(String memberId, int generation) {
        OffsetCommitRequestData req = new OffsetCommitRequestData()
                .setGroupId(G)
                .setMemberId(memberId)
                .setGenerationIdOrMemberEpoch(generation);
        OffsetCommitRequestData.OffsetCommitRequestTopic topic =
                new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("foo");
        topic.partitions.add(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                .setPartitionIndex(0)
                .setCommittedOffset(1));
        req.topics.add(topic);
        return t.coordinator
                .offsetCommit(GroupCoordinatorTestContext.ctx(8), req)
                .join()
                .topics
                .get(0)
                .partitions
                .get(0)
                .errorCode;
    }

    /** Kafka: a classic member's commits keep its session alive inside a consumer group too. */
    @Test
    void aClassicMembersCommitsInsideAConsumerGroupRefreshItsSession() {
        stableClassicMember(subscription("foo"), ConsumerGroupMigrationTest.assignment(java.util.Set.of(0, 1, 2)));
        String classicMember = t.group(G).allMembers().iterator().next().memberId();
        assertThat(Errors.forCode(consumerJoin().errorCode)).isEqualTo(Errors.NONE);
        // Its session is 10 s: commits every 6 s for 24 s keep it (its rebalance timeout is 30 s).
        for (int i = 0; i < 4; i++) {
            t.sleep(6_000);
            assertThat(Errors.forCode(commitAs(classicMember, 1)))
                    .as("commit %d", i)
                    .isEqualTo(Errors.NONE);
        }
        assertThat(t.coordinator.shard().consumerGroups().store().get(G).memberIds())
                .contains(classicMember);
        // Without commits (or heartbeats) it goes after its session.
        t.sleep(11_000);
        assertThat(t.coordinator.shard().consumerGroups().store().get(G).memberIds())
                .doesNotContain(classicMember);
    }
}
