package io.tributary.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * One broker's turn in the suite: a fresh broker in its own JVM (cold start timed), then its
 * parts ({@link SuiteSettings#PARTS}): a warm-up and Apache's tools in the issue-16 shapes, each
 * phase charged the broker's CPU time read from /proc before and after, and the broker's
 * resident memory once they have run; rebalances ({@link SuiteGroups}); our clients against
 * Apache's ({@link SuiteClients}); and scale: the broker's memory per idle partition and per
 * idle group, then produce and consume again with those on the broker. A failed phase is
 * reported and leaves its figure without a sample; the session goes on. Main thread.
 */
final class SuiteSession {
    private static final double MIB = 1 << 20;

    private final SuiteSettings settings;
    private final SuiteFigures figures;
    private final List<String> failures;
    private final List<String> launcherCommand;
    private ChildBroker broker;
    private String who;
    private Path work;

    SuiteSession(SuiteSettings settings, SuiteFigures figures, List<String> failures, List<String> launcherCommand) {
        this.settings = settings;
        this.launcherCommand = launcherCommand;
        this.figures = figures;
        this.failures = failures;
    }

    void run(String brokerName, int round, Path sessionDir) throws InterruptedException {
        this.who = brokerName;
        this.work = sessionDir.getParent();
        // The cold start is a broker started as a user starts it, on a fresh directory, then stopped: the
        // turn's broker below logs its group coordinator with wall-clock times for the rebalance part, and
        // slf4j-simple's date format alone (its SimpleDateFormat initialises the JDK's CLDR calendar and
        // number data) cost our broker ~55 ms of CPU on the main thread before the listener.
        double coldStartMs;
        try {
            Path coldDir = sessionDir.resolveSibling(sessionDir.getFileName() + "-cold");
            ChildBroker cold = start(brokerName, coldDir, false);
            coldStartMs = cold.coldStartMs();
            cold.stop(false);
            broker = start(brokerName, sessionDir, true);
        } catch (IOException e) {
            fail("round " + round + " start", e);
            return;
        }
        int failedBefore = failures.size();
        try {
            figures.add("cold start to first Metadata", "ms", true, who, coldStartMs);
            log(
                    "round %d: %s answered Metadata %.0f ms after spawn (load %s); with the suite's group log %.0f ms",
                    round, who, coldStartMs, ProcStats.loadAverage(), broker.coldStartMs());
            if (settings.runs("tools")) {
                createTopics();
                phases();
                figures.add("resident memory after load", "MiB", true, who, broker.residentMib());
            }
            if (settings.runs("rebalance")) {
                new SuiteGroups(settings, figures).run(this, broker, who);
            }
            if (settings.runs("clients")) {
                new SuiteClients(settings, figures).run(this, broker, who, round);
            }
            if (settings.runs("scale")) {
                scale();
            }
        } catch (ExecutionException | RuntimeException e) {
            fail("round " + round, e);
        } finally {
            broker.stop(failures.size() > failedBefore);
        }
    }

    private ChildBroker start(String brokerName, Path dataDir, boolean groupLog)
            throws IOException, InterruptedException {
        return brokerName.equals(SuiteFigures.TRIBUTARY)
                ? BrokerLaunch.tributary(dataDir, launcherCommand, settings.tributaryProps(), groupLog)
                : BrokerLaunch.apache(dataDir, settings.apacheJvm(), settings.apacheProps(), groupLog);
    }

    private void phases() throws InterruptedException {
        long n100 = settings.records100();
        long n1k = settings.records1k();
        // Unreported warm-up of every path the figures take (acks=1 and acks=all, both sizes, a fetch): the JIT's
        // compilations are the broker's CPU too, and on the first pass over a path they can cost more than the
        // work (C2 threads took 0.8 s of 1.8 s of our broker's CPU for 200k x 1 KiB acks=all after a 100 B acks=1
        // warm-up): measured, they made "CPU per MB" a warm-up figure. Both brokers get the same, as many records as
        // the measured phases. With a quarter: a 100 B produce packs ~1,000 records into one request (8 partitions'
        // batches), so a quarter run was tens of requests and our per-request code (decode, ProduceHandler, response
        // encoding) stayed below C1's 200-call threshold until the measured run compiled it; and Apache's C2 had not
        // finished its produce path (the same process produced 100 B acks=all 1.4x faster at 0.4x the CPU per MB in
        // the scale part minutes later). bench.md "Produce path, warm Apache".
        long w100 = n100;
        long w1k = n1k;
        phase("warm-up", () -> KafkaTools.produce(bs(), "warmup", w100, 100, "1", work), null);
        phase("warm-up acks=all", () -> KafkaTools.produce(bs(), "warmup", w100, 100, "all", work), null);
        phase("warm-up 1 KiB acks=all", () -> KafkaTools.produce(bs(), "warmup", w1k, 1024, "all", work), null);
        phase("warm-up consume", () -> KafkaTools.consume(bs(), "warmup", 2 * w100 + w1k, false, work), null);
        if (settings.runsPhase("produce")) {
            produce("produce 100 B acks=all, 8 partitions", "p100all", n100, 100, "all", "records/s");
            produce("produce 100 B acks=1, 8 partitions", "p100one", n100, 100, "1", "records/s");
            produce("produce 1 KiB acks=all, 8 partitions", "p1kall", n1k, 1024, "all", "MB/s");
        }
        if (settings.runsPhase("consume")) {
            if (!settings.runsPhase("produce")) {
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
        if (!settings.runsPhase("latency")) {
            return;
        }
        phase(
                "end-to-end latency",
                () -> KafkaTools.endToEnd(bs(), "e2e", settings.latencyRecords(), 100, "all", work),
                (r, cpu) -> {
                    figures.add("end-to-end latency acks=all p50", "ms", true, who, r.get("p50 ms"));
                    figures.add("end-to-end latency acks=all p99", "ms", true, who, r.get("p99 ms"));
                });
        // The same loop timed in microseconds (the tool truncates each trip to whole milliseconds).
        phase(
                "end-to-end latency, µs probe",
                () -> KafkaTools.probe(bs(), "e2e", settings.latencyRecords(), 100, 500, work),
                (r, cpu) -> {
                    figures.add("end-to-end latency acks=all p50, µs probe", "µs", true, who, r.get("p50_us"));
                    figures.add("end-to-end latency acks=all p99, µs probe", "µs", true, who, r.get("p99_us"));
                });
    }

    /**
     * Live heap (after a full collection) and resident memory before and after
     * {@code --scale-partitions} idle partitions (one topic), then before and after
     * {@code --scale-groups} idle groups (each one committed offset, no members: what a stopped
     * application leaves), divided by the count; then the 100 B, 8-partition produce and consume
     * again with all of them on the broker.
     */
    private void scale() throws InterruptedException {
        int partitions = settings.scalePartitions();
        int groups = settings.scaleGroups();
        boolean ready = step("scale: idle partitions and groups", () -> {
            double[] before = memory();
            try (Admin admin = admin()) {
                admin.createTopics(List.of(new NewTopic("scale-idle", partitions, (short) 1)))
                        .all()
                        .get(120, TimeUnit.SECONDS);
                awaitLeaders(admin, "scale-idle", partitions);
                double[] withPartitions = memory();
                List<KafkaFuture<Void>> commits = new java.util.ArrayList<>();
                for (int g = 0; g < groups; g++) {
                    TopicPartition tp = new TopicPartition("scale-idle", g % partitions);
                    commits.add(
                            admin.alterConsumerGroupOffsets("scale-group-" + g, Map.of(tp, new OffsetAndMetadata(0)))
                                    .all());
                }
                KafkaFuture.allOf(commits.toArray(new KafkaFuture<?>[0])).get(300, TimeUnit.SECONDS);
                double[] withGroups = memory();
                String p = "memory per idle partition";
                String g = "memory per idle group";
                figures.add(p + ", live heap", "KiB", true, who, (withPartitions[0] - before[0]) / partitions);
                figures.add(p + ", resident", "KiB", true, who, (withPartitions[1] - before[1]) / partitions);
                figures.add(g + ", live heap", "KiB", true, who, (withGroups[0] - withPartitions[0]) / groups);
                figures.add(g + ", resident", "KiB", true, who, (withGroups[1] - withPartitions[1]) / groups);
                log(
                        "  %-40s live heap %s -> %s -> %s KiB, resident %s -> %s -> %s KiB",
                        "scale: " + partitions + " partitions, " + groups + " groups",
                        Table.num(before[0]),
                        Table.num(withPartitions[0]),
                        Table.num(withGroups[0]),
                        Table.num(before[1]),
                        Table.num(withPartitions[1]),
                        Table.num(withGroups[1]));
                admin.createTopics(List.of(
                                new NewTopic("scale-p100", 8, (short) 1), new NewTopic("scale-warmup", 8, (short) 1)))
                        .all()
                        .get(60, TimeUnit.SECONDS);
            }
        });
        if (ready) {
            String at = SuiteGoals.SCALE;
            long n = settings.records100();
            if (!settings.runs("tools")) {
                // Run alone (--parts scale), the broker has not yet taken the paths the figures take: warm them up
                // unmeasured as the tools part does, so these rows compare warm brokers as in a full suite.
                long w = Math.max(1, n / 4);
                phase(
                        "scale: warm-up acks=all",
                        () -> KafkaTools.produce(bs(), "scale-warmup", n, 100, "all", work),
                        null);
                phase("scale: warm-up consume", () -> KafkaTools.consume(bs(), "scale-warmup", w, false, work), null);
            }
            produce(at + "produce 100 B acks=all, 8 partitions", "scale-p100", n, 100, "all", "records/s");
            consume(at + "consume 100 B, 8 partitions", "scale-p100", n, 100, "records/s");
        }
    }

    /** {live heap KiB, resident KiB}, both right after the full collection the heap count makes. */
    private double[] memory() throws InterruptedException {
        double live = ProcStats.liveHeapKib(broker.pid());
        return new double[] {live, settledResidentKib()};
    }

    /**
     * Resident memory once it stops moving (two reads 250 ms apart within 256 KiB, at most 5 s): G1 gives the
     * regions a full collection freed back to the OS from a concurrent thread after the collection, so a read right
     * after it counted heap the broker had already let go (a heap that grew during the partitions' creation made
     * "resident per idle partition" twice the live heap's, and the groups' step then showed resident falling).
     */
    private double settledResidentKib() {
        double last = broker.residentMib() * 1024;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            // a benchmark observer sampling the process's state; nothing to wait on instead
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
            double now = broker.residentMib() * 1024;
            if (Math.abs(now - last) < 256) {
                return now;
            }
            last = now;
        }
        return last;
    }

    private static void awaitLeaders(Admin admin, String topic, int partitions) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            TopicDescription d =
                    admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            if (d.partitions().size() == partitions && d.partitions().stream().allMatch(p -> p.leader() != null)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(topic + " has no leader for all " + partitions + " partitions");
            }
            // a benchmark observer polling the broker's state; nothing to wait on instead
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
    }

    private Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bs());
        return Admin.create(p);
    }

    /** A step that is not one of Apache's tools. */
    interface Step {
        void run() throws Exception;
    }

    /** Runs {@code step} unless the broker is gone; a failure is recorded. True when it succeeded. */
    boolean step(String name, Step step) throws InterruptedException {
        if (!broker.isAlive()) {
            failures.add(who + " " + name + ": broker process is gone; log " + broker.log());
            return false;
        }
        try {
            step.run();
            return true;
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            fail(name, e);
            return false;
        }
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
        List<String> keys = new java.util.ArrayList<>(
                List.of("records/s", "MB/s", "avg ms", "p50 ms", "p99 ms", "avg_us", "p50_us", "p90_us", "p99_us"));
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
        try (Admin admin = admin()) {
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
        String message = who + " " + what + ": " + (e.getMessage() == null ? e.toString() : e.getMessage());
        failures.add(message);
        log("  FAILED %s", message);
    }

    static void log(String format, Object... args) {
        System.out.printf(format + "%n", args);
        System.out.flush();
    }
}
