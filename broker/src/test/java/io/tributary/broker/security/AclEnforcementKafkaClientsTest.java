package io.tributary.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.broker.BrokerFixture;
import io.tributary.broker.auth.AuthorizerNames;
import io.tributary.broker.config.BrokerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * S1 (ACLs): Apache's own clients against our broker over real sockets with
 * {@code authorizer.class.name=StandardAuthorizer} and {@code allow.everyone.if.no.acl.found=false}. Every PLAINTEXT
 * client is User:ANONYMOUS, so each test first runs the broker with User:ANONYMOUS as a super user to create topics,
 * records and ACLs with Kafka's AdminClient, then restarts it without super users: what is allowed afterwards comes
 * only from ACLs that survived the restart, and grants made then apply to the next request without one.
 */
class AclEnforcementKafkaClientsTest {
    private static final String ANONYMOUS = "User:ANONYMOUS";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.broker(settings(true));

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeClients() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private static Map<String, String> settings(boolean anonymousIsSuperUser) {
        Map<String, String> m = new HashMap<>();
        m.put(BrokerConfig.AUTHORIZER_CLASS_NAME, AuthorizerNames.STANDARD_AUTHORIZER);
        m.put(BrokerConfig.ALLOW_EVERYONE_IF_NO_ACL_FOUND, "false");
        m.put(BrokerConfig.GROUP_MIN_SESSION_TIMEOUT_MS, "100");
        m.put(BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0");
        if (anonymousIsSuperUser) {
            m.put(BrokerConfig.SUPER_USERS, "User:admin;" + ANONYMOUS);
        }
        return m;
    }

    /** From here on only ACLs decide: the broker restarts without User:ANONYMOUS as a super user. */
    private void enforce() {
        fixture.restart(settings(false));
    }

    private String bootstrap() {
        return fixture.get().bootstrapServers();
    }

    private Admin admin() {
        Admin a = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "20000",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000"));
        closeables.add(0, a);
        return a;
    }

    private KafkaConsumer<String, String> consumer(String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> c = new KafkaConsumer<>(p);
        closeables.add(0, () -> c.close(CloseOptions.timeout(Duration.ofSeconds(5))));
        return c;
    }

    private KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "20000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        KafkaProducer<String, String> pr = new KafkaProducer<>(p);
        closeables.add(0, () -> pr.close(Duration.ofSeconds(5)));
        return pr;
    }

    private static AclBinding allow(ResourceType type, String name, PatternType pattern, AclOperation op) {
        return new AclBinding(
                new ResourcePattern(type, name, pattern),
                new AccessControlEntry(ANONYMOUS, "*", op, AclPermissionType.ALLOW));
    }

    private static AclBinding allow(ResourceType type, String name, AclOperation op) {
        return allow(type, name, PatternType.LITERAL, op);
    }

    private static AclBinding cluster(AclOperation op) {
        return allow(ResourceType.CLUSTER, "kafka-cluster", op);
    }

    private static void grant(Admin admin, AclBinding... acls) throws Exception {
        admin.createAcls(List.of(acls)).all().get(20, TimeUnit.SECONDS);
    }

    /** As the super user: topics, some records, and the cluster ACLs that let ANONYMOUS manage ACLs afterwards. */
    private void setUp(Set<String> topics, int records, AclBinding... acls) throws Exception {
        Admin admin = admin();
        List<NewTopic> create = new ArrayList<>();
        topics.forEach(t -> create.add(new NewTopic(t, 1, (short) 1)));
        admin.createTopics(create).all().get(20, TimeUnit.SECONDS);
        if (records > 0) {
            KafkaProducer<String, String> p = producer();
            for (int i = 0; i < records; i++) {
                p.send(new ProducerRecord<>("orders", "k" + i, "v" + i)).get(20, TimeUnit.SECONDS);
            }
        }
        if (acls.length > 0) {
            grant(admin, acls);
        }
    }

    /** Polls until {@code count} records arrive; an error of the consumer is thrown from here. */
    private static List<ConsumerRecord<String, String>> poll(KafkaConsumer<String, String> c, int count) {
        List<ConsumerRecord<String, String>> got = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (got.size() < count && System.nanoTime() < deadline) {
            c.poll(Duration.ofMillis(200)).forEach(got::add);
        }
        return got;
    }

