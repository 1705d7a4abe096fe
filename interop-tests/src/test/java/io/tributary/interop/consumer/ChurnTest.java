package io.tributary.interop.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.interop.groups.GroupBrokers;
import io.tributary.interop.groups.MemberProcess;
import io.tributary.interop.groups.Ownership;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 4 acceptance, randomised churn of Tributary consumer JVMs ({@link TributaryMemberProcess})
 * in one group, against both brokers: a seeded schedule of {@value #EVENTS} joins, clean leaves
 * and SIGKILLs (1 to {@value #MAX_LIVE} members alive at any time; the group must settle after
 * each) while keyed records flow. Members print what they consume and what they commit
 * (commitSync after each batch, and of revoked partitions in onPartitionsRevoked).
 *
 * <p>Afterwards: every acknowledged (partition, offset) was consumed at least once; every record
 * consumed more than once is explained by unacknowledged work of a member that did not leave
 * cleanly: some SIGKILLed member (or one that reported its partitions LOST) consumed it and the
 * last offset it committed for that partition is at or below it. So clean leaves and rebalances
 * cause no duplicates at all. No partition was ever owned by two members at once, and the
 * group's committed offsets end at the log end.
 *
 * <p>The seed is logged; {@code -Dchurn.seed=N} replays a schedule (the assignor, eager range or
 * cooperative-sticky, is drawn from it too). Timing still varies between runs.
 */
// Tagged so it can be left out of a local run (-Dtributary.excludedGroups=churn); CI runs it.
@Tag("churn")
class ChurnTest {
    private static final Logger LOG = LoggerFactory.getLogger(ChurnTest.class);
    private static final int EVENTS = 20;
    private static final int MAX_LIVE = 4;
    private static final int PARTITIONS = 6;
    private static final int SESSION_TIMEOUT_MS = 3_000;
    private static final int HEARTBEAT_INTERVAL_MS = 500;
    private static final int MAX_RECORDS = 6_000;
    private static final Duration SETTLE = Duration.ofSeconds(45);
    /** One seed per test JVM, so both targets run the same schedule. */
    private static final long SEED = Long.getLong("churn.seed", new SecureRandom().nextLong());

    private enum Kind {
        JOIN,
        LEAVE,
        KILL
    }

    /** One scheduled change; {@code victim} indexes the live members in joining order. */
    private record Step(Kind kind, int victim) {}

    static Stream<Target> targets() {
        return Targets.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void randomChurnConsumesEverythingWithDuplicatesOnlyFromKilledMembers(Target target) throws Exception {
        Random random = new Random(SEED);
        String assignor = random.nextBoolean() ? "range" : "cooperative-sticky";
        List<Step> schedule = schedule(random);
        LOG.info(
                "{}: churn seed {} (replay with -Dchurn.seed={}), assignor {}, schedule {}",
                target,
                SEED,
                SEED,
                assignor,
                schedule);
        long started = System.nanoTime();

        RunningBroker broker = GroupBrokers.get(target);
        String bootstrap = broker.bootstrapServers();
        String topic = KafkaClients.uniqueTopic("churn");
        String group = topic + "-group";
        KafkaClients.createTopic(bootstrap, topic, PARTITIONS);

        List<MemberProcess> everyone = new ArrayList<>();
        List<MemberProcess> live = new ArrayList<>();
        Set<String> killed = new HashSet<>();
        String context = target + " seed " + SEED + " (" + assignor + ")";
        try (RecordStream stream = new RecordStream(bootstrap, topic, MAX_RECORDS)) {
            try {
                MemberProcess first = start("m0", bootstrap, topic, group, assignor);
                everyone.add(first);
                live.add(first);
                Ownership.awaitStable("m0 joined", live, PARTITIONS, SETTLE);
                for (int i = 0; i < schedule.size(); i++) {
                    Step step = schedule.get(i);
                    String what;
                    switch (step.kind()) {
                        case JOIN -> {
                            MemberProcess m = start("m" + everyone.size(), bootstrap, topic, group, assignor);
                            everyone.add(m);
                            live.add(m);
                            what = m + " joined";
                        }
                        case LEAVE -> {
                            MemberProcess m = live.remove(step.victim());
                            assertThat(m.closeCleanly())
                                    .as("exit code of %s after a clean close", m)
                                    .isZero();
                            what = m + " left cleanly";
                        }
                        default -> {
                            MemberProcess m = live.remove(step.victim());
                            m.kill();
                            killed.add(m.name());
                            what = m + " was SIGKILLed";
                        }
                    }
                    Ownership.awaitStable("step " + (i + 1) + ": " + what, live, PARTITIONS, SETTLE);
                    LOG.info(
                            "{} step {}/{}: {} -> {}",
                            context,
                            i + 1,
                            schedule.size(),
                            what,
                            Ownership.assignment(live));
                }

                stream.stop();
                Set<Long> produced = stream.acked();
                try {
                    await("every acknowledged record consumed")
                            .atMost(SETTLE)
                            .pollInterval(Duration.ofMillis(100))
                            .until(() -> consumptions(everyone).keySet().containsAll(produced));
                } catch (ConditionTimeoutException e) {
                    Set<Long> missing = new HashSet<>(produced);
                    missing.removeAll(consumptions(everyone).keySet());
                    throw new AssertionError(
                            missing.size() + " records never consumed, e.g. "
                                    + missing.stream()
                                            .limit(10)
                                            .map(ChurnTest::describeKey)
                                            .toList(),
                            e);
                }
                for (MemberProcess m : List.copyOf(live)) {
                    assertThat(m.closeCleanly()).as("exit code of %s", m).isZero();
                }
                for (MemberProcess m : everyone) {
                    assertThat(m.printed("ERROR")).as("%s reported an error", m).isFalse();
                }

                Map<Long, List<String>> consumed = consumptions(everyone);
                assertThat(consumed.keySet())
                        .as("consumed records that were never produced")
                        .isSubsetOf(produced);
                int duplicates = assertDuplicatesExplained(everyone, killed, consumed);
                Ownership.assertNeverOwnedTwice(everyone);
                assertCommittedAtLogEnd(bootstrap, topic, group);
                long deferred = everyone.stream()
                        .flatMap(m -> m.events().stream())
                        .filter(e -> e.kind().equals("COMMIT-DEFERRED"))
                        .count();
                LOG.info(
                        "{}: {} records, {} consumed twice or more (all after a killed member's last commit), "
                                + "{} deferred commits, {} members, {} killed, {} ms",
                        context,
                        produced.size(),
                        duplicates,
                        deferred,
                        everyone.size(),
                        killed.size(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(context + ": " + e.getMessage() + "\n" + Ownership.describe(everyone), e);
            }
        } finally {
            for (MemberProcess m : everyone) {
                m.close();
            }
        }
    }

    /**
     * {@value #EVENTS} steps from {@code random}, never leaving the group empty nor above
     * {@value #MAX_LIVE}; the kind is uniform over those allowed, the victim uniform over the live.
     */
    private static List<Step> schedule(Random random) {
        List<Step> steps = new ArrayList<>();
        int live = 1;
        for (int i = 0; i < EVENTS; i++) {
            List<Kind> allowed = new ArrayList<>();
            if (live < MAX_LIVE) {
                allowed.add(Kind.JOIN);
            }
            if (live > 1) {
                allowed.add(Kind.LEAVE);
                allowed.add(Kind.KILL);
            }
            Kind kind = allowed.get(random.nextInt(allowed.size()));
            if (kind == Kind.JOIN) {
                steps.add(new Step(kind, -1));
                live++;
            } else {
                steps.add(new Step(kind, random.nextInt(live)));
                live--;
            }
        }
        return steps;
    }

    /** Every consumed record (as a {@link RecordStream#key}) and the members that consumed it, in order. */
    private static Map<Long, List<String>> consumptions(List<MemberProcess> members) {
        Map<Long, List<String>> consumed = new HashMap<>();
        for (MemberProcess m : members) {
            for (MemberProcess.Event e : m.events()) {
                if (e.kind().equals("RECORD")) {
                    consumed.computeIfAbsent(RecordStream.key(e.partition(), e.offset()), k -> new ArrayList<>())
                            .add(m.name());
                }
            }
        }
        return consumed;
    }

    /**
     * A record consumed more than once must have been consumed by a member that died with it
     * unacknowledged: SIGKILLed, or told by its consumer that it LOST the partition (session
     * expiry under load), whose last commit for the partition is at or below the record.
     * Returns the number of duplicated records.
     */
    private static int assertDuplicatesExplained(
            List<MemberProcess> everyone, Set<String> killed, Map<Long, List<String>> consumed) {
        Map<String, Map<Integer, Long>> lastCommit = new HashMap<>();
        Map<String, Set<Integer>> lost = new HashMap<>();
        for (MemberProcess m : everyone) {
            Map<Integer, Long> commits = new HashMap<>();
            Set<Integer> lostPartitions = new HashSet<>();
            for (MemberProcess.Event e : m.events()) {
                switch (e.kind()) {
                    case "COMMITTED" -> commits.put(e.partition(), e.offset());
                    case "LOST" -> lostPartitions.addAll(e.partitions());
                    default -> {}
                }
            }
            lastCommit.put(m.name(), commits);
            lost.put(m.name(), lostPartitions);
        }
        Map<Long, List<String>> unexplained = new TreeMap<>();
        int duplicates = 0;
        int explainedByLoss = 0;
        for (Map.Entry<Long, List<String>> e : consumed.entrySet()) {
            if (e.getValue().size() < 2) {
                continue;
            }
            duplicates++;
            int partition = RecordStream.partitionOf(e.getKey());
            long offset = RecordStream.offsetOf(e.getKey());
            boolean byKill = false;
            boolean byLoss = false;
            for (String member : new HashSet<>(e.getValue())) {
                long committed = lastCommit.get(member).getOrDefault(partition, -1L);
                if (committed > offset) {
                    continue;
                }
                byKill |= killed.contains(member);
                byLoss |= lost.get(member).contains(partition);
            }
            if (!byKill && byLoss) {
                explainedByLoss++;
            }
            if (!byKill && !byLoss) {
                unexplained.put(e.getKey(), e.getValue());
            }
        }
        if (explainedByLoss > 0) {
            LOG.warn(
                    "{} duplicates came from members that lost their partitions without being killed", explainedByLoss);
        }
        if (!unexplained.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            unexplained.entrySet().stream()
                    .limit(20)
                    .forEach(u -> sb.append("  ")
                            .append(describeKey(u.getKey()))
                            .append(" consumed by ")
                            .append(u.getValue())
                            .append('\n'));
            throw new AssertionError(unexplained.size() + " records were consumed more than once without a killed "
                    + "member having consumed them after its last commit (killed: " + killed + ", last commits: "
                    + lastCommit + "):\n" + sb);
        }
        return duplicates;
    }

    private static String describeKey(long key) {
        return "p" + RecordStream.partitionOf(key) + "@" + RecordStream.offsetOf(key);
    }

    /** Every member closed after committing what it processed, so the group's offsets are the log ends. */
    private static void assertCommittedAtLogEnd(String bootstrap, String topic, String group) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> ends = new TreeMap<>((a, b) -> Integer.compare(a.partition(), b.partition()));
            admin.listOffsets(latest)
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .forEach((tp, info) -> ends.put(tp, info.offset()));
            Map<TopicPartition, Long> committed =
                    new TreeMap<>((a, b) -> Integer.compare(a.partition(), b.partition()));
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            offsets.forEach((tp, om) -> committed.put(tp, om == null ? null : om.offset()));
            assertThat(committed)
                    .as("committed offsets of %s after every member closed", group)
                    .isEqualTo(ends);
        }
    }

    private static MemberProcess start(String name, String bootstrap, String topic, String group, String assignor)
            throws Exception {
        return MixedGroupChurnTest.startOurs(
                name, bootstrap, topic, group, assignor, SESSION_TIMEOUT_MS, HEARTBEAT_INTERVAL_MS);
    }
}
