package io.tributary.interop.consumer;

import static io.tributary.interop.consumer.Fixtures.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.errors.FencedInstanceIdException;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Consumer groups on the classic protocol (G1-G10, C2, C6, C8, F4, F5, O1): sharing partitions,
 * clean leave, eager and cooperative rebalancing, a mixed group with Apache's consumer, static
 * membership, max.poll.interval.ms, pattern subscriptions and partition growth.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class GroupConsumerTest {
    static Stream<Target> targets() {
        return Targets.all();
    }

    private static Map<String, Object> groupConfig(String group, String strategy) {
        Map<String, Object> c = new HashMap<>();
        c.put("group.id", group);
        c.put("auto.offset.reset", "earliest");
        c.put("session.timeout.ms", "10000");
        c.put("heartbeat.interval.ms", "500");
        c.put("partition.assignment.strategy", strategy);
        c.put("metadata.max.age.ms", "1000");
        return c;
    }

    private static Set<TopicPartition> all(String topic, int n) {
        Set<TopicPartition> out = new HashSet<>();
        for (int p = 0; p < n; p++) {
            out.add(new TopicPartition(topic, p));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void membersSharePartitionsAndACleanLeaveRebalancesAtOnce(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("group-share");
        String group = KafkaClients.uniqueTopic("g-share");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 4);
        for (int p = 0; p < 4; p++) {
            produce(broker.bootstrapServers(), topic, p, 0, 25, "none");
        }
        Map<String, Object> cfg = groupConfig(group, "range");
        cfg.put("session.timeout.ms", "30000");
        try (GroupMember a = new GroupMember("a", broker.bootstrapServers(), cfg, List.of(topic), null);
                GroupMember b = new GroupMember("b", broker.bootstrapServers(), cfg, List.of(topic), null)) {
            // G1: each partition has exactly one owner and both members work.
            await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> {
                assertThat(a.owned).hasSize(2);
                assertThat(b.owned).hasSize(2);
                assertThat(a.owned).doesNotContainAnyElementsOf(b.owned);
            });
            await().atMost(30, TimeUnit.SECONDS).until(() -> a.records.size() + b.records.size() >= 100);
            Set<String> seen = new HashSet<>();
            for (GroupMember m : List.of(a, b)) {
                for (ConsumerRecord<String, String> r : m.records) {
                    // Exactly once across members, even across the rebalance when b joined: the eager
                    // revoke commits first (auto-commit), so the new owner starts after it.
                    assertThat(seen.add(r.partition() + "/" + r.offset()))
                            .as("consumed once")
                            .isTrue();
                }
            }
            assertThat(seen).hasSize(100);
            // G7: a clean close hands b everything well before the 30 s session timeout.
            List<String> bBefore = GroupMember.sorted(b.owned);
            long start = System.nanoTime();
            a.leave();
            assertThat(a.events).last().asString().startsWith("revoked");
            await().atMost(20, TimeUnit.SECONDS)
                    .untilAsserted(() -> assertThat(b.owned).isEqualTo(all(topic, 4)));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(20_000);
            // G8 (eager): b gave up everything before the new assignment.
            assertThat(b.events)
                    .containsSubsequence("revoked " + bBefore, "assigned " + GroupMember.sorted(all(topic, 4)));
            assertThat(a.errors).isEmpty();
            assertThat(b.errors).isEmpty();
        }
        // C6 + O1: close committed what each member consumed.
        try (TributaryConsumer<String, String> c = Fixtures.consumer(
                broker.bootstrapServers(), Map.of("group.id", group, "enable.auto.commit", "false"))) {
            Map<TopicPartition, OffsetAndMetadata> committed = c.committed(all(topic, 4));
            assertThat(committed.values())
                    .allSatisfy(om -> assertThat(om.offset()).isEqualTo(25));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void cooperativeRebalanceRevokesOnlyWhatMoves(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("group-coop");
        String group = KafkaClients.uniqueTopic("g-coop");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 6);
        Map<String, Object> cfg = groupConfig(group, "cooperative-sticky");
        try (GroupMember a = new GroupMember("a", broker.bootstrapServers(), cfg, List.of(topic), null)) {
            await().atMost(60, TimeUnit.SECONDS)
                    .untilAsserted(() -> assertThat(a.owned).isEqualTo(all(topic, 6)));
            try (GroupMember b = new GroupMember("b", broker.bootstrapServers(), cfg, List.of(topic), null)) {
                await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> {
                    assertThat(a.owned).hasSize(3);
                    assertThat(b.owned).hasSize(3);
                });
                // G9: a revoked exactly the three that moved, never everything.
                List<String> revocations =
                        a.events.stream().filter(e -> e.startsWith("revoked")).toList();
                assertThat(revocations).hasSize(1);
                Set<TopicPartition> moved = new HashSet<>(b.owned);
                assertThat(revocations.get(0)).isEqualTo("revoked " + GroupMember.sorted(moved));
                assertThat(b.events).noneMatch(e -> e.startsWith("revoked"));
                assertThat(a.errors).isEmpty();
                assertThat(b.errors).isEmpty();
            }
            await().atMost(30, TimeUnit.SECONDS)
                    .untilAsserted(() -> assertThat(a.owned).isEqualTo(all(topic, 6)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void mixedGroupWithApacheConsumer(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("group-mixed");
        String group = KafkaClients.uniqueTopic("g-mixed");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 4);
        for (int p = 0; p < 4; p++) {
            produce(broker.bootstrapServers(), topic, p, 0, 10, "none");
        }
        for (String strategy : List.of("roundrobin", "sticky")) {
            String g = group + "-" + strategy;
            Properties props = new Properties();
            props.put("bootstrap.servers", broker.bootstrapServers());
            props.put("group.id", g);
            props.put("auto.offset.reset", "earliest");
            props.put(
                    "partition.assignment.strategy",
                    "org.apache.kafka.clients.consumer."
                            + (strategy.equals("sticky") ? "StickyAssignor" : "RoundRobinAssignor"));
            props.put("session.timeout.ms", "10000");
            props.put("heartbeat.interval.ms", "500");
            List<Integer> apacheRecords = new ArrayList<>();
            Set<org.apache.kafka.common.TopicPartition> apacheOwned = new HashSet<>();
            try (KafkaConsumer<String, String> apache =
                            new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
                    GroupMember ours = new GroupMember(
                            "ours", broker.bootstrapServers(), groupConfig(g, strategy), List.of(topic), null)) {
                apache.subscribe(List.of(topic));
                await().atMost(60, TimeUnit.SECONDS).pollInSameThread().untilAsserted(() -> {
                    apache.poll(Duration.ofMillis(100)).forEach(r -> apacheRecords.add(r.partition()));
                    apacheOwned.clear();
                    apacheOwned.addAll(apache.assignment());
                    assertThat(apacheOwned).hasSize(2);
                    assertThat(ours.owned).hasSize(2);
                    assertThat(apacheRecords.size() + ours.records.size()).isEqualTo(40);
                });
                for (org.apache.kafka.common.TopicPartition tp : apacheOwned) {
                    assertThat(ours.owned).doesNotContain(new TopicPartition(tp.topic(), tp.partition()));
                }
                assertThat(ours.errors).isEmpty();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void staticMemberRestartsWithoutRebalanceAndADuplicateIsFenced(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("group-static");
        String group = KafkaClients.uniqueTopic("g-static");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 4);
        Map<String, Object> s1 = groupConfig(group, "range");
        s1.put("group.instance.id", "instance-1");
        s1.put("session.timeout.ms", "30000");
        Map<String, Object> s2 = new HashMap<>(s1);
        s2.put("group.instance.id", "instance-2");
        try (GroupMember other = new GroupMember("other", broker.bootstrapServers(), s2, List.of(topic), null)) {
            Set<TopicPartition> before;
            try (GroupMember first = new GroupMember("first", broker.bootstrapServers(), s1, List.of(topic), null)) {
                await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> {
                    assertThat(first.owned).hasSize(2);
                    assertThat(other.owned).hasSize(2);
                });
                before = new HashSet<>(first.owned);
            }
            int otherEvents = other.events.size();
            // G10: restarted within the session timeout, it gets its partitions back, no rebalance.
            try (GroupMember again = new GroupMember("again", broker.bootstrapServers(), s1, List.of(topic), null)) {
                await().atMost(30, TimeUnit.SECONDS)
                        .untilAsserted(() -> assertThat(again.owned).isEqualTo(before));
                assertThat(other.events).hasSize(otherEvents);
                // A second live consumer with the same instance id fences the older one.
                try (GroupMember duplicate =
                        new GroupMember("dup", broker.bootstrapServers(), s1, List.of(topic), null)) {
                    await().atMost(30, TimeUnit.SECONDS)
                            .untilAsserted(() -> assertThat(again.errors).isNotEmpty());
                    assertThat(again.errors.get(0)).isInstanceOf(FencedInstanceIdException.class);
                    assertThat(duplicate.errors).isEmpty();
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void aMemberThatStopsPollingLosesItsPartitions(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("group-slow");
        String group = KafkaClients.uniqueTopic("g-slow");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 2);
        Map<String, Object> cfg = groupConfig(group, "range");
        cfg.put("max.poll.interval.ms", "3000");
        try (GroupMember slow = new GroupMember("slow", broker.bootstrapServers(), cfg, List.of(topic), null);
                GroupMember fast = new GroupMember("fast", broker.bootstrapServers(), cfg, List.of(topic), null)) {
            await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> {
                assertThat(slow.owned).hasSize(1);
                assertThat(fast.owned).hasSize(1);
            });
            slow.pausePolling();
            // G5: past max.poll.interval.ms the slow member leaves and the other takes over.
            await().atMost(30, TimeUnit.SECONDS)
                    .untilAsserted(() -> assertThat(fast.owned).isEqualTo(all(topic, 2)));
            slow.resumePolling();
            // C8: back in poll, ownership was already gone: onPartitionsLost, then a fresh share.
            await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
                assertThat(slow.events).anyMatch(e -> e.startsWith("lost"));
                assertThat(slow.owned).hasSize(1);
                assertThat(fast.owned).hasSize(1);
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void patternSubscriptionAndPartitionGrowthTriggerRebalances(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String prefix = KafkaClients.uniqueTopic("pat").replace('-', '_');
        String group = KafkaClients.uniqueTopic("g-pattern");
        KafkaClients.createTopic(broker.bootstrapServers(), prefix + ".one", 1);
        try (GroupMember m = new GroupMember(
                "m",
                broker.bootstrapServers(),
                groupConfig(group, "range"),
                List.of(),
                Pattern.compile(Pattern.quote(prefix) + "\\..*"))) {
            await().atMost(60, TimeUnit.SECONDS)
                    .untilAsserted(() -> assertThat(m.owned).containsExactly(new TopicPartition(prefix + ".one", 0)));
            // C2/G6: a new matching topic is picked up.
            KafkaClients.createTopic(broker.bootstrapServers(), prefix + ".two", 2);
            await().atMost(60, TimeUnit.SECONDS)
                    .untilAsserted(() -> assertThat(m.owned).hasSize(3));
            // G6: a subscribed topic gains partitions.
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            try (Admin admin = Admin.create(props)) {
                admin.createPartitions(Map.of(prefix + ".one", NewPartitions.increaseTo(3)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            await().atMost(60, TimeUnit.SECONDS)
                    .untilAsserted(() -> assertThat(m.owned).hasSize(5));
            assertThat(m.errors).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void aSilentMemberIsRemovedAfterTheSessionTimeout(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("group-session");
        String group = KafkaClients.uniqueTopic("g-session");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 2);
        Map<String, Object> cfg = groupConfig(group, "range");
        cfg.put("session.timeout.ms", "6000");
        Map<String, Object> staticCfg = new HashMap<>(cfg);
        staticCfg.put("group.instance.id", "silent-1");
        try (GroupMember stays = new GroupMember("stays", broker.bootstrapServers(), cfg, List.of(topic), null)) {
            GroupMember silent = new GroupMember("silent", broker.bootstrapServers(), staticCfg, List.of(topic), null);
            await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> {
                assertThat(stays.owned).hasSize(1);
                assertThat(silent.owned).hasSize(1);
            });
            // A static member closing sends no LeaveGroup: its partition waits for the session timeout (G4, G10).
            long start = System.nanoTime();
            silent.close();
            await().atMost(30, TimeUnit.SECONDS)
                    .untilAsserted(() -> assertThat(stays.owned).isEqualTo(all(topic, 2)));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(4_000);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void unsubscribeLeavesAndEnforceRebalanceRejoins(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("group-unsub");
        String group = KafkaClients.uniqueTopic("g-unsub");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 2);
        Map<String, Object> cfg = groupConfig(group, "range");
        try (GroupMember a = new GroupMember("a", broker.bootstrapServers(), cfg, List.of(topic), null);
                GroupMember b = new GroupMember("b", broker.bootstrapServers(), cfg, List.of(topic), null)) {
            await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> {
                assertThat(a.owned).hasSize(1);
                assertThat(b.owned).hasSize(1);
            });
            int assignedBefore = (int)
                    b.events.stream().filter(e -> e.startsWith("assigned")).count();
            a.onThread(c -> c.enforceRebalance("test"));
            await().atMost(30, TimeUnit.SECONDS)
                    .until(() -> b.events.stream()
                                    .filter(e -> e.startsWith("assigned"))
                                    .count()
                            > assignedBefore);
            a.onThread(c -> c.unsubscribe());
            await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
                assertThat(a.owned).isEmpty();
                assertThat(b.owned).isEqualTo(all(topic, 2));
            });
        }
    }
}
