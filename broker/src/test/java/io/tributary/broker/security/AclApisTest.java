package io.tributary.broker.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.broker.metadata.BrokerMetadataStore;
import io.tributary.broker.security.acl.AclBinding;
import io.tributary.broker.security.acl.AclFilter;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.AclPermission;
import io.tributary.broker.security.acl.KafkaAcls;
import io.tributary.broker.security.acl.PatternType;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.coordinator.testing.InMemoryCoordinatorLog;
import io.tributary.coordinator.testing.ManualEventLoop;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.CreateAclsRequestData;
import io.tributary.protocol.message.CreateAclsResponseData;
import io.tributary.protocol.message.DeleteAclsRequestData;
import io.tributary.protocol.message.DescribeAclsRequestData;
import io.tributary.protocol.message.DescribeAclsResponseData;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** S1: the three ACL APIs as kafka-acls.sh uses them, and filters that match as Kafka's AclBindingFilter does. */
class AclApisTest {
    private static final String[] NAMES = {"orders", "ord", "o", "*", "payments"};

    private static CreateAclsRequestData.AclCreation creation(
            ResourceType type, String name, PatternType pattern, String principal, AclOperation op) {
        return new CreateAclsRequestData.AclCreation()
                .setResourceType(type.code())
                .setResourceName(name)
                .setResourcePatternType(pattern.code())
                .setPrincipal(principal)
                .setHost("*")
                .setOperation(op.code())
                .setPermissionType(AclPermission.ALLOW.code());
    }

    @Test
    void createDescribeDeleteAsKafkaAclsDoes() throws Exception {
        BrokerMetadataStore store = new BrokerMetadataStore(new ManualEventLoop(), new InMemoryCoordinatorLog());
        store.start().get();
        AclApis apis = new AclApis(store, true);
        CreateAclsResponseData created = apis.create(new CreateAclsRequestData()
                        .setCreations(List.of(
                                creation(
                                        ResourceType.TOPIC,
                                        "orders",
                                        PatternType.LITERAL,
                                        "User:alice",
                                        AclOperation.READ),
                                creation(
                                        ResourceType.TOPIC,
                                        "ord",
                                        PatternType.PREFIXED,
                                        "User:bob",
                                        AclOperation.WRITE),
                                creation(ResourceType.GROUP, "g1", PatternType.LITERAL, "alice", AclOperation.READ),
                                creation(
                                        ResourceType.GROUP,
                                        "g1",
                                        PatternType.LITERAL,
                                        "User:alice",
                                        AclOperation.READ))))
                .get();
        assertThat(created.results)
                .as(created.results.stream().map(r -> r.errorMessage).toList().toString())
                .extracting(r -> Errors.forCode(r.errorCode))
                .containsExactly(Errors.NONE, Errors.NONE, Errors.INVALID_REQUEST, Errors.NONE);
        assertThat(created.results.get(2).errorMessage).contains("principal");

        // kafka-acls.sh --list --topic orders: MATCH finds the literal and the prefixed ACL that apply.
        DescribeAclsResponseData matching = apis.describe(new DescribeAclsRequestData()
                .setResourceTypeFilter(ResourceType.TOPIC.code())
                .setResourceNameFilter("orders")
                .setPatternTypeFilter(PatternType.MATCH.code())
                .setOperation(AclOperation.ANY.code())
                .setPermissionType(AclPermission.ANY.code())
                .setPrincipalFilter(null)
                .setHostFilter(null));
        assertThat(matching.resources)
                .extracting(r -> r.resourceName + "/"
                        + PatternType.fromCode(r.patternType).orElseThrow())
                .containsExactlyInAnyOrder("orders/LITERAL", "ord/PREFIXED");

        var deleted = apis.delete(new DeleteAclsRequestData()
                        .setFilters(List.of(new DeleteAclsRequestData.DeleteAclsFilter()
                                .setResourceTypeFilter(ResourceType.ANY.code())
                                .setResourceNameFilter(null)
                                .setPatternTypeFilter(PatternType.ANY.code())
                                .setPrincipalFilter("User:alice")
                                .setHostFilter(null)
                                .setOperation(AclOperation.ANY.code())
                                .setPermissionType(AclPermission.ANY.code()))))
                .get();
        assertThat(deleted.filterResults.get(0).matchingAcls).hasSize(2);
        assertThat(store.image().acls()).extracting(AclBinding::principal).containsExactly("User:bob");
    }

    @Test
    void withoutAnAuthorizerEveryAclApiSaysSecurityIsDisabled() throws Exception {
        BrokerMetadataStore store = new BrokerMetadataStore(new ManualEventLoop(), new InMemoryCoordinatorLog());
        store.start().get();
        AclApis apis = new AclApis(store, false);
        assertThat(apis.create(new CreateAclsRequestData()
                                .setCreations(List.of(creation(
                                        ResourceType.TOPIC, "t", PatternType.LITERAL, "User:a", AclOperation.READ))))
                        .get()
                        .results
                        .get(0)
                        .errorCode)
                .isEqualTo(Errors.SECURITY_DISABLED.code());
        assertThat(apis.describe(new DescribeAclsRequestData()).errorCode).isEqualTo(Errors.SECURITY_DISABLED.code());
        assertThat(store.image().acls()).isEmpty();
    }

    @Test
    void filtersMatchAsKafkasAclBindingFilter() {
        Random random = new Random(42);
        int checked = 0;
        for (int i = 0; i < 20_000; i++) {
            String name = NAMES[random.nextInt(NAMES.length)];
            PatternType pattern = name.equals("*") || random.nextBoolean() ? PatternType.LITERAL : PatternType.PREFIXED;
            AclBinding acl = new AclBinding(
                    random.nextBoolean() ? ResourceType.TOPIC : ResourceType.GROUP,
                    name,
                    pattern,
                    random.nextBoolean() ? "User:alice" : "User:*",
                    random.nextBoolean() ? "*" : "10.0.0.1",
                    random.nextBoolean() ? AclOperation.READ : AclOperation.ALL,
                    random.nextBoolean() ? AclPermission.ALLOW : AclPermission.DENY);
            PatternType[] filterPatterns = {
                PatternType.ANY, PatternType.MATCH, PatternType.LITERAL, PatternType.PREFIXED
            };
            AclFilter filter = new AclFilter(
                    random.nextBoolean() ? ResourceType.ANY : ResourceType.TOPIC,
                    random.nextInt(4) == 0 ? null : NAMES[random.nextInt(NAMES.length)],
                    filterPatterns[random.nextInt(filterPatterns.length)],
                    random.nextBoolean() ? null : "User:alice",
                    random.nextBoolean() ? null : "*",
                    random.nextBoolean() ? AclOperation.ANY : AclOperation.READ,
                    random.nextBoolean() ? AclPermission.ANY : AclPermission.ALLOW);
            assertThat(filter.matches(acl))
                    .as("%s on %s", filter, acl)
                    .isEqualTo(KafkaAcls.toKafka(filter).matches(KafkaAcls.toKafka(acl)));
            checked++;
        }
        assertThat(checked).isEqualTo(20_000);
    }
}
