package io.tributary.broker.group;

import static io.tributary.broker.group.Clients.consumer;
import static io.tributary.broker.group.Clients.pollUntil;
import static io.tributary.broker.group.Clients.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.broker.BrokerFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Consumer groups of the real Apache Java client (classic protocol) against our fixture.get(). */
class KafkaConsumerGroupTest {
    private static final String TOPIC = "orders";
    private static final int PARTITIONS = 4;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.groups();

    String bootstrap;
    final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        bootstrap = fixture.get().bootstrapServers();
        fixture.get().state().topics().create(TOPIC, PARTITIONS, 1, Map.of(), false);
        produce(bootstrap, TOPIC, PARTITIONS, 40, "v");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private KafkaConsumer<String, String> open(String group, Map<String, String> extra) {
        KafkaConsumer<String, String> c = consumer(bootstrap, group, extra);
        closeables.add(0, () -> c.close(CloseOptions.timeout(Duration.ofSeconds(5))));
        return c;
    }

    private static Set<TopicPartition> all() {
        Set<TopicPartition> s = new HashSet<>();
        for (int p = 0; p < PARTITIONS; p++) {
            s.add(new TopicPartition(TOPIC, p));
        }
        return s;
    }

    @Test
    void aSubscribedConsumerConsumesCommitsAndTheNextOneResumesFromTheCommit() throws Exception {
        KafkaConsumer<String, String> first = open("g1", Map.of());
        first.subscribe(List.of(TOPIC));
        List<ConsumerRecord<String, String>> got = new ArrayList<>();
        pollUntil(WAIT, () -> got.size() >= 40, got, first);
        assertThat(got).hasSize(40);
        first.commitSync();
        Map<TopicPartition, OffsetAndMetadata> committed = first.committed(all());
        assertThat(committed.values()).extracting(OffsetAndMetadata::offset).containsOnly(10L);
        first.close();

        produce(bootstrap, TOPIC, PARTITIONS, 4, "after-");
        KafkaConsumer<String, String> second = open("g1", Map.of());
        second.subscribe(List.of(TOPIC));
        List<ConsumerRecord<String, String>> rest = new ArrayList<>();
        pollUntil(WAIT, () -> rest.size() >= 4, rest, second);
        assertThat(second.poll(Duration.ofMillis(300))).isEmpty();
        assertThat(rest)
                .extracting(ConsumerRecord::value)
                .containsExactlyInAnyOrder("after-0", "after-1", "after-2", "after-3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"range", "cooperative-sticky"})
    void twoConsumersSplitThePartitions(String assignor) {
        String strategy =
                assignor.equals("range") ? RangeAssignor.class.getName() : CooperativeStickyAssignor.class.getName();
        Map<String, String> extra = Map.of(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, strategy);
        String group = "split-" + assignor;
        KafkaConsumer<String, String> c1 = open(group, extra);
        Set<TopicPartition> revokedFromC1 = new HashSet<>();
        c1.subscribe(List.of(TOPIC), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                revokedFromC1.addAll(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
        });
        List<ConsumerRecord<String, String>> got = new ArrayList<>();
        pollUntil(WAIT, () -> c1.assignment().size() == PARTITIONS, got, c1);
        assertThat(revokedFromC1).isEmpty();

        KafkaConsumer<String, String> c2 = open(group, extra);
        c2.subscribe(List.of(TOPIC));
        pollUntil(WAIT, () -> c1.assignment().size() == 2 && c2.assignment().size() == 2, got, c1, c2);
        Set<TopicPartition> union = new HashSet<>(c1.assignment());
        union.addAll(c2.assignment());
        assertThat(union).isEqualTo(all());
        assertThat(c1.groupMetadata().generationId())
                .isEqualTo(c2.groupMetadata().generationId());
        if (assignor.equals("range")) {
            // Eager: everything is revoked before rejoining.
            assertThat(revokedFromC1).isEqualTo(all());
        } else {
            // Cooperative: only what moved to c2 is revoked; c1 kept consuming the rest.
            assertThat(revokedFromC1).isEqualTo(c2.assignment());
        }
        pollUntil(WAIT, () -> got.stream().map(ConsumerRecord::value).distinct().count() == 40, got, c1, c2);
    }

    @Test
    void aCleanCloseHandsThePartitionsOverWithoutWaitingForTheSessionTimeout() {
        Map<String, String> extra = Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "30000");
        KafkaConsumer<String, String> c1 = open("handover", extra);
        KafkaConsumer<String, String> c2 = open("handover", extra);
        c1.subscribe(List.of(TOPIC));
        c2.subscribe(List.of(TOPIC));
        pollUntil(WAIT, () -> c1.assignment().size() == 2 && c2.assignment().size() == 2, null, c1, c2);
        long start = System.nanoTime();
        c2.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        pollUntil(WAIT, () -> c1.assignment().size() == PARTITIONS, null, c1);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(tookMs).as("handover after LeaveGroup").isLessThan(10_000);
    }

    @Test
    void aStaticMemberRestartedWithinTheSessionTimeoutGetsItsAssignmentBackWithoutARebalance() {
        Map<String, String> s1Props = Map.of(
                ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "s1", ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        KafkaConsumer<String, String> s1 = open("static", s1Props);
        KafkaConsumer<String, String> s2 = open(
                "static",
                Map.of(
                        ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
                        "s2",
                        ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                        "10000"));
        AtomicInteger s2Callbacks = new AtomicInteger();
        s1.subscribe(List.of(TOPIC));
        s2.subscribe(List.of(TOPIC), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                s2Callbacks.incrementAndGet();
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                s2Callbacks.incrementAndGet();
            }
        });
        pollUntil(
                WAIT,
                () -> s1.assignment().size() == 2
                        && s2.assignment().size() == 2
                        && s1.groupMetadata().generationId()
                                == s2.groupMetadata().generationId(),
                null,
                s1,
                s2);
        int generation = s1.groupMetadata().generationId();
        Set<TopicPartition> s1Partitions = Set.copyOf(s1.assignment());
        int callbacksBefore = s2Callbacks.get();

        // A static member leaves no group on close: it is expected back.
        s1.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        KafkaConsumer<String, String> again = open("static", s1Props);
        again.subscribe(List.of(TOPIC));
        pollUntil(WAIT, () -> !again.assignment().isEmpty(), null, again, s2);
        assertThat(again.assignment()).isEqualTo(s1Partitions);
        assertThat(again.groupMetadata().generationId()).isEqualTo(generation);
        // s2 keeps heartbeating in the same generation and never saw a rebalance.
        Clients.pollFor(Duration.ofMillis(1500), s2, again);
        assertThat(s2.groupMetadata().generationId()).isEqualTo(generation);
        assertThat(s2Callbacks.get()).isEqualTo(callbacksBefore);
    }

