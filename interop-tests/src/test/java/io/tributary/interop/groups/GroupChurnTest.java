package io.tributary.interop.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.RecordMetadata;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 3 acceptance, Apache {@code kafka-clients} members as separate JVMs (G1, G2, G4, G7, G8,
 * G9): one member starts, others join, one leaves cleanly, one is SIGKILLed, while records keep
 * arriving. For each assignor:
 * <ul>
 * <li>after every change the group settles with each partition owned by exactly one live member,
 * balanced to within one partition; members beyond the partition count sit idle (G1);</li>
 * <li>no partition is ever held by two members at once, judged from each member's
 * assignment/revocation callbacks on one machine-wide monotonic clock (G1, G8, G9);</li>
 * <li>a clean close hands its partitions over well within the session timeout (G7), a SIGKILL
 * only after it (G4);</li>
 * <li>eager assignors revoke everything on a rebalance (G8); cooperative-sticky never revokes a
 * partition it keeps, so its consumption of those is never interrupted (G9);</li>
 * <li>every produced record is consumed at least once, and the group's committed offsets end at
 * the log end (at-least-once commits after processing).</li>
 * </ul>
 */
// Tagged so it can be left out of a local run (-Dtributary.excludedGroups=churn); CI runs it.
// -Dinterop.targets=TRIBUTARY and -Dchurn.assignors=range repeat chosen cases.
@Tag("churn")
class GroupChurnTest {
    private static final Logger LOG = LoggerFactory.getLogger(GroupChurnTest.class);
    private static final int SESSION_TIMEOUT_MS = 5_000;
    private static final int HEARTBEAT_INTERVAL_MS = 250;
    private static final int RECORDS_PER_BATCH = 60;
    private static final Duration SETTLE = Duration.ofSeconds(60);

    /** Assignor, partitions, members joining the first one (so the peak group size is joiners + 1). */
    static Stream<Arguments> scenarios() {
        List<Arguments> arguments = new ArrayList<>();
        for (Target target : (Iterable<Target>) Target.selected()::iterator) {
            arguments.add(Arguments.of(target, "range", 1, 3)); // 4 members, 1 partition: 3 idle
            arguments.add(Arguments.of(target, "roundrobin", 12, 5)); // 6 members over 12 partitions
            arguments.add(Arguments.of(target, "sticky", 5, 2)); // 3 members over 5 partitions
            arguments.add(Arguments.of(target, "cooperative-sticky", 8, 3)); // 4 members over 8 partitions
        }
        // -Dchurn.assignors=range,sticky repeats only some cases.
        String only = System.getProperty("churn.assignors", "");
        return arguments.stream()
                .filter(a -> only.isBlank() || List.of(only.split(",")).contains(a.get()[1]));
    }

