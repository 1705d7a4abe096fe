package io.tributary.broker.security.acl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.utils.SecurityUtils;
import org.apache.kafka.metadata.authorizer.StandardAcl;
import org.apache.kafka.metadata.authorizer.StandardAuthorizer;
import org.apache.kafka.server.authorizer.Action;
import org.apache.kafka.server.authorizer.AuthorizableRequestContext;
import org.apache.kafka.server.authorizer.AuthorizationResult;
import org.junit.jupiter.api.Test;

/**
 * S1 (ACLs): our authorizer decides exactly as Apache Kafka's StandardAuthorizer on random ACL sets, plus the cases a
 * reader checks by eye.
 */
class AclAuthorizerTest {
    private static final String[] NAMES = {"a", "ab", "abc", "b", "c"};
    private static final String[] ACL_NAMES = {"a", "ab", "b", "*"};
    private static final String[] PRINCIPALS = {"User:alice", "User:bob", "User:carol"};
    private static final String[] ACL_PRINCIPALS = {"User:alice", "User:bob", "User:*"};
    private static final String[] HOSTS = {"10.0.0.1", "10.0.0.2"};
    private static final String[] ACL_HOSTS = {"*", "10.0.0.1"};
    private static final ResourceType[] TYPES = {ResourceType.TOPIC, ResourceType.GROUP, ResourceType.TRANSACTIONAL_ID};
    private static final AclOperation[] OPERATIONS = {
        AclOperation.ALL,
        AclOperation.READ,
        AclOperation.WRITE,
        AclOperation.CREATE,
        AclOperation.DELETE,
        AclOperation.ALTER,
        AclOperation.DESCRIBE,
        AclOperation.DESCRIBE_CONFIGS,
        AclOperation.ALTER_CONFIGS,
        AclOperation.IDEMPOTENT_WRITE
    };

    @Test
    void decidesAsKafkasStandardAuthorizerOnRandomAclSets() throws Exception {
        Random random = new Random(20261205L);
        int decisions = 0;
        for (int round = 0; round < 300; round++) {
            boolean allowIfNoAcl = random.nextBoolean();
            Set<String> superUsers = random.nextInt(4) == 0 ? Set.of("User:bob") : Set.of();
            // A set, as the store keeps it: Kafka refuses the same ACL twice.
            Set<AclBinding> distinct = new LinkedHashSet<>();
            int count = random.nextInt(7);
            for (int i = 0; i < count; i++) {
                distinct.add(randomAcl(random));
            }
            List<AclBinding> acls = new ArrayList<>(distinct);
            AclAuthorizer ours = new AclAuthorizer(acls, superUsers, allowIfNoAcl);
            StandardAuthorizer kafka = kafkaAuthorizer(acls, superUsers, allowIfNoAcl);
            for (String principal : PRINCIPALS) {
                for (String host : HOSTS) {
                    for (ResourceType type : TYPES) {
                        for (String name : NAMES) {
                            for (AclOperation op : OPERATIONS) {
                                if (op == AclOperation.ALL) {
                                    continue;
                                }
                                boolean expected = kafkaAllows(kafka, principal, host, op, type, name);
                                assertThat(ours.authorize(principal, host, op, type, name))
                                        .as(
                                                "%s from %s: %s %s '%s' with %s, superUsers %s, allowIfNoAcl %s",
                                                principal, host, op, type, name, acls, superUsers, allowIfNoAcl)
                                        .isEqualTo(expected);
                                decisions++;
                            }
                        }
                    }
                }
            }
            kafka.close();
        }
        assertThat(decisions).isGreaterThan(100_000);
    }

