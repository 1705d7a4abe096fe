package io.tributary.cli;

import io.tributary.client.admin.AlterConfigOp;
import io.tributary.client.admin.Config;
import io.tributary.client.admin.ConfigEntry;
import io.tributary.client.admin.NewPartitions;
import io.tributary.client.admin.NewTopic;
import io.tributary.client.admin.TopicDescription;
import io.tributary.client.common.Node;
import io.tributary.client.common.TopicPartitionInfo;
import io.tributary.client.common.config.ConfigResource;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tributary topics create|list|describe|alter|delete} on the admin client (issue 13). */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = "Create, list, describe, alter and delete topics.",
        subcommands = {
            TopicsCommand.Create.class,
            TopicsCommand.ListTopics.class,
            TopicsCommand.Describe.class,
            TopicsCommand.Alter.class,
            TopicsCommand.Delete.class
        })
final class TopicsCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return Main.EXIT_USAGE;
    }

    /** Common to every topics subcommand: the cluster options and where output goes. */
    abstract static class Sub implements Callable<Integer> {
        @Mixin
        ClientOptions client = new ClientOptions();

        @Spec
        CommandLine.Model.CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        @Override
        public Integer call() {
            try (AdminCalls calls = new AdminCalls(client)) {
                run(calls);
            }
            return Main.EXIT_OK;
        }

        abstract void run(AdminCalls calls);
    }

    static Map<String, String> configs(List<String> pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String p : pairs) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new CliException("malformed config '" + p + "' (expected key=value)");
            }
            m.put(p.substring(0, eq), p.substring(eq + 1));
        }
        return m;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a topic.")
    static final class Create extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(
                names = {"-p", "--partitions"},
                required = true,
                paramLabel = "N")
        int partitions;

        @Option(
                names = {"-r", "--replication-factor"},
                defaultValue = "1",
                paramLabel = "N")
        short replicationFactor;

        @Option(
                names = {"-c", "--config"},
                paramLabel = "KEY=VALUE",
                description = "Topic config (repeatable).")
        List<String> config = new ArrayList<>();

        @Override
        void run(AdminCalls calls) {
            NewTopic t = new NewTopic(name, partitions, replicationFactor).configs(configs(config));
            calls.await(calls.admin().createTopics(List.of(t)).all(), name);
            out().println("Created topic " + name + ".");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List topics.")
    static final class ListTopics extends Sub {
        @Option(names = "--format", paramLabel = "json|table")
        String format;

        @Override
        void run(AdminCalls calls) {
            boolean json = Table.isJson(format);
            TreeSet<String> names =
                    new TreeSet<>(calls.await(calls.admin().listTopics().names(), null));
            Map<String, TopicDescription> d = names.isEmpty()
                    ? Map.of()
                    : calls.await(calls.admin().describeTopics(names).allTopicNames(), null);
            Table table = new Table("TOPIC", "PARTITIONS", "TOPIC-ID");
            for (String n : names) {
                TopicDescription td = d.get(n);
                if (td == null) {
                    continue; // deleted between the two calls
                }
                if (json) {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("topic", n);
                    o.put("partitions", td.partitions().size());
                    o.put("topic_id", td.topicId().toString());
                    out().println(Table.json(o));
                } else {
                    table.row(n, td.partitions().size(), td.topicId());
                }
            }
            if (!json) {
                table.print(out());
            }
        }
    }

    @Command(
            name = "describe",
            mixinStandardHelpOptions = true,
            description = "Partitions, leaders, topic id and non-default configs of a topic.")
    static final class Describe extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--format", paramLabel = "json|table")
        String format;

        @Override
        void run(AdminCalls calls) {
            boolean json = Table.isJson(format);
            TopicDescription td = calls.await(
                            calls.admin().describeTopics(List.of(name)).allTopicNames(), name)
                    .get(name);
            ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, name);
            Config cfg = calls.await(calls.admin().describeConfigs(List.of(r)).all(), name)
                    .get(r);
            Map<String, String> set = new TreeMap<>();
            for (ConfigEntry e : cfg.entries()) {
                if (e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
                    set.put(e.name(), e.isSensitive() ? null : e.value());
                }
            }
            if (json) {
                List<Map<String, Object>> ps = new ArrayList<>();
                for (TopicPartitionInfo p : td.partitions()) {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("partition", p.partition());
                    o.put("leader", p.leader() == null ? null : p.leader().id());
                    o.put("replicas", p.replicas().stream().map(Node::id).toList());
                    o.put("isr", p.isr().stream().map(Node::id).toList());
                    ps.add(o);
                }
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("topic", name);
                o.put("topic_id", td.topicId().toString());
                o.put("partitions", ps);
                o.put("configs", set);
                out().println(Table.json(o));
                return;
            }
            out().println("Topic: " + name + "  TopicId: " + td.topicId() + "  PartitionCount: "
                    + td.partitions().size());
            StringBuilder c = new StringBuilder();
            set.forEach((k, v) ->
                    c.append(c.length() == 0 ? "" : ",").append(k).append('=').append(v));
            out().println("Configs: " + c);
            Table t = new Table("PARTITION", "LEADER", "REPLICAS", "ISR");
            for (TopicPartitionInfo p : td.partitions()) {
                t.row(
                        p.partition(),
                        p.leader() == null || p.leader().id() < 0
                                ? "none"
                                : p.leader().id(),
                        ids(p.replicas()),
                        ids(p.isr()));
            }
            t.print(out());
        }

        private static String ids(List<Node> nodes) {
            return String.join(
                    ",", nodes.stream().map(n -> Integer.toString(n.id())).toList());
        }
    }

    @Command(
            name = "alter",
            mixinStandardHelpOptions = true,
            description = "Add partitions, set or delete topic configs.")
    static final class Alter extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(
                names = {"-p", "--partitions"},
                paramLabel = "N",
                description = "New total partition count.")
        Integer partitions;

        @Option(
                names = {"-c", "--config"},
                paramLabel = "KEY=VALUE",
                description = "Set a config (repeatable).")
        List<String> config = new ArrayList<>();

        @Option(names = "--delete-config", paramLabel = "KEY", description = "Back to the default (repeatable).")
        List<String> deleteConfig = new ArrayList<>();

        @Override
        void run(AdminCalls calls) {
            if (partitions == null && config.isEmpty() && deleteConfig.isEmpty()) {
                throw new CliException("nothing to alter: give -p, -c or --delete-config");
            }
            Map<String, String> set = configs(config);
            // Describe first so an unknown topic is named before anything changes.
            calls.await(calls.admin().describeTopics(List.of(name)).allTopicNames(), name);
            if (!set.isEmpty() || !deleteConfig.isEmpty()) {
                List<AlterConfigOp> ops = new ArrayList<>();
                set.forEach((k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
                for (String k : deleteConfig) {
                    ops.add(new AlterConfigOp(new ConfigEntry(k, ""), AlterConfigOp.OpType.DELETE));
                }
                ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, name);
                calls.await(
                        calls.admin().incrementalAlterConfigs(Map.of(r, ops)).all(), name);
            }
            if (partitions != null) {
                calls.await(
                        calls.admin()
                                .createPartitions(Map.of(name, NewPartitions.increaseTo(partitions)))
                                .all(),
                        name);
            }
            out().println("Altered topic " + name + ".");
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a topic.")
    static final class Delete extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        void run(AdminCalls calls) {
            calls.await(calls.admin().deleteTopics(List.of(name)).all(), name);
            out().println("Deleted topic " + name + ".");
        }
    }
}
