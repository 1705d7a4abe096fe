package io.tributary.broker.group;

import static io.tributary.broker.group.GroupMembershipVersionsTest.join;
import static io.tributary.broker.group.GroupMembershipVersionsTest.sync;
import static io.tributary.broker.group.GroupWireTest.topic;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.broker.BrokerFixture;
import io.tributary.broker.TestConnection;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.DeleteGroupsRequestData;
import io.tributary.protocol.message.DeleteGroupsResponseData;
import io.tributary.protocol.message.DescribeGroupsRequestData;
import io.tributary.protocol.message.DescribeGroupsResponseData;
import io.tributary.protocol.message.JoinGroupResponseData;
import io.tributary.protocol.message.ListGroupsRequestData;
import io.tributary.protocol.message.ListGroupsResponseData;
import io.tributary.protocol.message.OffsetCommitRequestData;
import io.tributary.protocol.message.OffsetCommitResponseData;
import io.tributary.protocol.message.OffsetFetchRequestData;
import io.tributary.protocol.message.OffsetFetchResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10 item 5 (group half): the admin and offset APIs at the newer versions Apache kafka-clients 4.3 sends,
 * over a real socket: DescribeGroups v3-6 (authorized operations, v6 GROUP_ID_NOT_FOUND), ListGroups v4-5 (state
 * and type filters), OffsetCommit v8-9 (v9 GROUP_ID_NOT_FOUND, generation as member epoch), OffsetFetch v8-9 (several
 * groups per request, member id and epoch) and DeleteGroups v2.
 */
