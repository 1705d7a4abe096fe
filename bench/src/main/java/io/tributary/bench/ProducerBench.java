package io.tributary.bench;

import io.tributary.client.producer.TributaryProducer;
import java.util.ArrayList;
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
 */
final class ProducerBench {
    private final long records;
    private final int partitions;
    private final List<Integer> sizes = new ArrayList<>();
    private final List<String> acks = new ArrayList<>();

    ProducerBench(Args args) {
        this.records = args.longValue("records", 500_000);
        this.partitions = args.intValue("partitions", 3);
        for (String s : args.string("record-sizes", "100,1024").split(",")) {
            sizes.add(Integer.parseInt(s.trim()));
        }
        for (String a : args.string("acks", "1,all").split(",")) {
            acks.add(a.trim());
        }
    }

    /** One producer under test: sends one value, returns after flush. */
    /** One producer library behind the calls a benchmark makes; {@link Load} writes data sets through it too. */
    interface Client extends AutoCloseable {
        void send(String topic, byte[] value, AtomicLong acked, AtomicReference<Exception> error);

        /** Fetches the topic's metadata, so a timed run does not include it. */
        void partitionsFor(String topic);

        void flush();

        @Override
        void close();
    }

    void run(Args args) throws Exception {
        System.out.printf(
                "producer: %,d records per case, sizes %s, acks %s, %d partitions%n", records, sizes, acks, partitions);
        Table table = new Table("broker", "size", "acks", "tributary rec/s", "apache rec/s", "ratio", "note");
        try (Brokers brokers = Brokers.start(args, Map.of())) {
            int n = 0;
            for (BrokerUnderTest broker : brokers.all()) {
                for (int size : sizes) {
                    DataSet data = new DataSet(42, size);
                    for (String ack : acks) {
                        // Warm both clients' code paths once, then measure.
                        Measurement[] m = new Measurement[2];
                        for (int pass = 0; pass < 2; pass++) {
                            long count = pass == 0 ? Math.min(records, 50_000) : records;
                            String ours = "p-ours-" + n + "-" + pass;
                            String theirs = "p-apache-" + n + "-" + pass;
                            Load.createTopic(broker, ours, partitions);
                            Load.createTopic(broker, theirs, partitions);
                            m[0] = measure(broker, "tributary", tributary(config(broker, ack)), ours, data, count);
                            m[1] = measure(broker, "apache", apache(config(broker, ack)), theirs, data, count);
                        }
                        n++;
                        String note = (m[0].problem() == null ? "" : "ours: " + m[0].problem())
                                + (m[1].problem() == null ? "" : " apache: " + m[1].problem());
                        table.row(
                                broker.name(),
                                size,
                                ack,
                                Table.num(m[0].recordsPerSec()),
                                Table.num(m[1].recordsPerSec()),
                                Table.ratio(m[0].recordsPerSec(), m[1].recordsPerSec()),
                                note.trim());
                    }
                }
            }
        }
        System.out.println();
        System.out.print(table.render());
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
    static Measurement measure(
            BrokerUnderTest broker, String client, Client producer, String topic, DataSet data, long count) {
        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> error = new AtomicReference<>();
        System.gc();
        try (producer) {
            producer.send(topic, data.value(0), acked, error); // metadata fetched before the clock starts
            producer.flush();
            acked.set(0);
            long start = System.nanoTime();
            for (long i = 0; i < count; i++) {
                producer.send(topic, data.value(i), acked, error);
            }
            producer.flush();
            long elapsed = System.nanoTime() - start;
            String problem = error.get() != null
                    ? "send failed: " + error.get()
                    : acked.get() != count ? "acknowledged " + acked.get() + " of " + count : null;
            return new Measurement(
                    broker.name(), client, "produce", 0, count, count * data.recordSize(), elapsed, problem);
        } catch (RuntimeException e) {
            return new Measurement(broker.name(), client, "produce", 0, count, 0, 1, "failed: " + e);
        }
    }
}
