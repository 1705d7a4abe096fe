package io.tributary.interop.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.Target;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 13 item 1, {@code tributary groups list|describe}: the offsets, lag, member columns match
 * Apache's {@code kafka-consumer-groups --describe} for the same group, and lag in seconds is now
 * minus the timestamp of the next unconsumed record.
 */
class CliGroupsTest {
    /** Apache's --describe column and the JSON field issue 13 names for it. */
    private static final Map<String, String> KAFKA_COLUMNS = orderedColumns();

    private static Map<String, String> orderedColumns() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("CURRENT-OFFSET", "committed_offset");
        m.put("LOG-END-OFFSET", "end_offset");
        m.put("LAG", "lag");
        m.put("CONSUMER-ID", "member_id");
        m.put("HOST", "host");
        m.put("CLIENT-ID", "client_id");
        return m;
    }

    static Stream<Target> targets() {
        return Target.selected();
    }

    @ParameterizedTest
    @MethodSource("targets")
    void describeMatchesKafkasGroupToolAndAddsLagInSeconds(Target target) throws Exception {
        String b = target.shared().bootstrapServers();
        String topic = KafkaClients.uniqueTopic("cli-lag");
        String group = topic + "-g";
        KafkaClients.createTopic(b, topic, 3);
        long old = System.currentTimeMillis() - 600_000;
        long hourAgo = System.currentTimeMillis() - 3_600_000;
        GroupFixture.produce(b, topic, 0, 10, hourAgo, 60_000); // a minute apart: offset 4 at hourAgo + 4 min
        GroupFixture.produce(b, topic, 1, 5, System.currentTimeMillis());
        GroupFixture.produce(b, topic, 2, 3, old);
        try (KafkaConsumer<byte[], byte[]> member = GroupFixture.member(b, topic, group, 3, Map.of(0, 4L, 1, 5L))) {
            assertThat(member.assignment()).hasSize(3);
            String kafka = GroupFixture.kafkaTool("--bootstrap-server", b, "--describe", "--group", group);
            Map<Integer, Map<String, String>> expected = GroupFixture.kafkaDescribeRows(kafka, group, topic);
            assertThat(expected.keySet()).as(kafka).containsExactlyInAnyOrder(0, 1, 2);

            Cli json = Cli.run("groups", "describe", group, "--format", "json", "-b", b);
            assertThat(json.exit()).as(json.err()).isZero();
            Map<Integer, Map<String, String>> ours = new HashMap<>();
            for (String line : json.out().lines().toList()) {
                Map<String, String> o = GroupFixture.flatJson(line);
                assertThat(o).containsEntry("group", group).containsEntry("topic", topic);
                ours.put(Integer.parseInt(o.get("partition")), o);
            }
            assertThat(ours.keySet()).containsExactlyInAnyOrder(0, 1, 2);
            for (int p = 0; p < 3; p++) {
                Map<String, String> k = expected.get(p);
                Map<String, String> o = ours.get(p);
                for (Map.Entry<String, String> col : KAFKA_COLUMNS.entrySet()) {
                    if (p == 2 && col.getKey().equals("LAG")) {
                        continue; // no commit: Kafka prints "-", issue 13 counts it from the log start
                    }
                    assertThat(o.get(col.getValue()))
                            .as("partition %d %s\n%s", p, col.getKey(), kafka)
                            .isEqualTo(k.get(col.getKey()));
                }
            }
            assertThat(ours.get(0)).containsEntry("lag", "6").containsEntry("committed_offset", "4");
            long lagSeconds0 = Long.parseLong(ours.get(0).get("lag_seconds"));
            // The next unconsumed record (offset 4), not the last consumed one (3) or the log end.
            assertThat(lagSeconds0).isBetween(3360L - 5, 3360L + 30);
            assertThat(ours.get(1)).containsEntry("lag", "0").containsEntry("lag_seconds", "0");
            assertThat(ours.get(2)).containsEntry("committed_offset", "-").containsEntry("lag", "3");
            assertThat(Long.parseLong(ours.get(2).get("lag_seconds"))).isBetween(599L, 700L);

            Cli table = Cli.run("groups", "describe", group, "-b", b);
            assertThat(table.exit()).as(table.err()).isZero();
            assertThat(table.out().lines().findFirst().orElseThrow())
                    .startsWith("Group: " + group + "  State: Stable  Type: ");
            String memberId = ours.get(0).get("member_id");
            assertThat(table.out())
                    .containsPattern("(?m)^" + memberId + "\\s+\\S+\\s+cli-groups-member\\s+" + topic + ":0," + topic
                            + ":1," + topic + ":2$");
            assertThat(table.out()).containsPattern("(?m)^" + topic + "\\s+0\\s+4\\s+10\\s+6\\s+\\d+\\s+" + memberId);

            Cli list = Cli.run("groups", "list", "--format", "json", "-b", b);
            assertThat(list.out().lines())
                    .anySatisfy(l -> assertThat(l).startsWith("{\"group\":\"" + group + "\",\"state\":\"Stable\""));
        }
        await("the group is empty once its member left")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> Cli.run("groups", "list", "-b", b)
                        .out()
                        .lines()
                        .anyMatch(l -> l.matches(group + "\\s+Empty\\s+.*")));
    }

    /**
     * Issue 13: the same describe for a KIP-848 group (Apache's consumer with group.protocol=consumer),
     * which the admin client reads through ConsumerGroupDescribe rather than DescribeGroups.
     */
    @ParameterizedTest
    @MethodSource("targets")
    void describeAConsumerProtocolGroupMatchesKafkasGroupTool(Target target) throws Exception {
        String b = target.shared().bootstrapServers();
        String topic = KafkaClients.uniqueTopic("cli-848");
        String group = topic + "-g";
        KafkaClients.createTopic(b, topic, 2);
        long tenMinutesAgo = System.currentTimeMillis() - 600_000;
        GroupFixture.produce(b, topic, 0, 6, tenMinutesAgo);
        GroupFixture.produce(b, topic, 1, 4, System.currentTimeMillis());
        try (KafkaConsumer<byte[], byte[]> member =
                GroupFixture.member(b, topic, group, 2, Map.of(0, 2L, 1, 4L), Map.of("group.protocol", "consumer"))) {
            assertThat(member.assignment()).hasSize(2);
            // KIP-848 states pass through Assigning/Reconciling: wait until both tools can see Stable.
            await("the consumer-protocol group is stable")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> Cli.run("groups", "describe", group, "-b", b)
                            .out()
                            .startsWith("Group: " + group + "  State: Stable  Type: Consumer  Protocol: "));
            String kafka = GroupFixture.kafkaTool("--bootstrap-server", b, "--describe", "--group", group);
            Map<Integer, Map<String, String>> expected = GroupFixture.kafkaDescribeRows(kafka, group, topic);
            assertThat(expected.keySet()).as(kafka).containsExactlyInAnyOrder(0, 1);

            Cli json = Cli.run("groups", "describe", group, "--format", "json", "-b", b);
            assertThat(json.exit()).as(json.err()).isZero();
            Map<Integer, Map<String, String>> ours = new HashMap<>();
            for (String line : json.out().lines().toList()) {
                Map<String, String> o = GroupFixture.flatJson(line);
                assertThat(o).containsEntry("group", group).containsEntry("state", "Stable");
                ours.put(Integer.parseInt(o.get("partition")), o);
            }
            assertThat(ours.keySet()).containsExactlyInAnyOrder(0, 1);
            for (int p = 0; p < 2; p++) {
                for (Map.Entry<String, String> col : KAFKA_COLUMNS.entrySet()) {
                    assertThat(ours.get(p).get(col.getValue()))
                            .as("partition %d %s\n%s", p, col.getKey(), kafka)
                            .isEqualTo(expected.get(p).get(col.getKey()));
                }
            }
            assertThat(ours.get(0)).containsEntry("committed_offset", "2").containsEntry("lag", "4");
            // The next unconsumed record (offset 2) was written ten minutes minus two seconds ago.
            assertThat(Long.parseLong(ours.get(0).get("lag_seconds"))).isBetween(598L - 5, 598L + 60);
            assertThat(ours.get(1)).containsEntry("lag", "0").containsEntry("lag_seconds", "0");
            // A KIP-848 member id is the client's own UUID, the same in every row.
            assertThat(ours.get(0).get("member_id"))
                    .isNotBlank()
                    .isNotEqualTo("-")
                    .isEqualTo(ours.get(1).get("member_id"));

            Cli list = Cli.run("groups", "list", "--format", "json", "-b", b);
            assertThat(list.out().lines())
                    .anySatisfy(l -> assertThat(l)
                            .isEqualTo("{\"group\":\"" + group + "\",\"state\":\"Stable\",\"type\":\"Consumer\"}"));
        }
        await("the consumer-protocol group is empty once its member left")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> Cli.run("groups", "list", "-b", b)
                        .out()
                        .lines()
                        .anyMatch(l -> l.matches(group + "\\s+Empty\\s+.*")));
    }

    @ParameterizedTest
    @MethodSource("targets")
    void unknownGroupsAreNamed(Target target) {
        String b = target.shared().bootstrapServers();
        String group = KafkaClients.uniqueTopic("cli-no-group");
        Cli d = Cli.run("groups", "describe", group, "-b", b);
        assertThat(d.exit()).isEqualTo(1);
        assertThat(d.err().lines()).containsExactly("tributary: unknown group: " + group);
    }
}
