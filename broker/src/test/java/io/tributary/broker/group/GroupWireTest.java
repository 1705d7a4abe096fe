package io.tributary.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.broker.BrokerFixture;
import io.tributary.broker.TestConnection;
import io.tributary.broker.network.ApiSupport;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.ApiVersionsRequestData;
import io.tributary.protocol.message.ApiVersionsResponseData;
import io.tributary.protocol.message.CreateTopicsRequestData;
import io.tributary.protocol.message.CreateTopicsResponseData;
import io.tributary.protocol.message.DeleteTopicsRequestData;
import io.tributary.protocol.message.DeleteTopicsResponseData;
import io.tributary.protocol.message.DescribeGroupsRequestData;
import io.tributary.protocol.message.DescribeGroupsResponseData;
import io.tributary.protocol.message.FindCoordinatorRequestData;
import io.tributary.protocol.message.FindCoordinatorResponseData;
import io.tributary.protocol.message.JoinGroupRequestData;
import io.tributary.protocol.message.JoinGroupResponseData;
import io.tributary.protocol.message.MetadataRequestData;
import io.tributary.protocol.message.MetadataResponseData;
import io.tributary.protocol.message.OffsetCommitRequestData;
import io.tributary.protocol.message.OffsetCommitResponseData;
import io.tributary.protocol.message.OffsetDeleteRequestData;
import io.tributary.protocol.message.OffsetDeleteResponseData;
import io.tributary.protocol.message.OffsetFetchRequestData;
import io.tributary.protocol.message.OffsetFetchResponseData;
import io.tributary.protocol.message.SyncGroupRequestData;
import io.tributary.protocol.message.SyncGroupResponseData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The group APIs on the wire, with the checks the broker makes before the coordinator. */
class GroupWireTest {
    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.groups();

    @BeforeEach
    void start() {
        fixture.get().state().topics().create("t", 2, 1, Map.of(), false);
    }

    private TestConnection connect() throws Exception {
        return new TestConnection(fixture.get().boundPort());
    }

    @Test
    void everyGroupApiIsAdvertisedWithItsClassicRange() throws Exception {
        List<Short> group = List.of(
                ApiMessageType.OFFSET_COMMIT.apiKey(),
                ApiMessageType.OFFSET_FETCH.apiKey(),
                ApiMessageType.FIND_COORDINATOR.apiKey(),
                ApiMessageType.JOIN_GROUP.apiKey(),
                ApiMessageType.HEARTBEAT.apiKey(),
                ApiMessageType.LEAVE_GROUP.apiKey(),
                ApiMessageType.SYNC_GROUP.apiKey(),
                ApiMessageType.DESCRIBE_GROUPS.apiKey(),
                ApiMessageType.LIST_GROUPS.apiKey(),
                ApiMessageType.DELETE_GROUPS.apiKey(),
                ApiMessageType.OFFSET_DELETE.apiKey());
        try (TestConnection c = connect()) {
            ApiVersionsResponseData r =
                    c.roundTrip(new ApiVersionsRequestData(), new ApiVersionsResponseData(), (short) 3);
            Map<Short, short[]> ranges = new HashMap<>();
            r.apiKeys.forEach(k -> ranges.put(k.apiKey, new short[] {k.minVersion, k.maxVersion}));
            for (short key : group) {
                ApiSupport.Api api = ApiSupport.api(key);
                assertThat(ranges).as(api.name()).containsKey(key);
                assertThat(ranges.get(key)).as(api.name()).containsExactly(api.advertisedMin(), api.advertisedMax());
            }
        }
    }