    @ParameterizedTest(name = "{0} {1}: {3}+1 members over {2} partitions")
    @MethodSource("scenarios")
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void membersJoinLeaveAndCrashWithoutLosingOrSharingPartitions(
            Target target, String assignor, int partitions, int joiners) throws Exception {
        RunningBroker broker = GroupBrokers.get(target);
        String bootstrap = broker.bootstrapServers();
        String topic = KafkaClients.uniqueTopic("churn-" + assignor);
        String group = topic + "-group";
        KafkaClients.createTopic(bootstrap, topic, partitions);
        boolean cooperative = assignor.startsWith("cooperative");

        List<MemberProcess> everyone = new ArrayList<>();
        List<MemberProcess> live = new ArrayList<>();
        AtomicInteger produced = new AtomicInteger();
        try (TributaryProducer<byte[], byte[]> producer = KafkaClients.ourProducer(bootstrap, Map.of())) {
            Runnable produceBatch = () -> produce(producer, topic, partitions, produced);

            // One member: it owns everything.
            MemberProcess first = start("m0", bootstrap, topic, group, assignor);
            everyone.add(first);
            live.add(first);
            Ownership.awaitStable("the first member owns every partition", live, partitions, SETTLE);
            assertThat(first.owned()).isEqualTo(Ownership.allPartitions(partitions));
            produceBatch.run();

            // Members join: load spreads (G1); eager revokes all first (G8), cooperative only what moves (G9).
            Set<Integer> ownedBeforeJoin = first.owned();
            long joinStart = System.nanoTime();
            // Records keep arriving throughout the joins, so there is something to consume mid-rebalance.
            AtomicBoolean stopStreaming = new AtomicBoolean();
            AtomicReference<Exception> streamFailure = new AtomicReference<>();
            Thread streamer = new Thread(
                    () -> {
                        try {
                            while (!stopStreaming.get()) {
                                // Small flushed bursts: a steady stream without an unbounded backlog.
                                for (int i = 0; i < 20; i++) {
                                    int n = produced.getAndIncrement();
                                    producer.send(
                                            new ProducerRecord<>(
                                                    topic,
                                                    n % partitions,
                                                    null,
                                                    Integer.toString(n).getBytes(StandardCharsets.UTF_8)),
                                            (md, e) -> {
                                                if (e != null) {
                                                    streamFailure.compareAndSet(null, e);
                                                }
                                            });
                                }
                                producer.flush();
                            }
                        } catch (Exception e) {
                            streamFailure.set(e);
                        }
                    },
                    "churn-streamer");
            streamer.start();
            try {
                for (int i = 1; i <= joiners; i++) {
                    MemberProcess joiner = start("m" + i, bootstrap, topic, group, assignor);
                    everyone.add(joiner);
                    live.add(joiner);
                }
                Ownership.awaitStable(joiners + " members joined", live, partitions, SETTLE);
            } finally {
                stopStreaming.set(true);
                streamer.join(TimeUnit.SECONDS.toMillis(30));
            }
            assertThat(streamFailure.get()).as("streaming produce failure").isNull();
            long stableAt = live.stream()
                    .flatMap(m -> m.events().stream())
                    .filter(e -> e.kind().equals("ASSIGNED"))
                    .mapToLong(MemberProcess.Event::nanos)
                    .max()
                    .orElseThrow();
            Ownership.assertBalanced(live);
            assertThat(live.stream().filter(m -> m.owned().isEmpty()).count())
                    .as("idle members when members outnumber partitions: %s", Ownership.assignment(live))
                    .isEqualTo(Math.max(0, live.size() - partitions));
            Set<Integer> revokedFromFirst = revokedSince(first, joinStart);
            if (cooperative) {
                Set<Integer> kept = new HashSet<>(ownedBeforeJoin);
                kept.retainAll(first.owned());
                assertThat(kept)
                        .as("cooperative: the first member keeps some partitions")
                        .isNotEmpty();
                assertThat(revokedFromFirst)
                        .as("cooperative: only moved partitions are revoked (kept: %s)", kept)
                        .doesNotContainAnyElementsOf(kept);
                // From its first revocation to the last assignment of the settled generation the group is
                // rebalancing; the first member keeps fetching what it keeps all along.
                long rebalanceFrom = first.events().stream()
                        .filter(e -> e.kind().equals("REVOKED") && e.nanos() >= joinStart)
                        .mapToLong(MemberProcess.Event::nanos)
                        .min()
                        .orElseThrow();
                long consumedMeanwhile = first.events().stream()
                        .filter(e -> e.kind().equals("RECORD")
                                && kept.contains(e.partition())
                                && e.nanos() > rebalanceFrom
                                && e.nanos() < stableAt)
                        .count();
                LOG.info(
                        "{} {}: {} records of kept partitions consumed during a {} ms rebalance",
                        target,
                        assignor,
                        consumedMeanwhile,
                        TimeUnit.NANOSECONDS.toMillis(stableAt - rebalanceFrom));
                assertThat(consumedMeanwhile)
                        .as(
                                "cooperative: records of kept partitions %s consumed between the "
                                        + "first revocation and the settled assignment",
                                kept)
                        .isPositive();
            } else {
                assertThat(revokedFromFirst)
                        .as("eager: everything is revoked before the rebalance")
                        .isEqualTo(ownedBeforeJoin);
                // Eager stops the world: nothing is consumed between a revocation and the next assignment.
                List<MemberProcess.Event> events = first.events();
                boolean revoked = false;
                for (MemberProcess.Event e : events) {
                    if (e.nanos() < joinStart) {
                        continue;
                    }
                    switch (e.kind()) {
                        case "REVOKED" -> revoked = true;
                        case "ASSIGNED" -> revoked = false;
                        case "RECORD" ->
                            assertThat(revoked)
                                    .as("eager: record %s consumed while revoked", e)
                                    .isFalse();
                        default -> {}
                    }
                }
            }

            // A clean close: LeaveGroup, so the hand-over does not wait for the session timeout (G7).
            MemberProcess leaver = pickOwner(live, null);
            Set<Integer> leaverPartitions = leaver.owned();
            live.remove(leaver);
            assertThat(leaver.closeCleanly())
                    .as("exit code of cleanly closed %s", leaver)
                    .isZero();
            produceBatch.run();
            Ownership.awaitStable(leaver + " left cleanly", live, partitions, SETTLE);
            long[] cleanHandover = Ownership.handover(live, leaverPartitions, leaver.closeRequestedAtNanos());
            long cleanMs = TimeUnit.NANOSECONDS.toMillis(cleanHandover[1] - leaver.closeRequestedAtNanos());
            assertThat(cleanMs)
                    .as("ms from close() to the hand-over of %s", leaverPartitions)
                    .isLessThan(SESSION_TIMEOUT_MS);

            // A crash: no LeaveGroup; the coordinator waits for the session timeout (G4).
            MemberProcess victim = pickOwner(live, null);
            Set<Integer> victimPartitions = victim.owned();
            live.remove(victim);
            victim.kill();
            produceBatch.run();
            Ownership.awaitStable(victim + " was killed", live, partitions, SETTLE);
            long[] crashHandover = Ownership.handover(live, victimPartitions, victim.killedAtNanos());
            long crashMs = TimeUnit.NANOSECONDS.toMillis(crashHandover[0] - victim.killedAtNanos());
            // Its last heartbeat was at most one interval before the kill.
            assertThat(crashMs)
                    .as("ms from SIGKILL to the first hand-over of %s", victimPartitions)
                    .isGreaterThanOrEqualTo(SESSION_TIMEOUT_MS - HEARTBEAT_INTERVAL_MS - 100);
            LOG.info(
                    "{} {}: clean hand-over {} ms, crash hand-over {} ms (session timeout {} ms)",
                    target,
                    assignor,
                    cleanMs,
                    crashMs,
                    SESSION_TIMEOUT_MS);
            produceBatch.run();

            // At least once: every record reaches some member, and the commits reach the log end.
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < produced.get(); i++) {
                expected.add(Integer.toString(i));
            }
            long catchUpFrom = System.nanoTime();
            try {
                await("every produced record consumed")
                        .atMost(SETTLE)
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> Ownership.consumedValues(everyone).containsAll(expected));
            } catch (ConditionTimeoutException e) {
                Set<String> missing = new TreeSet<>(Comparator.comparingInt(Integer::parseInt));
                missing.addAll(expected);
                missing.removeAll(Ownership.consumedValues(everyone));
                throw new AssertionError(
                        missing.size() + " of " + expected.size() + " produced records never consumed"
                                + " (record n went to partition n % " + partitions + "), first: "
                                + missing.stream().limit(20).toList() + "; "
                                + GroupAdmin.offsetsSummary(bootstrap, topic, group, partitions),
                        e);
            }
            LOG.info(
                    "{} {}: {} records produced, the last ones consumed {} ms after the final batch",
                    target,
                    assignor,
                    expected.size(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - catchUpFrom));
            GroupAdmin.assertCommittedAtLogEnd(bootstrap, topic, group, partitions);

