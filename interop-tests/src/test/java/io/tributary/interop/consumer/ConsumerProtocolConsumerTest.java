package io.tributary.interop.consumer;

import static io.tributary.interop.consumer.Fixtures.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.SubscriptionPattern;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 14 item 4 (KIP-848, feature X1): our consumer with {@code group.protocol=consumer}, on our
 * broker and on Apache Kafka 4.3. Members join with ConsumerGroupHeartbeat, the broker's
 * {@code uniform} assignor shares the partitions, every record is consumed, and a clean leave
 * moves the leaver's partitions to the survivor; no partition is ever owned by two members at a
 * sampled instant, and each member's listener sees revocations before the assignments that follow.
 * Also: static restart without reassignment, partition growth, a pattern subscription picking up
 * a new topic, and a mixed group with Apache's consumer.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ConsumerProtocolConsumerTest {
    /** Short consumer-protocol timeouts on both brokers (Kafka's minimums lowered to allow them). */
    static final Map<String, String> SETTINGS = Map.of(
            "group.consumer.session.timeout.ms", "6000",
            "group.consumer.min.session.timeout.ms", "6000",
            "group.consumer.heartbeat.interval.ms", "500",
            "group.consumer.min.heartbeat.interval.ms", "500");

    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final Map<Target, RunningBroker> BROKERS = new EnumMap<>(Target.class);

    static Stream<Target> targets() {
        return Targets.all();
    }

    /** One broker per target with {@link #SETTINGS} for the whole class (starting one costs seconds). */
    static synchronized RunningBroker broker(Target target) {
        return BROKERS.computeIfAbsent(target, t -> t.startDedicated(SETTINGS));
    }

    @AfterAll
    static synchronized void stopBrokers() {
        BROKERS.values().forEach(RunningBroker::close);
        BROKERS.clear();
    }

    static Map<String, Object> consumerProtocol(String group) {
        Map<String, Object> c = new HashMap<>();
        c.put("group.id", group);
        c.put("group.protocol", "consumer");
        c.put("group.remote.assignor", "uniform");
        c.put("auto.offset.reset", "earliest");
        c.put("metadata.max.age.ms", "1000");
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void membersJoinConsumeEverythingAndALeaveMovesPartitions(Target target) throws Exception {
        String bootstrap = broker(target).bootstrapServers();
        String topic = KafkaClients.uniqueTopic("kip848-ours");
        String group = topic + "-group";
        KafkaClients.createTopic(bootstrap, topic, 4);
        for (int p = 0; p < 4; p++) {
            produce(bootstrap, topic, p, p * 1000, 25, "none");
        }
        Map<String, Object> cfg = consumerProtocol(group);
        try (GroupMember a = new GroupMember("a", bootstrap, cfg, List.of(topic), null);
                GroupMember b = new GroupMember("b", bootstrap, cfg, List.of(topic), null)) {
            awaitShared("two members", List.of(a, b), 4, 2);
            awaitConsumed(List.of(a, b), 100);

            b.leave();
            assertThat(b.errors).isEmpty();
            awaitShared("the survivor after a clean leave", List.of(a), 4, 4);
            for (int p = 0; p < 4; p++) {
                produce(bootstrap, topic, p, p * 1000 + 25, 25, "none");
            }
            awaitConsumed(List.of(a, b), 200);
            // The leaver committed before revoking (auto-commit, member epoch as generation): nothing twice.
            assertThat(a.records.size() + b.records.size()).isEqualTo(200);
            for (GroupMember m : List.of(a, b)) {
                assertThat(m.events).as(m.name).noneMatch(e -> e.startsWith("lost"));
                assertRevokedBeforeReassigned(m);
            }
            assertThat(a.errors).isEmpty();
        }
    }

    /**
     * A static member (group.instance.id) that closes leaves with epoch -2: its partitions wait for
     * it, its successor with the same instance id gets exactly them back, and the other member is
     * never asked to revoke anything.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void staticMemberRestartsWithoutReassignment(Target target) throws Exception {
        String bootstrap = broker(target).bootstrapServers();
        String topic = KafkaClients.uniqueTopic("kip848-ours-static");
        String group = topic + "-group";
        KafkaClients.createTopic(bootstrap, topic, 4);
        Map<String, Object> aCfg = consumerProtocol(group);
        aCfg.put("group.instance.id", "instance-a");
        Map<String, Object> bCfg = consumerProtocol(group);
        bCfg.put("group.instance.id", "instance-b");
        try (GroupMember a = new GroupMember("a", bootstrap, aCfg, List.of(topic), null);
                GroupMember b = new GroupMember("b", bootstrap, bCfg, List.of(topic), null)) {
            awaitShared("two static members", List.of(a, b), 4, 2);
            Set<TopicPartition> aHeld = Set.copyOf(a.owned);
            int bEvents = b.events.size();
            a.leave();
            assertThat(a.errors).isEmpty();
            try (GroupMember a2 = new GroupMember("a2", bootstrap, aCfg, List.of(topic), null)) {
                awaitShared("the restarted static member", List.of(a2, b), 4, 2);
                assertThat(a2.owned).isEqualTo(aHeld);
                assertThat(b.events.subList(bEvents, b.events.size()))
                        .as("b revoked nothing")
                        .noneMatch(e -> (e.startsWith("revoked") || e.startsWith("lost")) && !e.endsWith("[]"));
                Set<TopicPartition> both = new HashSet<>(b.owned);
                both.retainAll(aHeld);
                assertThat(both).as("b holds none of a's partitions").isEmpty();
            }
        }
    }

    /** Partition growth bumps the group epoch on the broker: the new partitions are assigned and consumed. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void addedPartitionsAreAssigned(Target target) throws Exception {
        String bootstrap = broker(target).bootstrapServers();
        String topic = KafkaClients.uniqueTopic("kip848-ours-grow");
        String group = topic + "-group";
        KafkaClients.createTopic(bootstrap, topic, 4);
        Map<String, Object> cfg = consumerProtocol(group);
        try (GroupMember a = new GroupMember("a", bootstrap, cfg, List.of(topic), null);
                GroupMember b = new GroupMember("b", bootstrap, cfg, List.of(topic), null);
                Admin admin = admin(bootstrap)) {
            awaitShared("two members on four partitions", List.of(a, b), 4, 2);
            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(6)))
                    .all()
                    .get();
            awaitShared("two members on six partitions", List.of(a, b), 6, 3);
            for (int p = 0; p < 6; p++) {
                produce(bootstrap, topic, p, p * 1000, 10, "none");
            }
            awaitConsumed(List.of(a, b), 60);
            for (GroupMember m : List.of(a, b)) {
                assertRevokedBeforeReassigned(m);
            }
        }
    }

    /**
     * A pattern subscription (resolved against metadata and sent as topic names, as Apache's
     * consumer does for {@code subscribe(Pattern)}) picks up a topic created after the join.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void patternSubscriptionPicksUpANewTopic(Target target) throws Exception {
        String bootstrap = broker(target).bootstrapServers();
        String prefix = KafkaClients.uniqueTopic("kip848-ours-regex");
        String first = prefix + "-first";
        String later = prefix + "-later";
        KafkaClients.createTopic(bootstrap, first, 2);
        Map<String, Object> cfg = consumerProtocol(prefix + "-group");
        try (GroupMember a = new GroupMember(
                "a",
                bootstrap,
                cfg,
                null,
                java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(prefix) + "-.*"))) {
            awaitShared("the first topic", List.of(a), 2, 2);
            KafkaClients.createTopic(bootstrap, later, 2);
            awaitShared("both topics", List.of(a), 4, 4);
            assertThat(a.owned).contains(new TopicPartition(later, 0), new TopicPartition(later, 1));
            produce(bootstrap, later, 0, 0, 10, "none");
            produce(bootstrap, later, 1, 1000, 10, "none");
            awaitConsumed(List.of(a), 20);
        }
    }

    /**
     * A {@code SubscriptionPattern} (RE2/J) is sent as {@code subscribedTopicRegex} and resolved by
     * the broker, which assigns a topic created after the join; the member maps its topic id to
     * the name through metadata.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void brokerSideRegexPicksUpANewTopic(Target target) throws Exception {
        String bootstrap = broker(target).bootstrapServers();
        String prefix = KafkaClients.uniqueTopic("kip848-ours-re2j");
        String first = prefix + "-first";
        String later = prefix + "-later";
        KafkaClients.createTopic(bootstrap, first, 2);
        Map<String, Object> cfg = consumerProtocol(prefix + "-group");
        SubscriptionPattern regex = new SubscriptionPattern(prefix + "-.*");
        try (GroupMember a = new GroupMember("a", bootstrap, cfg, (c, l) -> c.subscribe(regex, l))) {
            awaitShared("the first topic", List.of(a), 2, 2);
            KafkaClients.createTopic(bootstrap, later, 2);
            awaitShared("both topics", List.of(a), 4, 4);
            assertThat(a.owned).contains(new TopicPartition(later, 0), new TopicPartition(later, 1));
            produce(bootstrap, later, 0, 0, 10, "none");
            awaitConsumed(List.of(a), 10);
        }
    }

    /** A broker-side regex needs a consumer-protocol coordinator: the classic consumer refuses it, as Apache's does. */
    @Test
    void theClassicProtocolRefusesASubscriptionPatternAsApacheDoes() {
        Map<String, Object> ours = new HashMap<>(Fixtures.consumerConfig("127.0.0.1:1"));
        ours.put("group.id", "g");
        try (TributaryConsumer<String, String> c = new TributaryConsumer<>(ours)) {
            assertThatThrownBy(() -> c.subscribe(new SubscriptionPattern("t.*")))
                    .isInstanceOf(UnsupportedOperationException.class);
            assertThat(c.subscription()).isEmpty();
        }
        Properties apache = new Properties();
        apache.put("bootstrap.servers", "127.0.0.1:1");
        apache.put("group.id", "g");
        try (KafkaConsumer<String, String> c =
                new KafkaConsumer<>(apache, new StringDeserializer(), new StringDeserializer())) {
            assertThatThrownBy(() -> c.subscribe(new org.apache.kafka.clients.consumer.SubscriptionPattern("t.*")))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }

    /**
     * Our consumer and Apache's KafkaConsumer, both on the consumer protocol, in one group: they
     * share the partitions without ever owning one twice, consume every record, and when ours
     * leaves Apache's takes over its partitions where ours committed.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void mixedGroupWithApachesConsumer(Target target) throws Exception {
        String bootstrap = broker(target).bootstrapServers();
        String topic = KafkaClients.uniqueTopic("kip848-mixed");
        String group = topic + "-group";
        KafkaClients.createTopic(bootstrap, topic, 4);
        for (int p = 0; p < 4; p++) {
            produce(bootstrap, topic, p, p * 1000, 25, "none");
        }
        try (ApacheMember apache = new ApacheMember(bootstrap, group, topic);
                GroupMember ours = new GroupMember("ours", bootstrap, consumerProtocol(group), List.of(topic), null)) {
            await("ours and Apache's share the partitions")
                    .atMost(SETTLE)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        assertThat(ours.errors).isEmpty();
                        assertThat(apache.errors).isEmpty();
                        Set<String> mine = new HashSet<>();
                        ours.owned.forEach(tp -> mine.add(tp.topic() + "-" + tp.partition()));
                        Set<String> theirs = Set.copyOf(apache.owned);
                        Set<String> both = new HashSet<>(mine);
                        both.retainAll(theirs);
                        assertThat(both).as("sampled: owned by both").isEmpty();
                        return mine.size() == 2 && theirs.size() == 2;
                    });
            await("all 100 records consumed").atMost(SETTLE).until(() -> {
                Set<String> seen = new HashSet<>(apache.values);
                ours.records.forEach(r -> seen.add(r.value()));
                return seen.size() == 100;
            });
            ours.leave();
            assertThat(ours.errors).isEmpty();
            await("Apache's takes over").atMost(SETTLE).until(() -> apache.owned.size() == 4);
            for (int p = 0; p < 4; p++) {
                produce(bootstrap, topic, p, p * 1000 + 25, 25, "none");
            }
            await("all 200 records consumed").atMost(SETTLE).until(() -> {
                Set<String> seen = new HashSet<>(apache.values);
                ours.records.forEach(r -> seen.add(r.value()));
                return seen.size() == 200;
            });
            assertThat(apache.values.size() + ours.records.size())
                    .as("nothing consumed twice: ours committed before revoking")
                    .isEqualTo(200);
            assertRevokedBeforeReassigned(ours);
            assertThat(apache.errors).isEmpty();
        }
    }

    private static Admin admin(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return Admin.create(p);
    }

    /** Apache's KafkaConsumer with group.protocol=consumer, polled by its own thread. */
    static final class ApacheMember implements AutoCloseable {
        final Set<String> owned = ConcurrentHashMap.newKeySet();
        final List<String> values = new CopyOnWriteArrayList<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        private final KafkaConsumer<String, String> consumer;
        private final Thread thread;
        private volatile boolean running = true;

        ApacheMember(String bootstrap, String group, String topic) {
            Properties p = new Properties();
            p.put("bootstrap.servers", bootstrap);
            p.put("group.id", group);
            p.put("group.protocol", "consumer");
            p.put("group.remote.assignor", "uniform");
            p.put("auto.offset.reset", "earliest");
            consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
            consumer.subscribe(List.of(topic), new org.apache.kafka.clients.consumer.ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<org.apache.kafka.common.TopicPartition> partitions) {
                    partitions.forEach(tp -> owned.remove(tp.toString()));
                }

                @Override
                public void onPartitionsAssigned(Collection<org.apache.kafka.common.TopicPartition> partitions) {
                    partitions.forEach(tp -> owned.add(tp.toString()));
                }

                @Override
                public void onPartitionsLost(Collection<org.apache.kafka.common.TopicPartition> partitions) {
                    partitions.forEach(tp -> owned.remove(tp.toString()));
                }
            });
            thread = new Thread(this::loop, "apache-member");
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            try {
                while (running) {
                    try {
                        consumer.poll(Duration.ofMillis(100)).forEach(r -> values.add(r.value()));
                    } catch (WakeupException e) {
                        // close() woke us
                    }
                }
            } catch (Throwable t) {
                errors.add(t);
            } finally {
                consumer.close();
            }
        }

        @Override
        public void close() {
            running = false;
            consumer.wakeup();
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits until the members own {@code partitions} partitions between them, {@code each}
     * apiece, sampling meanwhile that no partition is owned twice.
     */
    static void awaitShared(String what, List<GroupMember> members, int partitions, int each) {
        await(what).atMost(SETTLE).pollInterval(Duration.ofMillis(50)).until(() -> {
            Set<TopicPartition> union = new HashSet<>();
            int total = 0;
            for (GroupMember m : members) {
                assertThat(m.errors).as(m.name).isEmpty();
                Set<TopicPartition> owned = Set.copyOf(m.owned);
                total += owned.size();
                union.addAll(owned);
            }
            assertThat(union).as("sampled ownership: no partition owned twice").hasSize(total);
            return union.size() == partitions && members.stream().allMatch(m -> m.owned.size() == each);
        });
    }

    /** Waits until the members together consumed {@code n} distinct records. */
    static void awaitConsumed(List<GroupMember> members, int n) {
        await("all " + n + " records consumed").atMost(SETTLE).until(() -> {
            Set<String> seen = new HashSet<>();
            for (GroupMember m : members) {
                for (ConsumerRecord<String, String> r : m.records) {
                    seen.add(r.topic() + "/" + r.value());
                }
            }
            return seen.size() >= n;
        });
    }

    /** A partition a member was assigned again is first revoked (or lost) in between: callbacks never overlap. */
    static void assertRevokedBeforeReassigned(GroupMember m) {
        Set<String> held = new HashSet<>();
        for (String e : m.events) {
            String kind = e.substring(0, e.indexOf(' '));
            String list = e.substring(e.indexOf('[') + 1, e.lastIndexOf(']'));
            if (list.isEmpty()) {
                continue;
            }
            Set<String> parts = Set.of(list.split(", "));
            if (kind.equals("assigned")) {
                assertThat(held)
                        .as("%s assigned %s while holding it: %s", m.name, parts, m.events)
                        .doesNotContainAnyElementsOf(parts);
                held.addAll(parts);
            } else {
                assertThat(held)
                        .as("%s gave up %s it did not hold: %s", m.name, parts, m.events)
                        .containsAll(parts);
                held.removeAll(parts);
            }
        }
    }
}
