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
                "suite, profile %s: %d rounds (order alternates), %,d x 100 B and %,d x 1 KiB per shape,"
                        + " %,d end-to-end round trips; broker JVM %s; load average at start %s%n",
                settings.profile(),
                settings.rounds(),
                settings.records100(),
                settings.records1k(),
                settings.latencyRecords(),
                String.join(" ", settings.brokerJvm()),
                loadStart);
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
                new SuiteSession(settings, figures, failures).run(broker, round, dir);
                session.put("loadAverageAfter", ProcStats.loadAverage());
                sessions.add(session);
            }
        }
        String loadEnd = ProcStats.loadAverage();
        System.out.printf(
                "%nmedians over rounds; ratio tributary/apache (load average %s at start, %s at end)%n",
                loadStart, loadEnd);
        System.out.print(figures.table());
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
        result.put("brokerJvm", settings.brokerJvm());
        result.put("rounds", settings.rounds());
        result.put("records100", settings.records100());
        result.put("records1k", settings.records1k());
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
