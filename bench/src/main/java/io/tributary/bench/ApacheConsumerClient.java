package io.tributary.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads with Apache's {@link KafkaConsumer} (assign + seekToBeginning, no group). Stateless. */
final class ApacheConsumerClient implements ConsumerClient {
    private final Duration pollTimeout;

    /** {@code pollMs}: the timeout of each {@code poll}, the same for both clients. */
    ApacheConsumerClient(long pollMs) {
        this.pollTimeout = Duration.ofMillis(pollMs);
    }

    @Override
    public String name() {
        return "apache";
    }

    @Override
    public long readAll(
            String bootstrapServers,
            String topic,
            int partitions,
            Map<String, Object> settings,
            ReadCheck check,
            long timeoutMs) {
        Map<String, Object> config = new LinkedHashMap<>(settings);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "bench-consumer");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<TopicPartition> assignment = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            assignment.add(new TopicPartition(topic, p));
        }
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(assignment);
            consumer.seekToBeginning(assignment);
            check.clockStarted();
            long startNs = System.nanoTime();
            while (!check.done() && System.nanoTime() < deadlineNs) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(pollTimeout)) {
                    check.accept(record.value());
                }
            }
            long elapsedNs = System.nanoTime() - startNs;
            check.clockStopped();
            return elapsedNs;
        }
    }
}
