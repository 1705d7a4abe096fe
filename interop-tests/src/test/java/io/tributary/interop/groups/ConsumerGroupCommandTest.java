package io.tributary.interop.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.interop.support.ExternalCommand;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 3 acceptance for tooling (G2, G11, O6): Apache's {@code kafka-consumer-groups} tool
 * ({@code ConsumerGroupCommand} from kafka-tools 4.3.1) run as a child JVM on the test class path,
 * so its {@code System.exit} ends only itself. Against a group that a real subscriber formed and
 * committed partial offsets in, it must list the group, describe it with the right lag, reset its
 * offsets to the earliest, and delete it; each effect is cross-checked with the AdminClient.
 */
class ConsumerGroupCommandTest {
    private static final String TOOL = "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand";
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(90);
    private static final int PARTITIONS = 3;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void listDescribeResetAndDeleteAGroup(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String bootstrap = broker.bootstrapServers();
        String topic = KafkaClients.uniqueTopic("tool");
        String group = topic + "-group";
        KafkaClients.createTopic(bootstrap, topic, PARTITIONS);
        GroupAdmin.produce(bootstrap, topic, PARTITIONS, 0, 60); // 20 per partition
        Map<Integer, Long> committedAt = Map.of(0, 5L, 1, 20L, 2, 12L);
        formGroupAndCommit(bootstrap, topic, group, committedAt);

        String list = tool(bootstrap, "--list").stdout();
        assertThat(list.lines()).as("--list").contains(group);

        String describe = tool(bootstrap, "--describe", "--group", group).stdout();
        Map<Integer, long[]> rows = describeRows(describe, group, topic);
        assertThat(rows.keySet()).as("--describe rows\n%s", describe).containsExactlyInAnyOrder(0, 1, 2);
        for (int p = 0; p < PARTITIONS; p++) {
            long current = committedAt.get(p);
            assertThat(rows.get(p))
                    .as("partition %d: CURRENT-OFFSET, LOG-END-OFFSET, LAG\n%s", p, describe)
                    .containsExactly(current, 20L, 20L - current);
        }

        String reset = tool(
                        bootstrap, "--reset-offsets", "--group", group, "--topic", topic, "--to-earliest", "--execute")
                .stdout();
        for (int p = 0; p < PARTITIONS; p++) {
            assertThat(reset)
                    .as("--reset-offsets output")
                    .containsPattern("(?m)^" + group + "\\s+" + topic + "\\s+" + p + "\\s+0\\s*$");
        }
        try (Admin admin = GroupAdmin.admin(bootstrap)) {
            Map<TopicPartition, Long> expected = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                expected.put(new TopicPartition(topic, p), 0L);
            }
            assertThat(GroupAdmin.committed(admin, group))
                    .as("committed offsets after the reset")
                    .isEqualTo(expected);
        }

        String delete = tool(bootstrap, "--delete", "--group", group).stdout();
        assertThat(delete).contains("Deletion of requested consumer groups ('" + group + "') was successful.");
        try (Admin admin = GroupAdmin.admin(bootstrap)) {
            List<String> groups = admin.listGroups().all().get(30, TimeUnit.SECONDS).stream()
                    .map(GroupListing::groupId)
                    .toList();
            assertThat(groups).as("groups after --delete").doesNotContain(group);
            assertThat(GroupAdmin.committed(admin, group))
                    .as("committed offsets after --delete")
                    .isEmpty();
        }
        assertThat(tool(bootstrap, "--list").stdout().lines())
                .as("--list after --delete")
                .doesNotContain(group);
    }

    /** A real subscriber joins, commits the given offsets, and leaves: an empty consumer group remains. */
    private static void formGroupAndCommit(String bootstrap, String topic, String group, Map<Integer, Long> offsets) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await("the subscriber gets all partitions")
                    .atMost(Duration.ofSeconds(60))
                    .pollInSameThread()
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> {
                        consumer.poll(KafkaClients.pollTimeout());
                        return consumer.assignment().size() == PARTITIONS;
                    });
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            offsets.forEach((p, o) -> commit.put(new TopicPartition(topic, p), new OffsetAndMetadata(o)));
            consumer.commitSync(commit);
        }
    }

    /** Partition → {CURRENT-OFFSET, LOG-END-OFFSET, LAG} from the tool's --describe table. */
    private static Map<Integer, long[]> describeRows(String describe, String group, String topic) {
        Map<Integer, long[]> rows = new HashMap<>();
        for (String line : describe.lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 6 && f[0].equals(group) && f[1].equals(topic)) {
                rows.put(
                        Integer.parseInt(f[2]),
                        new long[] {Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5])});
            }
        }
        return rows;
    }

    private static ExternalCommand.Result tool(String bootstrap, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TOOL, "--bootstrap-server", bootstrap));
        command.addAll(List.of(args));
        return ExternalCommand.run(command, new byte[0], TOOL_TIMEOUT).assertSuccess();
    }
}
