package io.tributary.cli;

import io.tributary.client.admin.ConsumerGroupDescription;
import io.tributary.client.admin.ListOffsetsResult.ListOffsetsResultInfo;
import io.tributary.client.admin.OffsetSpec;
import io.tributary.client.admin.TopicDescription;
import io.tributary.client.common.GroupState;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.TopicPartitionInfo;
import io.tributary.client.consumer.OffsetAndMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tributary groups reset-offsets} (issue 13): plans new committed offsets for every
 * partition of a topic, prints the plan, and applies it only with {@code --execute}. As Kafka's
 * tool, a group with members is refused (they would overwrite the reset), and targets are
 * clamped to the partition's log start and end.
 */
@Command(
        name = "reset-offsets",
        mixinStandardHelpOptions = true,
        description = "Plan (default) or --execute new committed offsets of GROUP for TOPIC.")
final class ResetOffsetsCommand extends TopicsCommand.Sub {
    @Parameters(index = "0", paramLabel = "GROUP")
    String group;

    @Option(
            names = "--topic",
            paramLabel = "TOPIC",
            description = "Every partition of TOPIC (--from-file names its own).")
    String topic;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--execute", description = "Apply the plan (default: print it only).")
    boolean execute;

    static final class Target {
        @Option(names = "--to-earliest")
        boolean earliest;

        @Option(names = "--to-latest")
        boolean latest;

        @Option(names = "--to-offset", paramLabel = "N")
        Long offset;

        @Option(names = "--shift-by", paramLabel = "N")
        Long shift;

        @Option(names = "--to-datetime", paramLabel = "ISO", description = "e.g. 2026-12-06T09:00:00Z.")
        String datetime;

        @Option(
                names = "--from-file",
                paramLabel = "CSV",
                description = "Lines topic,partition,offset (Kafka's reset plan format), applied as given.")
        Path fromFile;

        @Option(names = "--by-duration", paramLabel = "PnDTnHnM", description = "Back from now, e.g. PT1H.")
        String duration;
    }

    @Override
    void run(AdminCalls calls) {
        // Parse first: a malformed argument changes nothing and needs no cluster.
        Long timestamp = timestamp();
        Map<TopicPartition, OffsetAndMetadata> fromFile = target.fromFile == null ? null : readPlan(target.fromFile);
        if (fromFile == null && topic == null) {
            throw new CliException("--topic is required (or --from-file)");
        }
        ConsumerGroupDescription d = GroupsCommand.describe(calls, group);
        if (d.groupState() != GroupState.EMPTY || !d.members().isEmpty()) {
            throw new CliException("assignments can only be reset if the group '" + group
                    + "' is inactive, but the current state is " + d.groupState());
        }
        if (fromFile != null) {
            for (TopicPartition tp : fromFile.keySet()) {
                TopicDescription td = calls.await(
                                calls.admin()
                                        .describeTopics(List.of(tp.topic()))
                                        .allTopicNames(),
                                tp.topic())
                        .get(tp.topic());
                if (tp.partition() >= td.partitions().size()) {
                    throw new CliException("unknown partition: " + tp.topic() + "-" + tp.partition());
                }
            }
            printAndApply(calls, new TreeMap<>(fromFile));
            return;
        }
        TopicDescription td = calls.await(
                        calls.admin().describeTopics(List.of(topic)).allTopicNames(), topic)
                .get(topic);
        Set<TopicPartition> tps = new TreeSet<>();
        for (TopicPartitionInfo p : td.partitions()) {
            tps.add(new TopicPartition(topic, p.partition()));
        }
        Map<TopicPartition, ListOffsetsResultInfo> start = GroupLag.listOffsets(calls, tps, OffsetSpec.earliest());
        Map<TopicPartition, ListOffsetsResultInfo> end = GroupLag.listOffsets(calls, tps, OffsetSpec.latest());
        Map<TopicPartition, ListOffsetsResultInfo> at =
                timestamp == null ? Map.of() : GroupLag.listOffsets(calls, tps, OffsetSpec.forTimestamp(timestamp));
        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
        calls.await(calls.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(), group)
                .forEach((tp, om) -> {
                    if (om != null) {
                        committed.put(tp, om);
                    }
                });
        Map<TopicPartition, OffsetAndMetadata> plan = new TreeMap<>();
        for (TopicPartition tp : tps) {
            long lo = start.get(tp).offset();
            long hi = end.get(tp).offset();
            long to;
            if (target.earliest) {
                to = lo;
            } else if (target.latest) {
                to = hi;
            } else if (target.offset != null) {
                to = target.offset;
            } else if (target.shift != null) {
                OffsetAndMetadata c = committed.get(tp);
                if (c == null) {
                    throw new CliException("group " + group + " has no committed offset for " + tp.topic() + "-"
                            + tp.partition() + " to shift");
                }
                to = c.offset() + target.shift;
            } else {
                long found = at.get(tp).offset();
                to = found < 0 ? hi : found; // no record at or after the time: the end
            }
            plan.put(tp, new OffsetAndMetadata(Math.max(lo, Math.min(hi, to))));
        }
        printAndApply(calls, plan);
    }

    private void printAndApply(AdminCalls calls, Map<TopicPartition, OffsetAndMetadata> plan) {
        Table t = new Table("GROUP", "TOPIC", "PARTITION", "NEW-OFFSET");
        plan.forEach((tp, o) -> t.row(group, tp.topic(), tp.partition(), o.offset()));
        t.print(out());
        if (execute) {
            calls.await(calls.admin().alterConsumerGroupOffsets(group, plan).all(), group);
        } else {
            spec.commandLine().getErr().println("Dry run: nothing changed; add --execute to apply.");
        }
    }

    /** topic,partition,offset per line, or group,topic,partition,offset with this group (as Kafka's --export). */
    private Map<TopicPartition, OffsetAndMetadata> readPlan(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new CliException("reset plan file not found: " + file);
        } catch (IOException e) {
            throw new CliException("cannot read reset plan " + file + ": " + e.getMessage());
        }
        Map<TopicPartition, OffsetAndMetadata> plan = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",");
            if (f.length == 4 && f[0].equals(group)) {
                f = new String[] {f[1], f[2], f[3]};
            }
            try {
                if (f.length != 3) {
                    throw new NumberFormatException();
                }
                plan.put(new TopicPartition(f[0], Integer.parseInt(f[1])), new OffsetAndMetadata(Long.parseLong(f[2])));
            } catch (NumberFormatException e) {
                throw new CliException("line " + (i + 1) + " of " + file + " is not topic,partition,offset");
            }
        }
        if (plan.isEmpty()) {
            throw new CliException("reset plan " + file + " is empty");
        }
        return plan;
    }

    private Long timestamp() {
        if (target.datetime != null) {
            return parseDatetime(target.datetime);
        }
        if (target.duration != null) {
            try {
                return System.currentTimeMillis()
                        - Duration.parse(target.duration).abs().toMillis();
            } catch (DateTimeParseException e) {
                throw new CliException("malformed duration '" + target.duration + "' (expected e.g. PT1H or P1DT2H)");
            }
        }
        return null;
    }

    /** An instant with offset or Z; without a zone, UTC (Kafka's tool appends Z to such a time too). */
    static long parseDatetime(String s) {
        try {
            return OffsetDateTime.parse(s).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(s).atZone(ZoneOffset.UTC).toInstant().toEpochMilli();
            } catch (DateTimeParseException e2) {
                throw new CliException("malformed datetime '" + s + "' (expected ISO 8601, e.g. 2026-12-06T09:00:00Z)");
            }
        }
    }
}
