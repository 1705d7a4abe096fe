package io.tributary.interop.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.Target;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupResult;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 10 item 5 (group half): Apache's AdminClient 4.3 uses the newer group API versions (LeaveGroup v5 batches,
 * DescribeGroups v5-6 with authorized operations, ListGroups v5 state and type filters, OffsetFetch v9 with two groups
 * in one request) and gets the same answers from our broker as from Apache Kafka: the same assertions run on both.
 */
class GroupAdminVersionsInteropTest {
    private static final Duration SETTLE = Duration.ofSeconds(60);

    static List<Target> targets() {
        return Target.selected().toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void adminSeesTheSameGroupsOnBothBrokers(Target target) throws Exception {
        String bootstrap = GroupBrokers.get(target).bootstrapServers();
        String topic = KafkaClients.uniqueTopic("groupver");
        String stable = topic + "-stable";
        String idleB = topic + "-idle-b";
        String idleC = topic + "-idle-c";
        KafkaClients.createTopic(bootstrap, topic, 2);
        GroupAdmin.commit(bootstrap, idleB, Map.of(new TopicPartition(topic, 0), 3L, new TopicPartition(topic, 1), 4L));
        GroupAdmin.commit(bootstrap, idleC, Map.of(new TopicPartition(topic, 1), 7L));

        Map<String, Object> settings = Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        // a1 is stopped half way; closing twice is harmless.
        InProcessMember a1 = staticMember(bootstrap, stable, "a1", settings);
        try (a1;
                InProcessMember a2 = staticMember(bootstrap, stable, "a2", settings);
                Admin admin = GroupAdmin.admin(bootstrap)) {
            a1.subscribe(topic);
            a2.subscribe(topic);
            await("both static members own a partition")
                    .atMost(SETTLE)
                    .pollInSameThread()
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> {
                        a1.poll();
                        a2.poll();
                        return a1.owned().size() == 1 && a2.owned().size() == 1;
                    });

            // DescribeGroups with authorized operations: no authorizer, so every group operation.
            Map<String, ConsumerGroupDescription> described = admin.describeConsumerGroups(
                            List.of(stable, idleB),
                            new DescribeConsumerGroupsOptions().includeAuthorizedOperations(true))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            ConsumerGroupDescription s = described.get(stable);
            assertThat(s.groupState()).isEqualTo(GroupState.STABLE);
            assertThat(s.type()).isEqualTo(GroupType.CLASSIC);
            assertThat(s.isSimpleConsumerGroup()).isFalse();
            assertThat(s.partitionAssignor()).isEqualTo("range");
            assertThat(s.members())
                    .extracting(m -> m.groupInstanceId().orElse(null))
                    .containsExactlyInAnyOrder("a1", "a2");
            assertThat(s.members())
                    .flatExtracting(m -> List.copyOf(m.assignment().topicPartitions()))
                    .containsExactlyInAnyOrder(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            assertThat(s.authorizedOperations())
                    .containsExactlyInAnyOrder(
                            AclOperation.READ,
                            AclOperation.DESCRIBE,
                            AclOperation.DELETE,
                            AclOperation.DESCRIBE_CONFIGS,
                            AclOperation.ALTER_CONFIGS);
            ConsumerGroupDescription b = described.get(idleB);
            assertThat(b.groupState()).isEqualTo(GroupState.EMPTY);
            assertThat(b.isSimpleConsumerGroup()).isTrue();
            assertThat(b.members()).isEmpty();
            assertThat(admin.describeConsumerGroups(List.of(topic + "-never"))
                            .describedGroups()
                            .get(topic + "-never"))
                    .as("a group that does not exist")
                    .failsWithin(Duration.ofSeconds(30))
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(org.apache.kafka.common.errors.GroupIdNotFoundException.class);

            // ListGroups v5: state and type filters.
            Set<String> mine = Set.of(stable, idleB, idleC);
            assertThat(listed(
                            admin,
                            ListGroupsOptions.forConsumerGroups().inGroupStates(Set.of(GroupState.STABLE)),
                            mine))
                    .containsExactly(stable + "/Stable/Classic");
            assertThat(listed(
                            admin, ListGroupsOptions.forConsumerGroups().inGroupStates(Set.of(GroupState.EMPTY)), mine))
                    .containsExactlyInAnyOrder(idleB + "/Empty/Classic", idleC + "/Empty/Classic");
            assertThat(listed(admin, new ListGroupsOptions().withTypes(Set.of(GroupType.CLASSIC)), mine))
                    .containsExactlyInAnyOrder(
                            stable + "/Stable/Classic", idleB + "/Empty/Classic", idleC + "/Empty/Classic");
            assertThat(listed(admin, new ListGroupsOptions().withTypes(Set.of(GroupType.CONSUMER)), mine))
                    .isEmpty();

            // OffsetFetch for two groups in one call.
            Map<String, ListConsumerGroupOffsetsSpec> specs =
                    Map.of(idleB, new ListConsumerGroupOffsetsSpec(), idleC, new ListConsumerGroupOffsetsSpec());
            var offsets = admin.listConsumerGroupOffsets(specs);
            assertThat(offsets(offsets.partitionsToOffsetAndMetadata(idleB).get(30, TimeUnit.SECONDS)))
                    .containsExactlyInAnyOrderEntriesOf(
                            Map.of(new TopicPartition(topic, 0), 3L, new TopicPartition(topic, 1), 4L));
            assertThat(offsets(offsets.partitionsToOffsetAndMetadata(idleC).get(30, TimeUnit.SECONDS)))
                    .containsExactlyInAnyOrderEntriesOf(Map.of(new TopicPartition(topic, 1), 7L));

            // LeaveGroup v5 batch: a1 (stopped, a static member stays in the group) and one that is not there.
            a1.stop();
            RemoveMembersFromConsumerGroupResult removed = admin.removeMembersFromConsumerGroup(
                    stable,
                    new RemoveMembersFromConsumerGroupOptions(
                            List.of(new MemberToRemove("a1"), new MemberToRemove("nobody"))));
            removed.memberResult(new MemberToRemove("a1")).get(30, TimeUnit.SECONDS);
            assertThat(removed.memberResult(new MemberToRemove("nobody")))
                    .failsWithin(Duration.ofSeconds(30))
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(UnknownMemberIdException.class);
            ConsumerGroupDescription after = admin.describeConsumerGroups(List.of(stable))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(stable);
            assertThat(after.members())
                    .extracting(MemberDescription::groupInstanceId)
                    .extracting(o -> o.orElse(null))
                    .containsExactly("a2");
        }
    }

    private static InProcessMember staticMember(
            String bootstrap, String group, String instanceId, Map<String, Object> settings) {
        Map<String, Object> props = new java.util.HashMap<>(settings);
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        return new InProcessMember(bootstrap, group, props);
    }

    private static List<String> listed(Admin admin, ListGroupsOptions options, Set<String> mine) throws Exception {
        return admin.listGroups(options).all().get(30, TimeUnit.SECONDS).stream()
                .filter(g -> mine.contains(g.groupId()))
                .map(GroupAdminVersionsInteropTest::describe)
                .collect(Collectors.toList());
    }

    private static String describe(GroupListing g) {
        return g.groupId() + "/" + g.groupState().map(Object::toString).orElse("?") + "/"
                + g.type().map(Object::toString).orElse("?");
    }

    private static Map<TopicPartition, Long> offsets(Map<TopicPartition, OffsetAndMetadata> m) {
        return m.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
}