            for (MemberProcess m : live) {
                assertThat(m.closeCleanly()).as("exit code of %s", m).isZero();
            }
            Ownership.assertNeverOwnedTwice(everyone);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\n" + Ownership.describe(everyone), e);
        } finally {
            for (MemberProcess m : everyone) {
                m.close();
            }
        }
    }

    private static MemberProcess start(String name, String bootstrap, String topic, String group, String assignor)
            throws Exception {
        return MemberProcess.start(
                name, bootstrap, topic, group, assignor, SESSION_TIMEOUT_MS, HEARTBEAT_INTERVAL_MS, null);
    }

    /** A live member that owns something, other than {@code except}: its departure must move partitions. */
    private static MemberProcess pickOwner(List<MemberProcess> live, MemberProcess except) {
        return live.stream()
                .filter(m -> m != except && !m.owned().isEmpty())
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        "no member other than " + except + " owns a partition: " + Ownership.assignment(live)));
    }

    private static Set<Integer> revokedSince(MemberProcess m, long sinceNanos) {
        return m.events().stream()
                .filter(e -> e.kind().equals("REVOKED") && e.nanos() >= sinceNanos)
                .flatMap(e -> e.partitions().stream())
                .collect(Collectors.toSet());
    }

    /** Values are the running record number; partitions are round-robin so every partition gets data. */
    private static void produce(
            TributaryProducer<byte[], byte[]> producer, String topic, int partitions, AtomicInteger produced) {
        try {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (int i = 0; i < RECORDS_PER_BATCH; i++) {
                int n = produced.getAndIncrement();
                sends.add(producer.send(new ProducerRecord<>(
                        topic, n % partitions, null, Integer.toString(n).getBytes(StandardCharsets.UTF_8))));
            }
            producer.flush();
            for (Future<RecordMetadata> send : sends) {
                send.get();
            }
        } catch (RuntimeException | ExecutionException e) {
            throw new AssertionError("produce failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while producing", e);
        }
    }
}
