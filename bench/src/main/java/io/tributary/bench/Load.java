package io.tributary.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Creating topics and writing a {@link DataSet}, shared by the benchmarks: with Apache's
 * KafkaProducer where the produce figure is compared across brokers and sessions, with ours where
 * only the loaded data matters (issue 12 item 5). Stateless; runs on the caller's thread (the
 * producer's I/O thread is the library's).
 */
final class Load {
    private Load() {}

    /** Apache 4.x producer defaults, written out so the printed header shows what was compared. */
    static Map<String, Object> producerDefaults(String compression) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        settings.put(ProducerConfig.BATCH_SIZE_CONFIG, "16384");
        settings.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        settings.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(32L * 1024 * 1024));
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        return settings;
    }

    static void createTopic(BrokerUnderTest broker, String topic, int partitions) throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
    }

    /**
     * Sends records {@code 0..count-1} of {@code data} (null keys, so the sticky partitioner
     * spreads them) and waits for every acknowledgement; timed from the first send to the end
     * of {@code flush()}, after the topic's metadata is known.
     */
    static Measurement produce(
            BrokerUnderTest broker, String topic, long count, DataSet data, Map<String, Object> settings, int round) {
        return produce(broker, "apache", ProducerBench::apache, topic, count, data, settings, round);
    }

    /** As {@link #produce}, with our producer: for benchmarks that measure what happens to the data after. */
    static Measurement produceWithOurs(
            BrokerUnderTest broker, String topic, long count, DataSet data, Map<String, Object> settings) {
        return produce(broker, "tributary", ProducerBench::tributary, topic, count, data, settings, -1);
    }

    private static Measurement produce(
            BrokerUnderTest broker,
            String client,
            Function<Map<String, Object>, ProducerBench.Client> library,
            String topic,
            long count,
            DataSet data,
            Map<String, Object> settings,
            int round) {
        Map<String, Object> config = new LinkedHashMap<>(settings);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-producer-" + broker.name());
        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> firstError = new AtomicReference<>();
        System.gc();
        try (ProducerBench.Client producer = library.apply(config)) {
            producer.partitionsFor(topic);
            long startNs = System.nanoTime();
            for (long i = 0; i < count; i++) {
                producer.send(topic, data.value(i), acked, firstError);
            }
            producer.flush();
            long elapsedNs = System.nanoTime() - startNs;
            String problem = firstError.get() != null
                    ? "send failed: " + firstError.get()
                    : acked.get() != count ? "acknowledged " + acked.get() + " of " + count : null;
            return new Measurement(
                    broker.name(), client, "produce", round, count, count * data.recordSize(), elapsedNs, problem);
        }
    }

    /** Reads {@code count} records back with {@code client} and checks each arrived once. */
    static Measurement consume(
            BrokerUnderTest broker,
            ConsumerClient client,
            String topic,
            int partitions,
            long count,
            Map<String, Object> settings,
            int round) {
        return consume(broker, client, topic, partitions, count, settings, round, null);
    }

    /** As above; {@code cpu}, when not null, gets the client's CPU ns per record (see {@link ReadCheck#cpuNsPerRecord}). */
    static Measurement consume(
            BrokerUnderTest broker,
            ConsumerClient client,
            String topic,
            int partitions,
            long count,
            Map<String, Object> settings,
            int round,
            java.util.function.Consumer<double[]> cpu) {
        ReadCheck check = new ReadCheck(count);
        Map<String, Object> config = new LinkedHashMap<>(settings);
        config.put("client.id", "bench-consumer-" + broker.name());
        // generous: a broker that is merely slow still gets measured, a stuck one does not hang the run
        long timeoutMs = 60_000 + count / 10;
        System.gc();
        long elapsedNs = client.readAll(broker.bootstrapServers(), topic, partitions, config, check, timeoutMs);
        if (cpu != null && check.cpuNsPerRecord() != null) {
            cpu.accept(check.cpuNsPerRecord());
        }
        return new Measurement(
                broker.name(),
                client.name(),
                "consume",
                round,
                check.received(),
                check.bytes(),
                elapsedNs,
                check.problem());
    }
}