    @Test
    void adminListsDescribesReadsAndDeletesConsumerGroups() throws Exception {
        KafkaConsumer<String, String> c =
                open("admin-g", Map.of(ConsumerConfig.CLIENT_ID_CONFIG, "admin-test-consumer"));
        c.subscribe(List.of(TOPIC));
        List<ConsumerRecord<String, String>> got = new ArrayList<>();
        pollUntil(WAIT, () -> got.size() >= 40, got, c);
        c.commitSync();
        try (Admin admin = Clients.admin(bootstrap)) {
            Collection<GroupListing> listed = admin.listGroups(ListGroupsOptions.forConsumerGroups())
                    .all()
                    .get(20, TimeUnit.SECONDS);
            assertThat(listed).extracting(GroupListing::groupId).contains("admin-g");
            assertThat(listed.stream()
                            .filter(l -> l.groupId().equals("admin-g"))
                            .findFirst()
                            .orElseThrow()
                            .groupState())
                    .contains(GroupState.STABLE);

            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of("admin-g"))
                    .describedGroups()
                    .get("admin-g")
                    .get(20, TimeUnit.SECONDS);
            assertThat(d.groupState()).isEqualTo(GroupState.STABLE);
            assertThat(d.partitionAssignor()).isEqualTo("range");
            assertThat(d.coordinator().port()).isEqualTo(fixture.get().advertisedPort());
            assertThat(d.members()).hasSize(1);
            MemberDescription m = d.members().iterator().next();
            assertThat(m.clientId()).isEqualTo("admin-test-consumer");
            assertThat(m.host()).isEqualTo("/127.0.0.1");
            assertThat(m.assignment().topicPartitions()).isEqualTo(all());

            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("admin-g")
                    .partitionsToOffsetAndMetadata()
                    .get(20, TimeUnit.SECONDS);
            assertThat(offsets).hasSize(PARTITIONS);
            assertThat(offsets.values()).extracting(OffsetAndMetadata::offset).containsOnly(10L);

            assertThatThrownBy(() ->
                            admin.deleteConsumerGroups(List.of("admin-g")).all().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(GroupNotEmptyException.class);

            c.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            TopicPartition p0 = new TopicPartition(TOPIC, 0);
            admin.deleteConsumerGroupOffsets("admin-g", Set.of(p0)).all().get(20, TimeUnit.SECONDS);
            assertThat(admin.listConsumerGroupOffsets("admin-g")
                            .partitionsToOffsetAndMetadata()
                            .get(20, TimeUnit.SECONDS)
                            .keySet())
                    .isEqualTo(all().stream().filter(tp -> !tp.equals(p0)).collect(Collectors.toSet()));

            admin.deleteConsumerGroups(List.of("admin-g")).all().get(20, TimeUnit.SECONDS);
            assertThat(admin.listGroups(ListGroupsOptions.forConsumerGroups())
                            .all()
                            .get(20, TimeUnit.SECONDS))
                    .extracting(GroupListing::groupId)
                    .doesNotContain("admin-g");
            assertThat(admin.listConsumerGroupOffsets("admin-g")
                            .partitionsToOffsetAndMetadata()
                            .get(20, TimeUnit.SECONDS))
                    .isEmpty();
        }
    }
}
