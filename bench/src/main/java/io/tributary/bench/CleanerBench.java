package io.tributary.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Log cleaner throughput (issue 10): MB of log cleaned per second, and what cleaning costs a producer writing to
 * another topic meanwhile, on each broker in turn.
 *
 * <p>Per broker: a one-partition topic with {@code cleanup.policy=delete} is loaded with {@code --records} keyed
 * records over {@code --keys} keys (untimed); a producer then writes {@code --record-size} records to a second topic for
 * {@code --baseline-ms} before and again after the cleaning (the idle figure: the faster of the two, as the first
 * may still be warming up); the loaded topic's active segment is rolled (segment.ms, one more write) and
 * its policy switched to {@code compact} with IncrementalAlterConfigs. From that switch the same producer runs again
 * until DescribeLogDirs shows the loaded partition at most {@code keys x (record size + 200 B)}: every record but the
 * latest per key is gone. Cleaned MB/s = log size before / that time (so it includes the cleaner's detection delay,
 * {@code log.cleaner.backoff.ms}=100, and is exact to within the last inactive segment). Produce cost = 1 - produce
 * records/s while cleaning / idle records/s.
 *
 * <p>Runs on the main thread; the producer loop runs on its own thread while the main thread polls the log size.
 */
final class CleanerBench {
    private static final String LOG_TOPIC = "cleaner-log";
    private static final String LOAD_TOPIC = "cleaner-load";
    private static final double MIB = 1024.0 * 1024.0;

    private final long records;
    private final int keys;
    private final DataSet data;
    private final long baselineMs;
    private final String segmentBytes;
    private final Map<String, Object> producerSettings;

    CleanerBench(Args args) {
        this.records = args.longValue("records", 1_000_000);
        this.keys = args.intValue("keys", 10_000);
        this.data = new DataSet(args.longValue("seed", 42), args.intValue("record-size", 100));
        this.baselineMs = args.longValue("baseline-ms", 5_000);
        this.segmentBytes = String.valueOf(args.longValue("segment-bytes", 8L * 1024 * 1024));
        this.producerSettings = Load.producerDefaults("none");
        producerSettings.putAll(args.properties("producer-prop"));
    }

    private record Result(
            String broker, long logBytes, long keptBytes, long cleanMs, Measurement idle, Measurement busy) {}

    void run(Args args) throws Exception {
        System.out.printf(
                "cleaner: %,d records x %d B over %,d keys, segment.bytes=%s, baseline %d ms%n",
                records, data.recordSize(), keys, segmentBytes, baselineMs);
        System.out.println("producer: " + producerSettings);
        List<Result> results = new ArrayList<>();
        try (Brokers brokers = Brokers.start(args, Map.of("log.cleaner.backoff.ms", "100"))) {
            for (BrokerUnderTest broker : ThroughputBench.servingProduceAndFetch(brokers)) {
                results.add(measure(broker));
            }
        }
        Table table = new Table(
                "broker",
                "log MB",
                "kept MB",
                "clean ms",
                "cleaned MB/s",
                "produce idle rec/s",
                "produce cleaning rec/s",
                "produce cost");
        for (Result r : results) {
            table.row(
                    r.broker(),
                    Table.num(r.logBytes() / MIB),
                    Table.num(r.keptBytes() / MIB),
                    r.cleanMs(),
                    Table.num(r.logBytes() / MIB / (r.cleanMs() / 1000.0)),
                    Table.num(r.idle().recordsPerSec()) + problem(r.idle()),
                    Table.num(r.busy().recordsPerSec()) + problem(r.busy()),
                    String.format(
                            "%.0f%%",
                            100 * (1 - r.busy().recordsPerSec() / r.idle().recordsPerSec())));
        }
        System.out.println();
        System.out.println("MB = 2^20 bytes of log (DescribeLogDirs); cleaned MB/s = log MB / clean ms");
        System.out.print(table.leftAligned(1).render());
        if (results.size() == 2) {
            Result t = results.get(0).broker().equals("tributary") ? results.get(0) : results.get(1);
            Result a = t == results.get(0) ? results.get(1) : results.get(0);
            System.out.printf(
                    "ratio tributary/apache: cleaned MB/s %s, produce while cleaning %s%n",
                    Table.ratio(t.logBytes() / (double) t.cleanMs(), a.logBytes() / (double) a.cleanMs()),
                    Table.ratio(t.busy().recordsPerSec(), a.busy().recordsPerSec()));
        }
    }