    @Test
    void findCoordinatorNamesThisBrokerForGroupsAndNotForTransactions() throws Exception {
        try (TestConnection c = connect()) {
            for (short v = 0; v <= 2; v++) {
                FindCoordinatorResponseData r =
                        c.roundTrip(new FindCoordinatorRequestData().setKey("g"), new FindCoordinatorResponseData(), v);
                assertThat(r.errorCode).isZero();
                assertThat(r.nodeId).isEqualTo(fixture.get().state().nodeId());
                assertThat(r.host).isEqualTo(fixture.get().advertisedHost());
                assertThat(r.port).isEqualTo(fixture.get().advertisedPort());
            }
            FindCoordinatorResponseData txn = c.roundTrip(
                    new FindCoordinatorRequestData().setKey("tx").setKeyType((byte) 1),
                    new FindCoordinatorResponseData(),
                    (short) 2);
            // Issue 11: the fixture installs the transaction coordinator, so this node answers.
            assertThat(txn.errorCode).isEqualTo(Errors.NONE.code());
            assertThat(txn.nodeId).isEqualTo(fixture.get().state().nodeId());
        }
    }

    @Test
    void offsetCommitAnswersUnknownTopicsAndPartitionsPerPartitionAndCommitsTheRest() throws Exception {
        try (TestConnection c = connect()) {
            for (short v = 2; v <= 7; v++) {
                OffsetCommitRequestData req = new OffsetCommitRequestData()
                        .setGroupId("g" + v)
                        .setGenerationIdOrMemberEpoch(-1)
                        .setMemberId("")
                        .setTopics(List.of(topic("nope", 0), topic("t", 0, 1, 5)));
                OffsetCommitResponseData r = c.roundTrip(req, new OffsetCommitResponseData(), v);
                assertThat(errors(r))
                        .as("v%d", v)
                        .containsExactly(
                                "nope-0=" + Errors.UNKNOWN_TOPIC_OR_PARTITION.code(),
                                "t-0=0",
                                "t-1=0",
                                "t-5=" + Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                OffsetFetchResponseData f = c.roundTrip(
                        new OffsetFetchRequestData()
                                .setGroupId("g" + v)
                                .setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic()
                                        .setName("t")
                                        .setPartitionIndexes(List.of(0, 1)))),
                        new OffsetFetchResponseData(),
                        (short) 1);
                assertThat(f.topics.get(0).partitions)
                        .extracting(p -> p.committedOffset)
                        .containsExactly(100L, 101L);
            }
            // Nothing valid: answered without the coordinator, so even an empty group id gets per-partition errors.
            OffsetCommitResponseData none = c.roundTrip(
                    new OffsetCommitRequestData().setGroupId("").setTopics(List.of(topic("nope", 3))),
                    new OffsetCommitResponseData(),
                    (short) 7);
            assertThat(errors(none)).containsExactly("nope-3=" + Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
    }

    @Test
    void emptyGroupIdsAreInvalid() throws Exception {
        try (TestConnection c = connect()) {
            OffsetCommitResponseData commit = c.roundTrip(
                    new OffsetCommitRequestData().setGroupId("").setTopics(List.of(topic("t", 0))),
                    new OffsetCommitResponseData(),
                    (short) 7);
            assertThat(errors(commit)).containsExactly("t-0=" + Errors.INVALID_GROUP_ID.code());
            JoinGroupResponseData join = c.roundTrip(joinRequest(""), new JoinGroupResponseData(), (short) 5);
            assertThat(join.errorCode).isEqualTo(Errors.INVALID_GROUP_ID.code());
            OffsetFetchResponseData fetch = c.roundTrip(
                    new OffsetFetchRequestData().setGroupId("").setTopics(null), new OffsetFetchResponseData(), (short)
                            7);
            assertThat(fetch.errorCode).isEqualTo(Errors.INVALID_GROUP_ID.code());
        }
    }

    @Test
    void offsetDeleteChecksTopicsHereAndTheGroupInTheCoordinator() throws Exception {
        try (TestConnection c = connect()) {
            OffsetDeleteResponseData missing = c.roundTrip(
                    new OffsetDeleteRequestData().setGroupId("nobody").setTopics(List.of(deleteTopic("t", 0))),
                    new OffsetDeleteResponseData(),
                    (short) 0);
            assertThat(missing.errorCode).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());

            c.roundTrip(
                    new OffsetCommitRequestData().setGroupId("g").setTopics(List.of(topic("t", 0, 1))),
                    new OffsetCommitResponseData(),
                    (short) 7);
            OffsetDeleteResponseData r = c.roundTrip(
                    new OffsetDeleteRequestData()
                            .setGroupId("g")
                            .setTopics(List.of(deleteTopic("nope", 0), deleteTopic("t", 0, 9))),
                    new OffsetDeleteResponseData(),
                    (short) 0);
            assertThat(r.errorCode).isZero();
            List<String> got = new ArrayList<>();
            r.topics.forEach(
                    t -> t.partitions.forEach(p -> got.add(t.name + "-" + p.partitionIndex + "=" + p.errorCode)));
            assertThat(got)
                    .containsExactlyInAnyOrder(
                            "nope-0=" + Errors.UNKNOWN_TOPIC_OR_PARTITION.code(),
                            "t-9=" + Errors.UNKNOWN_TOPIC_OR_PARTITION.code(),
                            "t-0=0");
            OffsetFetchResponseData f = c.roundTrip(
                    new OffsetFetchRequestData().setGroupId("g").setTopics(null), new OffsetFetchResponseData(), (short)
                            7);
            assertThat(f.topics.get(0).partitions)
                    .extracting(p -> p.partitionIndex)
                    .containsExactly(1);
        }
    }

