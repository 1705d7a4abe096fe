package io.tributary.bench;

import java.util.List;

/**
 * Issue 16's goal for each suite figure, as a bound on the ratio tributary/apache (for the
 * client rows: our client / Apache's on the same broker), found by the figure's name. Figures
 * the issue only asks to report (the broker-side JoinGroup-to-SyncGroup time, memory per idle
 * partition and group) have none. Stateless.
 */
final class SuiteGoals {
    /** A ratio bound: {@code atMost} means ratio ≤ bound, else ratio ≥ bound. */
    record Goal(double bound, boolean atMost) {
        boolean met(double ratio) {
            return atMost ? ratio <= bound : ratio >= bound;
        }

        @Override
        public String toString() {
            return (atMost ? "<= " : ">= ") + String.format("%.2fx", bound);
        }
    }

    /** Prefix of a figure measured again with the scale part's partitions and groups on the broker. */
    static final String SCALE = "scale: ";

    private record Rule(String prefix, Goal goal) {}

    private static final List<Rule> RULES = List.of(
            new Rule("broker CPU per 100 MiB", new Goal(0.5, true)),
            new Rule("produce ", new Goal(1.1, false)),
            new Rule("consume ", new Goal(1.1, false)),
            new Rule("end-to-end latency", new Goal(0.9, true)),
            new Rule("cold start", new Goal(0.1, true)),
            new Rule("resident memory after load", new Goal(0.25, true)),
            // classic rebalances are bound by the clients' heartbeat: the broker can at best match
            new Rule("rebalance ", new Goal(1.0, true)),
            new Rule("our consumer / KafkaConsumer", new Goal(2.0, false)),
            new Rule("our producer / KafkaProducer", new Goal(1.5, false)));

    private SuiteGoals() {}

    /** The goal of the figure named {@code name}, or null when the issue only asks to report it. */
    static Goal of(String name) {
        String base = name.startsWith(SCALE) ? name.substring(SCALE.length()) : name;
        for (Rule r : RULES) {
            if (base.startsWith(r.prefix())) {
                return r.goal();
            }
        }
        return null;
    }

    /**
     * "yes", "no", "report" (no goal) or "-" (no ratio). The ratio is judged as the table prints
     * it, to two decimals: a 0.3% difference is well inside this machine's noise.
     */
    static String verdict(String name, double ratio) {
        Goal goal = of(name);
        if (goal == null) {
            return "report";
        }
        return Double.isNaN(ratio) ? "-" : goal.met(Math.round(ratio * 100) / 100.0) ? "yes" : "no";
    }
}
