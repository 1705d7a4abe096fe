package io.tributary.bench;

import java.util.Map;

/**
 * A consumer implementation the benchmarks can read with: Apache's KafkaConsumer or our
 * TributaryConsumer. Each call builds, uses and closes its own consumer on the calling thread.
 */
interface ConsumerClient {
    /** {@code apache} or {@code tributary}. */
    String name();

    /**
     * Reads partitions {@code 0..partitions-1} of {@code topic} from the beginning without a
     * group until {@code check} is done or {@code timeoutMs} passes; returns the time spent from
     * the first poll to the last record, in nanoseconds.
     */
    long readAll(
            String bootstrapServers,
            String topic,
            int partitions,
            Map<String, Object> settings,
            ReadCheck check,
            long timeoutMs);
}
