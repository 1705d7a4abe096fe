package io.tributary.interop.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.RecordMetadata;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.client.serialization.StringSerializer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 12: acks=0 against our broker and Apache Kafka. No answer is awaited (the broker sends
 * none), each future completes with offset -1 as Kafka's, and the records are in the log.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AcksZeroTest {
    private static final int RECORDS = 500;

    static Stream<Target> targets() {
        return Target.selected();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void acksZeroCompletesWithOffsetMinusOneAndTheRecordsArrive(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("producer-acks0");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 2);
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("bootstrap.servers", broker.bootstrapServers());
        cfg.put("acks", "0");
        cfg.put("batch.size", 2048);
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        try (TributaryProducer<String, String> p =
                new TributaryProducer<>(cfg, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                futures.add(p.send(new ProducerRecord<>(topic, i % 2, null, "v" + i)));
            }
            p.flush();
        }
        for (Future<RecordMetadata> f : futures) {
            RecordMetadata md = f.get(0, TimeUnit.SECONDS);
            assertThat(md.offset()).isEqualTo(-1L);
            assertThat(md.hasOffset()).isFalse();
        }
        List<String> read = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                KafkaClients.assignOnlyConsumer(broker.bootstrapServers(), Map.of("auto.offset.reset", "earliest"))) {
            List<TopicPartition> tps = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            c.assign(tps);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (read.size() < RECORDS && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(KafkaClients.pollTimeout())) {
                    read.add(new String(r.value(), StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(read)
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, RECORDS).mapToObj(i -> "v" + i).toList());
    }
}
