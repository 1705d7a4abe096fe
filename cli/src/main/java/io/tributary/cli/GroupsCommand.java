package io.tributary.cli;

import io.tributary.client.admin.ConsumerGroupDescription;
import io.tributary.client.admin.ConsumerGroupListing;
import io.tributary.client.admin.MemberDescription;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.OffsetAndMetadata;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tributary groups list|describe|delete|delete-offsets|reset-offsets} (issue 13). */
@Command(
        name = "groups",
        mixinStandardHelpOptions = true,
        description = "List, describe (with lag in records and seconds), delete and reset consumer groups.",
        subcommands = {
            GroupsCommand.ListGroups.class,
            GroupsCommand.Describe.class,
            GroupsCommand.Delete.class,
            GroupsCommand.DeleteOffsets.class,
            ResetOffsetsCommand.class
        })
final class GroupsCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return Main.EXIT_USAGE;
    }

    /** The group's description, failing with "unknown group" when the coordinator knows nothing of it. */
    static ConsumerGroupDescription describe(AdminCalls calls, String group) {
        ConsumerGroupDescription d = calls.await(
                        calls.admin().describeConsumerGroups(List.of(group)).all(), group)
                .get(group);
        if (d == null || d.groupState() == io.tributary.client.common.GroupState.DEAD) {
            throw new CliException("unknown group: " + group);
        }
        return d;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List consumer groups.")
    static final class ListGroups extends TopicsCommand.Sub {
        @Option(names = "--format", paramLabel = "json|table")
        String format;

        @Override
        void run(AdminCalls calls) {
            boolean json = Table.isJson(format);
            List<ConsumerGroupListing> gs = new ArrayList<>(
                    calls.await(calls.admin().listConsumerGroups().all(), null));
            gs.sort(Comparator.comparing(ConsumerGroupListing::groupId));
            Table t = new Table("GROUP", "STATE", "TYPE");
            for (ConsumerGroupListing g : gs) {
                String state = g.groupState().map(Object::toString).orElse(null);
                String type = g.type().map(Object::toString).orElse(null);
                if (json) {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("group", g.groupId());
                    o.put("state", state);
                    o.put("type", type);
                    out().println(Table.json(o));
                } else {
                    t.row(g.groupId(), state, type);
                }
            }
            if (!json) {
                t.print(out());
            }
        }
    }

    @Command(
            name = "describe",
            mixinStandardHelpOptions = true,
            description = "State, members and per partition: committed offset, log end offset, lag in records and"
                    + " seconds.")
    static final class Describe extends TopicsCommand.Sub {
        @Parameters(index = "0", paramLabel = "GROUP")
        String group;

        @Option(names = "--format", paramLabel = "json|table", description = "json: one object per partition.")
        String format;

        @Override
        void run(AdminCalls calls) {
            boolean json = Table.isJson(format);
            ConsumerGroupDescription d = describe(calls, group);
            List<GroupLag.Row> rows = GroupLag.rows(calls, client, group, d);
            if (json) {
                for (GroupLag.Row r : rows) {
                    out().println(Table.json(jsonRow(d, r)));
                }
                return;
            }
            out().println("Group: " + group + "  State: " + d.groupState() + "  Type: " + d.type() + "  Protocol: "
                    + (d.partitionAssignor() == null || d.partitionAssignor().isEmpty() ? "-" : d.partitionAssignor())
                    + "  Members: " + d.members().size());
            if (!d.members().isEmpty()) {
                out().println();
                Table m = new Table("CONSUMER-ID", "HOST", "CLIENT-ID", "ASSIGNMENT");
                for (MemberDescription md : d.members()) {
                    List<String> a = md.assignment().topicPartitions().stream()
                            .sorted()
                            .map(tp -> tp.topic() + ":" + tp.partition())
                            .toList();
                    m.row(md.consumerId(), md.host(), md.clientId(), a.isEmpty() ? "-" : String.join(",", a));
                }
                m.print(out());
            }
            out().println();
            Table t = new Table(
                    "TOPIC",
                    "PARTITION",
                    "CURRENT-OFFSET",
                    "LOG-END-OFFSET",
                    "LAG",
                    "LAG-SECONDS",
                    "CONSUMER-ID",
                    "HOST",
                    "CLIENT-ID");
            for (GroupLag.Row r : rows) {
                MemberDescription md = r.member();
                t.row(
                        r.topic(),
                        r.partition(),
                        r.committed(),
                        r.logEnd(),
                        r.lag(),
                        r.lagSeconds(),
                        md == null ? null : md.consumerId(),
                        md == null ? null : md.host(),
                        md == null ? null : md.clientId());
            }
            t.print(out());
        }

        /** The snake_case names issue 13 fixes for scripts (Kafka's CURRENT-OFFSET is committed_offset, ...). */
        private Map<String, Object> jsonRow(ConsumerGroupDescription d, GroupLag.Row r) {
            MemberDescription md = r.member();
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("group", group);
            o.put("state", d.groupState().toString());
            o.put("topic", r.topic());
            o.put("partition", r.partition());
            o.put("committed_offset", r.committed());
            o.put("end_offset", r.logEnd());
            o.put("lag", r.lag());
            o.put("lag_seconds", r.lagSeconds());
            o.put("member_id", md == null ? null : md.consumerId());
            o.put("host", md == null ? null : md.host());
            o.put("client_id", md == null ? null : md.clientId());
            return o;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete an empty group.")
    static final class Delete extends TopicsCommand.Sub {
        @Parameters(index = "0", paramLabel = "GROUP")
        String group;

        @Override
        void run(AdminCalls calls) {
            describe(calls, group);
            calls.await(calls.admin().deleteConsumerGroups(List.of(group)).all(), group);
            out().println("Deleted group " + group + ".");
        }
    }

    @Command(
            name = "delete-offsets",
            mixinStandardHelpOptions = true,
            description = "Delete a group's committed offsets for every partition of TOPIC.")
    static final class DeleteOffsets extends TopicsCommand.Sub {
        @Parameters(index = "0", paramLabel = "GROUP")
        String group;

        @Parameters(index = "1", paramLabel = "TOPIC")
        String topic;

        @Override
        void run(AdminCalls calls) {
            describe(calls, group);
            Map<TopicPartition, OffsetAndMetadata> committed =
                    calls.await(calls.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(), group);
            Set<TopicPartition> tps = new HashSet<>();
            committed.keySet().stream().filter(tp -> tp.topic().equals(topic)).forEach(tps::add);
            if (tps.isEmpty()) {
                throw new CliException("group " + group + " has no committed offsets for topic " + topic);
            }
            calls.await(calls.admin().deleteConsumerGroupOffsets(group, tps).all(), group);
            out().println("Deleted offsets of group " + group + " for " + tps.size() + " partition(s) of " + topic
                    + ".");
        }
    }
}
