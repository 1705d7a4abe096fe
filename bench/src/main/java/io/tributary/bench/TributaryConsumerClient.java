package io.tributary.bench;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.client.serialization.ByteArrayDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reads with our {@link TributaryConsumer} exactly as {@link ApacheConsumerClient} reads with
 * Apache's (assign + seekToBeginning, no group, same settings). Stateless.
 */
final class TributaryConsumerClient implements ConsumerClient {
    private final Duration pollTimeout;

    /** {@code pollMs}: the timeout of each {@code poll}, the same for both clients. */
    TributaryConsumerClient(long pollMs) {
        this.pollTimeout = Duration.ofMillis(pollMs);
    }

    @Override
    public String name() {
        return "tributary";
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
        config.put("bootstrap.servers", bootstrapServers);
        config.putIfAbsent("client.id", "bench-consumer");
        config.put("enable.auto.commit", "false");
        List<TopicPartition> assignment = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            assignment.add(new TopicPartition(topic, p));
        }
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        try (TributaryConsumer<byte[], byte[]> consumer =
                new TributaryConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
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
