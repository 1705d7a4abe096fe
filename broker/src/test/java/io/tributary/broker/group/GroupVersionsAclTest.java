package io.tributary.broker.group;

import static io.tributary.broker.group.GroupWireTest.topic;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.broker.BrokerFixture;
import io.tributary.broker.TestConnection;
import io.tributary.broker.auth.AuthorizerNames;
import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.AclPermission;
import io.tributary.broker.security.acl.PatternType;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.CreateAclsRequestData;
import io.tributary.protocol.message.CreateAclsResponseData;
import io.tributary.protocol.message.DescribeGroupsRequestData;
import io.tributary.protocol.message.DescribeGroupsResponseData;
import io.tributary.protocol.message.FindCoordinatorRequestData;
import io.tributary.protocol.message.FindCoordinatorResponseData;
import io.tributary.protocol.message.OffsetCommitRequestData;
import io.tributary.protocol.message.OffsetCommitResponseData;
import io.tributary.protocol.message.OffsetFetchRequestData;
import io.tributary.protocol.message.OffsetFetchResponseData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10 item 5 (group half) with ACLs: the batched group APIs check each group (and topic) on its own, as Kafka's
 * KafkaApis does. User:ANONYMOUS (every PLAINTEXT client) may DESCRIBE group "visible" and topic "t", do anything on
 * group "open", and nothing on group "hidden" or topic "secret"; allow.everyone.if.no.acl.found is false.
 */
class GroupVersionsAclTest {
    private static final String ANONYMOUS = "User:ANONYMOUS";
    private static final int DESCRIBE_ONLY = 1 << AclOperation.DESCRIBE.code();

    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.broker(settings(true));

