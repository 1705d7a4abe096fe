package io.tributary.interop.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.TributaryProcess;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 15 item 2, crash loops: our broker as a child JVM is SIGKILLed at a random moment, again
 * and again, while idempotent acks=all producers write to {@value #PARTITIONS} partitions and a
 * group of {@value #MEMBERS} consumers commits. After every restart: every acknowledged record is
 * at its acknowledged offset, nothing is stored twice and each producer's records are in order
 * ({@link LogAudit}); committed offsets never move backwards; the group re-forms with every
 * partition owned once; and the time from process start to the first acknowledged produce is
 * recorded.
 *
 * <p>With {@code tornWrites}, every kill is followed by garbage appended to the newest segment of
 * a random partition while the broker is down: a batch the dying process was half-way through
 * writing. Recovery must cut it and lose nothing acknowledged. Cutting acknowledged bytes instead
 * would simulate losing fsynced data (a broken disk), which no log can survive; the bytes after
 * the last fsync cannot be told apart from outside, so the tear is added rather than cut out.
 */
final class CrashLoop {
    static final int PARTITIONS = 8;
    static final int MEMBERS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(CrashLoop.class);
    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final Map<String, String> BROKER_SETTINGS = Map.of("group.initial.rebalance.delay.ms", "0");

    private final Path dataDir;
    private final boolean tornWrites;
    private final Random random;
    private final List<Long> recoveryMs = new ArrayList<>();
    private final List<Long> listeningMs = new ArrayList<>();
    private final Map<TopicPartition, Long> highestCommitted = new HashMap<>();
    private int tornBytes;
    private int survived;

    CrashLoop(Path dataDir, boolean tornWrites, long seed) {
        this.dataDir = dataDir;
        this.tornWrites = tornWrites;
        this.random = new Random(seed);
        LOG.info("crash loop seed {} (torn writes {})", seed, tornWrites);
    }

    /** Runs {@code cycles} kill-restart cycles; returns the summary line (also logged). */
    String run(int cycles) throws Exception {
        String topic = KafkaClients.uniqueTopic("crashloop");
        String group = topic + "-group";
        AckLedger ledger = new AckLedger(PARTITIONS);
        try (TributaryProcess broker = TributaryProcess.start(dataDir, BROKER_SETTINGS)) {
            String bootstrap = broker.bootstrapServers();
            KafkaClients.createTopic(bootstrap, topic, PARTITIONS);
            try (PacedProducers producers = new PacedProducers(bootstrap, topic, PARTITIONS, 2, 1_000, ledger);
                    CommittingGroup members = new CommittingGroup(bootstrap, topic, group, MEMBERS);
                    Admin admin = admin(bootstrap)) {
                awaitGroupFormed(admin, group, members, "before the first kill");
                for (int cycle = 1; cycle <= cycles; cycle++) {
                    String where = "cycle " + cycle + " of " + cycles;
                    try {
                        cycle(broker, admin, topic, group, ledger, members, where);
                    } catch (AssertionError | RuntimeException e) {
                        throw new AssertionError(where + ": " + e.getMessage() + "\n" + broker.diagnostics(), e);
                    }
                    assertThat(producers.failures())
                            .as("%s: failed sends", where)
                            .isEmpty();
                    survived = cycle;
                }
                LOG.info(
                        "members committed {} times ({} errors while the broker was away)",
                        members.commits(),
                        members.errors());
            } finally {
                LOG.info(summary(cycles, ledger));
            }
            LogAudit.Result last = LogAudit.audit(bootstrap, topic, PARTITIONS, ledger);
            assertThat(last.violations()).as("after the producers flushed").isEmpty();
        }
        return summary(cycles, ledger);
    }

    private void cycle(
            TributaryProcess broker,
            Admin admin,
            String topic,
            String group,
            AckLedger ledger,
            CommittingGroup members,
            String where)
            throws Exception {
        // A random moment: somewhere between a few and a few thousand acknowledgements from now.
        long target = ledger.count() + 1 + random.nextInt(3_000);
        await(where + ": acknowledgements before the kill")
                .atMost(SETTLE)
                .pollInterval(Duration.ofMillis(1))
                .until(() -> ledger.count() >= target);
        Map<TopicPartition, Long> before = committed(admin, group);
        checkNotBackwards(before, where + " before the kill");
        broker.kill();
        if (tornWrites) {
            tear(topic);
        }
        long start = System.nanoTime();
        ledger.mark(start);
        broker.startAgain();
        listeningMs.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        await(where + ": first acknowledgement after the restart")
                .atMost(SETTLE)
                .pollInterval(Duration.ofMillis(1))
                .until(() -> ledger.firstAckAfterMark() != 0);
        recoveryMs.add(TimeUnit.NANOSECONDS.toMillis(ledger.firstAckAfterMark() - start));

        LogAudit.Result audit = LogAudit.audit(broker.bootstrapServers(), topic, PARTITIONS, ledger);
        assertThat(audit.violations())
                .as(
                        "%s: log against acknowledgements (%d read, %d acknowledged)",
                        where, audit.recordsRead(), audit.ackedChecked())
                .isEmpty();

        // Offsets read while the coordinator reloads may fail; once read they must not be older.
        Map<TopicPartition, Long> after = await(where + ": committed offsets readable")
                .atMost(SETTLE)
                .ignoreExceptions()
                .until(
                        () -> committed(admin, group),
                        offsets -> offsets.keySet().containsAll(before.keySet()));
        checkNotBackwards(after, where + " after the restart");
        awaitGroupFormed(admin, group, members, where);
        // The re-formed group works: every partition's commit moves past where it was at the kill.
        await(where + ": commits move on after the restart")
                .atMost(SETTLE)
                .ignoreExceptions()
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    Map<TopicPartition, Long> now = committed(admin, group);
                    checkNotBackwards(now, where + " while the group resumes");
                    return now.size() == PARTITIONS
                            && before.entrySet().stream().allMatch(e -> now.get(e.getKey()) > e.getValue());
                });
    }

    private void checkNotBackwards(Map<TopicPartition, Long> sample, String when) {
        for (Map.Entry<TopicPartition, Long> highest : highestCommitted.entrySet()) {
            Long now = sample.get(highest.getKey());
            if (now == null || now < highest.getValue()) {
                throw new AssertionError("committed offset of " + highest.getKey() + " went back from "
                        + highest.getValue() + " to " + now + " (" + when + ")");
            }
        }
        sample.forEach((tp, offset) -> highestCommitted.merge(tp, offset, Math::max));
    }

    /** Admin's view and the members' own: all members assigned, every partition owned once. */
    private static void awaitGroupFormed(Admin admin, String group, CommittingGroup members, String where) {
        await(where + ": group of " + MEMBERS + " re-formed, every partition owned once")
                .atMost(SETTLE)
                .ignoreExceptions()
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group))
                            .describedGroups()
                            .get(group)
                            .get(10, TimeUnit.SECONDS);
                    List<Set<TopicPartition>> described = new ArrayList<>();
                    for (MemberDescription m : d.members()) {
                        described.add(m.assignment().topicPartitions());
                    }
                    return d.groupState() == GroupState.STABLE
                            && ownedOnceByAll(described)
                            && ownedOnceByAll(members.owned());
                });
    }

    private static boolean ownedOnceByAll(List<Set<TopicPartition>> owned) {
        Set<TopicPartition> union = new HashSet<>();
        int total = 0;
        for (Set<TopicPartition> s : owned) {
            if (s.isEmpty()) {
                return false;
            }
            union.addAll(s);
            total += s.size();
        }
        return owned.size() == MEMBERS && union.size() == PARTITIONS && total == PARTITIONS;
    }

    private static Map<TopicPartition, Long> committed(Admin admin, String group) throws Exception {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS)
                .entrySet()) {
            if (e.getValue() != null) {
                offsets.put(e.getKey(), e.getValue().offset());
            }
        }
        return offsets;
    }

    /** Appends a torn batch (sometimes with a plausible header, then noise) to a random partition. */
    private void tear(String topic) throws IOException {
        int partition = random.nextInt(PARTITIONS);
        Path segment = newestSegment(topic, partition);
        int length = 1 + random.nextInt(300);
        ByteBuffer garbage = ByteBuffer.allocate(Math.max(length, 21));
        random.nextBytes(garbage.array());
        if (random.nextBoolean()) {
            garbage.putLong(Long.MAX_VALUE / 2)
                    .putInt(length + random.nextInt(4_000))
                    .putInt(0)
                    .put((byte) 2);
        }
        Files.write(segment, java.util.Arrays.copyOf(garbage.array(), length), StandardOpenOption.APPEND);
        tornBytes += length;
    }

    private Path newestSegment(String topic, int partition) throws IOException {
        String dir = topic + "-" + partition;
        try (Stream<Path> files = Files.walk(dataDir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".log"))
                    .filter(p -> p.getParent().getFileName().toString().equals(dir))
                    .max(Comparator.comparing(p -> p.getFileName().toString()))
                    .orElseThrow(() -> new AssertionError("no segment of " + dir + " under " + dataDir));
        }
    }

    private String summary(int cycles, AckLedger ledger) {
        List<Long> sorted = recoveryMs.stream().sorted().toList();
        List<Long> listening = listeningMs.stream().sorted().toList();
        return String.format(
                "crash-loop%s: cycles survived %d/%d, records acknowledged %d, recovery ms (start to first"
                        + " acknowledged produce) max %d median %d, listening ms max %d median %d%s",
                tornWrites ? " with torn writes" : "",
                survived,
                cycles,
                ledger.count(),
                sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1),
                sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2),
                listening.isEmpty() ? 0 : listening.get(listening.size() - 1),
                listening.isEmpty() ? 0 : listening.get(listening.size() / 2),
                tornWrites ? ", torn bytes appended " + tornBytes : "");
    }

    private static Admin admin(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
        return Admin.create(props);
    }
}
