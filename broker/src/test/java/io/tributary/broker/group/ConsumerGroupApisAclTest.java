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
import io.tributary.protocol.message.ConsumerGroupDescribeRequestData;
import io.tributary.protocol.message.ConsumerGroupDescribeResponseData;
import io.tributary.protocol.message.ConsumerGroupHeartbeatRequestData;
import io.tributary.protocol.message.ConsumerGroupHeartbeatResponseData;
import io.tributary.protocol.message.CreateAclsRequestData;
import io.tributary.protocol.message.CreateAclsResponseData;
import io.tributary.protocol.message.OffsetCommitRequestData;
import io.tributary.protocol.message.OffsetCommitResponseData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14 over a socket: ConsumerGroupHeartbeat (API 68) and ConsumerGroupDescribe (API 69) with
 * Kafka's ACL checks. User:ANONYMOUS may do anything on group "open", nothing on group "hidden",
 * DESCRIBE topic "t" and nothing on topic "secret"; allow.everyone.if.no.acl.found is false.
 * Group "open" starts as a classic group holding offsets only: the first consumer-protocol member
 * takes it over.
 */
class ConsumerGroupApisAclTest {
    private static final String ANONYMOUS = "User:ANONYMOUS";

    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.broker(settings(true));

    private static Map<String, String> settings(boolean anonymousIsSuperUser) {
        Map<String, String> m = new HashMap<>();
        m.put(BrokerConfig.AUTHORIZER_CLASS_NAME, AuthorizerNames.STANDARD_AUTHORIZER);
        m.put(BrokerConfig.ALLOW_EVERYONE_IF_NO_ACL_FOUND, "false");
        if (anonymousIsSuperUser) {
            m.put(BrokerConfig.SUPER_USERS, ANONYMOUS);
        }
        return m;
    }

    @BeforeEach
    void setUp() throws Exception {
        fixture.get().state().topics().create("t", 3, 1, Map.of(), false);
        fixture.get().state().topics().create("secret", 1, 1, Map.of(), false);
        try (TestConnection c = connect()) {
            OffsetCommitResponseData committed = c.roundTrip(
                    new OffsetCommitRequestData()
                            .setGroupId("open")
                            .setGenerationIdOrMemberEpoch(-1)
                            .setMemberId("")
                            .setTopics(List.of(topic("t", 0))),
                    new OffsetCommitResponseData(),
                    (short) 9);
            assertThat(committed.topics.get(0).partitions.get(0).errorCode).isZero();
            CreateAclsResponseData created = c.roundTrip(
                    new CreateAclsRequestData()
                            .setCreations(List.of(
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

    private static ConsumerGroupHeartbeatRequestData join(String group, String... topics) {
        return new ConsumerGroupHeartbeatRequestData()
                .setGroupId(group)
                .setMemberId("member-1")
                .setMemberEpoch(0)
                .setRebalanceTimeoutMs(30_000)
                .setSubscribedTopicNames(List.of(topics))
                .setTopicPartitions(new ArrayList<>());
    }

    @Test
    void heartbeatNeedsReadOnTheGroupAndDescribeOnEverySubscribedTopic() throws Exception {
        try (TestConnection c = connect()) {
            ConsumerGroupHeartbeatResponseData hidden =
                    c.roundTrip(join("hidden", "t"), new ConsumerGroupHeartbeatResponseData(), (short) 1);
            assertThat(Errors.forCode(hidden.errorCode)).isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED);
            ConsumerGroupHeartbeatResponseData secret =
                    c.roundTrip(join("open", "t", "secret"), new ConsumerGroupHeartbeatResponseData(), (short) 1);
            assertThat(Errors.forCode(secret.errorCode)).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED);

            ConsumerGroupHeartbeatResponseData ok =
                    c.roundTrip(join("open", "t"), new ConsumerGroupHeartbeatResponseData(), (short) 1);
            assertThat(Errors.forCode(ok.errorCode)).isEqualTo(Errors.NONE);
            assertThat(ok.memberId).isEqualTo("member-1");
            assertThat(ok.memberEpoch).isEqualTo(1);
            assertThat(ok.heartbeatIntervalMs).isEqualTo(5_000);
            assertThat(ok.assignment.topicPartitions).hasSize(1);
            assertThat(ok.assignment.topicPartitions.get(0).topicId)
                    .isEqualTo(fixture.get().state().topics().topic("t").topicId());
            assertThat(ok.assignment.topicPartitions.get(0).partitions).containsExactly(0, 1, 2);

            // v1 (KIP-1082): the client names itself.
            ConsumerGroupHeartbeatResponseData anonymous =
                    c.roundTrip(join("open", "t").setMemberId(""), new ConsumerGroupHeartbeatResponseData(), (short) 1);
            assertThat(Errors.forCode(anonymous.errorCode)).isEqualTo(Errors.INVALID_REQUEST);
        }
    }

    @Test
    void describeShowsTheConsumerGroupAndRefusesHiddenOnes() throws Exception {
        try (TestConnection c = connect()) {
            c.roundTrip(join("open", "t"), new ConsumerGroupHeartbeatResponseData(), (short) 1);
            ConsumerGroupDescribeResponseData r = c.roundTrip(
                    new ConsumerGroupDescribeRequestData().setGroupIds(List.of("open", "hidden")),
                    new ConsumerGroupDescribeResponseData(),
                    (short) 1);
            assertThat(r.groups)
                    .extracting(g -> g.groupId + "=" + Errors.forCode(g.errorCode))
                    .containsExactly("hidden=GROUP_AUTHORIZATION_FAILED", "open=NONE");
            ConsumerGroupDescribeResponseData.DescribedGroup open = r.groups.get(1);
            assertThat(open.groupState).isEqualTo("Stable");
            assertThat(open.groupEpoch).isEqualTo(1);
            assertThat(open.assignorName).isEqualTo("uniform");
            assertThat(open.members).hasSize(1);
            assertThat(open.members.get(0).memberType).isEqualTo((byte) 1);
            assertThat(open.members.get(0).assignment.topicPartitions.get(0).topicName)
                    .isEqualTo("t");
        }
    }
}
