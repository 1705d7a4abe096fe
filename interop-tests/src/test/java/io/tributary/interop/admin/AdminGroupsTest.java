package io.tributary.interop.admin;

import static io.tributary.interop.admin.AdminFixtures.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.admin.Admin;
import io.tributary.client.admin.ConsumerGroupDescription;
import io.tributary.client.admin.ConsumerGroupListing;
import io.tributary.client.admin.ListConsumerGroupsOptions;
import io.tributary.client.admin.MemberDescription;
import io.tributary.client.common.GroupState;
import io.tributary.client.common.GroupType;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.errors.GroupIdNotFoundException;
import io.tributary.client.common.errors.GroupNotEmptyException;
import io.tributary.client.common.errors.GroupSubscribedToTopicException;
import io.tributary.client.common.errors.UnknownMemberIdException;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.client.serialization.StringDeserializer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 12 item 2 acceptance (admin, groups): a live classic group of our TributaryConsumer and
 * Apache's KafkaConsumer is listed and described by our admin client (both members, their client
 * ids and disjoint assignments covering the topic, state, type, coordinator); deleting it while
 * members are in it fails with GroupNotEmptyException naming it; once empty, offsets altered by
 * the admin client are where the next member starts; offsets and then the group are deleted.
 */
class AdminGroupsTest {
    private static final long WAIT_S = 30;
    private static final int PARTITIONS = 4;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void mixedGroupIsDescribedAndAlteredOffsetsAreWhereTheNextMemberStarts(Target target) throws Exception {
        String bootstrap = target.shared().bootstrapServers();
        String topic = KafkaClients.uniqueTopic("admin-groups");
        String group = topic + "-group";
        KafkaClients.createTopic(bootstrap, topic, PARTITIONS);
        AdminFixtures.produce(bootstrap, topic, PARTITIONS, 10, System.currentTimeMillis());

        try (Admin admin = AdminFixtures.admin(bootstrap)) {
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> members = new ArrayList<>();
            members.add(pollLoop("ours", stop, () -> {
                TributaryConsumer<String, String> c = new TributaryConsumer<>(
                        consumerProps(bootstrap, group, "ours-client"),
                        new StringDeserializer(),
                        new StringDeserializer());
                c.subscribe(List.of(topic));
                return new Member() {
                    @Override
                    public void poll() {
                        c.poll(Duration.ofMillis(100));
                    }

                    @Override
                    public void close() {
                        c.close();
                    }
                };
            }));
            members.add(pollLoop("apache", stop, () -> {
                KafkaConsumer<String, String> c = new KafkaConsumer<>(
                        consumerProps(bootstrap, group, "apache-client"),
                        new org.apache.kafka.common.serialization.StringDeserializer(),
                        new org.apache.kafka.common.serialization.StringDeserializer());
                c.subscribe(List.of(topic));
                return new Member() {
                    @Override
                    public void poll() {
                        c.poll(Duration.ofMillis(100));
                    }

                    @Override
                    public void close() {
                        c.close();
                    }
                };
            }));
            try {
                ConsumerGroupDescription[] seen = new ConsumerGroupDescription[1];
                await("both members are in the group with the whole topic assigned")
                        .atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200))
                        // GroupIdNotFoundException until the first member's JoinGroup created the group
                        .ignoreExceptionsInstanceOf(java.util.concurrent.ExecutionException.class)
                        .until(() -> {
                            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group))
                                    .describedGroups()
                                    .get(group)
                                    .get(WAIT_S, TimeUnit.SECONDS);
                            seen[0] = d;
                            return d.groupState() == GroupState.STABLE
                                    && d.members().size() == 2
                                    && assigned(d.members()).size() == PARTITIONS;
                        });
                ConsumerGroupDescription d = seen[0];
                assertThat(d.groupId()).isEqualTo(group);
                assertThat(d.type()).isEqualTo(GroupType.CLASSIC);
                assertThat(d.isSimpleConsumerGroup()).isFalse();
                assertThat(d.partitionAssignor()).isNotEmpty();
                assertThat(d.coordinator()).isNotNull();
                assertThat(d.coordinator().id()).isGreaterThanOrEqualTo(0);
                assertThat(d.members())
                        .extracting(MemberDescription::clientId)
                        .containsExactlyInAnyOrder("ours-client", "apache-client");
                assertThat(d.members()).allSatisfy(m -> {
                    assertThat(m.host()).isNotEmpty();
                    assertThat(m.consumerId()).isNotEmpty();
                    assertThat(m.assignment().topicPartitions()).isNotEmpty();
                });
                int total = d.members().stream()
                        .mapToInt(m -> m.assignment().topicPartitions().size())
                        .sum();
                assertThat(total).as("assignments are disjoint").isEqualTo(PARTITIONS);

                Collection<ConsumerGroupListing> listed =
                        admin.listConsumerGroups().all().get(WAIT_S, TimeUnit.SECONDS);
                ConsumerGroupListing mine = listed.stream()
                        .filter(l -> l.groupId().equals(group))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(group + " not listed in " + listed));
                assertThat(mine.groupState()).contains(GroupState.STABLE);
                assertThat(mine.type()).contains(GroupType.CLASSIC);
                assertThat(mine.isSimpleConsumerGroup()).isFalse();
                assertThat(admin.listConsumerGroups(
                                        new ListConsumerGroupsOptions().inGroupStates(Set.of(GroupState.EMPTY)))
                                .all()
                                .get(WAIT_S, TimeUnit.SECONDS))
                        .extracting(ConsumerGroupListing::groupId)
                        .doesNotContain(group);

                // Offsets of a live group belong to its members: the coordinator refuses a commit from outside.
                TopicPartition live0 = new TopicPartition(topic, 0);
                UnknownMemberIdException refused = failure(
                        admin.alterConsumerGroupOffsets(group, Map.of(live0, new OffsetAndMetadata(1)))
                                .partitionResult(live0),
                        UnknownMemberIdException.class);
                assertThat(refused).hasMessageContaining(group);

                GroupSubscribedToTopicException subscribed = failure(
                        admin.deleteConsumerGroupOffsets(group, Set.of(live0)).partitionResult(live0),
                        GroupSubscribedToTopicException.class);
                assertThat(subscribed).hasMessageContaining(group);

                String missing = group + "-missing";
                GroupIdNotFoundException notFound = failure(
                        admin.describeConsumerGroups(List.of(missing))
                                .describedGroups()
                                .get(missing),
                        GroupIdNotFoundException.class);
                assertThat(notFound).hasMessageContaining(missing);

                GroupNotEmptyException notEmpty = failure(
                        admin.deleteConsumerGroups(List.of(group))
                                .deletedGroups()
                                .get(group),
                        GroupNotEmptyException.class);
                assertThat(notEmpty).hasMessageContaining(group);
            } finally {
                stop.set(true);
                for (Thread t : members) {
                    t.join(TimeUnit.SECONDS.toMillis(WAIT_S));
                }
            }

            await("the group is empty once both members left")
                    .atMost(Duration.ofSeconds(WAIT_S))
                    .until(() -> admin.describeConsumerGroups(List.of(group))
                                    .describedGroups()
                                    .get(group)
                                    .get(WAIT_S, TimeUnit.SECONDS)
                                    .groupState()
                            == GroupState.EMPTY);

            // Offsets altered on the empty group are where the next member starts.
            Map<TopicPartition, OffsetAndMetadata> target0 = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                target0.put(new TopicPartition(topic, p), new OffsetAndMetadata(p + 2, "set-by-admin"));
            }
            admin.alterConsumerGroupOffsets(group, target0).all().get(WAIT_S, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> listedOffsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(WAIT_S, TimeUnit.SECONDS);
            assertThat(listedOffsets).hasSize(PARTITIONS);
            target0.forEach((tp, om) -> {
                assertThat(listedOffsets.get(tp).offset()).isEqualTo(om.offset());
                assertThat(listedOffsets.get(tp).metadata()).isEqualTo("set-by-admin");
            });

            Map<Integer, Long> firstOffsets = new HashMap<>();
            try (TributaryConsumer<String, String> next = new TributaryConsumer<>(
                    consumerProps(bootstrap, group, "next"), new StringDeserializer(), new StringDeserializer())) {
                next.subscribe(List.of(topic));
                await("the next member reads every partition")
                        .atMost(Duration.ofSeconds(60))
                        .pollInSameThread()
                        .until(() -> {
                            for (ConsumerRecord<String, String> r : next.poll(Duration.ofMillis(200))) {
                                firstOffsets.putIfAbsent(r.partition(), r.offset());
                            }
                            return firstOffsets.size() == PARTITIONS;
                        });
            }
            for (int p = 0; p < PARTITIONS; p++) {
                assertThat(firstOffsets.get(p))
                        .as("first offset read from partition %d", p)
                        .isEqualTo(p + 2L);
            }

            // Delete one partition's offsets, then the group.
            TopicPartition p0 = new TopicPartition(topic, 0);
            admin.deleteConsumerGroupOffsets(group, Set.of(p0)).all().get(WAIT_S, TimeUnit.SECONDS);
            assertThat(admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata()
                            .get(WAIT_S, TimeUnit.SECONDS))
                    .doesNotContainKey(p0)
                    .containsKey(new TopicPartition(topic, 1));
            admin.deleteConsumerGroups(List.of(group)).all().get(WAIT_S, TimeUnit.SECONDS);
            assertThat(admin.listConsumerGroups().all().get(WAIT_S, TimeUnit.SECONDS))
                    .extracting(ConsumerGroupListing::groupId)
                    .doesNotContain(group);
            assertThat(admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata()
                            .get(WAIT_S, TimeUnit.SECONDS))
                    .isEmpty();
        }
    }

    /** KIP-848: a consumer-protocol group is described through ConsumerGroupDescribe, typed CONSUMER. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void consumerProtocolGroupIsDescribedAndListedByType(Target target) throws Exception {
        String bootstrap = target.shared().bootstrapServers();
        String topic = KafkaClients.uniqueTopic("admin-kip848");
        String group = topic + "-group";
        KafkaClients.createTopic(bootstrap, topic, 2);
        try (Admin admin = AdminFixtures.admin(bootstrap)) {
            AtomicBoolean stop = new AtomicBoolean();
            Thread member = pollLoop("kip848", stop, () -> {
                Properties props = consumerProps(bootstrap, group, "kip848-client");
                props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
                KafkaConsumer<String, String> c = new KafkaConsumer<>(
                        props,
                        new org.apache.kafka.common.serialization.StringDeserializer(),
                        new org.apache.kafka.common.serialization.StringDeserializer());
                c.subscribe(List.of(topic));
                return new Member() {
                    @Override
                    public void poll() {
                        c.poll(Duration.ofMillis(100));
                    }

                    @Override
                    public void close() {
                        c.close();
                    }
                };
            });
            try {
                ConsumerGroupDescription[] seen = new ConsumerGroupDescription[1];
                await("the consumer-protocol member owns both partitions")
                        .atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200))
                        .ignoreExceptions()
                        .until(() -> {
                            seen[0] = admin.describeConsumerGroups(List.of(group))
                                    .all()
                                    .get(WAIT_S, TimeUnit.SECONDS)
                                    .get(group);
                            return seen[0].members().size() == 1
                                    && assigned(seen[0].members()).size() == 2;
                        });
                ConsumerGroupDescription d = seen[0];
                assertThat(d.type()).isEqualTo(GroupType.CONSUMER);
                assertThat(d.groupState()).isEqualTo(GroupState.STABLE);
                MemberDescription m = d.members().iterator().next();
                assertThat(m.clientId()).isEqualTo("kip848-client");
                assertThat(m.memberEpoch())
                        .hasValueSatisfying(e -> assertThat(e).isPositive());
                assertThat(m.targetAssignment()).contains(m.assignment());
                assertThat(d.coordinator()).isNotNull();

                assertThat(admin.listConsumerGroups(
                                        new ListConsumerGroupsOptions().withTypes(Set.of(GroupType.CONSUMER)))
                                .all()
                                .get(WAIT_S, TimeUnit.SECONDS))
                        .filteredOn(l -> l.groupId().equals(group))
                        .singleElement()
                        .satisfies(l -> assertThat(l.type()).contains(GroupType.CONSUMER));
                assertThat(admin.listConsumerGroups(
                                        new ListConsumerGroupsOptions().withTypes(Set.of(GroupType.CLASSIC)))
                                .all()
                                .get(WAIT_S, TimeUnit.SECONDS))
                        .extracting(ConsumerGroupListing::groupId)
                        .doesNotContain(group);
            } finally {
                stop.set(true);
                member.join(TimeUnit.SECONDS.toMillis(WAIT_S));
            }
        }
    }

    private static Set<TopicPartition> assigned(Collection<MemberDescription> members) {
        Set<TopicPartition> all = new HashSet<>();
        members.forEach(m -> all.addAll(m.assignment().topicPartitions()));
        return all;
    }

    private static Properties consumerProps(String bootstrap, String group, String clientId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return p;
    }

    /** A group member polled by its own thread (consumers are single-threaded). */
    private interface Member {
        void poll();

        void close();
    }

    private interface MemberFactory {
        Member create();
    }

    private static Thread pollLoop(String name, AtomicBoolean stop, MemberFactory factory) {
        Thread t = new Thread(
                () -> {
                    Member m = factory.create();
                    try {
                        while (!stop.get()) {
                            m.poll();
                        }
                    } finally {
                        m.close();
                    }
                },
                "admin-groups-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