    /** InitProducerId's "WRITE on any topic": Kafka's authorizeByResourceType, compared the same way. */
    @Test
    void authorizesByResourceTypeAsKafkasStandardAuthorizer() throws Exception {
        Random random = new Random(20261206L);
        int allowed = 0;
        int denied = 0;
        for (int round = 0; round < 400; round++) {
            boolean allowIfNoAcl = random.nextInt(4) == 0;
            Set<String> superUsers = random.nextInt(6) == 0 ? Set.of("User:bob") : Set.of();
            Set<AclBinding> distinct = new LinkedHashSet<>();
            int count = random.nextInt(8);
            for (int i = 0; i < count; i++) {
                distinct.add(randomAcl(random));
            }
            List<AclBinding> acls = new ArrayList<>(distinct);
            AclAuthorizer ours = new AclAuthorizer(acls, superUsers, allowIfNoAcl);
            StandardAuthorizer kafka = kafkaAuthorizer(acls, superUsers, allowIfNoAcl);
            for (String principal : PRINCIPALS) {
                for (String host : HOSTS) {
                    for (ResourceType type : TYPES) {
                        for (AclOperation op : OPERATIONS) {
                            if (op == AclOperation.ALL) {
                                continue;
                            }
                            boolean expected = kafka.authorizeByResourceType(
                                            context(principal, host),
                                            org.apache.kafka.common.acl.AclOperation.fromCode(op.code()),
                                            org.apache.kafka.common.resource.ResourceType.fromCode(type.code()))
                                    == AuthorizationResult.ALLOWED;
                            assertThat(ours.authorizeByResourceType(principal, host, op, type))
                                    .as(
                                            "%s from %s: %s any %s with %s, superUsers %s, allowIfNoAcl %s",
                                            principal, host, op, type, acls, superUsers, allowIfNoAcl)
                                    .isEqualTo(expected);
                            if (expected) {
                                allowed++;
                            } else {
                                denied++;
                            }
                        }
                    }
                }
            }
            kafka.close();
        }
        assertThat(allowed).isGreaterThan(1_000);
        assertThat(denied).isGreaterThan(1_000);
    }

    @Test
    void denyWinsReadImpliesDescribeAndNoAclFallsBackToTheSetting() {
        AclBinding allowRead = acl(
                ResourceType.TOPIC,
                "orders",
                PatternType.LITERAL,
                "User:alice",
                AclOperation.READ,
                AclPermission.ALLOW);
        AclBinding denyHost = new AclBinding(
                ResourceType.TOPIC,
                "ord",
                PatternType.PREFIXED,
                "User:*",
                "10.0.0.9",
                AclOperation.ALL,
                AclPermission.DENY);
        AclAuthorizer auth = new AclAuthorizer(List.of(allowRead, denyHost), Set.of("User:admin"), false);
        assertThat(auth.authorize("User:alice", "10.0.0.1", AclOperation.READ, ResourceType.TOPIC, "orders"))
                .isTrue();
        assertThat(auth.authorize("User:alice", "10.0.0.1", AclOperation.DESCRIBE, ResourceType.TOPIC, "orders"))
                .isTrue();
        assertThat(auth.authorize("User:alice", "10.0.0.1", AclOperation.WRITE, ResourceType.TOPIC, "orders"))
                .isFalse();
        assertThat(auth.authorize("User:alice", "10.0.0.9", AclOperation.READ, ResourceType.TOPIC, "orders"))
                .isFalse();
        assertThat(auth.authorize("User:admin", "10.0.0.9", AclOperation.ALTER, ResourceType.TOPIC, "orders"))
                .isTrue();
        assertThat(auth.authorize("User:alice", "10.0.0.1", AclOperation.READ, ResourceType.TOPIC, "other"))
                .isFalse();
        assertThat(new AclAuthorizer(List.of(allowRead), Set.of(), true)
                        .authorize("User:bob", "10.0.0.1", AclOperation.READ, ResourceType.TOPIC, "other"))
                .isTrue();
        assertThat(new AclAuthorizer(List.of(allowRead), Set.of(), true)
                        .authorize("User:bob", "10.0.0.1", AclOperation.READ, ResourceType.TOPIC, "orders"))
                .as("the resource has an ACL, for someone else")
                .isFalse();
    }

