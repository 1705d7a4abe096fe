package io.tributary.interop.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import io.tributary.interop.support.TributaryProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 3 acceptance for durability (G11, G10): committed offsets and static members'
 * assignments survive the broker going down and coming back on the same data and port.
 *
 * <p>TRIBUTARY runs as a child JVM that is SIGKILLed, like a machine losing power. APACHE runs
 * in this JVM, so it cannot be killed without killing the tests; its broker is shut down cleanly
 * and started again instead (the controller of the single KRaft node stays up). The static
 * member JVMs keep running across the outage and must keep their partitions (Apache itself
 * rebalances once after its restart, into a new generation with the same assignment, so the
 * generation is not compared across the outage); a member restarted afterwards must still be
 * recognised by its {@code group.instance.id}: same partitions, same generation, no rebalance.
 */
class BrokerRestartDurabilityTest {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerRestartDurabilityTest.class);
    /**
     * Longer than the outage: Apache's clean broker shutdown alone takes about 11 s here, and a
     * session that expires while the broker is down is a rebalance this test is not about.
     */
    private static final int SESSION_TIMEOUT_MS = 30_000;

    private static final int HEARTBEAT_INTERVAL_MS = 500;
    private static final int PARTITIONS = 4;
    private static final Duration SETTLE = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void committedOffsetsAndStaticAssignmentsSurviveABrokerRestart(Target target) throws Exception {
        List<MemberProcess> everyone = new ArrayList<>();
        try (RunningBroker broker = startRestartable(target)) {
            String bootstrap = broker.bootstrapServers();
            String topic = KafkaClients.uniqueTopic("durable");
            String group = topic + "-group";
            KafkaClients.createTopic(bootstrap, topic, PARTITIONS);
            GroupAdmin.produce(bootstrap, topic, PARTITIONS, 0, 80);

            MemberProcess s1 = start(everyone, "s1", bootstrap, topic, group, "instance-1");
            MemberProcess s2 = start(everyone, "s2", bootstrap, topic, group, "instance-2");
            int generation = Ownership.awaitStable("two static members", List.of(s1, s2), PARTITIONS, SETTLE);
            Map<String, Set<Integer>> assignment = Ownership.assignment(List.of(s1, s2));
            awaitAllConsumed(everyone, 80);
            GroupAdmin.assertCommittedAtLogEnd(bootstrap, topic, group, PARTITIONS);
            Map<TopicPartition, Long> committedBefore;
            try (Admin admin = GroupAdmin.admin(bootstrap)) {
                committedBefore = GroupAdmin.committed(admin, group);
            }

            long downAt = System.nanoTime();
            crashAndRestart(broker);
            LOG.info(
                    "{}: broker down and back in {} ms",
                    target,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downAt));
            assertThat(broker.bootstrapServers())
                    .as("the broker came back on the same address")
                    .isEqualTo(bootstrap);

            try (Admin admin = GroupAdmin.admin(bootstrap)) {
                // Reads may fail while the offsets log is loading; the answer must then be the old one.
                await("committed offsets readable after the restart")
                        .atMost(SETTLE)
                        .ignoreExceptions()
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> GroupAdmin.committed(admin, group).equals(committedBefore));
            }

            // The running members reconnect and keep their partitions. Apache itself goes through one
            // rebalance after its restart (the leader rejoins; a new generation, same assignment), so
            // the generation is not compared here.
            GroupAdmin.produce(bootstrap, topic, PARTITIONS, 80, 40);
            awaitAllConsumed(everyone, 120);
            GroupAdmin.assertCommittedAtLogEnd(bootstrap, topic, group, PARTITIONS);
            int current = Ownership.awaitStable("members after the restart", List.of(s1, s2), PARTITIONS, SETTLE);
            assertThat(Ownership.assignment(List.of(s1, s2)))
                    .as("assignment after the broker restart")
                    .isEqualTo(assignment);
            LOG.info("{}: generation {} before the broker restart, {} after", target, generation, current);

            // The broker still knows instance-1 and its assignment: a restarted s1 takes its place at once.
            int s2Events = s2.rebalanceCallbacks();
            s1.kill();
            MemberProcess s1b = start(everyone, "s1b", bootstrap, topic, group, "instance-1");
            int after = Ownership.awaitStable(
                    "s1 restarted after the broker restart", List.of(s1b, s2), PARTITIONS, SETTLE);
            assertThat(after).as("generation after the static member's restart").isEqualTo(current);
            assertThat(s1b.owned()).as("instance-1's partitions").isEqualTo(assignment.get("s1"));
            assertThat(s2.rebalanceCallbacks())
                    .as("s2 saw no rebalance\n%s", s2.diagnostics())
                    .isEqualTo(s2Events);
            for (MemberProcess m : List.of(s1b, s2)) {
                assertThat(m.closeCleanly()).as("exit code of %s", m).isZero();
            }
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\n" + Ownership.describe(everyone), e);
        } finally {
            for (MemberProcess m : everyone) {
                m.close();
            }
        }
    }

    private RunningBroker startRestartable(Target target) throws Exception {
        if (target == Target.TRIBUTARY) {
            return TributaryProcess.start(dataDir, GroupBrokers.GROUP_SETTINGS);
        }
        RunningBroker broker = target.startDedicated(GroupBrokers.GROUP_SETTINGS);
        assertThat(broker.canRestart()).as("%s can restart", broker).isTrue();
        return broker;
    }

    /** SIGKILL and start again for our broker; a clean broker restart for the in-process Apache. */
    private static void crashAndRestart(RunningBroker broker) throws Exception {
        if (broker instanceof TributaryProcess process) {
            process.kill();
            process.startAgain();
        } else {
            broker.restart();
        }
    }

    private static MemberProcess start(
            List<MemberProcess> everyone, String name, String bootstrap, String topic, String group, String instanceId)
            throws Exception {
        MemberProcess m = MemberProcess.start(
                name,
                bootstrap,
                topic,
                group,
                "range",
                SESSION_TIMEOUT_MS,
                HEARTBEAT_INTERVAL_MS,
                topic + "-" + instanceId);
        everyone.add(m);
        return m;
    }

    private static void awaitAllConsumed(List<MemberProcess> members, int produced) {
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < produced; i++) {
            expected.add(Integer.toString(i));
        }
        await("every produced record consumed")
                .atMost(SETTLE)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> Ownership.consumedValues(members).containsAll(expected));
    }
}