    @Test
    void aConsumerIsRefusedUntilGrantedAndThenServedWithoutARestart() throws Exception {
        setUp(Set.of("orders"), 3, cluster(AclOperation.ALTER), cluster(AclOperation.DESCRIBE));
        enforce();

        KafkaConsumer<String, String> refused = consumer("readers");
        refused.subscribe(List.of("orders"));
        assertThatThrownBy(() -> poll(refused, 3)).isInstanceOf(AuthorizationException.class);

        Admin admin = admin();
        grant(admin, allow(ResourceType.GROUP, "readers", AclOperation.READ));
        KafkaConsumer<String, String> noTopic = consumer("readers");
        noTopic.subscribe(List.of("orders"));
        assertThatThrownBy(() -> poll(noTopic, 3))
                .isInstanceOf(TopicAuthorizationException.class)
                .satisfies(e -> assertThat(((TopicAuthorizationException) e).unauthorizedTopics())
                        .containsExactly("orders"));

        grant(admin, allow(ResourceType.TOPIC, "orders", AclOperation.READ));
        KafkaConsumer<String, String> served = consumer("readers");
        served.subscribe(List.of("orders"));
        assertThat(poll(served, 3)).extracting(ConsumerRecord::value).containsExactly("v0", "v1", "v2");
        served.commitSync();
        assertThat(served.committed(Set.of(new TopicPartition("orders", 0)))
                        .get(new TopicPartition("orders", 0))
                        .offset())
                .isEqualTo(3);
    }

    @Test
    void anIdempotentProducerNeedsOnlyWriteOnTheTopic() throws Exception {
        setUp(Set.of("orders"), 0, cluster(AclOperation.ALTER));
        enforce();

        KafkaProducer<String, String> refused = producer();
        assertThatThrownBy(() ->
                        refused.send(new ProducerRecord<>("orders", "k", "v")).get(20, TimeUnit.SECONDS))
                .satisfies(e -> assertThat(authorizationCause(e)).isNotNull());

        grant(admin(), allow(ResourceType.TOPIC, "orders", AclOperation.WRITE));
        // No IDEMPOTENT_WRITE on the cluster: InitProducerId is allowed by WRITE on a topic (KIP-679).
        KafkaProducer<String, String> served = producer();
        assertThat(served.send(new ProducerRecord<>("orders", "k", "v"))
                        .get(20, TimeUnit.SECONDS)
                        .offset())
                .isZero();
    }

