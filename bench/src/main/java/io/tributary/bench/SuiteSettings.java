package io.tributary.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code Bench suite} runs, from its profile ({@code quick}: a few minutes, one A/B/B/A
 * pass; {@code full}: more records, four rounds) and any option that overrides the profile.
 * Immutable.
 */
record SuiteSettings(
        String profile,
        int rounds,
        long records100,
        long records1k,
        long recordsClients,
        long latencyRecords,
        List<String> brokers,
        List<String> tributaryJvm,
        List<String> apacheJvm,
        Path launcher,
        List<Integer> rebalanceMembers,
        int rebalanceRepeats,
        int scalePartitions,
        int scaleGroups,
        List<String> parts,
        Map<String, String> tributaryProps,
        Map<String, String> apacheProps,
        Path dataRoot,
        Path out,
        boolean limits,
        List<String> phases,
        boolean fetchMetrics) {

    /** The measured phase groups, in the order they run; {@code --phases} picks a subset. */
    static final List<String> ALL_PHASES = List.of("produce", "consume", "latency");

    static SuiteSettings from(Args args) {
        String profile = args.string("profile", "quick");
        boolean quick;
        switch (profile) {
            case "quick" -> quick = true;
            case "full" -> quick = false;
            default -> throw new IllegalArgumentException("--profile wants quick or full, got " + profile);
        }
        Map<String, String> tributary = new LinkedHashMap<>(args.properties("broker-prop"));
        tributary.putAll(args.properties("tributary-prop"));
        Map<String, String> apache = new LinkedHashMap<>(args.properties("broker-prop"));
        apache.putAll(args.properties("apache-prop"));
        for (String part : args.list("parts", String.join(",", PARTS))) {
            if (!PARTS.contains(part)) {
                throw new IllegalArgumentException("--parts takes some of " + PARTS + ", not " + part);
            }
        }
        Path dataRoot = Path.of(args.string("data-root", "bench/target/suite-data"));
        String stamp = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC)
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return new SuiteSettings(
                profile,
                args.intValue("rounds", quick ? 2 : 4),
                args.longValue("records-100", quick ? 300_000 : 2_000_000),
                args.longValue("records-1k", quick ? 50_000 : 400_000),
                // The same in both profiles: our consumer reads 300k x 100 B in ~60 ms, of which the
                // ~15 ms to its first record (connect, metadata, offsets, first fetch) and the JIT's
                // state are a large part; the issue's own figure read 5M.
                args.longValue("records-clients", 2_000_000),
                args.longValue("latency-records", quick ? 2_000 : 10_000),
                args.list("brokers", "tributary,apache"),
                words(args.string("tributary-jvm", "")),
                words(args.string("apache-jvm", BrokerLaunch.APACHE_SCRIPT_JVM)),
                Path.of(args.string("launcher", "bin/tributary")),
                args.list("rebalance-members", quick ? "10" : "10,50").stream()
                        .map(Integer::valueOf)
                        .toList(),
                args.intValue("rebalance-repeats", 1),
                args.intValue("scale-partitions", quick ? 200 : 1000),
                args.intValue("scale-groups", quick ? 200 : 1000),
                args.list("parts", String.join(",", PARTS)),
                tributary,
                apache,
                dataRoot,
                Path.of(args.string("out", "bench/target/suite-" + profile + "-" + stamp + ".json")),
                !args.flag("skip-limits"),
                phases(
                        args.flag("produce-only")
                                ? List.of("produce")
                                : args.list("phases", String.join(",", ALL_PHASES))),
                args.flag("fetch-metrics"));
    }

    /** The suite's parts, in the order a turn runs them ({@code --parts} picks some). */
    static final List<String> PARTS = List.of("tools", "rebalance", "clients", "scale");

    private static List<String> words(String text) {
        return text.isBlank() ? List.of() : List.of(text.trim().split("\\s+"));
    }

    private static List<String> phases(List<String> asked) {
        for (String p : asked) {
            if (!ALL_PHASES.contains(p)) {
                throw new IllegalArgumentException("--phases takes some of " + ALL_PHASES + ", got " + p);
            }
        }
        return List.copyOf(asked);
    }

    boolean runs(String part) {
        return parts.contains(part);
    }

    boolean runsPhase(String phase) {
        return phases.contains(phase);
    }

    /** Round r runs the brokers in order when even and reversed when odd: A/B, B/A, A/B, ... */
    List<String> order(int round) {
        if (round % 2 == 0) {
            return brokers;
        }
        List<String> reversed = new java.util.ArrayList<>(brokers);
        java.util.Collections.reverse(reversed);
        return reversed;
    }
}
