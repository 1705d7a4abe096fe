package io.tributary.interop.consumer;

import static org.awaitility.Awaitility.await;

import io.tributary.client.common.Header;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.ConsumerRecords;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.client.serialization.StringDeserializer;
import io.tributary.interop.support.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Test data made with our producer (issue 12 item 5) or, where the point is reading Apache's
 * batches, Apache's; and Tributary consumers configured for the suite.
 */
final class Fixtures {
    private Fixtures() {}

    static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /** Sends {@code count} records "key-i"/"value-i" with a header "i" to one partition, with our producer. */
    static void produce(String bootstrap, String topic, int partition, int from, int count, String codec)
            throws Exception {
        try (TributaryProducer<byte[], byte[]> producer = KafkaClients.ourProducer(bootstrap, overrides(codec))) {
            for (int i = from; i < from + count; i++) {
                producer.send(new io.tributary.client.producer.ProducerRecord<>(
                        topic,
                        partition,
                        utf8("key-" + i),
                        utf8("value-" + i),
                        List.of(new Header("i", utf8(Integer.toString(i))))));
            }
            producer.flush();
        }
    }

    /** As {@link #produce}, with Apache's producer: for tests of our consumer reading Apache's (compressed) batches. */
    static void produceWithApache(String bootstrap, String topic, int partition, int from, int count, String codec)
            throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(bootstrap, overrides(codec))) {
            for (int i = from; i < from + count; i++) {
                ProducerRecord<byte[], byte[]> r =
                        new ProducerRecord<>(topic, partition, utf8("key-" + i), utf8("value-" + i));
                r.headers().add("i", utf8(Integer.toString(i)));
                producer.send(r);
            }
            producer.flush();
        }
    }

    private static Map<String, Object> overrides(String codec) {
        Map<String, Object> overrides = new HashMap<>();
        overrides.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec);
        overrides.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return overrides;
    }

    static Map<String, Object> consumerConfig(String bootstrap) {
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", bootstrap);
        c.put("key.deserializer", StringDeserializer.class.getName());
        c.put("value.deserializer", StringDeserializer.class.getName());
        c.put("fetch.max.wait.ms", "100");
        return c;
    }

    static TributaryConsumer<String, String> consumer(String bootstrap, Map<String, Object> overrides) {
        Map<String, Object> c = consumerConfig(bootstrap);
        c.putAll(overrides);
        return new TributaryConsumer<>(c);
    }

    /** Polls until {@code n} records arrived (or fails after 30 s). */
    static List<ConsumerRecord<String, String>> pollUntil(TributaryConsumer<String, String> consumer, int n) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        await().atMost(30, TimeUnit.SECONDS)
                .pollInSameThread()
                .pollDelay(Duration.ZERO)
                .until(() -> {
                    ConsumerRecords<String, String> rs = consumer.poll(Duration.ofMillis(200));
                    rs.forEach(out::add);
                    return out.size() >= n;
                });
        return out;
    }
}
