package io.tributary.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.broker.BrokerFixture;
import io.tributary.broker.TributaryBroker;
import io.tributary.broker.auth.AuthorizerNames;
import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.config.ConfigException;
import io.tributary.broker.group.GroupCoordinatorExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** S1 (ACLs): an authorizer the broker cannot honour stops it at startup, and a broker never enforces less. */
class AuthorizerStartupTest {
    @TempDir
    Path dir;

    @Test
    void theRemovedZooKeeperAuthorizerAndUnknownNamesFailStartupNamingTheKey() {
        assertThatThrownBy(() -> BrokerFixture.start(
                        dir, 0, Map.of(BrokerConfig.AUTHORIZER_CLASS_NAME, AuthorizerNames.REMOVED_ZK_AUTHORIZER)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("authorizer.class.name")
                .hasMessageContaining("removed in Kafka 4.0");
        assertThatThrownBy(() -> BrokerFixture.start(
                        dir, 0, Map.of(BrokerConfig.AUTHORIZER_CLASS_NAME, "com.example.OpenDoorAuthorizer")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("authorizer.class.name")
                .hasMessageContaining("com.example.OpenDoorAuthorizer");
    }

    @Test
    void withAnAuthorizerConfiguredButNoSecurityExtensionNothingIsAllowed() throws Exception {
        BrokerConfig config = BrokerConfig.fromMap(Map.of(
                BrokerConfig.LOG_DIRS,
                dir.toString(),
                BrokerConfig.LISTENERS,
                "PLAINTEXT://127.0.0.1:0",
                BrokerConfig.AUTHORIZER_CLASS_NAME,
                AuthorizerNames.STANDARD_AUTHORIZER,
                BrokerConfig.ALLOW_EVERYONE_IF_NO_ACL_FOUND,
                "true"));
        try (TributaryBroker broker = TributaryBroker.start(config, new GroupCoordinatorExtension());
                Admin admin = Admin.create(Map.of(
                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers(),
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                        "30000"))) {
            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("t", 1, (short) 1)))
                            .all()
                            .get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
            assertThat(broker.state().topics().topic("t")).isNull();
        }
    }
}
