package io.tributary.interop.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RawConnection;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import io.tributary.protocol.ApiMessage;
import io.tributary.protocol.Errors;
import io.tributary.protocol.ProtocolReader;
import io.tributary.protocol.ProtocolWriter;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.ConsumerGroupHeartbeatRequestData;
import io.tributary.protocol.message.ConsumerGroupHeartbeatResponseData;
import io.tributary.protocol.message.JoinGroupRequestData;
import io.tributary.protocol.message.JoinGroupResponseData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.common.GroupType;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 14 (KIP-848 online migration, X1) on our broker and on Apache Kafka 4.3: a group of three
 * Apache KafkaConsumers with group.protocol=classic is restarted member by member with
 * group.protocol=consumer while a producer writes, then back to classic. Ownership is sampled
 * throughout (never a partition owned by two members) and checked on the callback timelines,
 * every record is consumed, and offsets survive both conversions (a lost offset would re-deliver
 * everything from the start). Admin sees the group's kind change. With the migration policy
 * disabled, the cross-protocol answers are Apache's.
 */
class GroupProtocolMigrationTest {
    private static final int PARTITIONS = 6;
    private static final Map<String, String> SETTINGS = Map.of(
            "group.consumer.session.timeout.ms", "6000",
            "group.consumer.min.session.timeout.ms", "6000",
            "group.consumer.heartbeat.interval.ms", "500",
            "group.consumer.min.heartbeat.interval.ms", "500",
            "group.initial.rebalance.delay.ms", "500");
    private static final Duration SETTLE = Duration.ofSeconds(40);

