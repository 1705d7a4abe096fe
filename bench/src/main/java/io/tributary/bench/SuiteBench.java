package io.tributary.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code Bench suite} (issue 16): the side-by-side figures in one command. Each broker runs in a
 * child JVM of its own (CPU and resident memory per process, from /proc), Apache's own
 * ProducerPerformance, ConsumerPerformance and EndToEndLatency drive it as child JVMs, the
 * brokers take turns A/B, B/A, ... with a fresh broker per turn, and the machine's limits and
 * load average are recorded in the same run. Prints medians and ratios tributary/apache and
 * writes them, with every sample, to a JSON file. Main thread only.
 */
final class SuiteBench {
    private final SuiteSettings settings;

    SuiteBench(Args args) {
        this.settings = SuiteSettings.from(args);
    }

    void run(String commandLine) throws IOException, InterruptedException {
        String started = Instant.now().toString();
        String loadStart = ProcStats.loadAverage();
        System.out.printf(
                "suite, profile %s: %d rounds (order alternates), parts %s, %,d x 100 B and %,d x 1 KiB per"
                        + " shape, %,d x 100 B per client read and write, %,d end-to-end round trips, rebalance members %s x %d, scale %,d partitions and"
                        + " %,d groups; load average at start %s%n",
                settings.profile(),
                settings.rounds(),
                settings.parts(),
                settings.records100(),
                settings.records1k(),
                settings.recordsClients(),
                settings.latencyRecords(),
                settings.rebalanceMembers(),
                settings.rebalanceRepeats(),
                settings.scalePartitions(),
                settings.scaleGroups(),
                loadStart);
        List<String> launcherCommand = List.of();
        if (settings.brokers().contains(SuiteFigures.TRIBUTARY)) {
            launcherCommand = BrokerLaunch.tributaryCommand(settings.launcher(), settings.tributaryJvm());
            System.out.println(
                    "tributary runs as " + settings.launcher() + " broker does: " + String.join(" ", launcherCommand));
        }
        String tributaryFlags = launcherCommand.isEmpty() ? "" : BrokerLaunch.jvmFlags(launcherCommand);
        String apacheFlags = String.join(" ", settings.apacheJvm());
        System.out.println("tributary JVM flags: " + tributaryFlags);
        System.out.println("apache JVM flags:    " + apacheFlags + " (kafka-server-start.sh's defaults)");
        System.out.println("both also get the group coordinator's INFO log with times: "
                + String.join(" ", BrokerLaunch.GROUP_LOG));
        Files.createDirectories(settings.dataRoot());
        Map<String, Double> limits = new LinkedHashMap<>();
        if (settings.limits()) {
            limits = MachineLimits.measure(
                    settings.dataRoot(), settings.profile().equals("quick"));
            StringBuilder line = new StringBuilder("machine limits:");
            limits.forEach((k, v) -> line.append(String.format(" %s %s;", k, Table.num(v))));
            System.out.println(line);
        }
        SuiteFigures figures = new SuiteFigures();
        List<String> failures = new ArrayList<>();
        List<Map<String, Object>> sessions = new ArrayList<>();
        int turn = 0;
        for (int round = 0; round < settings.rounds(); round++) {
            for (String broker : settings.order(round)) {
                Map<String, Object> session = new LinkedHashMap<>();
                session.put("round", round);
                session.put("broker", broker);
                session.put("loadAverageBefore", ProcStats.loadAverage());
                Path dir = settings.dataRoot().resolve(broker + "-" + turn++);
                // A run that was killed leaves its directories; each turn starts on an empty one.
                ChildBroker.deleteTree(dir);
                new SuiteSession(settings, figures, failures, launcherCommand).run(broker, round, dir);
                session.put("loadAverageAfter", ProcStats.loadAverage());
                sessions.add(session);
            }
        }
        String loadEnd = ProcStats.loadAverage();
        System.out.printf(
                "%nmedians over rounds; ratio tributary/apache (load average %s at start, %s at end)%n",
                loadStart, loadEnd);
        System.out.print(figures.table());
        int[] goals = figures.goalsMet();
        System.out.printf(
                "%d of %d figures with a goal meet it; \"our consumer/producer\" rows: the tributary and apache"
                        + " columns are our client and Apache's on the named broker%n",
                goals[1], goals[0]);
        for (String f : failures) {
            System.out.println("FAILED " + f);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("command", commandLine);
        result.put("profile", settings.profile());
        result.put("started", started);
        result.put("finished", Instant.now().toString());
        result.put("loadAverageStart", loadStart);
        result.put("loadAverageEnd", loadEnd);
        result.put("cpus", Runtime.getRuntime().availableProcessors());
        result.put("java", System.getProperty("java.version"));
        result.put("tributaryCommand", launcherCommand);
        result.put("tributaryJvm", tributaryFlags);
        result.put("apacheJvm", apacheFlags);
        result.put("groupLogFlags", BrokerLaunch.GROUP_LOG);
        result.put("parts", settings.parts());
        result.put("rebalanceMembers", settings.rebalanceMembers());
        result.put("rebalanceRepeats", settings.rebalanceRepeats());
        result.put("scalePartitions", settings.scalePartitions());
        result.put("scaleGroups", settings.scaleGroups());
        result.put("goalsWithFigure", goals[0]);
        result.put("goalsMet", goals[1]);
        result.put("rounds", settings.rounds());
        result.put("records100", settings.records100());
        result.put("records1k", settings.records1k());
        result.put("recordsClients", settings.recordsClients());
        result.put("latencyRecords", settings.latencyRecords());
        result.put("phases", settings.phases());
        result.put("machineLimits", limits);
        result.put("figures", figures.toJson());
        result.put("sessions", sessions);
        result.put("failures", failures);
        Path out = settings.out();
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, Json.render(result));
        System.out.println("results written to " + out);
    }
}
