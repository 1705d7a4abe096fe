package io.tributary.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Transactional produce (issue 11): Apache's KafkaProducer writes the data set in transactions of
 * {@code --per-txn} records (begin, send, commit), then Apache's consumer reads it back with
 * {@code read_committed}, checking every record once; per broker, and the ratio Tributary/Apache.
 * Rounds alternate the broker order. Runs on the main thread.
 */
final class TransactionsBench {
    private final long records;
    private final int partitions;
    private final int rounds;
    private final int perTxn;
    private final DataSet data;
    private final ConsumerClient consumer = new ApacheConsumerClient(100);

    TransactionsBench(Args args) {
        this.records = args.longValue("records", 200_000);
        this.partitions = args.intValue("partitions", 3);
        this.rounds = args.intValue("rounds", 1);
        this.perTxn = args.intValue("per-txn", 100);
        this.data = new DataSet(args.longValue("seed", 42), args.intValue("record-size", 100));
    }

    void run(Args args) throws Exception {
        System.out.printf(
                "transactions: %,d records x %d B in transactions of %d, %d partitions, rounds=%d%n",
                records, data.recordSize(), perTxn, partitions, rounds);
        try (Brokers brokers = Brokers.start(args, Map.of())) {
            List<BrokerUnderTest> usable = brokers.all();
            Map<String, Object> consumerSettings = Map.of("isolation.level", "read_committed");
            long warmup = Math.min(records, 20_000);
            for (BrokerUnderTest broker : usable) {
                Load.createTopic(broker, "txn-warmup", partitions);
                for (int r = 0; r < rounds; r++) {
                    Load.createTopic(broker, "txn-" + r, partitions);
                }
                Measurement p = produce(broker, "txn-warmup", warmup, -1);
                Measurement c = Load.consume(broker, consumer, "txn-warmup", partitions, warmup, consumerSettings, -1);
                System.out.printf(
                        "warm-up %-9s produce %s records/s, read_committed %s records/s%s%n",
                        broker.name(),
                        Table.num(p.recordsPerSec()),
                        Table.num(c.recordsPerSec()),
                        ThroughputBench.problems(p, c));
            }
            List<Measurement> all = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                List<BrokerUnderTest> order = new ArrayList<>(usable);
                if (r % 2 == 1) {
                    Collections.reverse(order);
                }
                for (BrokerUnderTest broker : order) {
                    all.add(produce(broker, "txn-" + r, records, r));
                    all.add(Load.consume(broker, consumer, "txn-" + r, partitions, records, consumerSettings, r));
                }
            }
            print(all, usable);
        }
    }

    /** Timed from the first beginTransaction to the last commitTransaction's return. */
    private Measurement produce(BrokerUnderTest broker, String topic, long count, int round) {
        Map<String, Object> config = new LinkedHashMap<>(Load.producerDefaults("none"));
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-txn-" + topic);
        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> firstError = new AtomicReference<>();
        System.gc();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.partitionsFor(topic);
            long startNs = System.nanoTime();
            for (long i = 0; i < count; ) {
                producer.beginTransaction();
                long end = Math.min(count, i + perTxn);
                for (; i < end; i++) {
                    producer.send(new ProducerRecord<>(topic, null, data.value(i)), (metadata, error) -> {
                        if (error != null) {
                            firstError.compareAndSet(null, error);
                        } else {
                            acked.incrementAndGet();
                        }
                    });
                }
                producer.commitTransaction();
            }
            long elapsedNs = System.nanoTime() - startNs;
            String problem = firstError.get() != null
                    ? "send failed: " + firstError.get()
                    : acked.get() != count ? "acknowledged " + acked.get() + " of " + count : null;
            return new Measurement(
                    broker.name(), "apache", "produce", round, count, count * data.recordSize(), elapsedNs, problem);
        } catch (RuntimeException e) {
            return new Measurement(broker.name(), "apache", "produce", round, count, 0, 1, "failed: " + e);
        }
    }

    private void print(List<Measurement> all, List<BrokerUnderTest> brokers) {
        Table table = new Table("phase", "broker", "records/s", "MB/s", "txn/s", "note");
        Map<String, Measurement> medians = new LinkedHashMap<>();
        for (String phase : List.of("produce", "consume")) {
            for (BrokerUnderTest broker : brokers) {
                Measurement m = Measurement.median(all.stream()
                        .filter(x -> x.phase().equals(phase) && x.broker().equals(broker.name()))
                        .toList());
                medians.put(phase + "/" + broker.name(), m);
                table.row(
                        phase.equals("consume") ? "read_committed" : "txn produce",
                        broker.name(),
                        Table.num(m.recordsPerSec()),
                        Table.num(m.mibPerSec()),
                        phase.equals("produce") ? Table.num(m.recordsPerSec() / perTxn) : "",
                        m.problem() == null ? "" : m.problem());
            }
        }
        System.out.println();
        System.out.println(
                "MB = 2^20 bytes of record values; " + (rounds > 1 ? "median of " + rounds + " rounds" : "1 round"));
        System.out.print(table.render());
        Measurement tp = medians.get("produce/tributary");
        Measurement ap = medians.get("produce/apache");
        Measurement tc = medians.get("consume/tributary");
        Measurement ac = medians.get("consume/apache");
        if (tp != null && ap != null) {
            System.out.printf(
                    "ratio tributary/apache: transactional produce %s records/s; read_committed consume %s records/s%n",
                    Table.ratio(tp.recordsPerSec(), ap.recordsPerSec()),
                    Table.ratio(tc.recordsPerSec(), ac.recordsPerSec()));
        }
    }
}
