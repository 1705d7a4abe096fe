package io.tributary.coordinator;

import static io.tributary.coordinator.ClassicGroupMembershipTest.formGroup;
import static io.tributary.coordinator.GroupCoordinatorTestContext.ctx;
import static io.tributary.coordinator.GroupCoordinatorTestContext.member;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.coordinator.group.ClassicGroupState;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.DeleteGroupsRequestData;
import io.tributary.protocol.message.DeleteGroupsResponseData;
import io.tributary.protocol.message.DescribeGroupsRequestData;
import io.tributary.protocol.message.DescribeGroupsResponseData;
import io.tributary.protocol.message.JoinGroupResponseData;
import io.tributary.protocol.message.ListGroupsRequestData;
import io.tributary.protocol.message.ListGroupsResponseData;
import io.tributary.protocol.message.OffsetCommitResponseData;
import io.tributary.protocol.message.OffsetDeleteRequestData;
import io.tributary.protocol.message.OffsetDeleteResponseData;
import io.tributary.protocol.message.OffsetFetchRequestData;
import io.tributary.protocol.message.OffsetFetchResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** OffsetCommit/Fetch/Delete fencing and shapes, DescribeGroups, ListGroups, DeleteGroups, topic deletion. */
class OffsetsAndAdminTest {
    private static final String G = "g";

    private final GroupCoordinatorTestContext t = new GroupCoordinatorTestContext();

    @Test
    void standaloneConsumerCommitsWithGenerationMinusOneIntoASimpleGroup() {
        assertThat(t.commit("simple", "", -1, "t", 0, 42)).isEqualTo(Errors.NONE);
        assertThat(t.committed("simple", "t", 0)).isEqualTo(42);
        assertThat(t.group("simple").state()).isEqualTo(ClassicGroupState.EMPTY);
        assertThat(t.group("simple").protocolType()).isNull();
        // A generation for a group that does not exist is fenced (GROUP_ID_NOT_FOUND from v9).
        assertThat(t.commit("missing", "m", 3, "t", 0, 1)).isEqualTo(Errors.ILLEGAL_GENERATION);
        OffsetCommitResponseData v9 =
                t.commitAsync(9, "missing", "m", null, 3, "t", 0, 1, "").join();
        assertThat(Errors.forCode(v9.topics.get(0).partitions.get(0).errorCode)).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
    }

