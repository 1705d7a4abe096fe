package io.tributary.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The suite's rebalance part: {@code rebalance}'s classic measurement ({@link RebalanceBench},
 * Apache's consumers, eager and cooperative, N members then one more) against the turn's broker,
 * and the broker's own time for the same rebalance, read from its group coordinator's log: from
 * the "Preparing to rebalance" line the joining member's JoinGroup causes to the last
 * "Assignment received from leader" line (the leader's SyncGroup, which answers every member
 * already waiting; a member that syncs later is answered at once). Both brokers log these lines
 * with the same words (ours follows Apache's), with wall-clock times ({@link BrokerLaunch#GROUP_LOG}).
 * Main thread.
 */
final class SuiteGroups {
    private static final Pattern PREPARING = Pattern.compile("^(\\S+) .*Preparing to rebalance group (\\S+) ");
    private static final Pattern ASSIGNED =
            Pattern.compile("^(\\S+) .*Assignment received from leader \\S+ (?:for|of) group (\\S+) for generation");

    private final SuiteSettings settings;
    private final SuiteFigures figures;

    SuiteGroups(SuiteSettings settings, SuiteFigures figures) {
        this.settings = settings;
        this.figures = figures;
    }

    void run(SuiteSession session, ChildBroker broker, String who) throws InterruptedException {
        RebalanceBench bench = RebalanceBench.classic(settings.rebalanceMembers());
        if (!session.step("rebalance topic", () -> Load.createTopic(broker, "rebalance", bench.partitions()))) {
            return;
        }
        for (String protocol : List.of("eager", "cooperative")) {
            for (int n : settings.rebalanceMembers()) {
                for (int r = 0; r < settings.rebalanceRepeats(); r++) {
                    int repeat = r;
                    String name = protocol + " " + n + "+1";
                    session.step("rebalance " + name, () -> {
                        RebalanceBench.Settle s = bench.measure(broker, protocol, n, repeat);
                        double brokerMs = joinToSyncMs(broker.log(), s);
                        figures.add("rebalance " + name, "ms", true, who, s.settleMs());
                        figures.add("broker JoinGroup to last SyncGroup, " + name, "ms", true, who, brokerMs);
                        SuiteSession.log(
                                "  %-40s settled in %d ms; broker log: JoinGroup to SyncGroup %s ms",
                                "rebalance " + name, s.settleMs(), Table.num(brokerMs));
                    });
                }
            }
        }
    }

    /**
     * From the first "Preparing to rebalance" of the group logged after the join started to the
     * last "Assignment received" of it, in ms; NaN when the log lacks either line.
     */
    static double joinToSyncMs(Path log, RebalanceBench.Settle settle) throws IOException {
        long first = -1;
        long last = -1;
        for (String line : Files.readAllLines(log)) {
            Matcher p = PREPARING.matcher(line);
            if (first < 0 && p.find() && p.group(2).equals(settle.group())) {
                long t = epochMs(p.group(1));
                first = t >= settle.joinEpochMs() ? t : -1;
                continue;
            }
            Matcher a = ASSIGNED.matcher(line);
            if (first >= 0 && a.find() && a.group(2).equals(settle.group())) {
                last = epochMs(a.group(1));
            }
        }
        return first < 0 || last < 0 ? Double.NaN : last - first;
    }

    private static long epochMs(String localTime) {
        try {
            return LocalDateTime.parse(localTime)
                    .atZone(ZoneId.systemDefault())
                    .toInstant()
                    .toEpochMilli();
        } catch (java.time.DateTimeException e) {
            return -1;
        }
    }
}