    @Test
    void invalidBindingsNameTheBadField() {
        assertThat(acl(ResourceType.TOPIC, "t", PatternType.LITERAL, "alice", AclOperation.READ, AclPermission.ALLOW)
                        .invalidReason())
                .contains("principal");
        assertThat(acl(ResourceType.TOPIC, "*", PatternType.PREFIXED, "User:a", AclOperation.READ, AclPermission.ALLOW)
                        .invalidReason())
                .contains("PREFIXED");
        assertThat(acl(
                                ResourceType.CLUSTER,
                                "c",
                                PatternType.LITERAL,
                                "User:a",
                                AclOperation.ALTER,
                                AclPermission.ALLOW)
                        .invalidReason())
                .contains("kafka-cluster");
        assertThat(acl(ResourceType.ANY, "t", PatternType.LITERAL, "User:a", AclOperation.READ, AclPermission.ALLOW)
                        .invalidReason())
                .contains("resource type");
        assertThat(acl(ResourceType.TOPIC, "t", PatternType.MATCH, "User:a", AclOperation.READ, AclPermission.ALLOW)
                        .invalidReason())
                .contains("pattern type");
        assertThat(acl(ResourceType.TOPIC, "t", PatternType.LITERAL, "User:a", AclOperation.ANY, AclPermission.ALLOW)
                        .invalidReason())
                .contains("operation");
        assertThat(acl(ResourceType.TOPIC, "t", PatternType.LITERAL, "User:a", AclOperation.READ, AclPermission.ANY)
                        .invalidReason())
                .contains("permission");
        assertThat(acl(ResourceType.TOPIC, "t", PatternType.LITERAL, "User:a", AclOperation.READ, AclPermission.ALLOW)
                        .invalidReason())
                .isNull();
        assertThat(AclAuthorizer.parseSuperUsers(" User:a; User:b ;;")).containsExactlyInAnyOrder("User:a", "User:b");
    }

    private static AclBinding acl(
            ResourceType type, String name, PatternType pattern, String principal, AclOperation op, AclPermission p) {
        return new AclBinding(type, name, pattern, principal, "*", op, p);
    }

    private static AclBinding randomAcl(Random random) {
        String name = ACL_NAMES[random.nextInt(ACL_NAMES.length)];
        PatternType pattern = name.equals("*") || random.nextBoolean() ? PatternType.LITERAL : PatternType.PREFIXED;
        return new AclBinding(
                TYPES[random.nextInt(TYPES.length)],
                name,
                pattern,
                ACL_PRINCIPALS[random.nextInt(ACL_PRINCIPALS.length)],
                ACL_HOSTS[random.nextInt(ACL_HOSTS.length)],
                OPERATIONS[random.nextInt(OPERATIONS.length)],
                random.nextInt(3) == 0 ? AclPermission.DENY : AclPermission.ALLOW);
    }

    private static StandardAuthorizer kafkaAuthorizer(List<AclBinding> acls, Set<String> superUsers, boolean allow) {
        StandardAuthorizer kafka = new StandardAuthorizer();
        kafka.withPluginMetrics(new PluginMetricsImpl(new Metrics(), Map.of()));
        Map<String, Object> config = new HashMap<>();
        config.put(StandardAuthorizer.SUPER_USERS_CONFIG, String.join(";", superUsers));
        config.put(StandardAuthorizer.ALLOW_EVERYONE_IF_NO_ACL_IS_FOUND_CONFIG, Boolean.toString(allow));
        kafka.configure(config);
        for (AclBinding a : acls) {
            kafka.addAcl(Uuid.randomUuid(), StandardAcl.fromAclBinding(KafkaAcls.toKafka(a)));
        }
        kafka.completeInitialLoad();
        return kafka;
    }

    private static boolean kafkaAllows(
            StandardAuthorizer kafka, String principal, String host, AclOperation op, ResourceType type, String name)
            throws Exception {
        Action action = new Action(
                org.apache.kafka.common.acl.AclOperation.fromCode(op.code()),
                new ResourcePattern(
                        org.apache.kafka.common.resource.ResourceType.fromCode(type.code()),
                        name,
                        org.apache.kafka.common.resource.PatternType.LITERAL),
                1,
                false,
                false);
        return kafka.authorize(context(principal, host), List.of(action)).get(0) == AuthorizationResult.ALLOWED;
    }

    private static AuthorizableRequestContext context(String principal, String host) throws Exception {
        KafkaPrincipal kp = SecurityUtils.parseKafkaPrincipal(principal);
        InetAddress address = InetAddress.getByName(host);
        AuthorizableRequestContext context = new AuthorizableRequestContext() {
            @Override
            public String listenerName() {
                return "SASL_PLAINTEXT";
            }

            @Override
            public SecurityProtocol securityProtocol() {
                return SecurityProtocol.SASL_PLAINTEXT;
            }

            @Override
            public KafkaPrincipal principal() {
                return kp;
            }

            @Override
            public InetAddress clientAddress() {
                return address;
            }

            @Override
            public int requestType() {
                return 1;
            }

            @Override
            public int requestVersion() {
                return 0;
            }

            @Override
            public String clientId() {
                return "test";
            }

            @Override
            public int correlationId() {
                return 0;
            }
        };
        return context;
    }
}
