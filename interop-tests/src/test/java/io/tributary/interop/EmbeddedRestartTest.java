package io.tributary.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.RecordMetadata;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A clean restart of the embedded broker (same data directory, same port) keeps every record
 * and offset, and clients that stay open across it carry on (B1). TRIBUTARY only: the embedded
 * Apache test kit has no restart.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class EmbeddedRestartTest {

    @Test
    void recordsAndOffsetsSurviveACleanRestartAndOpenClientsReconnect() throws Exception {
        try (RunningBroker broker = Target.TRIBUTARY.startDedicated(Map.of())) {
            assertThat(broker.canRestart()).isTrue();
            String topic = KafkaClients.uniqueTopic("restart");
            KafkaClients.createTopic(broker.bootstrapServers(), topic, 2);
            String bootstrapBefore = broker.bootstrapServers();

            try (TributaryProducer<byte[], byte[]> producer =
                            KafkaClients.ourProducer(broker.bootstrapServers(), Map.of());
                    KafkaConsumer<byte[], byte[]> consumer =
                            KafkaClients.assignOnlyConsumer(broker.bootstrapServers(), Map.of())) {
                send(producer, topic, 0, 500);
                broker.restart();
                assertThat(broker.bootstrapServers())
                        .as("same address after restart")
                        .isEqualTo(bootstrapBefore);
                send(producer, topic, 500, 1_000);

                List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                List<String> values = new ArrayList<>();
                await("all 1000 records after the restart")
                        .atMost(Duration.ofSeconds(60))
                        .pollInSameThread()
                        .pollInterval(Duration.ofMillis(1))
                        .until(() -> {
                            consumer.poll(KafkaClients.pollTimeout())
                                    .forEach(r -> values.add(new String(r.value(), StandardCharsets.US_ASCII)));
                            return values.size() >= 1_000;
                        });
                assertThat(values).hasSize(1_000).doesNotHaveDuplicates();
                assertThat(consumer.endOffsets(partitions).values().stream()
                                .mapToLong(Long::longValue)
                                .sum())
                        .isEqualTo(1_000L);
            }
        }
    }

    private static void send(TributaryProducer<byte[], byte[]> producer, String topic, int from, int to)
            throws Exception {
        List<Future<RecordMetadata>> results = new ArrayList<>();
        for (int i = from; i < to; i++) {
            results.add(producer.send(new ProducerRecord<>(
                    topic,
                    Integer.toString(i).getBytes(StandardCharsets.US_ASCII),
                    ("value-" + i).getBytes(StandardCharsets.US_ASCII))));
        }
        for (Future<RecordMetadata> result : results) {
            result.get(60, TimeUnit.SECONDS);
        }
    }
}
