package io.tributary.interop.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidSessionTimeoutException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 3 acceptance for what starts a rebalance besides joins and leaves (G5, G6, C2) and for the
 * broker's session-timeout bounds (B2, G10), with in-process Apache consumers polled in turn from
 * the test thread (no SIGKILL needed here).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RebalanceTriggersTest {
    private static final Duration SETTLE = Duration.ofSeconds(60);
    /** Quick metadata refresh, so the leader notices new partitions and topics within a second. */
    private static final Map<String, Object> FAST_METADATA = Map.of(
            ConsumerConfig.METADATA_MAX_AGE_CONFIG,
            "300",
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
            "10000",
            ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
            "300");

    /** G6: a subscribed topic gains partitions; the group rebalances and spreads them. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void addedPartitionsAreAssigned(Target target) throws Exception {
        RunningBroker broker = GroupBrokers.get(target);
        String topic = KafkaClients.uniqueTopic("grow");
        String group = topic + "-group";
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 2);
        try (InProcessMember a = new InProcessMember(broker.bootstrapServers(), group, FAST_METADATA);
                InProcessMember b = new InProcessMember(broker.bootstrapServers(), group, FAST_METADATA)) {
            a.subscribe(topic);
            b.subscribe(topic);
            awaitSplit("two members over 2 partitions", List.of(a, b), 2);

            try (Admin admin = GroupAdmin.admin(broker.bootstrapServers())) {
                admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(4)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            awaitSplit("two members over 4 partitions", List.of(a, b), 4);
            assertThat(a.owned()).hasSize(2);
            assertThat(b.owned()).hasSize(2);
        }
    }

    /** G6, C2: a new topic that matches a subscribed pattern is picked up. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void newTopicMatchingThePatternIsAssigned(Target target) throws Exception {
        RunningBroker broker = GroupBrokers.get(target);
        String prefix = KafkaClients.uniqueTopic("pattern");
        String group = prefix + "-group";
        KafkaClients.createTopic(broker.bootstrapServers(), prefix + ".first", 2);
        try (InProcessMember member = new InProcessMember(broker.bootstrapServers(), group, FAST_METADATA)) {
            member.subscribe(Pattern.compile(Pattern.quote(prefix) + "\\..*"));
            awaitOwned(
                    member, Set.of(new TopicPartition(prefix + ".first", 0), new TopicPartition(prefix + ".first", 1)));

            KafkaClients.createTopic(broker.bootstrapServers(), prefix + ".second", 1);
            KafkaClients.createTopic(broker.bootstrapServers(), "other-" + prefix, 1);
            awaitOwned(
                    member,
                    Set.of(
                            new TopicPartition(prefix + ".first", 0),
                            new TopicPartition(prefix + ".first", 1),
                            new TopicPartition(prefix + ".second", 0)));
        }
    }

    /**
     * G5: a member that stops calling poll for longer than {@code max.poll.interval.ms} leaves the
     * group (well before its session would time out) and its partitions move; when it polls again
     * it rejoins.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void memberThatStopsPollingLosesItsPartitions(Target target) throws Exception {
        RunningBroker broker = GroupBrokers.get(target);
        String topic = KafkaClients.uniqueTopic("slow");
        String group = topic + "-group";
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 2);
        int maxPollIntervalMs = 2_000;
        int sessionTimeoutMs = 15_000;
        Map<String, Object> config = Map.of(
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
                Integer.toString(maxPollIntervalMs),
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                Integer.toString(sessionTimeoutMs),
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                "300");
        try (InProcessMember slow = new InProcessMember(broker.bootstrapServers(), group, config);
                InProcessMember busy = new InProcessMember(broker.bootstrapServers(), group, config)) {
            slow.subscribe(topic);
            busy.subscribe(topic);
            awaitSplit("two members", List.of(slow, busy), 2);
            assertThat(slow.owned()).hasSize(1);

            // Only `busy` polls from here on.
            long slowStoppedAt = slow.lastPollNanos();
            await("the member that stopped polling is removed")
                    .atMost(SETTLE)
                    .pollInSameThread()
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> {
                        busy.poll();
                        return busy.owned().size() == 2;
                    });
            long movedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - slowStoppedAt);
            assertThat(movedAfterMs)
                    .as("ms until the partitions moved")
                    .isGreaterThanOrEqualTo(maxPollIntervalMs)
                    .isLessThan(sessionTimeoutMs);

            awaitSplit("the slow member rejoins once it polls again", List.of(slow, busy), 2);
            assertThat(slow.owned()).hasSize(1);
        }
    }

    /** B2: session timeouts outside [group.min.session.timeout.ms, group.max.session.timeout.ms] are refused. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void sessionTimeoutOutsideTheBrokerBoundsIsRejected(Target target) throws Exception {
        RunningBroker broker = GroupBrokers.get(target);
        String topic = KafkaClients.uniqueTopic("bounds");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
        // The broker's bounds here: min 1000 (GroupBrokers), max 1800000 (Apache's default).
        for (String sessionTimeoutMs : List.of("999", "1800001")) {
            try (InProcessMember member = new InProcessMember(
                    broker.bootstrapServers(),
                    topic + "-group-" + sessionTimeoutMs,
                    Map.of(
                            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                            sessionTimeoutMs,
                            ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                            "100"))) {
                member.subscribe(topic);
                assertThatThrownBy(() -> await().atMost(SETTLE)
                                .pollInSameThread()
                                .pollInterval(Duration.ofMillis(1))
                                .until(() -> {
                                    member.poll();
                                    return !member.owned().isEmpty();
                                }))
                        .as("session.timeout.ms=%s", sessionTimeoutMs)
                        .isInstanceOf(InvalidSessionTimeoutException.class);
            }
        }
        // And the bounds themselves are accepted.
        for (String sessionTimeoutMs : List.of("1000", "1800000")) {
            try (InProcessMember member = new InProcessMember(
                    broker.bootstrapServers(),
                    topic + "-group-" + sessionTimeoutMs,
                    Map.of(
                            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                            sessionTimeoutMs,
                            ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                            "100"))) {
                member.subscribe(topic);
                awaitOwned(member, Set.of(new TopicPartition(topic, 0)));
            }
        }
    }

    private static void awaitSplit(String what, List<InProcessMember> members, int partitions) {
        await(what)
                .atMost(SETTLE)
                .pollInSameThread()
                .pollInterval(Duration.ofMillis(1))
                .until(() -> {
                    Set<TopicPartition> union = new HashSet<>();
                    int total = 0;
                    for (InProcessMember m : members) {
                        m.poll();
                    }
                    for (InProcessMember m : members) {
                        union.addAll(m.owned());
                        total += m.owned().size();
                        if (m.owned().isEmpty()) {
                            return false;
                        }
                    }
                    return union.size() == partitions && total == partitions;
                });
    }

    private static void awaitOwned(InProcessMember member, Set<TopicPartition> expected) {
        await("member owns " + expected)
                .atMost(SETTLE)
                .pollInSameThread()
                .pollInterval(Duration.ofMillis(1))
                .until(() -> {
                    member.poll();
                    return member.owned().equals(expected);
                });
    }
}
