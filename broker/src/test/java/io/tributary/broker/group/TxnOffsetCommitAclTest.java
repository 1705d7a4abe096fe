package io.tributary.broker.group;

import static io.tributary.broker.group.TxnOffsetCommitWireTest.errors;
import static io.tributary.broker.group.TxnOffsetCommitWireTest.txnTopic;
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
import io.tributary.protocol.message.TxnOffsetCommitRequestData;
import io.tributary.protocol.message.TxnOffsetCommitResponseData;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11: TxnOffsetCommit's ACL checks, in Kafka's order: WRITE on the transactional id, READ on the group, READ on
 * each topic. User:ANONYMOUS may WRITE transactional id "tx", READ group "g" and topic "t"; nothing else
 * (allow.everyone.if.no.acl.found is false).
 */
class TxnOffsetCommitAclTest {
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
        fixture.get().state().topics().create("t", 1, 1, Map.of(), false);
        fixture.get().state().topics().create("secret", 1, 1, Map.of(), false);
        try (TestConnection c = connect()) {
            CreateAclsResponseData created = c.roundTrip(
                    new CreateAclsRequestData()
                            .setCreations(List.of(
                                    allow(ResourceType.TRANSACTIONAL_ID, "tx", AclOperation.WRITE),
                                    allow(ResourceType.GROUP, "g", AclOperation.READ),
                                    allow(ResourceType.TOPIC, "t", AclOperation.READ))),
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

    private List<String> commit(TestConnection c, String transactionalId, String group) throws Exception {
        TxnOffsetCommitRequestData req = new TxnOffsetCommitRequestData()
                .setTransactionalId(transactionalId)
                .setGroupId(group)
                .setProducerId(9)
                .setProducerEpoch((short) 0)
                .setTopics(List.of(txnTopic("secret", 0), txnTopic("t", 0)));
        return errors(c.roundTrip(req, new TxnOffsetCommitResponseData(), (short) 3));
    }

    @Test
    void transactionalIdThenGroupThenTopicsAreChecked() throws Exception {
        short txnDenied = Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code();
        short groupDenied = Errors.GROUP_AUTHORIZATION_FAILED.code();
        try (TestConnection c = connect()) {
            assertThat(commit(c, "other-tx", "g")).containsExactly("secret-0=" + txnDenied, "t-0=" + txnDenied);
            assertThat(commit(c, "tx", "other-group")).containsExactly("secret-0=" + groupDenied, "t-0=" + groupDenied);
            assertThat(commit(c, "tx", "g"))
                    .containsExactly("secret-0=" + Errors.TOPIC_AUTHORIZATION_FAILED.code(), "t-0=0");
        }
        assertThat(fixture.get()
                        .extension(GroupCoordinatorExtension.class)
                        .coordinator()
                        .completeTransaction(9, (short) 0, true))
                .succeedsWithin(java.time.Duration.ofSeconds(10));
    }
}
