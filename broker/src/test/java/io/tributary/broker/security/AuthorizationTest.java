package io.tributary.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.embedded.EmbeddedChannel;
import io.tributary.broker.auth.AuthorizerNames;
import io.tributary.broker.auth.RequestAuthorizer;
import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.config.ConfigException;
import io.tributary.broker.config.SecurityProtocol;
import io.tributary.broker.metadata.MetadataImage;
import io.tributary.broker.network.Connection;
import io.tributary.broker.network.Request;
import io.tributary.broker.security.acl.AclBinding;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.AclPermission;
import io.tributary.broker.security.acl.PatternType;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.MetadataRequestData;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * S1 (ACLs): the per-request decision with principals other than ANONYMOUS, which the wire tests cannot produce
 * until SASL is wired: the request's principal and client address against the current image, super users,
 * allow.everyone.if.no.acl.found, and a change of image applying to the next request.
 */
class AuthorizationTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private Request request(String principal, String host) {
        Connection connection = new Connection(
                new Connection.Listener("SASL_PLAINTEXT", SecurityProtocol.SASL_PLAINTEXT, "localhost", 9092),
                new InetSocketAddress(host, 50_000));
        connection.principal(principal);
        return new Request(
                ApiMessageType.METADATA.apiKey(), (short) 4, 1, "test", new MetadataRequestData(), channel, connection);
    }

    private static AclBinding acl(
            ResourceType type, String name, PatternType pattern, String principal, String host, AclOperation op) {
        return new AclBinding(type, name, pattern, principal, host, op, AclPermission.ALLOW);
    }

    private static MetadataImage image(long version, List<AclBinding> acls) {
        return new MetadataImage(version, Map.of(), acls);
    }

    @Test
    void decidesOnTheRequestsPrincipalAndAddress() {
        AclBinding aliceReads =
                acl(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:alice", "10.0.0.1", AclOperation.READ);
        AclBinding denyBob = new AclBinding(
                ResourceType.TOPIC, "ord", PatternType.PREFIXED, "User:bob", "*", AclOperation.ALL, AclPermission.DENY);
        AclBinding everyoneReadsBob =
                acl(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:*", "*", AclOperation.READ);
        Authorization auth = new Authorization(
                () -> image(1, List.of(aliceReads, denyBob, everyoneReadsBob)), Set.of("User:admin"), false);

        assertThat(auth.authorize(request("User:alice", "10.0.0.1"), AclOperation.READ, ResourceType.TOPIC, "orders"))
                .isTrue();
        assertThat(auth.authorize(
                        request("User:alice", "10.0.0.1"), AclOperation.DESCRIBE, ResourceType.TOPIC, "orders"))
                .as("READ implies DESCRIBE")
                .isTrue();
        assertThat(auth.authorize(request("User:alice", "10.0.0.1"), AclOperation.WRITE, ResourceType.TOPIC, "orders"))
                .isFalse();
        assertThat(auth.authorize(request("User:bob", "10.0.0.1"), AclOperation.READ, ResourceType.TOPIC, "orders"))
                .as("a DENY for bob beats the wildcard ALLOW")
                .isFalse();
        assertThat(auth.authorize(request("User:carol", "10.0.0.7"), AclOperation.READ, ResourceType.TOPIC, "orders"))
                .isTrue();
        assertThat(auth.authorize(request("User:admin", "10.0.0.9"), AclOperation.DELETE, ResourceType.TOPIC, "orders"))
                .as("super user")
                .isTrue();
        assertThat(auth.authorizeCluster(request("User:alice", "10.0.0.1"), AclOperation.ALTER))
                .as("no ACL on the cluster and allow.everyone.if.no.acl.found=false")
                .isFalse();
    }

    @Test
    void theHostIsTheClientsAddress() {
        Authorization auth = new Authorization(
                () -> image(
                        1,
                        List.of(acl(
                                ResourceType.GROUP,
                                "g",
                                PatternType.LITERAL,
                                "User:alice",
                                "10.0.0.1",
                                AclOperation.READ))),
                Set.of(),
                false);
        assertThat(auth.authorize(request("User:alice", "10.0.0.1"), AclOperation.READ, ResourceType.GROUP, "g"))
                .isTrue();
        assertThat(auth.authorize(request("User:alice", "10.0.0.2"), AclOperation.READ, ResourceType.GROUP, "g"))
                .isFalse();
    }

    @Test
    void allowEveryoneAppliesOnlyToResourcesWithoutAcls() {
        Authorization auth = new Authorization(
                () -> image(
                        1,
                        List.of(acl(
                                ResourceType.TOPIC,
                                "secret",
                                PatternType.LITERAL,
                                "User:alice",
                                "*",
                                AclOperation.READ))),
                Set.of(),
                true);
        Request bob = request("User:bob", "10.0.0.1");
        assertThat(auth.authorize(bob, AclOperation.WRITE, ResourceType.TOPIC, "public"))
                .isTrue();
        assertThat(auth.authorize(bob, AclOperation.READ, ResourceType.TOPIC, "secret"))
                .isFalse();
        assertThat(auth.authorizeCluster(bob, AclOperation.ALTER)).isTrue();
    }

    @Test
    void aNewImageAppliesToTheNextRequest() {
        AtomicReference<MetadataImage> current = new AtomicReference<>(image(1, List.of()));
        Authorization auth = new Authorization(current::get, Set.of(), false);
        Request alice = request("User:alice", "10.0.0.1");
        assertThat(auth.authorize(alice, AclOperation.WRITE, ResourceType.TOPIC, "t"))
                .isFalse();
        assertThat(auth.authorizeAny(alice, AclOperation.WRITE, ResourceType.TOPIC))
                .isFalse();

        current.set(image(
                2, List.of(acl(ResourceType.TOPIC, "t", PatternType.PREFIXED, "User:alice", "*", AclOperation.WRITE))));
        assertThat(auth.authorize(alice, AclOperation.WRITE, ResourceType.TOPIC, "t"))
                .isTrue();
        assertThat(auth.authorize(alice, AclOperation.WRITE, ResourceType.TOPIC, "t2"))
                .isTrue();
        assertThat(auth.authorizeAny(alice, AclOperation.WRITE, ResourceType.TOPIC))
                .as("an idempotent producer with WRITE on some topic")
                .isTrue();
        assertThat(auth.authorizeAny(request("User:bob", "10.0.0.1"), AclOperation.WRITE, ResourceType.TOPIC))
                .isFalse();

        current.set(image(3, List.of()));
        assertThat(auth.authorize(alice, AclOperation.WRITE, ResourceType.TOPIC, "t"))
                .isFalse();
    }

    @Test
    void authorizedOperationsIsKafkasBitField() {
        Authorization auth = new Authorization(
                () -> image(
                        1,
                        List.of(acl(
                                ResourceType.CLUSTER,
                                ResourceType.CLUSTER_NAME,
                                PatternType.LITERAL,
                                "User:alice",
                                "*",
                                AclOperation.ALTER))),
                Set.of(),
                false);
        int bits = auth.authorizedOperations(
                request("User:alice", "10.0.0.1"),
                ResourceType.CLUSTER,
                ResourceType.CLUSTER_NAME,
                RequestAuthorizer.CLUSTER_OPERATIONS);
        assertThat(bits).isEqualTo((1 << AclOperation.ALTER.code()) | (1 << AclOperation.DESCRIBE.code()));
    }

    @Test
    void authorizerClassNames() {
        assertThat(AuthorizerNames.enabled(config(""))).isFalse();
        assertThat(AuthorizerNames.enabled(config(AuthorizerNames.STANDARD_AUTHORIZER)))
                .isTrue();
        assertThat(AuthorizerNames.enabled(config(AuthorizerNames.TRIBUTARY_AUTHORIZER)))
                .isTrue();
        assertThatThrownBy(() -> AuthorizerNames.enabled(config("kafka.security.authorizer.AclAuthorizer")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(BrokerConfig.AUTHORIZER_CLASS_NAME)
                .hasMessageContaining("removed in Kafka 4.0")
                .hasMessageContaining(AuthorizerNames.STANDARD_AUTHORIZER);
        assertThatThrownBy(() -> AuthorizerNames.enabled(config("com.example.MyAuthorizer")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(BrokerConfig.AUTHORIZER_CLASS_NAME)
                .hasMessageContaining("com.example.MyAuthorizer");
    }

    private static BrokerConfig config(String authorizer) {
        return BrokerConfig.fromMap(Map.of(
                BrokerConfig.LISTENERS, "PLAINTEXT://127.0.0.1:0", BrokerConfig.AUTHORIZER_CLASS_NAME, authorizer));
    }
}
