package io.tributary.interop.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.interop.groups.GroupBrokers;
import io.tributary.interop.groups.GroupMemberMain;
import io.tributary.interop.groups.MemberProcess;
import io.tributary.interop.groups.Ownership;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 4 acceptance: one cooperative-sticky group of Tributary consumers and Apache
 * KafkaConsumers, each member its own JVM ({@link TributaryMemberProcess} and Apache's
 * {@link GroupMemberMain}), against both brokers, while keyed records flow. Members join one by
 * one (alternating kinds), one of ours leaves cleanly, one of each kind is SIGKILLed, then one
 * more joins. After every change the group settles with each partition owned by exactly one
 * live member, balanced; over the whole run no partition was held by two members at once
 * (callbacks on one machine-wide monotonic clock, {@link Ownership}); every record is consumed.
 */
class MixedGroupChurnTest {
    private static final Logger LOG = LoggerFactory.getLogger(MixedGroupChurnTest.class);
    private static final String ASSIGNOR = "cooperative-sticky";
    private static final int PARTITIONS = 6;
    private static final int SESSION_TIMEOUT_MS = 4_000;
    private static final int HEARTBEAT_INTERVAL_MS = 500;
    private static final Duration SETTLE = Duration.ofSeconds(45);

    static Stream<Target> targets() {
        return Targets.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void mixedGroupSplitsPartitionsAndSurvivesJoinsLeavesAndKills(Target target) throws Exception {
        long started = System.nanoTime();
        RunningBroker broker = GroupBrokers.get(target);
        String bootstrap = broker.bootstrapServers();
        String topic = KafkaClients.uniqueTopic("mixed-churn");
        String group = topic + "-group";
        KafkaClients.createTopic(bootstrap, topic, PARTITIONS);

        List<MemberProcess> everyone = new ArrayList<>();
        List<MemberProcess> live = new ArrayList<>();
        try (RecordStream stream = new RecordStream(bootstrap, topic, 5_000)) {
            try {
                // Join one by one, alternating kinds; each join must settle balanced before the next.
                for (String name : List.of("ours-0", "apache-0", "ours-1", "apache-1", "ours-2")) {
                    MemberProcess m = start(name, bootstrap, topic, group);
                    everyone.add(m);
                    live.add(m);
                    settle(name + " joined", live);
                }
                assertThat(live)
                        .as(
                                "with 5 members over %d partitions everyone owns something: %s",
                                PARTITIONS, Ownership.assignment(live))
                        .allMatch(m -> !m.owned().isEmpty());

                MemberProcess leaver = named(live, "ours-1");
                live.remove(leaver);
                assertThat(leaver.closeCleanly())
                        .as("exit code of %s after a clean close", leaver)
                        .isZero();
                assertThat(leaver.printed("ERROR"))
                        .as("%s reported an error", leaver)
                        .isFalse();
                settle(leaver + " left cleanly", live);

                for (String victimName : List.of("apache-0", "ours-0")) {
                    MemberProcess victim = named(live, victimName);
                    live.remove(victim);
                    victim.kill();
                    settle(victim + " was SIGKILLed", live);
                }

                MemberProcess late = start("apache-2", bootstrap, topic, group);
                everyone.add(late);
                live.add(late);
                settle("apache-2 joined after the kills", live);
                assertThat(live.stream().map(MemberProcess::name).toList())
                        .as("both kinds still in the group")
                        .contains("ours-2", "apache-1", "apache-2");

                stream.stop();
                Set<String> produced = stream.ackedValues();
                await("every produced record consumed by some member")
                        .atMost(SETTLE)
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> Ownership.consumedValues(everyone).containsAll(produced));
                for (MemberProcess m : List.copyOf(live)) {
                    assertThat(m.closeCleanly()).as("exit code of %s", m).isZero();
                }
                Ownership.assertNeverOwnedTwice(everyone);
                LOG.info(
                        "{}: mixed group churn done, {} records, {} ms",
                        target,
                        produced.size(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\n" + Ownership.describe(everyone), e);
            }
        } finally {
            for (MemberProcess m : everyone) {
                m.close();
            }
        }
    }

    /** Settled: one generation, every partition owned by exactly one live member, balanced. */
    private static void settle(String what, List<MemberProcess> live) {
        Ownership.awaitStable(what, live, PARTITIONS, SETTLE);
        Ownership.assertBalanced(live);
        LOG.info("settled after {}: {}", what, Ownership.assignment(live));
    }

    private static MemberProcess named(List<MemberProcess> members, String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    static MemberProcess start(String name, String bootstrap, String topic, String group) throws Exception {
        if (name.startsWith("ours")) {
            return startOurs(name, bootstrap, topic, group, ASSIGNOR, SESSION_TIMEOUT_MS, HEARTBEAT_INTERVAL_MS);
        }
        return MemberProcess.start(
                name,
                GroupMemberMain.class.getName(),
                List.of(
                        bootstrap,
                        topic,
                        group,
                        ASSIGNOR,
                        Integer.toString(SESSION_TIMEOUT_MS),
                        Integer.toString(HEARTBEAT_INTERVAL_MS),
                        "-"));
    }

    static MemberProcess startOurs(
            String name,
            String bootstrap,
            String topic,
            String group,
            String assignor,
            int sessionTimeoutMs,
            int heartbeatIntervalMs)
            throws Exception {
        return MemberProcess.start(
                name,
                TributaryMemberProcess.class.getName(),
                List.of(
                        bootstrap,
                        topic,
                        group,
                        assignor,
                        Integer.toString(sessionTimeoutMs),
                        Integer.toString(heartbeatIntervalMs)));
    }
}