    @Test
    void commitsAreFencedByGenerationAndMember() {
        List<JoinGroupResponseData> m = formGroup(t, G, 1);
        String id = m.get(0).memberId;
        assertThat(t.commit(G, id, 1, "t", 0, 10)).isEqualTo(Errors.NONE);
        assertThat(t.commit(G, id, 2, "t", 0, 11)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(t.commit(G, "ghost", 1, "t", 0, 11)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        // Generation -1 without a member id is refused while the group has members.
        assertThat(t.commit(G, "", -1, "t", 0, 11)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(t.committed(G, "t", 0)).isEqualTo(10);
        // Once the group is empty, admin-style commits (generation -1) are accepted.
        t.leave(G, member(id, null));
        assertThat(t.group(G).state()).isEqualTo(ClassicGroupState.EMPTY);
        assertThat(t.commit(G, "", -1, "t", 0, 12)).isEqualTo(Errors.NONE);
        assertThat(t.committed(G, "t", 0)).isEqualTo(12);
    }

    @Test
    void metadataLongerThanTheLimitIsRejectedPerPartition() {
        GroupCoordinatorTestContext small = new GroupCoordinatorTestContext(
                GroupCoordinatorConfig.defaults().withOffsetMetadataMaxBytes(5));
        OffsetCommitResponseData ok =
                small.commitAsync(7, "s", "", null, -1, "t", 0, 1, "12345").join();
        OffsetCommitResponseData tooBig =
                small.commitAsync(7, "s", "", null, -1, "t", 1, 1, "123456").join();
        assertThat(ok.topics.get(0).partitions.get(0).errorCode).isZero();
        assertThat(Errors.forCode(tooBig.topics.get(0).partitions.get(0).errorCode))
                .isEqualTo(Errors.OFFSET_METADATA_TOO_LARGE);
        assertThat(small.committed("s", "t", 1)).isEqualTo(-1);
    }

    @Test
    void fetchShapesAcrossVersions() {
        t.commitAsync(7, G, "", null, -1, "a", 0, 5, "m0").join();
        t.commitAsync(7, G, "", null, -1, "a", 1, 6, null).join();
        t.commitAsync(7, G, "", null, -1, "b", 0, 7, "").join();

        // v7 with null topics: every offset of the group, sorted by topic and partition.
        OffsetFetchResponseData all = t.coordinator
                .offsetFetch(ctx(7), new OffsetFetchRequestData().setGroupId(G).setTopics(null))
                .join();
        assertThat(all.topics).extracting(x -> x.name).containsExactly("a", "b");
        assertThat(all.topics.get(0).partitions)
                .extracting(p -> p.committedOffset)
                .containsExactly(5L, 6L);
        assertThat(all.topics.get(0).partitions.get(0).metadata).isEqualTo("m0");
        assertThat(all.topics.get(0).partitions.get(1).metadata).isEmpty();
        assertThat(all.topics.get(0).partitions.get(0).committedLeaderEpoch).isEqualTo(3);

        // v1 with an unknown partition: offset -1, no error.
        OffsetFetchRequestData v1 = new OffsetFetchRequestData().setGroupId(G);
        v1.topics.add(new OffsetFetchRequestData.OffsetFetchRequestTopic()
                .setName("a")
                .setPartitionIndexes(new ArrayList<>(List.of(1, 9))));
        OffsetFetchResponseData r1 = t.coordinator.offsetFetch(ctx(1), v1).join();
        assertThat(r1.topics.get(0).partitions)
                .extracting(p -> p.committedOffset)
                .containsExactly(6L, -1L);
        assertThat(r1.topics.get(0).partitions).extracting(p -> p.errorCode).containsOnly((short) 0);

        // v8: several groups in one request, including one without offsets and an invalid id.
        OffsetFetchRequestData v8 = new OffsetFetchRequestData().setRequireStable(true);
        v8.groups.add(new OffsetFetchRequestData.OffsetFetchRequestGroup()
                .setGroupId(G)
                .setTopics(null));
        OffsetFetchRequestData.OffsetFetchRequestGroup other =
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("other");
        other.topics.add(new OffsetFetchRequestData.OffsetFetchRequestTopics()
                .setName("a")
                .setPartitionIndexes(new ArrayList<>(List.of(0))));
        v8.groups.add(other);
        v8.groups.add(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(""));
        OffsetFetchResponseData r8 = t.coordinator.offsetFetch(ctx(8), v8).join();
        assertThat(r8.groups).extracting(g -> g.groupId).containsExactly(G, "other", "");
        assertThat(r8.groups.get(0).topics).hasSize(2);
        assertThat(r8.groups.get(1).topics.get(0).partitions.get(0).committedOffset)
                .isEqualTo(-1);
        assertThat(Errors.forCode(r8.groups.get(2).errorCode)).isEqualTo(Errors.INVALID_GROUP_ID);
    }

    @Test
    void describeShowsStateProtocolAndMembers() {
        List<JoinGroupResponseData> m = formGroup(t, G, 2);
        DescribeGroupsResponseData d = t.coordinator
                .describeGroups(
                        ctx(4), new DescribeGroupsRequestData().setGroups(new ArrayList<>(List.of(G, "missing"))))
                .join();
        DescribeGroupsResponseData.DescribedGroup g = d.groups.get(0);
        assertThat(g.errorCode).isZero();
        assertThat(g.groupState).isEqualTo("Stable");
        assertThat(g.protocolType).isEqualTo("consumer");
        assertThat(g.protocolData).isEqualTo("range");
        assertThat(g.members).extracting(x -> x.memberId).containsExactly(m.get(0).memberId, m.get(1).memberId);
        assertThat(g.members.get(0).clientHost).isEqualTo("/127.0.0.1");
        assertThat(g.members.get(0).clientId).isEqualTo("client");
        assertThat(g.members.get(1).memberAssignment)
                .isEqualTo(ClassicGroupMembershipTest.bytes("assignment-of-" + m.get(1).memberId));
        assertThat(g.members.get(0).memberMetadata).isEqualTo(GroupCoordinatorTestContext.subscription("t"));
        // An unknown group is "Dead" without error before v6, GROUP_ID_NOT_FOUND from v6.
        assertThat(d.groups.get(1).groupState).isEqualTo("Dead");
        assertThat(d.groups.get(1).errorCode).isZero();
        DescribeGroupsResponseData d6 = t.coordinator
                .describeGroups(ctx(6), new DescribeGroupsRequestData().setGroups(new ArrayList<>(List.of("missing"))))
                .join();
        assertThat(Errors.forCode(d6.groups.get(0).errorCode)).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
        // While rebalancing, members are listed without metadata or assignment.
        t.joinDynamic(G);
        DescribeGroupsResponseData during = t.coordinator
                .describeGroups(ctx(4), new DescribeGroupsRequestData().setGroups(new ArrayList<>(List.of(G))))
                .join();
        assertThat(during.groups.get(0).groupState).isEqualTo("PreparingRebalance");
        assertThat(during.groups.get(0).members.get(0).memberAssignment).isEmpty();
        assertThat(during.groups.get(0).protocolData).isEmpty();
    }

    @Test
    void listGroupsFiltersByStateCaseInsensitively() {
        formGroup(t, G, 1);
        t.commit("simple", "", -1, "t", 0, 1);
        ListGroupsResponseData all =
                t.coordinator.listGroups(ctx(4), new ListGroupsRequestData()).join();
        assertThat(all.groups).extracting(x -> x.groupId).containsExactlyInAnyOrder(G, "simple");
        ListGroupsResponseData stable = t.coordinator
                .listGroups(ctx(4), new ListGroupsRequestData().setStatesFilter(new ArrayList<>(List.of("stable"))))
                .join();
        assertThat(stable.groups).extracting(x -> x.groupId).containsExactly(G);
        assertThat(stable.groups.get(0).protocolType).isEqualTo("consumer");
        assertThat(stable.groups.get(0).groupState).isEqualTo("Stable");
        ListGroupsResponseData empty = t.coordinator
                .listGroups(ctx(4), new ListGroupsRequestData().setStatesFilter(new ArrayList<>(List.of("Empty"))))
                .join();
        assertThat(empty.groups).extracting(x -> x.groupId).containsExactly("simple");
        assertThat(empty.groups.get(0).protocolType).isEmpty();
        ListGroupsResponseData consumerType = t.coordinator
                .listGroups(ctx(5), new ListGroupsRequestData().setTypesFilter(new ArrayList<>(List.of("consumer"))))
                .join();
        assertThat(consumerType.groups).isEmpty();
        ListGroupsResponseData v0 =
                t.coordinator.listGroups(ctx(0), new ListGroupsRequestData()).join();
        assertThat(v0.groups).hasSize(2);
    }

    @Test
    void deleteGroupsOnlyDeletesEmptyGroupsWithTheirOffsets() {
        List<JoinGroupResponseData> m = formGroup(t, G, 1);
        t.commit(G, m.get(0).memberId, 1, "t", 0, 9);
        DeleteGroupsResponseData r = t.coordinator
                .deleteGroups(
                        ctx(1),
                        new DeleteGroupsRequestData().setGroupsNames(new ArrayList<>(List.of(G, "missing", ""))))
                .join();
        assertThat(r.results)
                .extracting(x -> Errors.forCode(x.errorCode))
                .containsExactly(Errors.NON_EMPTY_GROUP, Errors.GROUP_ID_NOT_FOUND, Errors.INVALID_GROUP_ID);
        t.leave(G, member(m.get(0).memberId, null));
        DeleteGroupsResponseData ok = t.coordinator
                .deleteGroups(ctx(1), new DeleteGroupsRequestData().setGroupsNames(new ArrayList<>(List.of(G))))
                .join();
        assertThat(ok.results.get(0).errorCode).isZero();
        assertThat(t.group(G)).isNull();
        assertThat(t.committed(G, "t", 0)).isEqualTo(-1);
        t.restart();
        assertThat(t.group(G)).isNull();
        assertThat(t.committed(G, "t", 0)).isEqualTo(-1);
    }

    @Test
    void offsetDeleteRefusesSubscribedTopicsOfALiveConsumerGroup() {
        List<JoinGroupResponseData> m = formGroup(t, G, 1);
        String id = m.get(0).memberId;
        // The members subscribe to topic "t" (see the test context's subscription bytes).
        t.commit(G, id, 1, "t", 0, 1);
        t.commit(G, id, 1, "old", 0, 2);
        OffsetDeleteRequestData req = new OffsetDeleteRequestData().setGroupId(G);
        for (String topic : List.of("t", "old")) {
            OffsetDeleteRequestData.OffsetDeleteRequestTopic rt =
                    new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName(topic);
            rt.partitions.add(new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0));
            rt.partitions.add(new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(7));
            req.topics.add(rt);
        }
        OffsetDeleteResponseData r = t.coordinator.offsetDelete(ctx(0), req).join();
        assertThat(r.errorCode).isZero();
        assertThat(r.topics.get(0).partitions)
                .extracting(p -> Errors.forCode(p.errorCode))
                .containsExactly(Errors.GROUP_SUBSCRIBED_TO_TOPIC, Errors.GROUP_SUBSCRIBED_TO_TOPIC);
        // Unsubscribed topic: the committed partition is deleted; the uncommitted one is left out.
        assertThat(r.topics.get(1).partitions).extracting(p -> p.partitionIndex).containsExactly(0);
        assertThat(t.committed(G, "old", 0)).isEqualTo(-1);
        assertThat(t.committed(G, "t", 0)).isEqualTo(1);
        OffsetDeleteResponseData missing = t.coordinator
                .offsetDelete(ctx(0), new OffsetDeleteRequestData().setGroupId("missing"))
                .join();
        assertThat(Errors.forCode(missing.errorCode)).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
    }

    @Test
    void deletingATopicDropsItsOffsetsInEveryGroup() {
        t.commit("g1", "", -1, "gone", 0, 1);
        t.commit("g2", "", -1, "gone", 3, 1);
        t.commit("g2", "", -1, "kept", 0, 5);
        assertThat(t.coordinator.onTopicsDeleted(Set.of("gone"))).isCompleted();
        assertThat(t.committed("g1", "gone", 0)).isEqualTo(-1);
        assertThat(t.committed("g2", "gone", 3)).isEqualTo(-1);
        assertThat(t.committed("g2", "kept", 0)).isEqualTo(5);
        t.restart();
        assertThat(t.committed("g2", "gone", 3)).isEqualTo(-1);
        assertThat(t.committed("g2", "kept", 0)).isEqualTo(5);
    }
}
