package io.tributary.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The suite's figures: per figure and broker, one sample per session, in the order first
 * recorded; the median per broker and the ratio tributary/apache of the medians. Filled and read
 * on the suite's main thread.
 */
final class SuiteFigures {
    static final String TRIBUTARY = "tributary";
    static final String APACHE = "apache";

    private record Figure(String name, String unit, boolean lowerIsBetter, Map<String, List<Double>> samples) {}

    private final Map<String, Figure> figures = new LinkedHashMap<>();

    void add(String name, String unit, boolean lowerIsBetter, String broker, double value) {
        if (Double.isNaN(value)) {
            return;
        }
        figures.computeIfAbsent(name, n -> new Figure(n, unit, lowerIsBetter, new LinkedHashMap<>()))
                .samples()
                .computeIfAbsent(broker, b -> new ArrayList<>())
                .add(value);
    }

    static double median(List<Double> values) {
        if (values == null || values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    String table() {
        Table t = new Table("figure", "unit", "tributary", "apache", "trib/apache", "goal", "met", "n").leftAligned(2);
        for (Figure f : figures.values()) {
            double ours = median(f.samples().get(TRIBUTARY));
            double theirs = median(f.samples().get(APACHE));
            SuiteGoals.Goal goal = SuiteGoals.of(f.name());
            t.row(
                    f.name(),
                    f.unit(),
                    Table.num(ours),
                    Table.num(theirs),
                    Table.ratio(ours, theirs),
                    goal == null ? (f.lowerIsBetter() ? "(< 1)" : "(> 1)") : goal.toString(),
                    SuiteGoals.verdict(f.name(), ratio(ours, theirs)),
                    count(f, TRIBUTARY) + "/" + count(f, APACHE));
        }
        return t.render();
    }

    private static double ratio(double ours, double theirs) {
        return theirs == 0 ? Double.NaN : ours / theirs;
    }

    /** How many figures have a goal, and how many of those meet it. */
    int[] goalsMet() {
        int withGoal = 0;
        int met = 0;
        for (Figure f : figures.values()) {
            if (SuiteGoals.of(f.name()) != null) {
                withGoal++;
                double r = ratio(
                        median(f.samples().get(TRIBUTARY)), median(f.samples().get(APACHE)));
                met += SuiteGoals.verdict(f.name(), r).equals("yes") ? 1 : 0;
            }
        }
        return new int[] {withGoal, met};
    }

    private static int count(Figure f, String broker) {
        return f.samples().getOrDefault(broker, List.of()).size();
    }

    /** The figures as JSON-ready maps: samples, medians and ratio per figure. */
    List<Map<String, Object>> toJson() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Figure f : figures.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", f.name());
            m.put("unit", f.unit());
            m.put("lowerIsBetter", f.lowerIsBetter());
            double ours = median(f.samples().get(TRIBUTARY));
            double theirs = median(f.samples().get(APACHE));
            m.put("tributaryMedian", ours);
            m.put("apacheMedian", theirs);
            double ratio = ratio(ours, theirs);
            m.put("ratio", ratio);
            SuiteGoals.Goal goal = SuiteGoals.of(f.name());
            m.put("goal", goal == null ? null : goal.toString());
            String verdict = SuiteGoals.verdict(f.name(), ratio);
            m.put("meetsGoal", verdict.equals("yes") ? Boolean.TRUE : verdict.equals("no") ? Boolean.FALSE : null);
            m.put("tributarySamples", f.samples().getOrDefault(TRIBUTARY, List.of()));
            m.put("apacheSamples", f.samples().getOrDefault(APACHE, List.of()));
            out.add(m);
        }
        return out;
    }
}