    @Test
    void deletingATopicDropsItsCommittedOffsets() throws Exception {
        try (TestConnection c = connect()) {
            c.roundTrip(
                    new OffsetCommitRequestData().setGroupId("g").setTopics(List.of(topic("t", 0), topic("u", 0))),
                    new OffsetCommitResponseData(),
                    (short) 7);
            fixture.get().state().topics().create("u", 1, 1, Map.of(), false);
            c.roundTrip(
                    new OffsetCommitRequestData().setGroupId("g").setTopics(List.of(topic("u", 0))),
                    new OffsetCommitResponseData(),
                    (short) 7);
            DeleteTopicsResponseData d = c.roundTrip(
                    new DeleteTopicsRequestData().setTopicNames(List.of("t")), new DeleteTopicsResponseData(), (short)
                            1);
            assertThat(d.responses.get(0).errorCode).isZero();
            CreateTopicsResponseData created = c.roundTrip(
                    new CreateTopicsRequestData()
                            .setTimeoutMs(5000)
                            .setTopics(List.of(new CreateTopicsRequestData.CreatableTopic()
                                    .setName("t")
                                    .setNumPartitions(2)
                                    .setReplicationFactor((short) 1))),
                    new CreateTopicsResponseData(),
                    (short) 4);
            assertThat(created.topics.get(0).errorCode).isZero();
            OffsetFetchResponseData f = c.roundTrip(
                    new OffsetFetchRequestData().setGroupId("g").setTopics(null), new OffsetFetchResponseData(), (short)
                            7);
            assertThat(f.topics).extracting(t -> t.name).containsExactly("u");
        }
    }

