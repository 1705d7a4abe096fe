package io.tributary.interop.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * S1 (ACLs), the same scenario against both brokers with {@code authorizer.class.name=StandardAuthorizer}. On a
 * PLAINTEXT listener every client (and Apache's own controller link) is User:ANONYMOUS, so the scenario uses
 * {@code allow.everyone.if.no.acl.found=true}: ANONYMOUS may manage ACLs while the cluster has none, and a topic or
 * group is closed to it by giving another principal an ACL there. Apache applies ACLs asynchronously (controller to
 * broker), so each expectation is awaited on both.
 */
class AclEnforcementInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String ANONYMOUS = "User:ANONYMOUS";

    private final List<AutoCloseable> closeables = new ArrayList<>();

    static java.util.stream.Stream<Target> targets() {
        return Target.selected();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private static AclBinding allow(String principal, ResourceType type, String name, AclOperation op) {
        return new AclBinding(
                new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aclsCloseAndOpenTopicsAndGroupsAsInKafka(Target target) throws Exception {
        RunningBroker broker = target.startDedicated(Map.of(
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "allow.everyone.if.no.acl.found", "true"));
        closeables.add(broker);
        String bootstrap = broker.bootstrapServers();
        Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                "30000"));
        closeables.add(0, admin);
        admin.createTopics(List.of(new NewTopic("orders", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        KafkaProducer<String, String> first = producer(bootstrap);
        for (int i = 0; i < 3; i++) {
            first.send(new ProducerRecord<>("orders", "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
        }

        // Our broker does not advertise DescribeCluster and serves Metadata v0-4, so the AdminClient cannot ask it for
        // authorized operations; AuthorizationTest covers our bit field, this pins what Kafka answers.
        if (target == Target.APACHE) {
            assertClusterOperations(admin);
        }

        admin.createAcls(List.of(
                        allow("User:other", ResourceType.TOPIC, "orders", AclOperation.READ),
                        allow("User:other", ResourceType.GROUP, "readers", AclOperation.READ)))
                .all()
                .get(30, TimeUnit.SECONDS);
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                        .doesNotContain("orders"));
        assertThatThrownBy(() ->
                        admin.describeTopics(List.of("orders")).allTopicNames().get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(() ->
                        admin.describeConsumerGroups(List.of("readers")).all().get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(GroupAuthorizationException.class);
        KafkaConsumer<String, String> assigned = consumer(bootstrap, "free-group");
        assigned.assign(List.of(new TopicPartition("orders", 0)));
        assertThatThrownBy(() -> poll(assigned, 3)).isInstanceOf(TopicAuthorizationException.class);
        KafkaConsumer<String, String> subscribed = consumer(bootstrap, "readers");
        subscribed.subscribe(List.of("orders"));
        assertThatThrownBy(() -> poll(subscribed, 3)).isInstanceOf(AuthorizationException.class);
        KafkaProducer<String, String> refused = producer(bootstrap);
        assertThatThrownBy(() ->
                        refused.send(new ProducerRecord<>("orders", "k", "v")).get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(TopicAuthorizationException.class);

        admin.createAcls(List.of(
                        allow(ANONYMOUS, ResourceType.TOPIC, "orders", AclOperation.READ),
                        allow(ANONYMOUS, ResourceType.TOPIC, "orders", AclOperation.WRITE),
                        allow(ANONYMOUS, ResourceType.GROUP, "readers", AclOperation.READ)))
                .all()
                .get(30, TimeUnit.SECONDS);
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                        .contains("orders"));
        // The assigned consumer refused above recovers in place once granted. The subscribed one does not, on either
        // broker: Kafka 4.3's classic KafkaConsumer keeps failing its group after a GroupAuthorizationException
        // (checked
        // against both for 60 s), so a group member is restarted after a grant, as here.
        assertThat(pollRecovering(assigned, 3))
                .extracting(ConsumerRecord::value)
                .containsExactly("v0", "v1", "v2");
        KafkaConsumer<String, String> served = consumer(bootstrap, "readers");
        served.subscribe(List.of("orders"));
        assertThat(poll(served, 3)).extracting(ConsumerRecord::value).containsExactly("v0", "v1", "v2");
        served.commitSync();
        assertThat(producer(bootstrap)
                        .send(new ProducerRecord<>("orders", "k", "v"))
                        .get(30, TimeUnit.SECONDS)
                        .offset())
                .isEqualTo(3);
        assertThat(Set.copyOf(admin.listTopics().names().get(30, TimeUnit.SECONDS)))
                .contains("orders");
    }

    private static void assertClusterOperations(Admin admin) throws Exception {
        assertThat(admin.describeCluster(new DescribeClusterOptions().includeAuthorizedOperations(true))
                        .authorizedOperations()
                        .get(30, TimeUnit.SECONDS))
                .as("no ACL on the cluster and allow.everyone: every cluster operation")
                .containsExactlyInAnyOrder(
                        AclOperation.CREATE,
                        AclOperation.CLUSTER_ACTION,
                        AclOperation.DESCRIBE_CONFIGS,
                        AclOperation.ALTER_CONFIGS,
                        AclOperation.IDEMPOTENT_WRITE,
                        AclOperation.ALTER,
                        AclOperation.DESCRIBE);
    }

    private KafkaProducer<String, String> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        KafkaProducer<String, String> producer = new KafkaProducer<>(p);
        closeables.add(0, () -> producer.close(Duration.ofSeconds(5)));
        return producer;
    }

    private KafkaConsumer<String, String> consumer(String bootstrap, String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p);
        closeables.add(0, () -> consumer.close(CloseOptions.timeout(Duration.ofSeconds(5))));
        return consumer;
    }

    private static List<ConsumerRecord<String, String>> pollRecovering(KafkaConsumer<String, String> c, int count) {
        List<ConsumerRecord<String, String>> got = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (got.size() < count && System.nanoTime() < deadline) {
            try {
                c.poll(Duration.ofMillis(200)).forEach(got::add);
            } catch (AuthorizationException e) {
                // A refusal fetched before the grant may still surface once; the deadline bounds the retries.
            }
        }
        return got;
    }

    private static List<ConsumerRecord<String, String>> poll(KafkaConsumer<String, String> c, int count) {
        List<ConsumerRecord<String, String>> got = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (got.size() < count && System.nanoTime() < deadline) {
            c.poll(Duration.ofMillis(200)).forEach(got::add);
        }
        return got;
    }
}
