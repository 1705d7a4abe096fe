package io.tributary.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Produce and consume throughput of the same records through each broker, with Apache's
 * KafkaProducer and KafkaConsumer and identical client settings, printed as records/s and MB/s
 * per broker and as the ratio Tributary/Apache.
 *
 * <p>Sequence: create topics on every broker; warm up (produce and consume {@code --warmup}
 * records on each broker, so client and broker code is compiled before anything is timed);
 * then per round produce {@code --records} to a fresh topic on each broker in turn, then consume
 * them back from each in turn. Brokers alternate order per round; the median round is reported.
 * Only one broker is loaded at a time. The consumer checks every record arrived exactly once.
 *
 * <p>Runs on the main thread; clients' I/O threads are Apache's.
 */
final class ThroughputBench {
    private final long records;
    private final long warmup;
    private final int partitions;
    private final int rounds;
    private final String compression;
    private final DataSet data;
    private final Map<String, Object> producerSettings;
    private final Map<String, Object> consumerSettings = new LinkedHashMap<>();
    private final ConsumerClient consumer;

    ThroughputBench(Args args) {
        this.records = args.longValue("records", 1_000_000);
        this.warmup = args.longValue("warmup", Math.min(records, 200_000));
        this.partitions = args.intValue("partitions", 3);
        this.rounds = args.intValue("rounds", 1);
        this.compression = args.string("compression", "none");
        this.data = new DataSet(args.longValue("seed", 42), args.intValue("record-size", 100));
        this.consumer = new ApacheConsumerClient(args.longValue("poll-ms", 100));
        this.producerSettings = Load.producerDefaults(compression);
        producerSettings.putAll(args.properties("producer-prop"));
        consumerSettings.putAll(consumerDefaults());
        consumerSettings.putAll(args.properties("consumer-prop"));
    }

    /** Apache 4.x consumer fetch defaults, written out for the header. */
    static Map<String, Object> consumerDefaults() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
        settings.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(50 * 1024 * 1024));
        settings.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(1024 * 1024));
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        return settings;
    }

    /** Brokers that serve what a produce/consume run needs; the others are reported and left out. */
    static List<BrokerUnderTest> servingProduceAndFetch(Brokers brokers) {
        List<BrokerUnderTest> usable = new ArrayList<>();
        for (BrokerUnderTest broker : brokers.all()) {
            String missing = ApiProbe.missing(
                    broker,
                    ApiProbe.METADATA,
                    ApiProbe.PRODUCE,
                    ApiProbe.FETCH,
                    ApiProbe.LIST_OFFSETS,
                    ApiProbe.CREATE_TOPICS,
                    ApiProbe.INIT_PRODUCER_ID);
            if (missing != null) {
                System.out.println(broker.name() + " SKIPPED: " + missing);
            } else {
                usable.add(broker);
            }
        }
        return usable;
    }

    void run(Args args) throws Exception {
        System.out.printf(
                "throughput: %,d records x %d B (+%,d warm-up), %d partitions, compression=%s, rounds=%d%n",
                records, data.recordSize(), warmup, partitions, compression, rounds);
        System.out.println("producer: " + producerSettings);
        System.out.println("consumer: " + consumerSettings + " (assign + seekToBeginning, no group)");
        try (Brokers brokers = Brokers.start(args, Map.of())) {
            List<BrokerUnderTest> usable = servingProduceAndFetch(brokers);
            if (usable.isEmpty()) {
                System.out.println("no broker to measure");
                return;
            }
            for (BrokerUnderTest broker : usable) {
                Load.createTopic(broker, "bench-warmup", partitions);
                for (int r = 0; r < rounds; r++) {
                    Load.createTopic(broker, topic(r), partitions);
                }
            }
            if (warmup > 0) {
                for (BrokerUnderTest broker : usable) {
                    Measurement p = Load.produce(broker, "bench-warmup", warmup, data, producerSettings, -1);
                    Measurement c =
                            Load.consume(broker, consumer, "bench-warmup", partitions, warmup, consumerSettings, -1);
                    System.out.printf(
                            "warm-up %-9s produce %s records/s, consume %s records/s%s%n",
                            broker.name(), Table.num(p.recordsPerSec()), Table.num(c.recordsPerSec()), problems(p, c));
                }
            }
            List<Measurement> all = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                List<BrokerUnderTest> order = new ArrayList<>(usable);
                if (r % 2 == 1) {
                    Collections.reverse(order);
                }
                for (BrokerUnderTest broker : order) {
                    all.add(Load.produce(broker, topic(r), records, data, producerSettings, r));
                }
                for (BrokerUnderTest broker : order) {
                    all.add(Load.consume(broker, consumer, topic(r), partitions, records, consumerSettings, r));
                }
            }
            print(all, usable);
        }
    }

    private static String topic(int round) {
        return "bench-" + round;
    }

    static String problems(Measurement... ms) {
        StringBuilder out = new StringBuilder();
        for (Measurement m : ms) {
            if (m.problem() != null) {
                out.append(" [")
                        .append(m.phase())
                        .append(": ")
                        .append(m.problem())
                        .append(']');
            }
        }
        return out.toString();
    }

    private void print(List<Measurement> all, List<BrokerUnderTest> brokers) {
        if (rounds > 1) {
            Table perRound = new Table("phase", "broker", "round", "records/s", "MB/s", "ms", "note");
            for (Measurement m : all) {
                perRound.row(
                        m.phase(),
                        m.broker(),
                        m.round(),
                        Table.num(m.recordsPerSec()),
                        Table.num(m.mibPerSec()),
                        m.elapsedMs(),
                        m.problem() == null ? "" : m.problem());
            }
            System.out.println();
            System.out.print(perRound.render());
        }
        Table table = new Table("phase", "broker", "records/s", "MB/s", "ms", "note");
        Map<String, Measurement> medians = new LinkedHashMap<>();
        for (String phase : List.of("produce", "consume")) {
            for (BrokerUnderTest broker : brokers) {
                Measurement median = Measurement.median(all.stream()
                        .filter(m -> m.phase().equals(phase) && m.broker().equals(broker.name()))
                        .toList());
                medians.put(phase + "/" + broker.name(), median);
                table.row(
                        phase,
                        broker.name(),
                        Table.num(median.recordsPerSec()),
                        Table.num(median.mibPerSec()),
                        median.elapsedMs(),
                        median.problem() == null ? "" : median.problem());
            }
        }
        System.out.println();
        System.out.println("MB = 2^20 bytes of record values; "
                + (rounds > 1 ? "median of " + rounds + " rounds (failed rounds excluded, listed above)" : "1 round"));
        System.out.print(table.render());
        Measurement tp = medians.get("produce/tributary");
        Measurement ap = medians.get("produce/apache");
        Measurement tc = medians.get("consume/tributary");
        Measurement ac = medians.get("consume/apache");
        if (tp != null && ap != null) {
            System.out.printf(
                    "ratio tributary/apache: produce %s records/s, %s MB/s; consume %s records/s, %s MB/s%n",
                    Table.ratio(tp.recordsPerSec(), ap.recordsPerSec()),
                    Table.ratio(tp.mibPerSec(), ap.mibPerSec()),
                    Table.ratio(tc.recordsPerSec(), ac.recordsPerSec()),
                    Table.ratio(tc.mibPerSec(), ac.mibPerSec()));
        } else {
            System.out.println("ratio tributary/apache: n/a (only "
                    + brokers.stream().map(BrokerUnderTest::name).toList() + " measured)");
        }
    }
}
