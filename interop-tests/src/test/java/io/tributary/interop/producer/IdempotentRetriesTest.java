package io.tributary.interop.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.RecordMetadata;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.client.serialization.StringSerializer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.Target;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 12 acceptance: our idempotent producer's retries after connection drops write no
 * duplicates and keep per-partition order, on both brokers. A proxy advertised as the broker cuts
 * the connection after every 4th Produce request, before the response; up to 5 batches per
 * partition are in flight (max.in.flight.requests.per.connection=5), so each cut loses several
 * and their retries must go again in sequence order.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IdempotentRetriesTest {
    private static final int PARTITIONS = 3;
    private static final int RECORDS = 6000;

    @ParameterizedTest
    @EnumSource(Target.class)
    void connectionDropsAfterProduceWriteNoDuplicates(Target target) throws Exception {
        try (DroppingProxy proxy = new DroppingProxy(4)) {
            proxy.startBroker(target);
            run(proxy.address(), proxy);
        }
    }

    private static void run(String bootstrap, DroppingProxy proxy) throws Exception {
        String topic = KafkaClients.uniqueTopic("producer-idempotent");
        KafkaClients.createTopic(bootstrap, topic, PARTITIONS);
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("bootstrap.servers", bootstrap);
        cfg.put("batch.size", 1024); // many small batches, so many Produce requests get cut
        cfg.put("retry.backoff.ms", 20);
        // A cut fails up to 5 requests at once and batches are cut again and again: keep the exponential backoff short.
        cfg.put("retry.backoff.max.ms", 100);
        cfg.put("reconnect.backoff.ms", 10);
        cfg.put("max.in.flight.requests.per.connection", 5);
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        try (TributaryProducer<String, String> producer =
                new TributaryProducer<>(cfg, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, "k" + (i % 31), Integer.toString(i))));
            }
            producer.flush();
            // More batches out at once than partitions: some partition had several in flight.
            assertThat(producer.metrics().get("batches-in-flight-max")).isGreaterThan(PARTITIONS);
        }
        for (Future<RecordMetadata> f : futures) {
            assertThat(f.get(0, TimeUnit.SECONDS).partition()).isBetween(0, PARTITIONS - 1);
        }
        assertThat(proxy.drops()).as("connections cut after a Produce").isGreaterThanOrEqualTo(3);

        Map<Integer, List<Integer>> perPartition = new HashMap<>();
        int count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                KafkaClients.assignOnlyConsumer(bootstrap, Map.of("auto.offset.reset", "earliest"))) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                tps.add(new TopicPartition(topic, p));
            }
            consumer.assign(tps);
            Map<TopicPartition, Long> ends = consumer.endOffsets(tps);
            long total = ends.values().stream().mapToLong(Long::longValue).sum();
            assertThat(total).as("records in the log, end offsets %s", ends).isEqualTo(RECORDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (count < RECORDS && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(KafkaClients.pollTimeout())) {
                    perPartition
                            .computeIfAbsent(r.partition(), p -> new ArrayList<>())
                            .add(Integer.parseInt(new String(r.value(), StandardCharsets.UTF_8)));
                    count++;
                }
            }
        }
        assertThat(count).isEqualTo(RECORDS);
        for (List<Integer> values : perPartition.values()) {
            assertThat(values)
                    .as("per-partition order, no duplicates")
                    .isSorted()
                    .doesNotHaveDuplicates();
        }
    }
}
