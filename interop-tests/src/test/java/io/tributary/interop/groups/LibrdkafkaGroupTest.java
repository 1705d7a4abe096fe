package io.tributary.interop.groups;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.interop.support.ExternalCommand;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 3 acceptance with librdkafka 2.0.2 (B3, C4, C8, C9, C10, O2, O3, O6): each Python program
 * of kafka-consumers-notes.zh.md, made runnable under {@code src/test/python/groups/} (each file
 * names its section and marks what is not from the notes), runs with Debian's
 * {@code /usr/bin/python3} + confluent_kafka 1.7.0 against the broker; and {@code kcat -G}
 * consumes as a group. Every scenario checks the program's output and the group's committed
 * offsets as the broker reports them.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LibrdkafkaGroupTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final String KCAT = "/usr/bin/kcat";
    /**
     * Each program needs about a second against Apache. librdkafka waits for a coordinator forever,
     * so a broker without group APIs costs this much per program.
     */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private static final Pattern RECORD = Pattern.compile("^RECORD (\\d+) (\\d+) (\\S+)$", Pattern.MULTILINE);

    /** "Creating a Kafka Consumer" + "Subscribing to Topics": the basic loop, EOF events, close commits. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void basicConsumeLoopSeesEveryRecordAndEachPartitionEof(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("py-basic");
        String group = topic + "-group";
        int partitions = 3;
        int records = 90;
        KafkaClients.createTopic(broker.bootstrapServers(), topic, partitions);
        GroupAdmin.produce(broker.bootstrapServers(), topic, partitions, 0, records);

        ExternalCommand.Result result = python(
                "basic_consume_loop.py",
                broker.bootstrapServers(),
                topic,
                group,
                Integer.toString(records),
                Integer.toString(partitions));

        assertThat(recordValues(result.stdout()))
                .as("values the loop processed")
                .isEqualTo(values(0, records));
        for (int p = 0; p < partitions; p++) {
            assertThat(result.stderr())
                    .as("EOF event of partition %d", p)
                    .contains("% " + topic + " [" + p + "] reached end at offset " + records / partitions);
        }
        // "Close down consumer to commit final offsets": auto-commit plus close.
        GroupAdmin.assertCommittedAtLogEnd(broker.bootstrapServers(), topic, group, partitions);
    }

    /** "Committing a Specified Offset" without SASL: async commit every 50 messages, sync commit at the end. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void asyncThenSyncCommitsOfAMessage(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("py-commits");
        String group = topic + "-group";
        int records = 175;
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
        GroupAdmin.produce(broker.bootstrapServers(), topic, 1, 0, records);
        // The program keeps auto.offset.reset at its default (latest), so it starts from an offset the
        // group already has, committed here the way an operator would.
        GroupAdmin.commit(broker.bootstrapServers(), group, Map.of(new TopicPartition(topic, 0), 0L));

        ExternalCommand.Result result =
                python("async_sync_commits.py", broker.bootstrapServers(), topic, group, Integer.toString(records));

        assertThat(result.stdout()
                        .lines()
                        .filter(l -> l.contains("cimpl.Message object"))
                        .count())
                .as("messages printed")
                .isEqualTo(records);
        assertThat(result.stdout()).contains("DONE counts=" + records + " last_offset=" + (records - 1));
        // The final synchronous commit of the last message: its offset + 1 (O6).
        GroupAdmin.assertCommittedAtLogEnd(broker.bootstrapServers(), topic, group, 1);
    }

    /** "Rebalance Listeners": on_assign starts every partition at 0, on_revoke commits on close. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void onAssignSeeksToZeroAndOnRevokeCommits(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("py-rebalance");
        String group = topic + "-group";
        int partitions = 3;
        int records = 90;
        KafkaClients.createTopic(broker.bootstrapServers(), topic, partitions);
        GroupAdmin.produce(broker.bootstrapServers(), topic, partitions, 0, records);

        for (int run = 1; run <= 2; run++) {
            ExternalCommand.Result result = python(
                    "rebalance_callbacks.py", broker.bootstrapServers(), topic, group, Integer.toString(records));
            String assigned = line(result.stdout(), "Rebalance: Assigning partitions:");
            String revoked = line(result.stdout(), "Rebalance: Revoking partitions:");
            for (int p = 0; p < partitions; p++) {
                assertThat(assigned)
                        .as("run %d: on_assign lists partition %d", run, p)
                        .contains("topic=" + topic + ",partition=" + p + ",");
                assertThat(revoked)
                        .as("run %d: on_revoke (at close) lists partition %d", run, p)
                        .contains("topic=" + topic + ",partition=" + p + ",");
            }
            // Run 2 has committed offsets at the log end, yet on_assign's offset 0 wins: everything again.
            assertThat(recordValues(result.stdout()))
                    .as("run %d: values consumed", run)
                    .isEqualTo(values(0, records));
            assertThat(result.stdout()).contains("CLOSED");
            GroupAdmin.assertCommittedAtLogEnd(broker.bootstrapServers(), topic, group, partitions);
        }
    }

    /** "Consuming Records with Specific Offsets": seek(partition 0, offset 0) re-reads from the start. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void seekToOffsetZeroRereadsThePartition(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("py-seek");
        int records = 50;
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
        GroupAdmin.produce(broker.bootstrapServers(), topic, 1, 0, records);

        ExternalCommand.Result result = python(
                "seek_specific_offset.py",
                broker.bootstrapServers(),
                topic,
                topic + "-group",
                Integer.toString(records));

        // Where the notes seek (right after subscribe) nothing is assigned yet: librdkafka refuses locally.
        assertThat(line(result.stdout(), "SEEK BEFORE ASSIGNMENT")).contains("_UNKNOWN_PARTITION");
        String offsets = IntStream.range(0, records).mapToObj(Integer::toString).collect(Collectors.joining(","));
        assertThat(line(result.stdout(), "FIRST ")).isEqualTo("FIRST " + offsets);
        assertThat(line(result.stdout(), "AFTER SEEK ")).isEqualTo("AFTER SEEK " + offsets);
    }

    /** "Standalone Consumer": list_topics finds the partitions, assign() reads them, commit() still works. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void standaloneConsumerAssignsWhatListTopicsReports(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("py-standalone");
        String group = topic + "-group";
        int partitions = 4;
        int records = 80;
        KafkaClients.createTopic(broker.bootstrapServers(), topic, partitions);
        GroupAdmin.produce(broker.bootstrapServers(), topic, partitions, 0, records);

        ExternalCommand.Result result =
                python("standalone_assign.py", broker.bootstrapServers(), topic, group, Integer.toString(records));

        assertThat(line(result.stdout(), "PARTITIONS ")).isEqualTo("PARTITIONS 0,1,2,3");
        assertThat(recordValues(result.stdout())).isEqualTo(values(0, records));
        assertThat(result.stdout()).contains("DONE counts=" + records);
        GroupAdmin.assertCommittedAtLogEnd(broker.bootstrapServers(), topic, group, partitions);
        try (Admin admin = GroupAdmin.admin(broker.bootstrapServers())) {
            assertThat(admin.describeConsumerGroups(List.of(group))
                            .all()
                            .get(30, TimeUnit.SECONDS)
                            .get(group)
                            .members())
                    .as("a standalone consumer never joins the group")
                    .isEmpty();
        }
    }

    /** {@code kcat -G}: librdkafka's balanced consumer reads everything and commits it on exit. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void kcatConsumesAsAGroup(Target target) throws Exception {
        ExternalCommand.requireExecutable(KCAT);
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("kcat-group");
        String group = topic + "-group";
        int partitions = 3;
        int records = 90;
        KafkaClients.createTopic(broker.bootstrapServers(), topic, partitions);
        GroupAdmin.produce(broker.bootstrapServers(), topic, partitions, 0, records);

        ExternalCommand.Result result = ExternalCommand.run(
                        List.of(
                                KCAT,
                                "-b",
                                broker.bootstrapServers(),
                                "-G",
                                group,
                                "-X",
                                "auto.offset.reset=earliest",
                                "-c",
                                Integer.toString(records),
                                "-q",
                                "-f",
                                "RECORD %p %o %s\\n",
                                topic),
                        new byte[0],
                        COMMAND_TIMEOUT)
                .assertSuccess();

        assertThat(recordValues(result.stdout())).isEqualTo(values(0, records));
        Matcher m = RECORD.matcher(result.stdout());
        Map<Integer, Integer> perPartition = new HashMap<>();
        while (m.find()) {
            int partition = Integer.parseInt(m.group(1));
            assertThat(Integer.parseInt(m.group(3)) % partitions)
                    .as("record %s on its partition", m.group(3))
                    .isEqualTo(partition);
            perPartition.merge(partition, 1, Integer::sum);
        }
        assertThat(perPartition).hasSize(partitions);
        GroupAdmin.assertCommittedAtLogEnd(broker.bootstrapServers(), topic, group, partitions);
    }

    private static ExternalCommand.Result python(String script, String... args) throws Exception {
        ExternalCommand.requireExecutable(PYTHON);
        Path path = Path.of("src", "test", "python", "groups", script).toAbsolutePath();
        assertThat(Files.isRegularFile(path)).as("%s exists", path).isTrue();
        List<String> command = new ArrayList<>(List.of(PYTHON, path.toString()));
        command.addAll(List.of(args));
        return ExternalCommand.run(command, new byte[0], COMMAND_TIMEOUT).assertSuccess();
    }

    private static Set<String> recordValues(String stdout) {
        Set<String> values = new HashSet<>();
        Matcher m = RECORD.matcher(stdout);
        while (m.find()) {
            values.add(m.group(3));
        }
        return values;
    }

    private static Set<String> values(int first, int count) {
        return IntStream.range(first, first + count).mapToObj(Integer::toString).collect(Collectors.toSet());
    }

    private static String line(String stdout, String prefix) {
        return stdout.lines()
                .filter(l -> l.startsWith(prefix))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with '" + prefix + "' in:\n" + stdout));
    }
}
