package io.tributary.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The round trip Apache's EndToEndLatency times (a synchronous acks=all send with linger.ms=0,
 * then a poll of a consumer with fetch.max.wait.ms=0 assigned at the end of the topic's one
 * partition), timed in microseconds. The tool keeps each trip in whole milliseconds, truncated,
 * so on this machine both brokers' p50 prints as 1 ms and a difference below a millisecond cannot
 * show; this probe measures the same loop at a resolution that can. Run as a child JVM, as the
 * tools are: {@code LatencyProbe bootstrap topic records size warmup}; it prints one line
 * "probe avg_us=... p50_us=... p90_us=... p99_us=...".
 */
public final class LatencyProbe {
    private LatencyProbe() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            throw new IllegalArgumentException("usage: LatencyProbe bootstrap topic records size warmup");
        }
        String bootstrap = args[0];
        String topic = args[1];
        int records = Integer.parseInt(args[2]);
        int size = Integer.parseInt(args[3]);
        int warmup = Integer.parseInt(args[4]);
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("linger.ms", "0");
        p.put("acks", "all");
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        Properties c = new Properties();
        c.put("bootstrap.servers", bootstrap);
        c.put("enable.auto.commit", "false");
        c.put("fetch.max.wait.ms", "0");
        c.put("key.deserializer", ByteArrayDeserializer.class.getName());
        c.put("value.deserializer", ByteArrayDeserializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
                KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition()))
                    .toList();
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position);
            Random random = new Random(16);
            long[] micros = new long[records];
            for (int i = -warmup; i < records; i++) {
                byte[] value = new byte[size];
                random.nextBytes(value);
                long begin = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, value)).get();
                ConsumerRecords<byte[], byte[]> got = consumer.poll(Duration.ofSeconds(60));
                long elapsed = System.nanoTime() - begin;
                if (got.count() != 1 || !Arrays.equals(got.iterator().next().value(), value)) {
                    throw new IllegalStateException(
                            "trip " + i + " read " + got.count() + " records, not the one sent");
                }
                if (i >= 0) {
                    micros[i] = elapsed / 1_000;
                }
            }
            System.out.println(summary(micros));
        }
    }

    /** The line {@link KafkaTools#probe} parses. */
    static String summary(long[] micros) {
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        double avg = Arrays.stream(sorted).average().orElse(0);
        return String.format(
                "probe avg_us=%.1f p50_us=%d p90_us=%d p99_us=%d",
                avg, at(sorted, 0.50), at(sorted, 0.90), at(sorted, 0.99));
    }

    private static long at(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))];
    }

    static Map<String, Double> parse(String line) {
        Map<String, Double> r = new java.util.HashMap<>();
        for (String kv : line.substring("probe ".length()).split(" ")) {
            String[] parts = kv.split("=");
            r.put(parts[0], Double.parseDouble(parts[1]));
        }
        return r;
    }
}
