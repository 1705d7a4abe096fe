package io.tributary.bench;

import io.tributary.client.producer.TributaryProducer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Our producer against Apache's KafkaProducer (issue 12): the same records (unkeyed, Kafka's
 * producer defaults: idempotent, linger.ms 5, batch.size 16384) through each broker, for every
 * record size and acks setting asked for; timed from the first send to the end of flush, with
 * every acknowledgement counted. Prints records/s per client and the ratio ours/Apache. Runs on
 * the main thread.
 *
 * <p>Each case warms both clients once, then runs {@code --rounds} rounds, the order of the two
 * clients alternating (ours first, then Apache's first, ...), and reports medians. A fixed order
 * favoured whichever client ran second: a broker still compiling its produce path (Apache's in
 * this JVM, at load 5-7) got faster by the run, and ours always ran first (issue 16: the 0.70x on
 * Apache's broker with acks=1). Beside records/s it reports each client's CPU per MiB sent (the
 * sending thread plus the producer's network thread), which the shared machine's load disturbs
 * less than the wall clock.
 */
final class ProducerBench {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final double MIB = 1024.0 * 1024.0;

    private final long records;
    private final int partitions;
    private final int rounds;
    private final List<Integer> sizes = new ArrayList<>();
    private final List<String> acks = new ArrayList<>();

    ProducerBench(Args args) {
        this.records = args.longValue("records", 500_000);
        this.partitions = args.intValue("partitions", 3);
        this.rounds = Math.max(1, args.intValue("rounds", 3));
        for (String s : args.string("record-sizes", "100,1024").split(",")) {
            sizes.add(Integer.parseInt(s.trim()));
        }
        for (String a : args.string("acks", "1,all").split(",")) {
            acks.add(a.trim());
        }
    }

    /** One producer library behind the calls a benchmark makes; {@link Load} writes data sets through it too. */
    interface Client extends AutoCloseable {
        void send(String topic, byte[] value, AtomicLong acked, AtomicReference<Exception> error);

        /** Fetches the topic's metadata, so a timed run does not include it. */
        void partitionsFor(String topic);

        /**
         * Sends {@code value} to every partition of the topic and waits for the acknowledgements:
         * right after CreateTopics Apache's broker may still answer NOT_LEADER_OR_FOLLOWER for a
         * partition, which a timed run should not pay for (KafkaProducer then went on to retry
         * OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout in one bench run).
         */
        void warmEachPartition(String topic, byte[] value);

        void flush();

        @Override
        void close();
    }

    /** One timed run and the client's CPU for it (sending thread plus producer network thread). */
    record Run(Measurement m, long cpuNs) {
        double cpuMsPerMib() {
            return m.problem() != null || m.bytes() == 0 ? Double.NaN : cpuNs / 1e6 / (m.bytes() / MIB);
        }
    }

    void run(Args args) throws Exception {
        System.out.printf(
                "producer: %,d records per case, sizes %s, acks %s, %d partitions, %d rounds (order alternating)%n",
                records, sizes, acks, partitions, rounds);
        Table table = new Table(
                "broker",
                "size",
                "acks",
                "tributary rec/s",
                "apache rec/s",
                "ratio",
                "tributary cpu ms/MiB",
                "apache cpu ms/MiB",
                "cpu ratio",
                "note");
        try (Brokers brokers = Brokers.start(args, Map.of())) {
            int n = 0;
            for (BrokerUnderTest broker : brokers.all()) {
                for (int size : sizes) {
                    DataSet data = new DataSet(42, size);
                    for (String ack : acks) {
                        List<Run> ours = new ArrayList<>();
                        List<Run> theirs = new ArrayList<>();
                        // Round -1 warms both clients' code paths (and the broker's); not counted.
                        for (int round = -1; round < rounds; round++) {
                            long count = round < 0 ? Math.min(records, 50_000) : records;
                            boolean oursFirst = round < 0 || round % 2 == 0;
                            for (int turn = 0; turn < 2; turn++) {
                                boolean tributary = (turn == 0) == oursFirst;
                                String topic = "p-" + (tributary ? "ours" : "apache") + "-" + n + "-" + (round + 1);
                                Load.createTopic(broker, topic, partitions);
                                Map<String, Object> config = config(broker, ack);
                                if (round >= 0) {
                                    JitSettle.await();
                                }
                                Run r = measure(
                                        broker,
                                        tributary ? "tributary" : "apache",
                                        tributary ? tributary(config) : apache(config),
                                        topic,
                                        data,
                                        count);
                                if (round >= 0) {
                                    (tributary ? ours : theirs).add(r);
                                    System.out.printf(
                                            "  %s %d B acks=%s round %d %s: %s rec/s, %.1f cpu ms/MiB%n",
                                            broker.name(),
                                            size,
                                            ack,
                                            round + 1,
                                            r.m().client(),
                                            Table.num(r.m().recordsPerSec()),
                                            r.cpuMsPerMib());
                                }
                            }
                        }
                        n++;
                        Run a = medianRun(ours);
                        Run b = medianRun(theirs);
                        String note = (a.m().problem() == null ? "" : "ours: " + a.m().problem())
                                + (b.m().problem() == null ? "" : " apache: " + b.m().problem());
                        double cpuA = medianCpu(ours);
                        double cpuB = medianCpu(theirs);
                        table.row(
                                broker.name(),
                                size,
                                ack,
                                Table.num(a.m().recordsPerSec()),
                                Table.num(b.m().recordsPerSec()),
                                Table.ratio(a.m().recordsPerSec(), b.m().recordsPerSec()),
                                String.format("%.1f", cpuA),
                                String.format("%.1f", cpuB),
                                // lower is better: Apache's CPU over ours, so above 1 means ours is cheaper
                                Table.ratio(cpuB, cpuA),
                                note.trim());
                    }
                }
            }
        }
        System.out.println();
        System.out.print(table.render());
    }

    private static Run medianRun(List<Run> runs) {
        Measurement m = Measurement.median(runs.stream().map(Run::m).toList());
        return runs.stream().filter(r -> r.m() == m).findFirst().orElseThrow();
    }

    private static double medianCpu(List<Run> runs) {
        double[] v = runs.stream()
                .mapToDouble(Run::cpuMsPerMib)
                .filter(d -> !Double.isNaN(d))
                .sorted()
                .toArray();
        return v.length == 0 ? Double.NaN : v[(v.length - 1) / 2];
    }

    static Map<String, Object> config(BrokerUnderTest broker, String ack) {
        Map<String, Object> c = new LinkedHashMap<>(Load.producerDefaults("none"));
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        c.put(ProducerConfig.ACKS_CONFIG, ack);
        // Kafka turns idempotence off only by default; acks=1 with it explicitly on is a config error.
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, String.valueOf(ack.equals("all") || ack.equals("-1")));
        return c;
    }

    static Client tributary(Map<String, Object> config) {
        TributaryProducer<byte[], byte[]> p = new TributaryProducer<>(
                config,
                new io.tributary.client.serialization.ByteArraySerializer(),
                new io.tributary.client.serialization.ByteArraySerializer());
        return new Client() {
            @Override
            public void send(String topic, byte[] value, AtomicLong acked, AtomicReference<Exception> error) {
                p.send(new io.tributary.client.producer.ProducerRecord<>(topic, value), (md, e) -> {
                    if (e != null) {
                        error.compareAndSet(null, e);
                    } else {
                        acked.incrementAndGet();
                    }
                });
            }

            @Override
            public void partitionsFor(String topic) {
                p.partitionsFor(topic);
            }

            @Override
            public void warmEachPartition(String topic, byte[] value) {
                for (var info : p.partitionsFor(topic)) {
                    p.send(new io.tributary.client.producer.ProducerRecord<>(topic, info.partition(), null, value));
                }
                p.flush();
            }

            @Override
            public void flush() {
                p.flush();
            }

            @Override
            public void close() {
                p.close();
            }
        };
    }

    static Client apache(Map<String, Object> config) {
        KafkaProducer<byte[], byte[]> p =
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        return new Client() {
            @Override
            public void send(String topic, byte[] value, AtomicLong acked, AtomicReference<Exception> error) {
                p.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, value), (md, e) -> {
                    if (e != null) {
                        error.compareAndSet(null, e);
                    } else {
                        acked.incrementAndGet();
                    }
                });
            }

            @Override
            public void partitionsFor(String topic) {
                p.partitionsFor(topic);
            }

            @Override
            public void warmEachPartition(String topic, byte[] value) {
                for (var info : p.partitionsFor(topic)) {
                    p.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                            topic, info.partition(), null, value));
                }
                p.flush();
            }

            @Override
            public void flush() {
                p.flush();
            }

            @Override
            public void close() {
                p.close();
            }
        };
    }

    /** Sends {@code count} values through {@code producer} (closed afterwards), first send to end of flush. */
    static Run measure(BrokerUnderTest broker, String client, Client producer, String topic, DataSet data, long count) {
        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> error = new AtomicReference<>();
        System.gc();
        try (producer) {
            // Metadata fetched and every partition's leader answering before the clock starts.
            producer.warmEachPartition(topic, data.value(0));
            Map<Long, Long> networkCpu = networkThreadCpu();
            long cpu = THREADS.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            for (long i = 0; i < count; i++) {
                producer.send(topic, data.value(i), acked, error);
            }
            producer.flush();
            long elapsed = System.nanoTime() - start;
            cpu = THREADS.getCurrentThreadCpuTime() - cpu;
            for (Map.Entry<Long, Long> e : networkThreadCpu().entrySet()) {
                cpu += e.getValue() - networkCpu.getOrDefault(e.getKey(), 0L);
            }
            String problem = error.get() != null
                    ? "send failed: " + error.get()
                    : acked.get() != count ? "acknowledged " + acked.get() + " of " + count : null;
            return new Run(
                    new Measurement(
                            broker.name(), client, "produce", 0, count, count * data.recordSize(), elapsed, problem),
                    cpu);
        } catch (RuntimeException e) {
            return new Run(new Measurement(broker.name(), client, "produce", 0, count, 0, 1, "failed: " + e), 0);
        }
    }

    /** CPU time by thread id of the live producer I/O threads (ours and Apache's are both named so). */
    private static Map<Long, Long> networkThreadCpu() {
        Map<Long, Long> out = new HashMap<>();
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null && t.getThreadName().contains("producer-network-thread")) {
                long ns = THREADS.getThreadCpuTime(t.getThreadId());
                if (ns >= 0) {
                    out.put(t.getThreadId(), ns);
                }
            }
        }
        return out;
    }
}
