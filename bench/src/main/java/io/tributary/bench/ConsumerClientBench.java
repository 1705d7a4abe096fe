package io.tributary.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Our consumer against Apache's KafkaConsumer: both read the same records from the same broker
 * (each broker in turn), printed as records/s and MB/s and the ratio ours/Apache per broker.
 * The data is loaded once per broker with Apache's producer; only reading is timed.
 *
 * <p>Runs on the main thread.
 */
final class ConsumerClientBench {
    private final long records;
    private final long warmup;
    private final int partitions;
    private final int rounds;
    private final DataSet data;
    private final Map<String, Object> producerSettings;
    private final Map<String, Object> consumerSettings = new LinkedHashMap<>();
    private final List<String> clientNames;
    private final long pollMs;

    ConsumerClientBench(Args args) {
        this.records = args.longValue("records", 1_000_000);
        this.warmup = args.longValue("warmup", Math.min(records, 200_000));
        this.partitions = args.intValue("partitions", 3);
        this.rounds = args.intValue("rounds", 1);
        this.data = new DataSet(args.longValue("seed", 42), args.intValue("record-size", 100));
        this.producerSettings = Load.producerDefaults(args.string("compression", "none"));
        producerSettings.putAll(args.properties("producer-prop"));
        consumerSettings.putAll(ThroughputBench.consumerDefaults());
        consumerSettings.putAll(args.properties("consumer-prop"));
        this.clientNames = args.list("clients", "tributary,apache");
        this.pollMs = args.longValue("poll-ms", 100);
    }

    /** The consumer implementations to compare, in {@code --clients} order. */
    private List<ConsumerClient> clients() {
        List<ConsumerClient> clients = new ArrayList<>();
        for (String name : clientNames) {
            switch (name) {
                case "apache" -> clients.add(new ApacheConsumerClient(pollMs));
                case "tributary" -> clients.add(new TributaryConsumerClient(pollMs));
                default -> throw new IllegalArgumentException("unknown client " + name + " (tributary|apache)");
            }
        }
        return clients;
    }