class GroupAdminVersionsTest {
    /**
     * READ (3), DELETE (6), DESCRIBE (8), DESCRIBE_CONFIGS (10), ALTER_CONFIGS (11): what Kafka 4.3 reports on a group
     * when no authorizer is configured.
     */
    static final int ALL_GROUP_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8) | (1 << 10) | (1 << 11);

    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.groups();

    @BeforeEach
    void start() {
        fixture.get().state().topics().create("t", 2, 1, Map.of(), false);
    }

    private TestConnection connect() throws Exception {
        return new TestConnection(fixture.get().boundPort());
    }

    /** A Stable group of one static member ("m") that owns {@code assignment}. */
    private static JoinGroupResponseData stableGroup(TestConnection c, String group) throws Exception {
        JoinGroupResponseData j =
                c.roundTrip(join(group, "").setGroupInstanceId("m"), new JoinGroupResponseData(), (short) 9);
        assertThat(j.errorCode).isZero();
        sync(c, group, j, (short) 5, new byte[] {1});
        return j;
    }

    private static OffsetCommitResponseData commit(
            TestConnection c, String group, int generation, String memberId, short v) throws Exception {
        return c.roundTrip(
                new OffsetCommitRequestData()
                        .setGroupId(group)
                        .setGenerationIdOrMemberEpoch(generation)
                        .setMemberId(memberId)
                        .setTopics(List.of(topic("t", 0, 1))),
                new OffsetCommitResponseData(),
                v);
    }

    @Test
    void describeGroupsV3ToV6ReportOperationsOnlyWhenAskedAndV6NamesAMissingGroup() throws Exception {
        try (TestConnection c = connect()) {
            JoinGroupResponseData j = stableGroup(c, "described");
            for (short v = 3; v <= 6; v++) {
                DescribeGroupsResponseData asked = c.roundTrip(
                        new DescribeGroupsRequestData()
                                .setGroups(List.of("described", "missing"))
                                .setIncludeAuthorizedOperations(true),
                        new DescribeGroupsResponseData(),
                        v);
                DescribeGroupsResponseData.DescribedGroup g = asked.groups.get(0);
                assertThat(g.errorCode).as("v%d", v).isZero();
                assertThat(g.groupState).as("v%d", v).isEqualTo("Stable");
                assertThat(g.authorizedOperations).as("v%d", v).isEqualTo(ALL_GROUP_OPERATIONS);
                assertThat(g.members).as("v%d", v).hasSize(1);
                assertThat(g.members.get(0).memberId).as("v%d", v).isEqualTo(j.memberId);
                assertThat(g.members.get(0).groupInstanceId).as("v%d", v).isEqualTo(v >= 4 ? "m" : null);
                // As in Kafka, operations go on every group described without error, a Dead one included.
                DescribeGroupsResponseData.DescribedGroup missing = asked.groups.get(1);
                if (v >= 6) {
                    assertThat(Errors.forCode(missing.errorCode)).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
                    assertThat(missing.errorMessage).isEqualTo("Group missing not found.");
                    assertThat(missing.authorizedOperations).isEqualTo(Integer.MIN_VALUE);
                } else {
                    assertThat(missing.errorCode).as("v%d", v).isZero();
                    assertThat(missing.groupState).as("v%d", v).isEqualTo("Dead");
                    assertThat(missing.authorizedOperations).as("v%d", v).isEqualTo(ALL_GROUP_OPERATIONS);
                }
                DescribeGroupsResponseData notAsked = c.roundTrip(
                        new DescribeGroupsRequestData().setGroups(List.of("described")),
                        new DescribeGroupsResponseData(),
                        v);
                assertThat(notAsked.groups.get(0).authorizedOperations)
                        .as("v%d", v)
                        .isEqualTo(Integer.MIN_VALUE);
            }
        }
    }

    @Test
    void listGroupsV4FiltersByStateAndV5ByType() throws Exception {
        try (TestConnection c = connect()) {
            stableGroup(c, "stable-group");
            assertThat(commit(c, "empty-group", -1, "", (short) 9)
                            .topics
                            .get(0)
                            .partitions
                            .get(0)
                            .errorCode)
                    .isZero();

            assertThat(listed(c, (short) 4, List.of("Stable"), List.of())).containsExactly("stable-group/Stable");
            assertThat(listed(c, (short) 4, List.of("empty"), List.of())).containsExactly("empty-group/Empty");
            assertThat(listed(c, (short) 4, List.of("stable", "EMPTY"), List.of()))
                    .containsExactlyInAnyOrder("stable-group/Stable", "empty-group/Empty");
            assertThat(listed(c, (short) 4, List.of("Dead"), List.of())).isEmpty();

            ListGroupsResponseData v5 = c.roundTrip(
                    new ListGroupsRequestData().setTypesFilter(List.of("Classic")),
                    new ListGroupsResponseData(),
                    (short) 5);
            assertThat(v5.groups)
                    .extracting(g -> g.groupId + "/" + g.groupType)
                    .containsExactlyInAnyOrder("stable-group/classic", "empty-group/classic");
            assertThat(v5.groups)
                    .filteredOn(g -> g.groupId.equals("empty-group"))
                    .extracting(g -> g.protocolType)
                    .containsExactly("");
            assertThat(listed(c, (short) 5, List.of(), List.of("consumer"))).isEmpty();
            assertThat(listed(c, (short) 5, List.of("Stable"), List.of("classic")))
                    .containsExactly("stable-group/Stable");
        }
    }

    private static List<String> listed(TestConnection c, short v, List<String> states, List<String> types)
            throws Exception {
        ListGroupsResponseData r = c.roundTrip(
                new ListGroupsRequestData().setStatesFilter(states).setTypesFilter(types),
                new ListGroupsResponseData(),
                v);
        assertThat(r.errorCode).isZero();
        List<String> out = new ArrayList<>();
        r.groups.forEach(g -> out.add(g.groupId + "/" + g.groupState));
        return out;
    }

    @Test
    void offsetCommitV8AndV9CheckTheGenerationAsMemberEpochAndV9NamesAMissingGroup() throws Exception {
        try (TestConnection c = connect()) {
            JoinGroupResponseData j = stableGroup(c, "committer");
            for (short v = 8; v <= 9; v++) {
                assertThat(errors(commit(c, "committer", j.generationId, j.memberId, v)))
                        .as("v%d member at its generation", v)
                        .containsOnly(Errors.NONE);
                assertThat(errors(commit(c, "committer", j.generationId + 1, j.memberId, v)))
                        .as("v%d wrong generation", v)
                        .containsOnly(Errors.ILLEGAL_GENERATION);
                assertThat(errors(commit(c, "committer", j.generationId, "stranger", v)))
                        .as("v%d stranger", v)
                        .containsOnly(Errors.UNKNOWN_MEMBER_ID);
                assertThat(errors(commit(c, "simple-v" + v, -1, "", v)))
                        .as("v%d simple group", v)
                        .containsOnly(Errors.NONE);
            }
            assertThat(errors(commit(c, "no-such-group", 3, "m", (short) 8))).containsOnly(Errors.ILLEGAL_GENERATION);
            assertThat(errors(commit(c, "no-such-group", 3, "m", (short) 9))).containsOnly(Errors.GROUP_ID_NOT_FOUND);
        }
    }

    private static List<Errors> errors(OffsetCommitResponseData r) {
        List<Errors> out = new ArrayList<>();
        r.topics.forEach(t -> t.partitions.forEach(p -> out.add(Errors.forCode(p.errorCode))));
        return out;
    }

    @Test
    void offsetFetchV8AndV9AnswerSeveralGroupsInOneRequest() throws Exception {
        try (TestConnection c = connect()) {
            JoinGroupResponseData j = stableGroup(c, "fetch-a");
            commit(c, "fetch-a", j.generationId, j.memberId, (short) 9);
            commit(c, "fetch-b", -1, "", (short) 9);
            for (short v = 8; v <= 9; v++) {
                OffsetFetchResponseData r = c.roundTrip(
                        new OffsetFetchRequestData()
                                .setRequireStable(true)
                                .setGroups(List.of(
                                        // v9: a classic group's member id and epoch do not restrict the answer.
                                        new OffsetFetchRequestData.OffsetFetchRequestGroup()
                                                .setGroupId("fetch-a")
                                                .setMemberId(j.memberId)
                                                .setMemberEpoch(j.generationId)
                                                .setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopics()
                                                        .setName("t")
                                                        .setPartitionIndexes(List.of(1)))),
                                        new OffsetFetchRequestData.OffsetFetchRequestGroup()
                                                .setGroupId("fetch-b")
                                                .setTopics(null),
                                        new OffsetFetchRequestData.OffsetFetchRequestGroup()
                                                .setGroupId("fetch-none")
                                                .setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopics()
                                                        .setName("t")
                                                        .setPartitionIndexes(List.of(0)))),
                                        new OffsetFetchRequestData.OffsetFetchRequestGroup()
                                                .setGroupId("")
                                                .setTopics(null))),
                        new OffsetFetchResponseData(),
                        v);
                assertThat(r.groups).extracting(g -> g.groupId).containsExactly("fetch-a", "fetch-b", "fetch-none", "");
                assertThat(offsets(r.groups.get(0))).as("v%d", v).containsExactly("t-1=101");
                assertThat(offsets(r.groups.get(1))).as("v%d", v).containsExactly("t-0=100", "t-1=101");
                assertThat(offsets(r.groups.get(2))).as("v%d", v).containsExactly("t-0=-1");
                assertThat(r.groups.subList(0, 3))
                        .allSatisfy(g -> assertThat(g.errorCode).isZero());
                assertThat(Errors.forCode(r.groups.get(3).errorCode)).isEqualTo(Errors.INVALID_GROUP_ID);
            }
        }
    }

    static List<String> offsets(OffsetFetchResponseData.OffsetFetchResponseGroup g) {
        List<String> out = new ArrayList<>();
        g.topics.forEach(t -> t.partitions.forEach(p -> {
            assertThat(p.errorCode).isZero();
            out.add(t.name + "-" + p.partitionIndex + "=" + p.committedOffset);
        }));
        return out;
    }

    @Test
    void deleteGroupsV2AnswersEachGroup() throws Exception {
        try (TestConnection c = connect()) {
            stableGroup(c, "busy");
            commit(c, "idle", -1, "", (short) 9);
            DeleteGroupsResponseData r = c.roundTrip(
                    new DeleteGroupsRequestData().setGroupsNames(List.of("idle", "busy", "gone")),
                    new DeleteGroupsResponseData(),
                    (short) 2);
            assertThat(r.results)
                    .extracting(g -> g.groupId + "=" + Errors.forCode(g.errorCode))
                    .containsExactly(
                            "idle=" + Errors.NONE,
                            "busy=" + Errors.NON_EMPTY_GROUP,
                            "gone=" + Errors.GROUP_ID_NOT_FOUND);
            assertThat(listed(c, (short) 5, List.of(), List.of())).containsExactly("busy/Stable");
        }
    }
}