    @Test
    void topicsAClientMayNotDescribeAreHiddenAndOperationsNeedTheirAcls() throws Exception {
        setUp(
                Set.of("visible", "hidden"),
                0,
                cluster(AclOperation.ALTER),
                allow(ResourceType.TOPIC, "visible", AclOperation.DESCRIBE));
        enforce();
        Admin admin = admin();

        assertThat(admin.listTopics().names().get(20, TimeUnit.SECONDS)).containsExactly("visible");
        assertThat(admin.describeTopics(List.of("visible")).allTopicNames().get(20, TimeUnit.SECONDS))
                .containsOnlyKeys("visible");
        for (String name : List.of("hidden", "does-not-exist")) {
            assertThatThrownBy(() ->
                            admin.describeTopics(List.of(name)).allTopicNames().get(20, TimeUnit.SECONDS))
                    .as("existing or not, %s looks the same", name)
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        assertThatThrownBy(() -> admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "hidden")))
                        .all()
                        .get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(() -> admin.deleteTopics(List.of("visible")).all().get(20, TimeUnit.SECONDS))
                .as("DESCRIBE does not grant DELETE")
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("fresh-1", 1, (short) 1)))
                        .all()
                        .get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(TopicAuthorizationException.class);

        grant(
                admin,
                allow(ResourceType.TOPIC, "fresh-", PatternType.PREFIXED, AclOperation.CREATE),
                allow(ResourceType.TOPIC, "fresh-", PatternType.PREFIXED, AclOperation.DELETE));
        admin.createTopics(List.of(new NewTopic("fresh-1", 1, (short) 1))).all().get(20, TimeUnit.SECONDS);
        assertThat(admin.listTopics().names().get(20, TimeUnit.SECONDS))
                .containsExactlyInAnyOrder("visible", "fresh-1");
        admin.deleteTopics(List.of("fresh-1")).all().get(20, TimeUnit.SECONDS);
        assertThat(fixture.get().state().topics().topic("fresh-1")).isNull();
        assertThat(fixture.get().state().topics().topic("hidden")).isNotNull();
    }

    @Test
    void groupsAClientMayNotDescribeAreLeftOutAndRefused() throws Exception {
        // No ACL on the cluster: ALTER there would imply DESCRIBE, which lists every group.
        setUp(Set.of("orders"), 1, allow(ResourceType.GROUP, "g-visible", AclOperation.DESCRIBE));
        for (String group : List.of("g-visible", "g-hidden")) {
            KafkaConsumer<String, String> c = consumer(group);
            c.assign(List.of(new TopicPartition("orders", 0)));
            c.commitSync(Map.of(new TopicPartition("orders", 0), new OffsetAndMetadata(1)));
        }
        enforce();
        Admin admin = admin();

        Collection<GroupListing> listed =
                admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get(20, TimeUnit.SECONDS);
        assertThat(listed).extracting(GroupListing::groupId).containsExactly("g-visible");
        assertThat(admin.describeConsumerGroups(List.of("g-visible")).all().get(20, TimeUnit.SECONDS))
                .containsOnlyKeys("g-visible");
        assertThatThrownBy(() ->
                        admin.describeConsumerGroups(List.of("g-hidden")).all().get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(GroupAuthorizationException.class);
        // Kafka's KafkaApis checks DESCRIBE (not READ) on the group for OffsetFetch (issue 10).
        assertThat(admin.listConsumerGroupOffsets("g-visible")
                        .partitionsToOffsetAndMetadata()
                        .get(20, TimeUnit.SECONDS))
                .as("DESCRIBE is enough to read committed offsets")
                .isNotNull();
        assertThatThrownBy(() -> admin.listConsumerGroupOffsets("g-hidden")
                        .partitionsToOffsetAndMetadata()
                        .get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(GroupAuthorizationException.class);
        assertThatThrownBy(() ->
                        admin.deleteConsumerGroups(List.of("g-visible")).all().get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(GroupAuthorizationException.class);

        // Nobody may create ACLs here, so the grant goes to the store as CreateAcls would write it.
        fixture.get()
                .extension(SecurityExtension.class)
                .store()
                .createAcls(List.of(new io.tributary.broker.security.acl.AclBinding(
                        io.tributary.broker.security.acl.ResourceType.CLUSTER,
                        "kafka-cluster",
                        io.tributary.broker.security.acl.PatternType.LITERAL,
                        ANONYMOUS,
                        "*",
                        io.tributary.broker.security.acl.AclOperation.DESCRIBE,
                        io.tributary.broker.security.acl.AclPermission.ALLOW)))
                .get(20, TimeUnit.SECONDS);
        assertThat(admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get(20, TimeUnit.SECONDS))
                .as("DESCRIBE on the cluster lists every group")
                .extracting(GroupListing::groupId)
                .containsExactlyInAnyOrder("g-visible", "g-hidden");
    }

    @Test
    void theSecurityApisNeedClusterPermissions() throws Exception {
        setUp(Set.of(), 0);
        enforce();
        Admin admin = admin();
        AclBinding acl = allow(ResourceType.TOPIC, "orders", AclOperation.READ);
        assertThatThrownBy(() -> admin.createAcls(List.of(acl)).all().get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ClusterAuthorizationException.class);
        assertThatThrownBy(
                        () -> admin.describeAcls(AclBindingFilter.ANY).values().get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ClusterAuthorizationException.class);
        assertThatThrownBy(() ->
                        admin.deleteAcls(List.of(AclBindingFilter.ANY)).all().get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ClusterAuthorizationException.class);
        assertThatThrownBy(() -> admin.describeUserScramCredentials().all().get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ClusterAuthorizationException.class);
        assertThatThrownBy(() -> admin.alterUserScramCredentials(
                                List.of(new UserScramCredentialDeletion("alice", ScramMechanism.SCRAM_SHA_256)))
                        .all()
                        .get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ClusterAuthorizationException.class);
    }

    @Test
    void aclsAreDurableAcrossRestarts() throws Exception {
        AclBinding readOrders = allow(ResourceType.TOPIC, "orders", AclOperation.READ);
        AclBinding writePrefix = allow(ResourceType.TOPIC, "ord", PatternType.PREFIXED, AclOperation.WRITE);
        setUp(
                Set.of("orders"),
                0,
                cluster(AclOperation.ALTER),
                cluster(AclOperation.DESCRIBE),
                readOrders,
                writePrefix);
        enforce();
        Admin admin = admin();
        assertThat(admin.describeAcls(AclBindingFilter.ANY).values().get(20, TimeUnit.SECONDS))
                .containsExactlyInAnyOrder(
                        cluster(AclOperation.ALTER), cluster(AclOperation.DESCRIBE), readOrders, writePrefix);
        admin.deleteAcls(List.of(writePrefix.toFilter())).all().get(20, TimeUnit.SECONDS);

        fixture.restart(settings(false));
        Admin again = admin();
        assertThat(again.describeAcls(AclBindingFilter.ANY).values().get(20, TimeUnit.SECONDS))
                .containsExactlyInAnyOrder(cluster(AclOperation.ALTER), cluster(AclOperation.DESCRIBE), readOrders);
        assertThat(again.listTopics().names().get(20, TimeUnit.SECONDS))
                .as("READ on orders, kept across two restarts, still implies DESCRIBE")
                .containsExactly("orders");
    }

    private static AuthorizationException authorizationCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AuthorizationException a) {
                return a;
            }
        }
        return null;
    }
}
