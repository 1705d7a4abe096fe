package io.tributary.interop.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 13 item 1, {@code tributary groups reset-offsets|delete-offsets|delete}: dry run by
 * default, refused on a group with members, a malformed datetime changes nothing, and a reset
 * moves where the group's next member starts.
 */
class CliGroupResetTest {
    static Stream<Target> targets() {
        return Target.selected();
    }

    @ParameterizedTest
    @MethodSource("targets")
    void resetOffsetsPlansRefusesAndMovesTheNextMembersStart(Target target, @TempDir Path dir) throws Exception {
        String b = target.shared().bootstrapServers();
        String topic = KafkaClients.uniqueTopic("cli-reset");
        String group = topic + "-g";
        KafkaClients.createTopic(b, topic, 1);
        long old = System.currentTimeMillis() - 600_000;
        GroupFixture.produce(b, topic, 0, 10, old);
        try (KafkaConsumer<byte[], byte[]> member = GroupFixture.member(b, topic, group, 1, Map.of(0, 8L))) {
            assertThat(member.assignment()).hasSize(1);
            Cli refused =
                    Cli.run("groups", "reset-offsets", group, "--topic", topic, "--to-earliest", "--execute", "-b", b);
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.err().lines())
                    .singleElement()
                    .asString()
                    .startsWith("tributary: assignments can only be reset if the group '" + group
                            + "' is inactive, but the current state is ");
            Cli deleteRefused = Cli.run("groups", "delete", group, "-b", b);
            assertThat(deleteRefused.exit()).isEqualTo(1);
            assertThat(deleteRefused.err().lines()).hasSize(1);
            assertThat(committed(b, group, topic)).isEqualTo(8L);
        }
        await("the group is empty once its member left")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> Cli.run("groups", "describe", group, "-b", b).out().contains("State: Empty"));

        Cli malformed = Cli.run(
                "groups", "reset-offsets", group, "--topic", topic, "--to-datetime", "yesterday", "--execute", "-b", b);
        assertThat(malformed.exit()).isEqualTo(1);
        assertThat(malformed.err().lines())
                .containsExactly(
                        "tributary: malformed datetime 'yesterday' (expected ISO 8601, e.g. 2026-12-06T09:00:00Z)");
        assertThat(committed(b, group, topic)).isEqualTo(8L);

        Cli dry = Cli.run("groups", "reset-offsets", group, "--topic", topic, "--to-earliest", "-b", b);
        assertThat(dry.exit()).as(dry.err()).isZero();
        assertThat(dry.out()).containsPattern("(?m)^" + group + "\\s+" + topic + "\\s+0\\s+0$");
        assertThat(dry.err()).contains("Dry run");
        assertThat(committed(b, group, topic)).isEqualTo(8L);

        // The plans agree with Apache's tool for the same group (its times: millis, zone-less means UTC).
        String at = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS")
                .withZone(java.time.ZoneOffset.UTC)
                .format(Instant.ofEpochMilli(old + 2500));
        for (String[] how : new String[][] {
            {"--to-earliest"},
            {"--to-latest"},
            {"--shift-by", "-3"},
            {"--shift-by", "5"},
            {"--to-offset", "100"},
            {"--to-datetime", at},
            {"--by-duration", "PT20M"}
        }) {
            String[] kafkaArgs = Stream.concat(
                            Stream.of(
                                    "--bootstrap-server",
                                    b,
                                    "--reset-offsets",
                                    "--group",
                                    group,
                                    "--topic",
                                    topic,
                                    "--dry-run"),
                            Stream.of(how))
                    .toArray(String[]::new);
            String[] ourArgs = Stream.concat(
                            Stream.of("groups", "reset-offsets", group, "--topic", topic, "-b", b), Stream.of(how))
                    .toArray(String[]::new);
            assertThat(newOffset(Cli.run(ourArgs).out(), group, topic))
                    .as(String.join(" ", how))
                    .isEqualTo(newOffset(GroupFixture.kafkaTool(kafkaArgs), group, topic))
                    .isNotNull();
        }
        assertThat(committed(b, group, topic)).isEqualTo(8L);

        assertThat(reset(b, group, topic, "--shift-by", "-3")).isEqualTo(5L);
        Cli next = Cli.run("consume", topic, "-g", group, "-n", "1", "-f", "%o\\n", "-b", b);
        assertThat(next.exit()).as(next.err()).isZero();
        assertThat(next.out()).isEqualTo("5\n");

        assertThat(reset(
                        b,
                        group,
                        topic,
                        "--to-datetime",
                        Instant.ofEpochMilli(old + 6500).toString()))
                .isEqualTo(7L);
        assertThat(reset(b, group, topic, "--by-duration", "PT1M")).isEqualTo(10L);
        assertThat(reset(b, group, topic, "--by-duration", "PT1H")).isZero();
        assertThat(reset(b, group, topic, "--to-offset", "100")).isEqualTo(10L);
        assertThat(reset(b, group, topic, "--to-offset", "3")).isEqualTo(3L);
        assertThat(reset(b, group, topic, "--to-latest")).isEqualTo(10L);

        Path plan = Files.writeString(dir.resolve("plan.csv"), topic + ",0,4\n");
        assertThat(reset(b, group, topic, "--from-file", plan.toString())).isEqualTo(4L);
        Path bad = Files.writeString(dir.resolve("bad.csv"), topic + ",0,4\n" + topic + ",zero,1\n");
        Cli badPlan = Cli.run("groups", "reset-offsets", group, "--from-file", bad.toString(), "--execute", "-b", b);
        assertThat(badPlan.exit()).isEqualTo(1);
        assertThat(badPlan.err().lines())
                .containsExactly("tributary: line 2 of " + bad + " is not topic,partition,offset");
        assertThat(committed(b, group, topic)).isEqualTo(4L);

        Cli delOffsets = Cli.run("groups", "delete-offsets", group, topic, "-b", b);
        assertThat(delOffsets.exit()).as(delOffsets.err()).isZero();
        assertThat(committed(b, group, topic)).isNull();
    }

    @ParameterizedTest
    @MethodSource("targets")
    void deleteRemovesAnEmptyGroup(Target target) throws Exception {
        String b = target.shared().bootstrapServers();
        String topic = KafkaClients.uniqueTopic("cli-gdel");
        String group = topic + "-g";
        KafkaClients.createTopic(b, topic, 1);
        GroupFixture.produce(b, topic, 0, 2, System.currentTimeMillis());
        GroupFixture.member(b, topic, group, 1, Map.of(0, 1L)).close();
        Cli del = Cli.run("groups", "delete", group, "-b", b);
        assertThat(del.exit()).as(del.err()).isZero();
        assertThat(del.out()).isEqualTo("Deleted group " + group + ".\n");
        Cli gone = Cli.run("groups", "describe", group, "-b", b);
        assertThat(gone.err().lines()).containsExactly("tributary: unknown group: " + group);
        Cli missing = Cli.run("groups", "reset-offsets", group, "--topic", topic, "--to-earliest", "-b", b);
        assertThat(missing.err().lines()).containsExactly("tributary: unknown group: " + group);
    }

    /** NEW-OFFSET of partition 0 in a reset plan table (ours or Kafka's). */
    private static Long newOffset(String plan, String group, String topic) {
        return plan.lines()
                .map(l -> l.trim().split("\\s+"))
                .filter(f -> f.length == 4 && f[0].equals(group) && f[1].equals(topic) && f[2].equals("0"))
                .map(f -> Long.parseLong(f[3]))
                .findFirst()
                .orElse(null);
    }

    /** Executes a reset and returns the group's committed offset afterwards (read with Apache's admin). */
    private static Long reset(String b, String group, String topic, String... how) throws Exception {
        String[] args = Stream.concat(
                        Stream.of("groups", "reset-offsets", group, "--topic", topic, "--execute", "-b", b),
                        Stream.of(how))
                .toArray(String[]::new);
        Cli r = Cli.run(args);
        assertThat(r.exit()).as(r.err()).isZero();
        return committed(b, group, topic);
    }

    private static Long committed(String b, String group, String topic) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, b);
        try (Admin admin = Admin.create(p)) {
            OffsetAndMetadata o = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS)
                    .get(new TopicPartition(topic, 0));
            return o == null ? null : o.offset();
        }
    }
}
