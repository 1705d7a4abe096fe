package io.tributary.interop.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.client.common.errors.TimeoutException;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.RecordMetadata;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.client.serialization.StringSerializer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.Target;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 12 (KIP-360 for transactional producers): a batch that got a sequence number but never
 * reached the broker leaves a gap in that epoch's sequences, so after the application aborts, the
 * producer must bump its epoch before the next transaction. Without the bump, the next
 * transaction's first batch to that partition carries a sequence past the gap and every broker
 * refuses it (OUT_OF_ORDER_SEQUENCE_NUMBER), so the producer could never commit again.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TransactionalEpochBumpTest {

    @ParameterizedTest
    @EnumSource(Target.class)
    void abortAfterALostSequencedBatchBumpsTheEpochSoTheNextTransactionCommits(Target target) throws Exception {
        try (DroppingProxy proxy = new DroppingProxy(Integer.MAX_VALUE)) {
            proxy.startBroker(target);
            String bootstrap = proxy.address();
            String topic = KafkaClients.uniqueTopic("txn-epoch-bump");
            KafkaClients.createTopic(bootstrap, topic, 1);
            Map<String, Object> cfg = new HashMap<>();
            cfg.put("bootstrap.servers", bootstrap);
            cfg.put("transactional.id", "epoch-bump-" + topic);
            cfg.put("linger.ms", 0);
            cfg.put("request.timeout.ms", 1_000);
            cfg.put("delivery.timeout.ms", 2_500);
            cfg.put("retry.backoff.ms", 50);
            cfg.put("max.block.ms", 30_000);
            try (TributaryProducer<String, String> producer =
                    new TributaryProducer<>(cfg, new StringSerializer(), new StringSerializer())) {
                producer.initTransactions();
                double firstEpoch = producer.metrics().get("producer-epoch");

                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, 0, "k", "aborted-1")).get(30, TimeUnit.SECONDS);
                proxy.blackHoleProduce(true);
                Future<RecordMetadata> lost = producer.send(new ProducerRecord<>(topic, 0, "k", "lost"));
                assertThatThrownBy(() -> lost.get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(TimeoutException.class);
                proxy.blackHoleProduce(false);
                producer.abortTransaction();
                assertThat(producer.metrics().get("producer-epoch"))
                        .as("epoch after the abort that followed a lost sequenced batch")
                        .isEqualTo(firstEpoch + 1);

                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, 0, "k", "committed-1"));
                producer.send(new ProducerRecord<>(topic, 0, "k", "committed-2"));
                producer.commitTransaction();
            }
            assertThat(readCommitted(bootstrap, topic, 2)).containsExactly("committed-1", "committed-2");
        }
    }

    private static List<String> readCommitted(String bootstrap, String topic, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.assignOnlyConsumer(
                bootstrap, Map.of("auto.offset.reset", "earliest", "isolation.level", "read_committed"))) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(KafkaClients.pollTimeout())) {
                    values.add(new String(r.value(), StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(values).as("read_committed values").hasSize(expected);
        return values;
    }
}