    private Result measure(BrokerUnderTest broker) throws Exception {
        TopicPartition tp = new TopicPartition(LOG_TOPIC, 0);
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(
                            new NewTopic(LOG_TOPIC, 1, (short) 1)
                                    .configs(Map.of("cleanup.policy", "delete", "segment.bytes", segmentBytes)),
                            new NewTopic(LOAD_TOPIC, 3, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
            int node = admin.describeCluster()
                    .nodes()
                    .get(60, TimeUnit.SECONDS)
                    .iterator()
                    .next()
                    .id();
            loadKeyed(broker);
            Measurement idleBefore = produceUntil(broker, "idle", System.nanoTime() + baselineMs * 1_000_000, null);

            // The active segment is never cleaned: roll it with segment.ms and one more write.
            alter(admin, Map.of("segment.ms", "1000"));
            Thread.sleep(1_100);
            loadRange(broker, records, records + 1);
            long logBytes = size(admin, node, tp);
            long doneBytes = (long) keys * (data.recordSize() + 200);

            alter(admin, Map.of("cleanup.policy", "compact", "min.cleanable.dirty.ratio", "0.01"));
            long startNs = System.nanoTime();
            AtomicBoolean cleaned = new AtomicBoolean();
            AtomicReference<Measurement> busy = new AtomicReference<>();
            Thread producer = new Thread(
                    () -> busy.set(produceUntil(broker, "cleaning", Long.MAX_VALUE, cleaned)), "bench-cleaner-load");
            producer.start();
            long deadlineNs = startNs + TimeUnit.MINUTES.toNanos(10);
            long kept = size(admin, node, tp);
            while (kept > doneBytes && System.nanoTime() < deadlineNs) {
                Thread.sleep(20);
                kept = size(admin, node, tp);
            }
            long cleanMs = (System.nanoTime() - startNs) / 1_000_000;
            cleaned.set(true);
            producer.join();
            if (kept > doneBytes) {
                throw new IllegalStateException(broker.name() + ": log still " + kept + " bytes after 10 minutes");
            }
            Measurement idleAfter = produceUntil(broker, "idle", System.nanoTime() + baselineMs * 1_000_000, null);
            System.out.printf(
                    "%-9s cleaned %,d bytes to %,d in %,d ms; produce idle before %s, after %s records/s%n",
                    broker.name(),
                    logBytes,
                    kept,
                    cleanMs,
                    Table.num(idleBefore.recordsPerSec()),
                    Table.num(idleAfter.recordsPerSec()));
            Measurement idle = idleBefore.recordsPerSec() >= idleAfter.recordsPerSec() ? idleBefore : idleAfter;
            return new Result(broker.name(), logBytes, kept, cleanMs, idle, busy.get());
        }
    }

    private void loadKeyed(BrokerUnderTest broker) {
        long startNs = System.nanoTime();
        loadRange(broker, 0, records);
        System.out.printf(
                "%-9s loaded %,d keyed records in %,d ms%n",
                broker.name(), records, (System.nanoTime() - startNs) / 1_000_000);
    }

    private void loadRange(BrokerUnderTest broker, long from, long to) {
        try (KafkaProducer<byte[], byte[]> producer = producer(broker)) {
            AtomicReference<Exception> error = new AtomicReference<>();
            for (long i = from; i < to; i++) {
                byte[] key = ("key-" + (i % keys)).getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(LOG_TOPIC, 0, key, data.value(i)), (md, e) -> {
                    if (e != null) {
                        error.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
            if (error.get() != null) {
                throw new IllegalStateException(broker.name() + ": loading failed", error.get());
            }
        }
    }

    /** Unkeyed records to the load topic until the deadline or the flag; timed from first send to flush. */
    private Measurement produceUntil(BrokerUnderTest broker, String phase, long deadlineNs, AtomicBoolean stop) {
        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> error = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = producer(broker)) {
            producer.partitionsFor(LOAD_TOPIC);
            long startNs = System.nanoTime();
            long sent = 0;
            while (System.nanoTime() < deadlineNs && (stop == null || !stop.get())) {
                producer.send(new ProducerRecord<>(LOAD_TOPIC, null, data.value(sent++)), (md, e) -> {
                    if (e != null) {
                        error.compareAndSet(null, e);
                    } else {
                        acked.incrementAndGet();
                    }
                });
            }
            producer.flush();
            long elapsedNs = System.nanoTime() - startNs;
            String problem = error.get() != null ? "send failed: " + error.get() : null;
            return new Measurement(
                    broker.name(),
                    "apache",
                    phase,
                    0,
                    acked.get(),
                    acked.get() * data.recordSize(),
                    elapsedNs,
                    problem);
        }
    }

    private KafkaProducer<byte[], byte[]> producer(BrokerUnderTest broker) {
        Map<String, Object> config = new LinkedHashMap<>(producerSettings);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void alter(Admin admin, Map<String, String> settings) throws Exception {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, LOG_TOPIC);
        List<AlterConfigOp> ops = settings.entrySet().stream()
                .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
                .toList();
        admin.incrementalAlterConfigs(Map.of(topic, ops)).all().get(60, TimeUnit.SECONDS);
    }

    private static long size(Admin admin, int node, TopicPartition tp) throws Exception {
        return admin
                .describeLogDirs(List.of(node))
                .allDescriptions()
                .get(60, TimeUnit.SECONDS)
                .get(node)
                .values()
                .stream()
                .map(d -> d.replicaInfos().get(tp))
                .filter(r -> r != null)
                .mapToLong(r -> r.size())
                .sum();
    }

    private static String problem(Measurement m) {
        return m.problem() == null ? "" : " [" + m.problem() + "]";
    }
}