    static Iterable<Target> targets() {
        return Target.selected()::iterator;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void classicGroupMovesToTheConsumerProtocolAndBackWhileProducing(Target target) throws Exception {
        try (RunningBroker broker = target.startDedicated(SETTINGS)) {
            String bootstrap = broker.bootstrapServers();
            String topic = KafkaClients.uniqueTopic("migrate");
            String group = topic + "-group";
            KafkaClients.createTopic(bootstrap, topic, PARTITIONS);
            List<MemberProcess> everyone = new ArrayList<>();
            AtomicInteger produced = new AtomicInteger();
            AtomicBoolean producing = new AtomicBoolean(true);
            try (TributaryProducer<byte[], byte[]> producer = KafkaClients.ourProducer(bootstrap, Map.of());
                    Admin admin = admin(bootstrap)) {
                Thread writer = new Thread(() -> produceUntilStopped(producer, topic, produced, producing));
                writer.start();
                List<MemberProcess> live = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    live.add(classic("c" + i, bootstrap, topic, group));
                }
                everyone.addAll(live);
                awaitCovered("three classic members", live);
                assertThat(kind(admin, group)).isEqualTo(GroupType.CLASSIC);

                for (int i = 0; i < 3; i++) {
                    assertThat(live.get(i).closeCleanly()).isZero();
                    MemberProcess n = consumerProtocol("n" + i, bootstrap, topic, group);
                    everyone.add(n);
                    live.set(i, n);
                    awaitCovered("member " + i + " upgraded", live);
                    if (i == 0) {
                        ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group))
                                .all()
                                .get()
                                .get(group);
                        assertThat(d.type()).isEqualTo(GroupType.CONSUMER);
                        assertThat(d.members()).hasSize(3);
                        assertThat(listed(admin, GroupType.CONSUMER)).contains(group);
                        assertThat(listed(admin, GroupType.CLASSIC)).doesNotContain(group);
                    }
                }
                for (int i = 0; i < 3; i++) {
                    assertThat(live.get(i).closeCleanly()).isZero();
                    MemberProcess c = classic("b" + i, bootstrap, topic, group);
                    everyone.add(c);
                    live.set(i, c);
                    awaitCovered("member " + i + " downgraded", live);
                }
                assertThat(kind(admin, group)).isEqualTo(GroupType.CLASSIC);
                assertThat(listed(admin, GroupType.CLASSIC)).contains(group);

                producing.set(false);
                writer.join();
                int total = produced.get();
                await("all " + total + " records consumed")
                        .atMost(SETTLE)
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> Ownership.consumedValues(everyone).size() >= total);
                Ownership.assertNeverOwnedTwice(everyone);
                Map<String, Integer> seen = new HashMap<>();
                int duplicates = 0;
                for (MemberProcess m : everyone) {
                    for (MemberProcess.Event e : m.events()) {
                        if (e.kind().equals("RECORD") && seen.merge(e.value(), 1, Integer::sum) > 1) {
                            duplicates++;
                        }
                    }
                }
                assertThat(seen.keySet()).hasSize(total);
                assertThat(duplicates)
                        .as("offsets kept across both conversions (%s records produced)", total)
                        .isLessThan(total / 4);
                for (MemberProcess m : everyone) {
                    assertThat(m.printed("ERROR"))
                            .as("%s\n%s", m, m.diagnostics())
                            .isFalse();
                }
            } finally {
                producing.set(false);
                for (MemberProcess m : everyone) {
                    m.close();
                }
            }
        }
    }

    /**
     * group.consumer.migration.policy=disabled: a ConsumerGroupHeartbeat for a classic group with
     * members is GROUP_ID_NOT_FOUND, and a JoinGroup for a consumer group with members is
     * INCONSISTENT_GROUP_PROTOCOL, of the consumer protocol type or any other.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void crossProtocolAnswersWithMigrationDisabled(Target target) throws Exception {
        Map<String, String> settings = new HashMap<>(SETTINGS);
        settings.put("group.consumer.migration.policy", "disabled");
        try (RunningBroker broker = target.startDedicated(settings)) {
            String bootstrap = broker.bootstrapServers();
            String topic = KafkaClients.uniqueTopic("migrate-off");
            KafkaClients.createTopic(bootstrap, topic, PARTITIONS);
            List<MemberProcess> everyone = new ArrayList<>();
            try {
                MemberProcess c = classic("c", bootstrap, topic, topic + "-classic");
                MemberProcess n = consumerProtocol("n", bootstrap, topic, topic + "-consumer");
                everyone.add(c);
                everyone.add(n);
                awaitCovered("the classic member", List.of(c));
                awaitCovered("the consumer-protocol member", List.of(n));

                ConsumerGroupHeartbeatResponseData hb = call(
                        broker,
                        ApiMessageType.CONSUMER_GROUP_HEARTBEAT,
                        (short) 1,
                        new ConsumerGroupHeartbeatRequestData()
                                .setGroupId(topic + "-classic")
                                .setMemberId(UUID.randomUUID().toString())
                                .setMemberEpoch(0)
                                .setRebalanceTimeoutMs(30_000)
                                .setSubscribedTopicNames(List.of(topic))
                                .setTopicPartitions(new ArrayList<>()),
                        new ConsumerGroupHeartbeatResponseData());
                assertThat(Errors.forCode(hb.errorCode)).isEqualTo(Errors.GROUP_ID_NOT_FOUND);

                JoinGroupResponseData otherType = call(
                        broker,
                        ApiMessageType.JOIN_GROUP,
                        (short) 9,
                        classicJoin(topic + "-consumer", "connect", topic),
                        new JoinGroupResponseData());
                assertThat(Errors.forCode(otherType.errorCode)).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
                JoinGroupResponseData consumerType = call(
                        broker,
                        ApiMessageType.JOIN_GROUP,
                        (short) 9,
                        classicJoin(topic + "-consumer", "consumer", topic),
                        new JoinGroupResponseData());
                // Apache 4.3 refuses classic members of a consumer group only under this policy
                // (with the other three policies the same request gets MEMBER_ID_REQUIRED).
                assertThat(Errors.forCode(consumerType.errorCode)).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
            } finally {
                for (MemberProcess m : everyone) {
                    m.close();
                }
            }
        }
    }

    // ---- helpers

    private static MemberProcess classic(String name, String bootstrap, String topic, String group) throws Exception {
        return MemberProcess.start(name, bootstrap, topic, group, "range", 6000, 500, null);
    }

    private static MemberProcess consumerProtocol(String name, String bootstrap, String topic, String group)
            throws Exception {
        return MemberProcess.start(
                name, bootstrap, topic, group, GroupMemberMain.SERVER_ASSIGNOR + "uniform", 0, 0, null);
    }

    /** Samples until the live members cover every partition evenly; never a partition claimed twice. */
    private static void awaitCovered(String what, List<MemberProcess> live) {
        long start = System.nanoTime();
        awaitCoveredQuietly(what, live);
        // Per-step settling times, to compare the two brokers in the test output.
        System.out.printf("%s settled in %d ms%n", what, (System.nanoTime() - start) / 1_000_000);
    }

    private static void awaitCoveredQuietly(String what, List<MemberProcess> live) {
        int each = PARTITIONS / live.size();
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
            return union.size() == PARTITIONS
                    && live.stream().allMatch(m -> m.owned().size() == each);
        });
    }

    private static void produceUntilStopped(
            TributaryProducer<byte[], byte[]> producer, String topic, AtomicInteger produced, AtomicBoolean producing) {
        while (producing.get()) {
            for (int i = 0; i < 10; i++) {
                int v = produced.getAndIncrement();
                producer.send(new ProducerRecord<>(
                        topic, v % PARTITIONS, null, Integer.toString(v).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
            try {
                // Pacing the background producer (about 500 records/s), not waiting for a condition.
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static GroupType kind(Admin admin, String group) throws Exception {
        return admin.describeConsumerGroups(List.of(group))
                .all()
                .get()
                .get(group)
                .type();
    }

    private static Set<String> listed(Admin admin, GroupType type) throws Exception {
        return admin.listGroups(new ListGroupsOptions().withTypes(Set.of(type))).all().get().stream()
                .map(GroupListing::groupId)
                .collect(Collectors.toSet());
    }

    private static JoinGroupRequestData classicJoin(String group, String protocolType, String topic) {
        // ConsumerProtocolSubscription v0: the topic, no user data.
        ProtocolWriter w = new ProtocolWriter();
        w.writeShort((short) 0);
        w.writeInt(1);
        w.writeString(topic);
        w.writeBytes(null);
        JoinGroupRequestData req = new JoinGroupRequestData()
                .setGroupId(group)
                .setMemberId("")
                .setSessionTimeoutMs(10_000)
                .setRebalanceTimeoutMs(10_000)
                .setProtocolType(protocolType);
        req.protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol()
                .setName("range")
                .setMetadata(w.toByteArray()));
        return req;
    }

    /** One request over a raw socket, its response decoded at the same version. */
    private static <T extends ApiMessage> T call(
            RunningBroker broker, ApiMessageType api, short version, ApiMessage request, T response) throws Exception {
        try (RawConnection c = RawConnection.open(broker, Duration.ofSeconds(30))) {
            ProtocolWriter body = new ProtocolWriter();
            request.write(body, version);
            c.writeFrame(RawConnection.concat(
                    RawConnection.requestHeader(
                            api.apiKey(), version, 7, "migration-test", api.requestHeaderVersion(version) >= 2),
                    body.toByteArray()));
            ProtocolReader r = new ProtocolReader(c.readFrame());
            assertThat(r.readInt()).isEqualTo(7);
            if (api.responseHeaderVersion(version) >= 1) {
                int tags = r.readUnsignedVarint();
                for (int i = 0; i < tags; i++) {
                    r.readUnsignedVarint();
                    r.skip(r.readUnsignedVarint());
                }
            }
            response.read(r, version);
            return response;
        }
    }

    private static Admin admin(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return Admin.create(p);
    }
}
