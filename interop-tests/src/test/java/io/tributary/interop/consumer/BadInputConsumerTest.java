package io.tributary.interop.consumer;

import static io.tributary.interop.consumer.Fixtures.consumer;
import static io.tributary.interop.consumer.Fixtures.consumerConfig;
import static io.tributary.interop.consumer.Fixtures.pollUntil;
import static io.tributary.interop.consumer.Fixtures.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.client.common.ConfigException;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.errors.GroupAuthorizationException;
import io.tributary.client.common.errors.InvalidGroupIdException;
import io.tributary.client.common.errors.RecordDeserializationException;
import io.tributary.client.common.errors.TimeoutException;
import io.tributary.client.consumer.ConsumerRebalanceListener;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.client.serialization.Deserializer;
import io.tributary.client.serialization.StringDeserializer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 4 bad input: a deserializer that throws, an unreachable or unresolvable bootstrap
 * server, a topic deleted under the consumer, an invalid group id. Each gives a clear exception
 * (or Kafka's documented carry-on behaviour), never a hang past the configured timeouts.
 * GROUP_AUTHORIZATION_FAILED needs ACLs our broker does not have: its mapping is unit-tested in
 * the client module (GroupErrorsTest) and checked end to end against an Apache node with ACLs.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class BadInputConsumerTest {
    private static final long API_TIMEOUT_MS = 2_000;
    /** Explicit per-call timeout for the remaining calls, to keep the class fast. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(1);
    /** Scheduling slack on a shared two-core machine. */
    private static final long SLACK_MS = 2_000;

    static Stream<Target> targets() {
        return Targets.all();
    }

    /** A value deserializer that rejects one value, as a schema mismatch would. */
    static final class RejectingDeserializer implements Deserializer<String> {
        private final StringDeserializer strings = new StringDeserializer();

        @Override
        public String deserialize(String topic, byte[] data) {
            String s = strings.deserialize(topic, data);
            if ("value-2".equals(s)) {
                throw new IllegalArgumentException("not the expected type: " + s);
            }
            return s;
        }
    }

    private static void assertReturnsWithin(long limitMs, ThrowingCallable call, Class<? extends Throwable> expected) {
        long start = System.nanoTime();
        assertThatThrownBy(call).isInstanceOf(expected);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(tookMs)
                .as("failed after %d ms, limit %d ms", tookMs, limitMs)
                .isLessThanOrEqualTo(limitMs);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void aRecordThatDoesNotDeserializeIsNamedAndCanBeSkipped(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("bad-value");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
        produce(broker.bootstrapServers(), topic, 0, 0, 5, "none");
        TopicPartition tp = new TopicPartition(topic, 0);

        Map<String, Object> config = consumerConfig(broker.bootstrapServers());
        config.put("auto.offset.reset", "earliest");
        try (TributaryConsumer<String, String> c =
                new TributaryConsumer<>(config, new StringDeserializer(), new RejectingDeserializer())) {
            c.assign(List.of(tp));
            List<String> values = new ArrayList<>();
            List<RecordDeserializationException> errors = new CopyOnWriteArrayList<>();
            await().atMost(30, TimeUnit.SECONDS)
                    .pollInSameThread()
                    .pollDelay(Duration.ZERO)
                    .until(() -> {
                        try {
                            c.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                        } catch (RecordDeserializationException e) {
                            errors.add(e);
                        }
                        return !errors.isEmpty();
                    });
            RecordDeserializationException e = errors.get(0);
            assertThat(values).containsExactly("value-0", "value-1");
            assertThat(e.topicPartition()).isEqualTo(tp);
            assertThat(e.offset()).isEqualTo(2);
            assertThat(e.origin()).isEqualTo(RecordDeserializationException.Origin.VALUE);
            assertThat(e)
                    .hasMessageContaining(tp.toString())
                    .hasMessageContaining("offset 2")
                    .hasCauseInstanceOf(IllegalArgumentException.class);
            // As Kafka: the position stays at the bad record, so the next poll fails the same way.
            assertThat(c.position(tp)).isEqualTo(2);
            assertThatThrownBy(() -> {
                        long until = System.currentTimeMillis() + 10_000;
                        while (System.currentTimeMillis() < until) {
                            c.poll(Duration.ofMillis(200));
                        }
                    })
                    .isInstanceOf(RecordDeserializationException.class);

            c.seek(e.topicPartition(), e.offset() + 1);
            List<ConsumerRecord<String, String>> rest = pollUntil(c, 2);
            assertThat(rest).extracting(ConsumerRecord::value).containsExactly("value-3", "value-4");
        }
    }

    @Test
    void anUnreachableBootstrapServerTimesOutWithinTheConfiguredTimeouts() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // Loopback refuses connections to the closed port at once: the consumer keeps retrying.
        Map<String, Object> config = new HashMap<>();
        config.put("group.id", "unreachable");
        config.put("default.api.timeout.ms", Long.toString(API_TIMEOUT_MS));
        TopicPartition tp = new TopicPartition("t", 0);
        try (TributaryConsumer<String, String> c = consumer("127.0.0.1:" + port, config)) {
            assertReturnsWithin(API_TIMEOUT_MS + SLACK_MS, () -> c.partitionsFor("t"), TimeoutException.class);
            long limit = CALL_TIMEOUT.toMillis() + SLACK_MS;
            assertReturnsWithin(limit, () -> c.listTopics(CALL_TIMEOUT), TimeoutException.class);
            assertReturnsWithin(
                    limit,
                    () -> c.commitSync(Map.of(tp, new OffsetAndMetadata(1)), CALL_TIMEOUT),
                    TimeoutException.class);
            assertReturnsWithin(limit, () -> c.committed(java.util.Set.of(tp), CALL_TIMEOUT), TimeoutException.class);
            assertReturnsWithin(limit, () -> c.endOffsets(List.of(tp), CALL_TIMEOUT), TimeoutException.class);
            c.assign(List.of(tp));
            assertReturnsWithin(limit, () -> c.position(tp, CALL_TIMEOUT), TimeoutException.class);
            // poll has no error to report for an unreachable cluster: like Kafka it returns empty on time.
            long start = System.nanoTime();
            assertThat(c.poll(Duration.ofMillis(500)).isEmpty()).isTrue();
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(500 + SLACK_MS);
        }
    }

    @Test
    void anUnresolvableBootstrapHostFailsAtConstructionLikeKafka() {
        Map<String, Object> config = consumerConfig("no-such-host.invalid:9092");
        assertThatThrownBy(() -> new TributaryConsumer<String, String>(config).close())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("No resolvable bootstrap urls given in bootstrap.servers");

        Properties apache = new Properties();
        apache.put("bootstrap.servers", "no-such-host.invalid:9092");
        assertThatThrownBy(() -> new KafkaConsumer<>(
                                apache,
                                new org.apache.kafka.common.serialization.StringDeserializer(),
                                new org.apache.kafka.common.serialization.StringDeserializer())
                        .close())
                .hasStackTraceContaining("No resolvable bootstrap urls given in bootstrap.servers");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void anAssignedTopicDeletedUnderTheConsumer(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("deleted-assigned");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
        produce(broker.bootstrapServers(), topic, 0, 0, 3, "none");
        TopicPartition tp = new TopicPartition(topic, 0);

        // No auto-creation: otherwise the consumer's own metadata requests bring the topic back.
        try (TributaryConsumer<String, String> c = consumer(
                broker.bootstrapServers(),
                Map.of(
                        "auto.offset.reset",
                        "earliest",
                        "allow.auto.create.topics",
                        "false",
                        "default.api.timeout.ms",
                        Long.toString(API_TIMEOUT_MS)))) {
            c.assign(List.of(tp));
            pollUntil(c, 3);
            deleteTopic(broker.bootstrapServers(), topic);

            // Kafka's behaviour with assign(): poll goes on (nothing to return, no exception)...
            long until = System.currentTimeMillis() + 1_500;
            while (System.currentTimeMillis() < until) {
                assertThat(c.poll(Duration.ofMillis(300)).isEmpty()).isTrue();
            }
            assertThat(c.position(tp)).isEqualTo(3);
            // ...and what needs the partition's leader fails on time with a clear exception.
            assertReturnsWithin(API_TIMEOUT_MS + SLACK_MS, () -> c.endOffsets(List.of(tp)), TimeoutException.class);
            c.seekToEnd(List.of(tp));
            assertReturnsWithin(
                    CALL_TIMEOUT.toMillis() + SLACK_MS, () -> c.position(tp, CALL_TIMEOUT), TimeoutException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void aSubscribedTopicDeletedIsRevoked(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("deleted-subscribed");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 2);
        List<Collection<TopicPartition>> revoked = new CopyOnWriteArrayList<>();
        ConsumerRebalanceListener listener = new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                revoked.add(List.copyOf(partitions));
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
        };
        try (TributaryConsumer<String, String> c = consumer(
                broker.bootstrapServers(),
                Map.of(
                        "group.id",
                        KafkaClients.uniqueTopic("deleted-group"),
                        "auto.offset.reset",
                        "earliest",
                        "allow.auto.create.topics",
                        "false",
                        "metadata.max.age.ms",
                        "500"))) {
            c.subscribe(List.of(topic), listener);
            await().atMost(30, TimeUnit.SECONDS)
                    .pollInSameThread()
                    .pollDelay(Duration.ZERO)
                    .until(() -> {
                        c.poll(Duration.ofMillis(200));
                        return c.assignment().size() == 2;
                    });
            deleteTopic(broker.bootstrapServers(), topic);
            await().atMost(30, TimeUnit.SECONDS)
                    .pollInSameThread()
                    .pollDelay(Duration.ZERO)
                    .until(() -> {
                        c.poll(Duration.ofMillis(200));
                        return c.assignment().isEmpty();
                    });
            assertThat(revoked)
                    .anySatisfy(r -> assertThat(r)
                            .containsExactlyInAnyOrder(new TopicPartition(topic, 0), new TopicPartition(topic, 1)));
            assertThat(c.subscription()).containsExactly(topic);
        }
    }

    @Test
    void anEmptyOrBlankGroupIdIsRejectedAtConstructionLikeKafka() {
        for (String groupId : List.of("", "  ")) {
            Map<String, Object> config = consumerConfig("127.0.0.1:9");
            config.put("group.id", groupId);
            assertThatThrownBy(() -> new TributaryConsumer<String, String>(config).close())
                    .isInstanceOf(InvalidGroupIdException.class)
                    .hasMessageContaining("group.id");

            Properties apache = new Properties();
            apache.put("bootstrap.servers", "127.0.0.1:9");
            apache.put("group.id", groupId);
            assertThatThrownBy(() -> new KafkaConsumer<>(
                                    apache,
                                    new org.apache.kafka.common.serialization.StringDeserializer(),
                                    new org.apache.kafka.common.serialization.StringDeserializer())
                            .close())
                    .hasRootCauseInstanceOf(org.apache.kafka.common.errors.InvalidGroupIdException.class);
        }
    }

    @Test
    void groupApisWithoutAGroupIdFailWithInvalidGroupId() {
        // Nothing is sent: the check is local, so any address will do.
        try (TributaryConsumer<String, String> c = consumer("127.0.0.1:9", Map.of())) {
            TopicPartition tp = new TopicPartition("t", 0);
            assertThatThrownBy(() -> c.subscribe(List.of("t")))
                    .isInstanceOf(InvalidGroupIdException.class)
                    .hasMessageContaining("group.id");
            assertThatThrownBy(() -> c.commitSync(Map.of(tp, new OffsetAndMetadata(1))))
                    .isInstanceOf(InvalidGroupIdException.class);
            assertThatThrownBy(() -> c.committed(java.util.Set.of(tp))).isInstanceOf(InvalidGroupIdException.class);
        }
    }

    /**
     * GROUP_AUTHORIZATION_FAILED from a real broker: a dedicated Apache node with the standard
     * authorizer, everything allowed except one group (our broker has no ACLs).
     */
    @Test
    void aGroupTheBrokerDeniesGivesGroupAuthorizationException() throws Exception {
        try (RunningBroker broker = Target.APACHE.startDedicated(Map.of(
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "allow.everyone.if.no.acl.found", "true"))) {
            String bootstrap = broker.bootstrapServers();
            String topic = KafkaClients.uniqueTopic("acl");
            KafkaClients.createTopic(bootstrap, topic, 1);
            String denied = KafkaClients.uniqueTopic("denied-group");
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            try (Admin admin = Admin.create(props)) {
                admin.createAcls(List.of(new AclBinding(
                                new ResourcePattern(ResourceType.GROUP, denied, PatternType.LITERAL),
                                new AccessControlEntry(
                                        "User:ANONYMOUS", "*", AclOperation.ALL, AclPermissionType.DENY))))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            TopicPartition tp = new TopicPartition(topic, 0);
            // The ACL reaches the broker through the metadata log: wait until Apache's consumer sees it.
            Properties apache = new Properties();
            apache.put("bootstrap.servers", bootstrap);
            apache.put("group.id", denied);
            try (KafkaConsumer<String, String> k = new KafkaConsumer<>(
                    apache,
                    new org.apache.kafka.common.serialization.StringDeserializer(),
                    new org.apache.kafka.common.serialization.StringDeserializer())) {
                await().atMost(30, TimeUnit.SECONDS).until(() -> {
                    try {
                        k.committed(
                                java.util.Set.of(new org.apache.kafka.common.TopicPartition(topic, 0)),
                                Duration.ofSeconds(5));
                        return false;
                    } catch (org.apache.kafka.common.errors.GroupAuthorizationException e) {
                        return true;
                    }
                });
            }

            try (TributaryConsumer<String, String> c = consumer(
                    bootstrap, Map.of("group.id", denied, "default.api.timeout.ms", Long.toString(API_TIMEOUT_MS)))) {
                // Not retriable: commit and committed fail at once, not at their deadline.
                assertReturnsWithin(
                        SLACK_MS, () -> c.committed(java.util.Set.of(tp)), GroupAuthorizationException.class);
                assertReturnsWithin(
                        SLACK_MS,
                        () -> c.commitSync(Map.of(tp, new OffsetAndMetadata(0))),
                        GroupAuthorizationException.class);
                c.subscribe(List.of(topic));
                List<RuntimeException> errors = new ArrayList<>();
                await().atMost(API_TIMEOUT_MS + SLACK_MS, TimeUnit.MILLISECONDS)
                        .pollInSameThread()
                        .pollDelay(Duration.ZERO)
                        .until(() -> {
                            try {
                                c.poll(Duration.ofMillis(200));
                            } catch (GroupAuthorizationException e) {
                                errors.add(e);
                            }
                            return !errors.isEmpty();
                        });
                assertThat(errors.get(0)).hasMessageContaining(denied);
                assertThat(((GroupAuthorizationException) errors.get(0)).groupId())
                        .isEqualTo(denied);
                // While refused, every later poll says so again instead of silently returning nothing (the member
                // retries in the background, so a grant needs no restart: KafkaAclsCommandTest).
                assertThatThrownBy(() -> c.poll(Duration.ofMillis(200)))
                        .isInstanceOf(GroupAuthorizationException.class);
            }
        }
    }

    private static void deleteTopic(String bootstrap, String topic) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            await("topic " + topic + " is gone")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> !admin.listTopics()
                            .names()
                            .get(10, TimeUnit.SECONDS)
                            .contains(topic));
        }
    }
}