    private static Map<String, String> settings(boolean anonymousIsSuperUser) {
        Map<String, String> m = new HashMap<>();
        m.put(BrokerConfig.AUTHORIZER_CLASS_NAME, AuthorizerNames.STANDARD_AUTHORIZER);
        m.put(BrokerConfig.ALLOW_EVERYONE_IF_NO_ACL_FOUND, "false");
        m.put(BrokerConfig.GROUP_MIN_SESSION_TIMEOUT_MS, "100");
        m.put(BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0");
        if (anonymousIsSuperUser) {
            m.put(BrokerConfig.SUPER_USERS, ANONYMOUS);
        }
        return m;
    }

    /** As a super user: topics, offsets in every group, the ACLs; then a restart leaves only the ACLs to decide. */
    @BeforeEach
    void setUp() throws Exception {
        fixture.get().state().topics().create("t", 1, 1, Map.of(), false);
        fixture.get().state().topics().create("secret", 1, 1, Map.of(), false);
        try (TestConnection c = connect()) {
            for (String group : List.of("visible", "open", "hidden")) {
                OffsetCommitResponseData r = c.roundTrip(
                        new OffsetCommitRequestData()
                                .setGroupId(group)
                                .setGenerationIdOrMemberEpoch(-1)
                                .setMemberId("")
                                .setTopics(List.of(topic("t", 0), topic("secret", 0))),
                        new OffsetCommitResponseData(),
                        (short) 9);
                r.topics.forEach(
                        t -> t.partitions.forEach(p -> assertThat(p.errorCode).isZero()));
            }
            CreateAclsResponseData created = c.roundTrip(
                    new CreateAclsRequestData()
                            .setCreations(List.of(
                                    allow(ResourceType.GROUP, "visible", AclOperation.DESCRIBE),
                                    allow(ResourceType.GROUP, "open", AclOperation.ALL),
                                    allow(ResourceType.TOPIC, "t", AclOperation.DESCRIBE))),
                    new CreateAclsResponseData(),
                    (short) 3);
            assertThat(created.results).allSatisfy(r -> assertThat(r.errorCode).isZero());
        }
        fixture.restart(settings(false));
    }

    private static CreateAclsRequestData.AclCreation allow(ResourceType type, String name, AclOperation op) {
        return new CreateAclsRequestData.AclCreation()
                .setResourceType(type.code())
                .setResourceName(name)
                .setResourcePatternType(PatternType.LITERAL.code())
                .setPrincipal(ANONYMOUS)
                .setHost("*")
                .setOperation(op.code())
                .setPermissionType(AclPermission.ALLOW.code());
    }

    private TestConnection connect() throws Exception {
        return new TestConnection(fixture.get().boundPort());
    }

    @Test
    void findCoordinatorV4RefusesOnlyTheKeysItMayNotDescribeInRequestOrder() throws Exception {
        try (TestConnection c = connect()) {
            FindCoordinatorResponseData r = c.roundTrip(
                    new FindCoordinatorRequestData().setCoordinatorKeys(List.of("visible", "hidden", "open")),
                    new FindCoordinatorResponseData(),
                    (short) 4);
            assertThat(r.coordinators)
                    .extracting(k -> k.key + "=" + Errors.forCode(k.errorCode) + "@" + k.nodeId)
                    .containsExactly(
                            "visible=NONE@" + fixture.get().state().nodeId(),
                            "hidden=GROUP_AUTHORIZATION_FAILED@-1",
                            "open=NONE@" + fixture.get().state().nodeId());
        }
    }

    @Test
    void describeGroupsReportsTheOperationsTheAclsGrantAndRefusedGroupsFirst() throws Exception {
        try (TestConnection c = connect()) {
            DescribeGroupsResponseData r = c.roundTrip(
                    new DescribeGroupsRequestData()
                            .setGroups(List.of("visible", "hidden", "open"))
                            .setIncludeAuthorizedOperations(true),
                    new DescribeGroupsResponseData(),
                    (short) 5);
            assertThat(r.groups)
                    .extracting(g -> g.groupId + "=" + Errors.forCode(g.errorCode) + "/" + g.authorizedOperations)
                    .containsExactly(
                            "hidden=GROUP_AUTHORIZATION_FAILED/" + Integer.MIN_VALUE,
                            "visible=NONE/" + DESCRIBE_ONLY,
                            "open=NONE/" + GroupAdminVersionsTest.ALL_GROUP_OPERATIONS);
        }
    }

    @Test
    void offsetFetchV8ChecksEachGroupAndItsTopicsWithDescribe() throws Exception {
        try (TestConnection c = connect()) {
            OffsetFetchResponseData r = c.roundTrip(
                    new OffsetFetchRequestData()
                            .setGroups(List.of(
                                    new OffsetFetchRequestData.OffsetFetchRequestGroup()
                                            .setGroupId("hidden")
                                            .setTopics(null),
                                    new OffsetFetchRequestData.OffsetFetchRequestGroup()
                                            .setGroupId("visible")
                                            .setTopics(List.of(
                                                    new OffsetFetchRequestData.OffsetFetchRequestTopics()
                                                            .setName("secret")
                                                            .setPartitionIndexes(List.of(0)),
                                                    new OffsetFetchRequestData.OffsetFetchRequestTopics()
                                                            .setName("t")
                                                            .setPartitionIndexes(List.of(0)))),
                                    new OffsetFetchRequestData.OffsetFetchRequestGroup()
                                            .setGroupId("open")
                                            .setTopics(null))),
                    new OffsetFetchResponseData(),
                    (short) 8);
            assertThat(r.groups).extracting(g -> g.groupId).containsExactly("hidden", "visible", "open");
            assertThat(Errors.forCode(r.groups.get(0).errorCode)).isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED);
            assertThat(r.groups.get(0).topics).isEmpty();
            assertThat(partitions(r.groups.get(1)))
                    .containsExactly("t-0=100/NONE", "secret-0=-1/TOPIC_AUTHORIZATION_FAILED");
            // All topics asked for: the one it may not describe is left out, silently.
            assertThat(partitions(r.groups.get(2))).containsExactly("t-0=100/NONE");

            // DESCRIBE on the group is enough at the single-group versions too (Kafka's check, not READ).
            OffsetFetchResponseData v7 = c.roundTrip(
                    new OffsetFetchRequestData()
                            .setGroupId("visible")
                            .setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic()
                                    .setName("t")
                                    .setPartitionIndexes(List.of(0)))),
                    new OffsetFetchResponseData(),
                    (short) 7);
            assertThat(v7.errorCode).isZero();
            assertThat(v7.topics.get(0).partitions.get(0).committedOffset).isEqualTo(100);
            OffsetFetchResponseData hiddenV7 = c.roundTrip(
                    new OffsetFetchRequestData().setGroupId("hidden").setTopics(null),
                    new OffsetFetchResponseData(),
                    (short) 7);
            assertThat(Errors.forCode(hiddenV7.errorCode)).isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED);
        }
    }

    private static List<String> partitions(OffsetFetchResponseData.OffsetFetchResponseGroup g) {
        List<String> out = new ArrayList<>();
        g.topics.forEach(t -> t.partitions.forEach(p -> out.add(
                t.name + "-" + p.partitionIndex + "=" + p.committedOffset + "/" + Errors.forCode(p.errorCode))));
        return out;
    }
}