    void run(Args args) throws Exception {
        System.out.printf(
                "consumer clients: %,d records x %d B (+%,d warm-up), %d partitions, rounds=%d%n",
                records, data.recordSize(), warmup, partitions, rounds);
        System.out.println("consumer settings (both clients): " + consumerSettings + ", poll(" + pollMs + " ms)");
        List<ConsumerClient> clients = clients();
        try (Brokers brokers = Brokers.start(args, Map.of())) {
            List<BrokerUnderTest> usable = ThroughputBench.servingProduceAndFetch(brokers);
            if (usable.isEmpty() || clients.isEmpty()) {
                System.out.println("nothing to measure");
                return;
            }
            for (BrokerUnderTest broker : usable) {
                Load.createTopic(broker, "clients-warmup", partitions);
                Load.createTopic(broker, "clients-data", partitions);
                // The consumers are measured, so the data is loaded with our producer (issue 12 item 5).
                Measurement w = Load.produceWithOurs(broker, "clients-warmup", warmup, data, producerSettings);
                Measurement p = Load.produceWithOurs(broker, "clients-data", records, data, producerSettings);
                System.out.printf(
                        "loaded %-9s %,d records at %s records/s%s%n",
                        broker.name(), records, Table.num(p.recordsPerSec()), ThroughputBench.problems(w, p));
            }
            for (BrokerUnderTest broker : usable) {
                for (ConsumerClient client : clients) {
                    Measurement c =
                            Load.consume(broker, client, "clients-warmup", partitions, warmup, consumerSettings, -1);
                    System.out.printf(
                            "warm-up %-9s %-9s consume %s records/s%s%n",
                            broker.name(), client.name(), Table.num(c.recordsPerSec()), ThroughputBench.problems(c));
                }
            }
            List<Measurement> all = new ArrayList<>();
            Map<String, List<double[]>> cpu = new LinkedHashMap<>();
            for (int r = 0; r < rounds; r++) {
                List<ConsumerClient> order = new ArrayList<>(clients);
                if (r % 2 == 1) {
                    Collections.reverse(order);
                }
                for (BrokerUnderTest broker : usable) {
                    for (ConsumerClient client : order) {
                        String key = broker.name() + " " + client.name();
                        JitSettle.await();
                        all.add(Load.consume(
                                broker,
                                client,
                                "clients-data",
                                partitions,
                                records,
                                consumerSettings,
                                r,
                                c -> cpu.computeIfAbsent(key, k -> new ArrayList<>())
                                        .add(c)));
                    }
                }
            }
            if (rounds > 1) {
                Table perRound =
                        new Table("broker", "client", "round", "records/s", "MB/s", "ms", "note").leftAligned(2);
                for (Measurement m : all) {
                    perRound.row(
                            m.broker(),
                            m.client(),
                            m.round(),
                            Table.num(m.recordsPerSec()),
                            Table.num(m.mibPerSec()),
                            m.elapsedMs(),
                            m.problem() == null ? "" : m.problem());
                }
                System.out.println();
                System.out.print(perRound.render());
            }
            Table table = new Table("broker", "client", "records/s", "MB/s", "ms", "note").leftAligned(2);
            List<String> ratios = new ArrayList<>();
            for (BrokerUnderTest broker : usable) {
                Map<String, Measurement> byClient = new LinkedHashMap<>();
                for (ConsumerClient client : clients) {
                    Measurement m = Measurement.median(all.stream()
                            .filter(x -> x.broker().equals(broker.name())
                                    && x.client().equals(client.name()))
                            .toList());
                    byClient.put(client.name(), m);
                    table.row(
                            broker.name(),
                            client.name(),
                            Table.num(m.recordsPerSec()),
                            Table.num(m.mibPerSec()),
                            m.elapsedMs(),
                            m.problem() == null ? "" : m.problem());
                }
                Measurement ours = byClient.get("tributary");
                Measurement theirs = byClient.get("apache");
                if (ours != null && theirs != null) {
                    ratios.add(String.format(
                            "on %s: %s records/s, %s MB/s",
                            broker.name(),
                            Table.ratio(ours.recordsPerSec(), theirs.recordsPerSec()),
                            Table.ratio(ours.mibPerSec(), theirs.mibPerSec())));
                }
            }
            System.out.println();
            System.out.println("MB = 2^20 bytes of record values; "
                    + (rounds > 1 ? "median of " + rounds + " rounds" : "1 round"));
            System.out.print(table.render());
            printCpu(cpu);
            System.out.println(
                    ratios.isEmpty()
                            ? "ratio tributary consumer/apache consumer: n/a (one client measured)"
                            : "ratio tributary consumer/apache consumer " + String.join("; ", ratios));
        }
    }

    /** Median CPU ns per record of each client's threads (each column's own median), per broker. */
    private static void printCpu(Map<String, List<double[]>> cpu) {
        if (cpu.isEmpty()) {
            return;
        }
        Table t = new Table(
                        "broker client", "app ns/rec", "network ns/rec", "of which kernel", "gc ns/rec", "app+network")
                .leftAligned(1);
        for (Map.Entry<String, List<double[]>> e : cpu.entrySet()) {
            double app = median(e.getValue(), 0);
            double net = median(e.getValue(), 1);
            t.row(
                    e.getKey(),
                    String.format("%.0f", app),
                    String.format("%.0f", net),
                    String.format("%.0f", median(e.getValue(), 3)),
                    String.format("%.0f", median(e.getValue(), 2)),
                    String.format(
                            "%.0f",
                            median(
                                    e.getValue().stream()
                                            .map(c -> new double[] {c[0] + c[1]})
                                            .toList(),
                                    0)));
        }
        System.out.println("client CPU per record (thread CPU time over the timed read; gc: the JVM's GC threads,"
                + " shared with an embedded broker)");
        System.out.print(t.render());
    }

    private static double median(List<double[]> xs, int i) {
        double[] v = xs.stream().mapToDouble(x -> x[i]).sorted().toArray();
        return v.length == 0 ? Double.NaN : v[(v.length - 1) / 2];
    }
}
