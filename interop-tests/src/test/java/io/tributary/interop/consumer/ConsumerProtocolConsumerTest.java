package io.tributary.interop.consumer;

import static io.tributary.interop.consumer.Fixtures.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 14 item 4 (KIP-848, feature X1): our consumer with {@code group.protocol=consumer}, on our
 * broker and on Apache Kafka 4.3. Members join with ConsumerGroupHeartbeat, the broker's
 * {@code uniform} assignor shares the partitions, every record is consumed, and a clean leave
 * moves the leaver's partitions to the survivor; no partition is ever owned by two members at a
 * sampled instant, and each member's listener sees revocations before the assignments that follow.
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
            for (GroupMember m : List.of(a, b)) {
                assertThat(m.events).as(m.name).noneMatch(e -> e.startsWith("lost"));
                assertRevokedBeforeReassigned(m);
            }
            assertThat(a.errors).isEmpty();
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
