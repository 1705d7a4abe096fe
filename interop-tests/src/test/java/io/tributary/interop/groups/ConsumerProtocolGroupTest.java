package io.tributary.interop.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.interop.consumer.TributaryMemberProcess;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.common.GroupType;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 14 (KIP-848, feature X1) acceptance, first slice: Apache {@code KafkaConsumer}s with
 * {@code group.protocol=consumer} and the broker's {@code uniform} assignor, as separate JVMs, on
 * our broker and on Apache Kafka 4.3: three members share six partitions, one leaves, one is
 * SIGKILLed; the survivor ends up with everything. No partition is ever held by two members
 * (checked on the callbacks' timeline and by sampling), every record is consumed, and a record is
 * consumed twice only on a partition the killed member held uncommitted. Apache's Admin describes
 * the group as a consumer-protocol group. The join/leave/SIGKILL scenario runs again with OUR
 * consumer as the members (issue 14 item 4).
 */
class ConsumerProtocolGroupTest {
    private static final int PARTITIONS = 6;
    /** Short consumer-protocol timeouts on both brokers (Kafka's minimums lowered to allow them). */
    private static final Map<String, String> SETTINGS = Map.of(
            "group.consumer.session.timeout.ms", "6000",
            "group.consumer.min.session.timeout.ms", "6000",
            "group.consumer.heartbeat.interval.ms", "500",
            "group.consumer.min.heartbeat.interval.ms", "500");

    /**
     * For the static restart: the restarted member is a new child JVM, which on a loaded 2-core
     * machine can take longer than 6 s to start; the session must outlast it or the broker
     * (rightly) reassigns the absent member's partitions.
     */
    private static final Map<String, String> STATIC_SETTINGS = Map.of(
            "group.consumer.session.timeout.ms", "30000",
            "group.consumer.min.session.timeout.ms", "6000",
            "group.consumer.heartbeat.interval.ms", "500",
            "group.consumer.min.heartbeat.interval.ms", "500");

    private static final Duration SETTLE = Duration.ofSeconds(30);

    static Iterable<Target> targets() {
        return Target.selected()::iterator;
    }

    /** Every broker with each member client: Apache's KafkaConsumer and ours (issue 14 item 4). */
    static Stream<Arguments> targetsAndClients() {
        return Target.selected().flatMap(t -> Stream.of(Arguments.of(t, "apache"), Arguments.of(t, "tributary")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("targetsAndClients")
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void membersJoinLeaveAndCrashWithExclusiveOwnership(Target target, String client) throws Exception {
        try (RunningBroker broker = target.startDedicated(SETTINGS)) {
            String bootstrap = broker.bootstrapServers();
            String topic = KafkaClients.uniqueTopic("kip848");
            String group = topic + "-group";
            KafkaClients.createTopic(bootstrap, topic, PARTITIONS);
            List<MemberProcess> everyone = new ArrayList<>();
            int[] produced = {0};
            try (TributaryProducer<byte[], byte[]> producer = KafkaClients.ourProducer(bootstrap, Map.of());
                    Admin admin = admin(bootstrap)) {
                produce(producer, topic, produced, 300);
                for (int i = 0; i < 3; i++) {
                    everyone.add(
                            client.equals("apache")
                                    ? member("m" + i, bootstrap, topic, group)
                                    : ourMember("m" + i, bootstrap, topic, group));
                }
                List<MemberProcess> live = new ArrayList<>(everyone);
                awaitCovered("three members share the partitions", live, 2);

                ConsumerGroupDescription d =
                        admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                assertThat(d.type()).isEqualTo(GroupType.CONSUMER);
                assertThat(d.members()).hasSize(3);
                assertThat(d.partitionAssignor()).isEqualTo("uniform");

                produce(producer, topic, produced, 300);
                MemberProcess leaver = live.remove(2);
                assertThat(leaver.closeCleanly()).isZero();
                awaitCovered("two members after a leave", live, 3);

                MemberProcess victim = live.remove(1);
                awaitConsumed(everyone, produced[0]);
                Set<Integer> victimHeld = victim.owned();
                victim.kill();
                produce(producer, topic, produced, 300);
                awaitCovered("the survivor after a SIGKILL", live, PARTITIONS);
                awaitConsumed(everyone, produced[0]);

                Ownership.assertNeverOwnedTwice(everyone);
                Map<String, Integer> seen = new HashMap<>();
                Set<Integer> duplicatedPartitions = new TreeSet<>();
                for (MemberProcess m : everyone) {
                    for (MemberProcess.Event e : m.events()) {
                        if (e.kind().equals("RECORD") && seen.merge(e.value(), 1, Integer::sum) > 1) {
                            duplicatedPartitions.add(e.partition());
                        }
                    }
                }
                assertThat(seen.keySet()).hasSize(produced[0]);
                assertThat(duplicatedPartitions)
                        .as("re-delivered only where the killed member had not committed")
                        .isSubsetOf(victimHeld);
                for (MemberProcess m : everyone) {
                    assertThat(m.printed("ERROR"))
                            .as("%s\n%s", m, m.diagnostics())
                            .isFalse();
                }
            } finally {
                for (MemberProcess m : everyone) {
                    m.close();
                }
            }
        }
    }

    /**
     * A static member (group.instance.id) that closes leaves only temporarily (member epoch -2);
     * its successor with the same instance id gets its partitions back and the other member is
     * never asked to revoke anything.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void staticMemberRestartsWithoutReassignment(Target target) throws Exception {
        try (RunningBroker broker = target.startDedicated(STATIC_SETTINGS)) {
            String bootstrap = broker.bootstrapServers();
            String topic = KafkaClients.uniqueTopic("kip848-static");
            String group = topic + "-group";
            KafkaClients.createTopic(bootstrap, topic, PARTITIONS);
            List<MemberProcess> everyone = new ArrayList<>();
            try {
                MemberProcess a = member("a", bootstrap, topic, group, "instance-a");
                MemberProcess b = member("b", bootstrap, topic, group, "instance-b");
                everyone.add(a);
                everyone.add(b);
                awaitCovered("two static members", List.of(a, b), 3);
                Set<Integer> aHeld = a.owned();
                long revokedBefore = revocations(b);
                assertThat(a.closeCleanly()).isZero();
                MemberProcess a2 = member("a2", bootstrap, topic, group, "instance-a");
                everyone.add(a2);
                awaitCovered("the restarted static member", List.of(a2, b), 3);
                assertThat(a2.owned()).isEqualTo(aHeld);
                assertThat(revocations(b)).as("b revoked nothing").isEqualTo(revokedBefore);
                Ownership.assertNeverOwnedTwice(everyone);
            } finally {
                for (MemberProcess m : everyone) {
                    m.close();
                }
            }
        }
    }

    /** Partition growth bumps the group epoch on the broker: the new partitions are assigned and consumed. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void addedPartitionsAreAssigned(Target target) throws Exception {
        try (RunningBroker broker = target.startDedicated(SETTINGS)) {
            String bootstrap = broker.bootstrapServers();
            String topic = KafkaClients.uniqueTopic("kip848-grow");
            String group = topic + "-group";
            KafkaClients.createTopic(bootstrap, topic, 4);
            List<MemberProcess> everyone = new ArrayList<>();
            try (Admin admin = admin(bootstrap);
                    TributaryProducer<byte[], byte[]> producer = KafkaClients.ourProducer(bootstrap, Map.of())) {
                everyone.add(member("a", bootstrap, topic, group));
                everyone.add(member("b", bootstrap, topic, group));
                awaitCovered("two members on four partitions", everyone, 2, 4);
                admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(PARTITIONS)))
                        .all()
                        .get();
                awaitCovered("two members on six partitions", everyone, 3, PARTITIONS);
                int[] produced = {0};
                produce(producer, topic, produced, 60);
                awaitConsumed(everyone, produced[0]);
                Ownership.assertNeverOwnedTwice(everyone);
            } finally {
                for (MemberProcess m : everyone) {
                    m.close();
                }
            }
        }
    }

    private static long revocations(MemberProcess m) {
        return m.events().stream()
                .filter(e -> (e.kind().equals("REVOKED") || e.kind().equals("LOST"))
                        && !e.partitions().isEmpty())
                .count();
    }

    private static MemberProcess ourMember(String name, String bootstrap, String topic, String group) throws Exception {
        return MemberProcess.start(
                name,
                TributaryMemberProcess.class.getName(),
                List.of(bootstrap, topic, group, TributaryMemberProcess.SERVER_ASSIGNOR + "uniform", "0", "0"));
    }

    private static MemberProcess member(String name, String bootstrap, String topic, String group) throws Exception {
        return member(name, bootstrap, topic, group, null);
    }

    private static MemberProcess member(String name, String bootstrap, String topic, String group, String instanceId)
            throws Exception {
        return MemberProcess.start(
                name, bootstrap, topic, group, GroupMemberMain.SERVER_ASSIGNOR + "uniform", 0, 0, instanceId);
    }

    /**
     * Waits until the live members' callbacks cover every partition, {@code each} apiece, while
     * sampling that no two members ever claim the same partition at once.
     */
    private static void awaitCovered(String what, List<MemberProcess> live, int each) {
        awaitCovered(what, live, each, PARTITIONS);
    }

    private static void awaitCovered(String what, List<MemberProcess> live, int each, int partitions) {
        await(what).atMost(SETTLE).pollInterval(Duration.ofMillis(50)).until(() -> {
            Set<Integer> union = new HashSet<>();
            int total = 0;
            for (MemberProcess m : live) {
                assertThat(m.isAlive()).as("%s alive\n%s", m, m.diagnostics()).isTrue();
                Set<Integer> owned = m.owned();
                total += owned.size();
                union.addAll(owned);
            }
            assertThat(union)
                    .as("sampled ownership %s", Ownership.assignment(live))
                    .hasSize(total);
            return union.size() == partitions
                    && live.stream().allMatch(m -> m.owned().size() == each);
        });
    }

    private static void awaitConsumed(List<MemberProcess> everyone, int n) {
        await("all " + n + " records consumed")
                .atMost(SETTLE)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> Ownership.consumedValues(everyone).size() >= n);
    }

    private static void produce(TributaryProducer<byte[], byte[]> producer, String topic, int[] produced, int n)
            throws Exception {
        for (int i = 0; i < n; i++) {
            int v = produced[0]++;
            producer.send(new ProducerRecord<>(
                    topic, v % PARTITIONS, null, Integer.toString(v).getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush();
    }

    private static Admin admin(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return Admin.create(p);
    }
}
