package io.tributary.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

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
    private static final double MIB = 1024.0 * 1024.0;

    private final long records;
    private final long warmup;
    private final int partitions;
    private final int rounds;
    private final String compression;
    private final DataSet data;
    private final Map<String, Object> producerSettings = new LinkedHashMap<>();
    private final Map<String, Object> consumerSettings = new LinkedHashMap<>();

    /** One timed phase on one broker. */
    record Measurement(String broker, String phase, int round, long records, long bytes, long elapsedNs, String problem) {
        double recordsPerSec() {
            return problem != null ? Double.NaN : records / (elapsedNs / 1e9);
        }

        double mibPerSec() {
            return problem != null ? Double.NaN : bytes / MIB / (elapsedNs / 1e9);
        }
    }

    ThroughputBench(Args args) {
        this.records = args.longValue("records", 1_000_000);
        this.warmup = args.longValue("warmup", Math.min(records, 200_000));
        this.partitions = args.intValue("partitions", 3);
        this.rounds = args.intValue("rounds", 1);
        this.compression = args.string("compression", "none");
        this.data = new DataSet(args.longValue("seed", 42), args.intValue("record-size", 100));

        // Apache 4.x producer defaults, written out so the header shows what was compared.
        producerSettings.put(ProducerConfig.ACKS_CONFIG, "all");
        producerSettings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerSettings.put(ProducerConfig.BATCH_SIZE_CONFIG, "16384");
        producerSettings.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        producerSettings.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(32L * 1024 * 1024));
        producerSettings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        producerSettings.putAll(args.properties("producer-prop"));

        consumerSettings.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
        consumerSettings.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(50 * 1024 * 1024));
        consumerSettings.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(1024 * 1024));
        consumerSettings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        consumerSettings.putAll(args.properties("consumer-prop"));
    }

    void run(Args args) throws Exception {
        System.out.printf("throughput: %,d records x %d B (+%,d warm-up), %d partitions, compression=%s, rounds=%d%n",
                records, data.recordSize(), warmup, partitions, compression, rounds);
        System.out.println("producer: " + producerSettings);
        System.out.println("consumer: " + consumerSettings + " (assign + seekToBeginning, no group)");
        try (Brokers brokers = Brokers.start(args, Map.of())) {
            List<BrokerUnderTest> usable = new ArrayList<>();
            for (BrokerUnderTest broker : brokers.all()) {
                String missing = ApiProbe.missing(broker, ApiProbe.METADATA, ApiProbe.PRODUCE, ApiProbe.FETCH,
                        ApiProbe.LIST_OFFSETS, ApiProbe.CREATE_TOPICS, ApiProbe.INIT_PRODUCER_ID);
                if (missing != null) {
                    System.out.println(broker.name() + " SKIPPED: " + missing);
                } else {
                    usable.add(broker);
                }
            }
            if (usable.isEmpty()) {
                System.out.println("no broker to measure");
                return;
            }
            for (BrokerUnderTest broker : usable) {
                createTopic(broker, "bench-warmup");
                for (int r = 0; r < rounds; r++) {
                    createTopic(broker, topic(r));
                }
            }
            if (warmup > 0) {
                for (BrokerUnderTest broker : usable) {
                    Measurement p = produce(broker, "bench-warmup", warmup, -1);
                    Measurement c = consume(broker, "bench-warmup", warmup, -1);
                    System.out.printf("warm-up %-9s produce %s records/s, consume %s records/s%s%n", broker.name(),
                            Table.num(p.recordsPerSec()), Table.num(c.recordsPerSec()), problems(p, c));
                }
            }
            List<Measurement> all = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                List<BrokerUnderTest> order = new ArrayList<>(usable);
                if (r % 2 == 1) {
                    java.util.Collections.reverse(order);
                }
                for (BrokerUnderTest broker : order) {
                    all.add(produce(broker, topic(r), records, r));
                }
                for (BrokerUnderTest broker : order) {
                    all.add(consume(broker, topic(r), records, r));
                }
            }
            print(all, usable);
        }
    }

    private static String topic(int round) {
        return "bench-" + round;
    }

    private static String problems(Measurement... ms) {
        StringBuilder out = new StringBuilder();
        for (Measurement m : ms) {
            if (m.problem() != null) {
                out.append(" [").append(m.phase()).append(": ").append(m.problem()).append(']');
            }
        }
        return out.toString();
    }

    private void createTopic(BrokerUnderTest broker, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
    }

    private Measurement produce(BrokerUnderTest broker, String topic, long count, int round) {
        Map<String, Object> config = new LinkedHashMap<>(producerSettings);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-producer-" + broker.name());
        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> firstError = new AtomicReference<>();
        System.gc();
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            // metadata for the topic first, so the timed loop measures appends, not discovery
            producer.partitionsFor(topic);
            long startNs = System.nanoTime();
            for (long i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, null, data.value(i)), (metadata, error) -> {
                    if (error != null) {
                        firstError.compareAndSet(null, error);
                    } else {
                        acked.incrementAndGet();
                    }
                });
            }
            producer.flush();
            long elapsedNs = System.nanoTime() - startNs;
            String problem = firstError.get() != null ? "send failed: " + firstError.get()
                    : acked.get() != count ? "acknowledged " + acked.get() + " of " + count : null;
            return new Measurement(broker.name(), "produce", round, count, count * data.recordSize(), elapsedNs, problem);
        }
    }

    private Measurement consume(BrokerUnderTest broker, String topic, long count, int round) {
        Map<String, Object> config = new LinkedHashMap<>(consumerSettings);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-consumer-" + broker.name());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<TopicPartition> assignment = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            assignment.add(new TopicPartition(topic, p));
        }
        BitSet seen = new BitSet((int) Math.min(count, Integer.MAX_VALUE));
        long received = 0;
        long bytes = 0;
        long duplicates = 0;
        long foreign = 0;
        // generous: a broker that is merely slow still gets measured, a stuck one does not hang the run
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60 + count / 10_000);
        System.gc();
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(assignment);
            consumer.seekToBeginning(assignment);
            long startNs = System.nanoTime();
            while (received < count && System.nanoTime() < deadlineNs) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    received++;
                    byte[] value = record.value();
                    bytes += value == null ? 0 : value.length;
                    long seq = DataSet.sequenceOf(value);
                    if (seq < 0 || seq >= count) {
                        foreign++;
                    } else if (seen.get((int) seq)) {
                        duplicates++;
                    } else {
                        seen.set((int) seq);
                    }
                }
            }
            long elapsedNs = System.nanoTime() - startNs;
            String problem = null;
            if (received < count) {
                problem = "timed out after " + received + " of " + count + " records";
            } else if (duplicates > 0 || foreign > 0 || seen.cardinality() != count) {
                problem = "data mismatch: " + seen.cardinality() + " distinct of " + count + ", "
                        + duplicates + " duplicates, " + foreign + " not ours";
            }
            return new Measurement(broker.name(), "consume", round, received, bytes, elapsedNs, problem);
        }
    }

    private void print(List<Measurement> all, List<BrokerUnderTest> brokers) {
        if (rounds > 1) {
            Table perRound = new Table("phase", "broker", "round", "records/s", "MB/s", "ms");
            for (Measurement m : all) {
                perRound.row(m.phase(), m.broker(), m.round(), Table.num(m.recordsPerSec()),
                        Table.num(m.mibPerSec()), m.elapsedNs() / 1_000_000);
            }
            System.out.println();
            System.out.print(perRound.render());
        }
        Table table = new Table("phase", "broker", "records/s", "MB/s", "ms", "note");
        Map<String, Measurement> medians = new LinkedHashMap<>();
        for (String phase : List.of("produce", "consume")) {
            for (BrokerUnderTest broker : brokers) {
                Measurement median = median(all, phase, broker.name());
                medians.put(phase + "/" + broker.name(), median);
                table.row(phase, broker.name(), Table.num(median.recordsPerSec()), Table.num(median.mibPerSec()),
                        median.elapsedNs() / 1_000_000, median.problem() == null ? "" : median.problem());
            }
        }
        System.out.println();
        System.out.println("MB = 2^20 bytes of record values; " + (rounds > 1 ? "median of " + rounds + " rounds" : "1 round"));
        System.out.print(table.render());
        Measurement tp = medians.get("produce/tributary");
        Measurement ap = medians.get("produce/apache");
        Measurement tc = medians.get("consume/tributary");
        Measurement ac = medians.get("consume/apache");
        if (tp != null && ap != null) {
            System.out.printf("ratio tributary/apache: produce %s records/s, %s MB/s; consume %s records/s, %s MB/s%n",
                    Table.ratio(tp.recordsPerSec(), ap.recordsPerSec()), Table.ratio(tp.mibPerSec(), ap.mibPerSec()),
                    Table.ratio(tc.recordsPerSec(), ac.recordsPerSec()), Table.ratio(tc.mibPerSec(), ac.mibPerSec()));
        } else {
            System.out.println("ratio tributary/apache: n/a (only " + brokers.stream().map(BrokerUnderTest::name).toList()
                    + " measured)");
        }
    }

    private static Measurement median(List<Measurement> all, String phase, String broker) {
        List<Measurement> ms = all.stream().filter(m -> m.phase().equals(phase) && m.broker().equals(broker))
                .sorted(java.util.Comparator.comparingLong(Measurement::elapsedNs)).toList();
        // a failed round is never the median: it has no valid speed
        List<Measurement> ok = ms.stream().filter(m -> m.problem() == null).toList();
        List<Measurement> pick = ok.isEmpty() ? ms : ok;
        return pick.get(pick.size() / 2);
    }
}
