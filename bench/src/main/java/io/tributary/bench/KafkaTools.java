package io.tributary.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Apache Kafka's own performance tools, each run as a child JVM with the kafka-tools jar on its
 * class path, as {@code kafka-producer-perf-test.sh} and friends run them (with their
 * {@code -Xmx512M}), and the figures parsed from the lines they print. Stateless.
 */
final class KafkaTools {
    private static final String TOOLS = "org.apache.kafka.tools.";
    private static final long TIMEOUT_S = 900;
    private static final Pattern PRODUCED = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+)"
            + " MB/sec\\), ([\\d.]+) ms avg latency, ([\\d.]+) ms max latency, (\\d+) ms 50th, (\\d+) ms 95th,"
            + " (\\d+) ms 99th");
    private static final Pattern AVG_LATENCY = Pattern.compile("Avg latency: ([\\d.]+) ms");
    private static final Pattern PERCENTILES =
            Pattern.compile("Percentiles: 50th = ([\\d.]+), 99th = ([\\d.]+), 99.9th = ([\\d.]+)");
    /** The consumer's fetch figures {@code --print-metrics} lists, e.g. "...:fetch-size-avg:{client-id=x} : 1.0". */
    private static final Pattern FETCH_METRIC = Pattern.compile(
            "consumer-fetch-manager-metrics:(fetch-size-avg|fetch-latency-avg|records-per-request-avg|fetch-rate)"
                    + ":\\{client-id=[^,}]*}\\s*:\\s*([\\d.E-]+)");
    /** The consumer fetch figures {@link #consume} returns when asked for them. */
    static final List<String> FETCH_METRICS =
            List.of("fetch-size-avg", "fetch-latency-avg", "records-per-request-avg", "fetch-rate");

    private KafkaTools() {}

    /** ProducerPerformance, unthrottled: records/s, MB/s and the producer's latencies (ms). */
    static Map<String, Double> produce(String bootstrap, String topic, long records, int size, String acks, Path work)
            throws IOException, InterruptedException {
        List<String> out = run(
                "ProducerPerformance",
                work,
                "--bootstrap-server",
                bootstrap,
                "--topic",
                topic,
                "--num-records",
                "" + records,
                "--record-size",
                "" + size,
                "--throughput",
                "-1",
                "--command-property",
                "acks=" + acks);
        for (String line : out) {
            // The tool's send callback prints a failed send's stack trace and goes on counting.
            if (line.startsWith("org.apache.kafka.common.errors.")) {
                throw new IOException("ProducerPerformance send failed: " + line);
            }
        }
        for (String line : out) {
            Matcher m = PRODUCED.matcher(line);
            if (m.find()) {
                if (Long.parseLong(m.group(1)) < records) {
                    throw new IOException("ProducerPerformance sent " + m.group(1) + " of " + records + " records");
                }
                Map<String, Double> r = new HashMap<>();
                r.put("records", Double.parseDouble(m.group(1)));
                r.put("records/s", Double.parseDouble(m.group(2)));
                r.put("MB/s", Double.parseDouble(m.group(3)));
                r.put("avg ms", Double.parseDouble(m.group(4)));
                r.put("p50 ms", Double.parseDouble(m.group(6)));
                r.put("p99 ms", Double.parseDouble(m.group(8)));
                return r;
            }
        }
        throw new IOException("no summary line from ProducerPerformance:\n" + tail(out));
    }

    /**
     * ConsumerPerformance in a fresh group: the fetch.* columns, which leave out the group join
     * (its time is the broker's initial rebalance delay, not its speed).
     */
    static Map<String, Double> consume(String bootstrap, String topic, long records, boolean metrics, Path work)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(
                "--bootstrap-server",
                bootstrap,
                "--topic",
                topic,
                "--num-records",
                "" + records,
                "--group",
                "suite-" + System.nanoTime(),
                "--timeout",
                "60000"));
        if (metrics) {
            args.add("--print-metrics");
        }
        List<String> out = run("ConsumerPerformance", work, args.toArray(new String[0]));
        for (int i = 0; i + 1 < out.size(); i++) {
            if (out.get(i).startsWith("start.time")) {
                String[] names = out.get(i).split(",\\s*");
                String[] values = out.get(i + 1).split(",\\s*");
                Map<String, String> row = new HashMap<>();
                for (int c = 0; c < names.length && c < values.length; c++) {
                    row.put(names[c].trim(), values[c].trim());
                }
                double got = Double.parseDouble(row.get("data.consumed.in.nMsg"));
                if (got < records) {
                    throw new IOException("ConsumerPerformance read " + got + " of " + records + " records");
                }
                Map<String, Double> r = new HashMap<>();
                r.put("records", got);
                r.put("records/s", Double.parseDouble(row.get("fetch.nMsg.sec")));
                r.put("MB/s", Double.parseDouble(row.get("fetch.MB.sec")));
                r.put("rebalance ms", Double.parseDouble(row.get("rebalance.time.ms")));
                for (String line : out) {
                    Matcher m = FETCH_METRIC.matcher(line);
                    if (m.find()) {
                        r.put(m.group(1), Double.parseDouble(m.group(2)));
                    }
                }
                return r;
            }
        }
        throw new IOException("no result row from ConsumerPerformance:\n" + tail(out));
    }

    /** EndToEndLatency (one record produced, then consumed, at a time): avg, p50, p99 in ms. */
    static Map<String, Double> endToEnd(String bootstrap, String topic, long records, int size, String acks, Path work)
            throws IOException, InterruptedException {
        List<String> out = run("EndToEndLatency", work, bootstrap, topic, "" + records, acks, "" + size);
        Map<String, Double> r = new HashMap<>();
        for (String line : out) {
            Matcher avg = AVG_LATENCY.matcher(line);
            if (avg.find()) {
                r.put("avg ms", Double.parseDouble(avg.group(1)));
            }
            Matcher p = PERCENTILES.matcher(line);
            if (p.find()) {
                r.put("p50 ms", Double.parseDouble(p.group(1)));
                r.put("p99 ms", Double.parseDouble(p.group(2)));
            }
        }
        if (!r.containsKey("p50 ms")) {
            throw new IOException("no percentiles from EndToEndLatency:\n" + tail(out));
        }
        return r;
    }

    /**
     * {@link LatencyProbe}'s round trips (the EndToEndLatency loop, in microseconds), after
     * {@code warmup} unreported ones: avg_us, p50_us, p90_us, p99_us.
     */
    static Map<String, Double> probe(String bootstrap, String topic, long records, int size, int warmup, Path work)
            throws IOException, InterruptedException {
        String main = LatencyProbe.class.getName();
        List<String> out = run(main, work, bootstrap, topic, "" + records, "" + size, "" + warmup);
        for (String line : out) {
            if (line.startsWith("probe ")) {
                return LatencyProbe.parse(line);
            }
        }
        throw new IOException("no summary line from LatencyProbe:\n" + tail(out));
    }

    /**
     * Runs one tool (a name in Apache's tools package, or a full class name) to completion; its
     * stdout and stderr, merged, line by line.
     */
    private static List<String> run(String tool, Path work, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                ChildBroker.javaExecutable(),
                "-Xmx512m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp",
                System.getProperty("java.class.path"),
                tool.contains(".") ? tool : TOOLS + tool));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(work, tool, ".out");
        try {
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(tool + " did not finish in " + TIMEOUT_S + " s:\n" + tail(read(log)));
            }
            List<String> out = read(log);
            if (p.exitValue() != 0) {
                throw new IOException(tool + " exited with " + p.exitValue() + ":\n" + tail(out));
            }
            return out;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static List<String> read(Path log) throws IOException {
        return Files.readAllLines(log, StandardCharsets.UTF_8);
    }

    private static String tail(List<String> lines) {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }
}
