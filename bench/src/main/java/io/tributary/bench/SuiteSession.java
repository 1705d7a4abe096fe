package io.tributary.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * One broker's turn in the suite: a fresh broker in its own JVM (cold start timed), a warm-up,
 * then Apache's tools in the issue-16 shapes, each phase charged the broker's CPU time read from
 * /proc before and after, and the broker's resident memory once all of it has run. A failed
 * phase is reported and leaves its figure without a sample; the session goes on. Main thread.
 */
final class SuiteSession {
    private static final double MIB = 1 << 20;

    private final SuiteSettings settings;
    private final SuiteFigures figures;
    private final List<String> failures;
    private ChildBroker broker;
    private String who;
    private Path work;

    SuiteSession(SuiteSettings settings, SuiteFigures figures, List<String> failures) {
        this.settings = settings;
        this.figures = figures;
        this.failures = failures;
    }

    void run(String brokerName, int round, Path sessionDir) throws InterruptedException {
        this.who = brokerName;
        this.work = sessionDir.getParent();
        try {
            broker = brokerName.equals(SuiteFigures.TRIBUTARY)
                    ? BrokerLaunch.tributary(sessionDir, settings.brokerJvm(), settings.tributaryProps())
                    : BrokerLaunch.apache(sessionDir, settings.brokerJvm(), settings.apacheProps());
        } catch (IOException e) {
            fail("round " + round + " start", e);
            return;
        }
        int failedBefore = failures.size();
        try {
            figures.add("cold start to first Metadata", "ms", true, who, broker.coldStartMs());
            log(
                    "round %d: %s answered Metadata %.0f ms after spawn (load %s)",
                    round, who, broker.coldStartMs(), ProcStats.loadAverage());
            createTopics();
            phases();
            figures.add("resident memory after load", "MiB", true, who, broker.residentMib());
        } catch (ExecutionException | RuntimeException e) {
            fail("round " + round, e);
        } finally {
            broker.stop(failures.size() > failedBefore);
        }
    }

    private void phases() throws InterruptedException {
        long n100 = settings.records100();
        long n1k = settings.records1k();
        phase("warm-up", () -> KafkaTools.produce(bs(), "warmup", Math.max(1, n100 / 4), 100, "1", work), null);
        if (settings.runs("produce")) {
            produce("produce 100 B acks=all, 8 partitions", "p100all", n100, 100, "all", "records/s");
            produce("produce 100 B acks=1, 8 partitions", "p100one", n100, 100, "1", "records/s");
            produce("produce 1 KiB acks=all, 8 partitions", "p1kall", n1k, 1024, "all", "MB/s");
        }
        if (settings.runs("consume")) {
            if (!settings.runs("produce")) {
                // The 8-partition consume topics are the produce phases' output; load them unmeasured.
                phase("load p100all", () -> KafkaTools.produce(bs(), "p100all", n100, 100, "all", work), null);
                phase("load p1kall", () -> KafkaTools.produce(bs(), "p1kall", n1k, 1024, "all", work), null);
            }
            phase("load c100", () -> KafkaTools.produce(bs(), "c100", n100, 100, "1", work), null);
            phase("load c1k", () -> KafkaTools.produce(bs(), "c1k", n1k, 1024, "1", work), null);
            consume("consume 100 B, 1 partition", "c100", n100, 100, "records/s");
            consume("consume 100 B, 8 partitions", "p100all", n100, 100, "records/s");
            consume("consume 1 KiB, 1 partition", "c1k", n1k, 1024, "MB/s");
            consume("consume 1 KiB, 8 partitions", "p1kall", n1k, 1024, "MB/s");
        }
        if (!settings.runs("latency")) {
            return;
        }
        phase(
                "end-to-end latency",
                () -> KafkaTools.endToEnd(bs(), "e2e", settings.latencyRecords(), 100, "all", work),
                (r, cpu) -> {
                    figures.add("end-to-end latency acks=all p50", "ms", true, who, r.get("p50 ms"));
                    figures.add("end-to-end latency acks=all p99", "ms", true, who, r.get("p99 ms"));
                });
    }

    private void produce(String name, String topic, long records, int size, String acks, String unit)
            throws InterruptedException {
        double mib = records * size / MIB;
        phase(name, () -> KafkaTools.produce(bs(), topic, records, size, acks, work), (r, cpu) -> {
            figures.add(name, unit, false, who, r.get(unit));
            figures.add("broker CPU per 100 MiB, " + name, "cpu s", true, who, cpu / mib * 100);
        });
    }

    private void consume(String name, String topic, long records, int size, String unit) throws InterruptedException {
        double mib = records * size / MIB;
        phase(name, () -> KafkaTools.consume(bs(), topic, records, settings.fetchMetrics(), work), (r, cpu) -> {
            figures.add(name, unit, false, who, r.get(unit));
            figures.add("broker CPU per 100 MiB, " + name, "cpu s", true, who, cpu / mib * 100);
        });
    }

    private interface Tool {
        Map<String, Double> run() throws IOException, InterruptedException;
    }

    private interface Sink {
        void accept(Map<String, Double> result, double brokerCpuSeconds);
    }

    private void phase(String name, Tool tool, Sink sink) throws InterruptedException {
        if (!broker.isAlive()) {
            failures.add(who + " " + name + ": broker process is gone; log " + broker.log());
            return;
        }
        double cpu0 = broker.cpuSeconds();
        long t0 = System.nanoTime();
        try {
            Map<String, Double> r = tool.run();
            double cpu = broker.cpuSeconds() - cpu0;
            log("  %-40s %s, broker cpu %.2f s, %.1f s wall", name, brief(r), cpu, (System.nanoTime() - t0) / 1e9);
            if (sink != null) {
                sink.accept(r, cpu);
            }
        } catch (IOException e) {
            fail(name, e);
        }
    }

    private static String brief(Map<String, Double> r) {
        StringBuilder s = new StringBuilder();
        List<String> keys = new java.util.ArrayList<>(List.of("records/s", "MB/s", "avg ms", "p50 ms", "p99 ms"));
        keys.addAll(KafkaTools.FETCH_METRICS);
        for (String key : keys) {
            if (r.containsKey(key)) {
                s.append(s.length() == 0 ? "" : ", ")
                        .append(Table.num(r.get(key)))
                        .append(' ')
                        .append(key);
            }
        }
        return s.toString();
    }

    private void createTopics() throws ExecutionException, InterruptedException {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bs());
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(
                            new NewTopic("warmup", 8, (short) 1),
                            new NewTopic("p100all", 8, (short) 1),
                            new NewTopic("p100one", 8, (short) 1),
                            new NewTopic("p1kall", 8, (short) 1),
                            new NewTopic("c100", 1, (short) 1),
                            new NewTopic("c1k", 1, (short) 1),
                            new NewTopic("e2e", 1, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("CreateTopics took over 60 s", e);
        }
    }

    private String bs() {
        return broker.bootstrapServers();
    }

    private void fail(String what, Exception e) {
        String message = who + " " + what + ": " + e.getMessage();
        failures.add(message);
        log("  FAILED %s", message);
    }

    private static void log(String format, Object... args) {
        System.out.printf(format + "%n", args);
        System.out.flush();
    }
}
