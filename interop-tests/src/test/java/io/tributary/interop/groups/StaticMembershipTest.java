package io.tributary.interop.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 3 acceptance for static membership (G10), members as separate JVMs with
 * {@code group.instance.id}:
 * <ul>
 * <li>a static member that closes and restarts within {@code session.timeout.ms} gets its old
 * partitions back in the same generation, and the other member sees no rebalance;</li>
 * <li>the same after a SIGKILL;</li>
 * <li>a second live process with an instance id already in use takes it over and the older one is
 * fenced ({@code FencedInstanceIdException}, Apache's behaviour);</li>
 * <li>a static member gone past the session timeout does trigger a rebalance, not earlier.</li>
 * </ul>
 */
class StaticMembershipTest {
    private static final Logger LOG = LoggerFactory.getLogger(StaticMembershipTest.class);
    /** Long enough to restart a JVM on a busy two-core box, short enough to wait out once. */
    private static final int SESSION_TIMEOUT_MS = 10_000;

    private static final int HEARTBEAT_INTERVAL_MS = 500;
    private static final int PARTITIONS = 4;
    private static final Duration SETTLE = Duration.ofSeconds(60);

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void staticMembersRestartWithoutRebalanceAndDuplicatesAreFenced(Target target) throws Exception {
        RunningBroker broker = GroupBrokers.get(target);
        String bootstrap = broker.bootstrapServers();
        String topic = KafkaClients.uniqueTopic("static");
        String group = topic + "-group";
        KafkaClients.createTopic(bootstrap, topic, PARTITIONS);

        List<MemberProcess> everyone = new ArrayList<>();
        int[] produced = {0};
        try (TributaryProducer<byte[], byte[]> producer = KafkaClients.ourProducer(bootstrap, Map.of())) {
            MemberProcess s1 = start(everyone, "s1", bootstrap, topic, group, "instance-1");
            MemberProcess s2 = start(everyone, "s2", bootstrap, topic, group, "instance-2");
            int generation = Ownership.awaitStable("two static members", List.of(s1, s2), PARTITIONS, SETTLE);
            produce(producer, topic, produced);
            Set<Integer> s1Partitions = s1.owned();
            Set<Integer> s2Partitions = s2.owned();
            int s2EventsBefore = s2.rebalanceCallbacks();

            // Planned restart: a static member's close() sends no LeaveGroup; its successor takes its place.
            assertThat(s1.closeCleanly()).as("exit code of s1").isZero();
            MemberProcess s1b = start(everyone, "s1b", bootstrap, topic, group, "instance-1");
            int restartedGeneration = Ownership.awaitStable("s1 restarted", List.of(s1b, s2), PARTITIONS, SETTLE);
            assertThat(restartedGeneration)
                    .as("generation after a static restart within the session timeout")
                    .isEqualTo(generation);
            assertThat(s1b.owned())
                    .as("partitions of the restarted static member")
                    .isEqualTo(s1Partitions);
            assertThat(s2.rebalanceCallbacks())
                    .as("s2 saw no rebalance\n%s", s2.diagnostics())
                    .isEqualTo(s2EventsBefore);
            produce(producer, topic, produced);

            // Crash restart: SIGKILL, then the same instance id again before the session times out.
            s1b.kill();
            MemberProcess s1c = start(everyone, "s1c", bootstrap, topic, group, "instance-1");
            restartedGeneration =
                    Ownership.awaitStable("s1 restarted after SIGKILL", List.of(s1c, s2), PARTITIONS, SETTLE);
            long rejoinMs = TimeUnit.NANOSECONDS.toMillis(firstAssigned(s1c) - s1b.killedAtNanos());
            assertThat(rejoinMs)
                    .as("the restart came back within the session timeout")
                    .isLessThan(SESSION_TIMEOUT_MS);
            assertThat(restartedGeneration)
                    .as("generation after a crash restart within the session timeout")
                    .isEqualTo(generation);
            assertThat(s1c.owned())
                    .as("partitions of the crash-restarted static member")
                    .isEqualTo(s1Partitions);
            assertThat(s2.rebalanceCallbacks())
                    .as("s2 saw no rebalance\n%s", s2.diagnostics())
                    .isEqualTo(s2EventsBefore);
            produce(producer, topic, produced);
            awaitAllConsumed(everyone, produced[0]);

            // A second live process with s2's instance id: the coordinator hands the id to the newcomer
            // and fences the older one.
            MemberProcess duplicate = start(everyone, "s2dup", bootstrap, topic, group, "instance-2");
            await("s2 is fenced")
                    .atMost(SETTLE)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> s2.printed("FENCED") || !s2.isAlive() || duplicate.printed("FENCED"));
            assertThat(s2.awaitExit())
                    .as("exit code of the fenced member\n%s", s2.diagnostics())
                    .isEqualTo(GroupMemberMain.EXIT_FENCED);
            assertThat(s2.printed("FENCED")).isTrue();
            Ownership.awaitStable("the duplicate took over instance-2", List.of(s1c, duplicate), PARTITIONS, SETTLE);
            assertThat(duplicate.owned())
                    .as("partitions of the newcomer with instance-2")
                    .isEqualTo(s2Partitions);
            assertThat(duplicate.printed("FENCED"))
                    .as("the newcomer is not fenced")
                    .isFalse();
            produce(producer, topic, produced);

            // Gone for good: past the session timeout the coordinator does rebalance.
            Set<Integer> lostPartitions = s1c.owned();
            s1c.kill();
            int afterExpiry = Ownership.awaitStable("s1 expired", List.of(duplicate), PARTITIONS, SETTLE);
            assertThat(afterExpiry)
                    .as("a new generation once the static member expired")
                    .isGreaterThan(generation);
            long[] handover = Ownership.handover(List.of(duplicate), lostPartitions, s1c.killedAtNanos());
            long expiryMs = TimeUnit.NANOSECONDS.toMillis(handover[0] - s1c.killedAtNanos());
            assertThat(expiryMs)
                    .as("ms from SIGKILL to the rebalance")
                    .isGreaterThanOrEqualTo(SESSION_TIMEOUT_MS - HEARTBEAT_INTERVAL_MS - 100);
            LOG.info(
                    "{}: static crash restart rejoined in {} ms; expiry hand-over after {} ms",
                    target,
                    rejoinMs,
                    expiryMs);
            produce(producer, topic, produced);
            awaitAllConsumed(everyone, produced[0]);
            GroupAdmin.assertCommittedAtLogEnd(bootstrap, topic, group, PARTITIONS);
            assertThat(duplicate.closeCleanly()).isZero();

            // The fenced member kept its partitions in its own view until it learnt of the fence; that
            // overlap is inherent to fencing, so exclusivity is judged without it.
            List<MemberProcess> unfenced = new ArrayList<>(everyone);
            unfenced.remove(s2);
            Ownership.assertNeverOwnedTwice(unfenced);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\n" + Ownership.describe(everyone), e);
        } finally {
            for (MemberProcess m : everyone) {
                m.close();
            }
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

    private static long firstAssigned(MemberProcess m) {
        return m.events().stream()
                .filter(e -> e.kind().equals("ASSIGNED"))
                .mapToLong(MemberProcess.Event::nanos)
                .min()
                .orElseThrow();
    }

    private static void produce(TributaryProducer<byte[], byte[]> producer, String topic, int[] produced) {
        for (int i = 0; i < 40; i++) {
            int n = produced[0]++;
            producer.send(new ProducerRecord<>(
                    topic, n % PARTITIONS, null, Integer.toString(n).getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush();
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