    @Test
    void joinSyncAndDescribeOverTheWireWithTheClientsAddress() throws Exception {
        try (TestConnection c = connect()) {
            JoinGroupResponseData join = c.roundTrip(joinRequest("wire"), new JoinGroupResponseData(), (short) 0);
            assertThat(join.errorCode).isZero();
            assertThat(join.generationId).isEqualTo(1);
            assertThat(join.leader).isEqualTo(join.memberId);
            SyncGroupResponseData sync = c.roundTrip(
                    new SyncGroupRequestData()
                            .setGroupId("wire")
                            .setGenerationId(1)
                            .setMemberId(join.memberId)
                            .setAssignments(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment()
                                    .setMemberId(join.memberId)
                                    .setAssignment(new byte[] {1, 2, 3}))),
                    new SyncGroupResponseData(),
                    (short) 0);
            assertThat(sync.errorCode).isZero();
            assertThat(sync.assignment).containsExactly(1, 2, 3);
            DescribeGroupsResponseData d = c.roundTrip(
                    new DescribeGroupsRequestData().setGroups(List.of("wire")),
                    new DescribeGroupsResponseData(),
                    (short) 0);
            DescribeGroupsResponseData.DescribedGroup g = d.groups.get(0);
            assertThat(g.groupState).isEqualTo("Stable");
            assertThat(g.protocolData).isEqualTo("range");
            assertThat(g.members).hasSize(1);
            assertThat(g.members.get(0).clientId).isEqualTo("test-client");
            assertThat(g.members.get(0).clientHost).isEqualTo("/127.0.0.1");
            assertThat(g.members.get(0).memberAssignment).containsExactly(1, 2, 3);
        }
    }

    @Test
    void theCoordinatorLogIsNotATopic() throws Exception {
        try (TestConnection c = connect()) {
            c.roundTrip(
                    new OffsetCommitRequestData().setGroupId("g").setTopics(List.of(topic("t", 0))),
                    new OffsetCommitResponseData(),
                    (short) 7);
            MetadataResponseData md =
                    c.roundTrip(new MetadataRequestData().setTopics(null), new MetadataResponseData(), (short) 4);
            assertThat(md.topics).extracting(t -> t.name).containsExactly("t");
        }
        assertThat(fixture.dir().resolve(StorageCoordinatorLog.DIR_NAME)).isDirectory();
    }

    @Test
    void defaultRequestsOfEveryGroupApiAtEveryAdvertisedVersionAreAnswered() throws Exception {
        List<Short> group = List.of(
                ApiMessageType.OFFSET_COMMIT.apiKey(),
                ApiMessageType.OFFSET_FETCH.apiKey(),
                ApiMessageType.FIND_COORDINATOR.apiKey(),
                ApiMessageType.JOIN_GROUP.apiKey(),
                ApiMessageType.HEARTBEAT.apiKey(),
                ApiMessageType.LEAVE_GROUP.apiKey(),
                ApiMessageType.SYNC_GROUP.apiKey(),
                ApiMessageType.DESCRIBE_GROUPS.apiKey(),
                ApiMessageType.LIST_GROUPS.apiKey(),
                ApiMessageType.DELETE_GROUPS.apiKey(),
                ApiMessageType.OFFSET_DELETE.apiKey());
        try (TestConnection c = connect()) {
            for (short key : group) {
                ApiSupport.Api api = ApiSupport.api(key);
                for (short v = api.advertisedMin(); v <= api.advertisedMax(); v++) {
                    // Empty group ids, zero timeouts, no members: every one must get an answer
                    // that encodes at this version (an encoding failure would close the connection).
                    io.tributary.protocol.ApiMessage resp =
                            c.roundTrip(api.type().newRequest(), api.type().newResponse(), v);
                    assertThat(resp).as("%s v%d", api.name(), v).isNotNull();
                }
            }
        }
    }

    static JoinGroupRequestData joinRequest(String group) {
        return new JoinGroupRequestData()
                .setGroupId(group)
                .setSessionTimeoutMs(10_000)
                .setRebalanceTimeoutMs(10_000)
                .setMemberId("")
                .setProtocolType("consumer")
                .setProtocols(List.of(new JoinGroupRequestData.JoinGroupRequestProtocol()
                        .setName("range")
                        .setMetadata(new byte[] {0, 0, 0, 0, 0, 0})));
    }

    static OffsetCommitRequestData.OffsetCommitRequestTopic topic(String name, int... partitions) {
        OffsetCommitRequestData.OffsetCommitRequestTopic t =
                new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(name);
        for (int p : partitions) {
            t.partitions.add(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                    .setPartitionIndex(p)
                    .setCommittedOffset(100 + p));
        }
        return t;
    }

    static OffsetDeleteRequestData.OffsetDeleteRequestTopic deleteTopic(String name, int... partitions) {
        OffsetDeleteRequestData.OffsetDeleteRequestTopic t =
                new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName(name);
        for (int p : partitions) {
            t.partitions.add(new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(p));
        }
        return t;
    }

    static List<String> errors(OffsetCommitResponseData r) {
        List<String> out = new ArrayList<>();
        r.topics.forEach(t -> t.partitions.forEach(p -> out.add(t.name + "-" + p.partitionIndex + "=" + p.errorCode)));
        return out;
    }
}
