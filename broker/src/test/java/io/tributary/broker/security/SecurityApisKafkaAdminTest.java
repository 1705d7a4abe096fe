package io.tributary.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.broker.BrokerFixture;
import io.tributary.broker.TributaryBroker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * S1: Apache's AdminClient (what kafka-configs.sh --entity-type users and kafka-acls.sh run) against our broker over
 * real sockets: SCRAM users are added, described, survive a restart and are deleted; ACL APIs answer
 * SECURITY_DISABLED while no authorizer is configured, as Kafka does.
 */
class SecurityApisKafkaAdminTest {
    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.broker(Map.of());

    private static Admin admin(TributaryBroker broker) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                "127.0.0.1:" + broker.boundPort(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                "20000",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                "30000"));
    }

    @Test
    void scramUsersAreManagedWithKafkasAdminAndSurviveARestart() throws Exception {
        TributaryBroker broker = fixture.get();
        try (Admin admin = admin(broker)) {
            admin.alterUserScramCredentials(List.of(
                            new UserScramCredentialUpsertion(
                                    "alice", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192), "alice-pw"),
                            new UserScramCredentialUpsertion(
                                    "bob", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "bob-pw")))
                    .all()
                    .get(20, TimeUnit.SECONDS);
        }
        broker = fixture.restart(Map.of());
        try (Admin admin = admin(broker)) {
            Map<String, UserScramCredentialsDescription> users =
                    admin.describeUserScramCredentials().all().get(20, TimeUnit.SECONDS);
            assertThat(users).containsOnlyKeys("alice", "bob");
            assertThat(users.get("alice").credentialInfos())
                    .containsExactly(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192));
            admin.alterUserScramCredentials(
                            List.of(new UserScramCredentialDeletion("alice", ScramMechanism.SCRAM_SHA_256)))
                    .all()
                    .get(20, TimeUnit.SECONDS);
            assertThatThrownBy(() -> admin.describeUserScramCredentials(List.of("alice"))
                            .description("alice")
                            .get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(ResourceNotFoundException.class);
            assertThat(admin.describeUserScramCredentials().all().get(20, TimeUnit.SECONDS))
                    .containsOnlyKeys("bob");
        }
    }

    @Test
    void aclApisSaySecurityIsDisabledWithoutAnAuthorizer() throws Exception {
        try (Admin admin = admin(fixture.get())) {
            AclBinding acl = new AclBinding(
                    new ResourcePattern(ResourceType.TOPIC, "orders", PatternType.LITERAL),
                    new AccessControlEntry("User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW));
            assertThatThrownBy(() -> admin.createAcls(List.of(acl)).all().get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SecurityDisabledException.class);
            assertThatThrownBy(() -> admin.describeAcls(acl.toFilter()).values().get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SecurityDisabledException.class);
        }
    }
}
