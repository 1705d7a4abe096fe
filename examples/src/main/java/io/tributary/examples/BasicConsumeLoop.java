package io.tributary.examples;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.Consumer;
import io.tributary.client.consumer.ConsumerConfig;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.ConsumerRecords;
import io.tributary.client.consumer.TributaryConsumer;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * The notes' {@code basic_consume_loop} (section "Subscribing to Topics"): subscribe, poll in a
 * loop while a flag says so, process each record, and always close the consumer at the end.
 *
 * <p>Usage: {@code BasicConsumeLoop [bootstrap.servers] [topic] [group.id]}. Ctrl-C stops it.
 *
 * <p>Threads: {@link #run} owns the consumer on the calling thread; {@link #shutdown()} may be
 * called from any thread (it only flips a volatile flag, like the notes' {@code running = False}).
 */
public class BasicConsumeLoop {
    /** What the loop does with each record: the notes' {@code msg_process(msg)}. */
    @FunctionalInterface
    public interface RecordProcessor {
        void process(ConsumerRecord<String, String> record);

        /**
         * A partition caught up with the end of its log (only with {@code enable.partition.eof=true},
         * C4). By default it prints what the Python loop writes to stderr.
         */
        default void endOfPartition(TopicPartition partition, long offset) {
            System.err.printf(
                    "%% %s [%d] reached end at offset %d%n", partition.topic(), partition.partition(), offset);
        }
    }

    private final Properties config;
    private volatile boolean running = true;

    public BasicConsumeLoop(Properties config) {
        this.config = config;
    }

    /**
     * Subscribes to {@code topics} and hands every record to {@code processor} until
     * {@link #shutdown()} is called, then closes the consumer.
     */
    public void run(List<String> topics, RecordProcessor processor) {
        Consumer<String, String> consumer = new TributaryConsumer<>(config);
        try {
            // C2: subscribing joins the group named by group.id; the partitions of these topics
            // are then shared with every other member of that group (G1).
            consumer.subscribe(topics);
            while (running) {
                // C3: poll runs the group protocol (join, sync, heartbeats) and the fetching, and
                // blocks at most this long. An empty result is the notes' "msg is None: continue".
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofSeconds(1));
                for (ConsumerRecord<String, String> record : records) {
                    processor.process(record);
                }
                // The Python loop's KafkaError._PARTITION_EOF branch: with enable.partition.eof=true
                // (librdkafka's key, C4; Apache's Java consumer has no such event) poll also says
                // which partitions have been read to their end, once per catch-up. Useful to know
                // when a backlog is drained; it is not an error and the loop keeps polling.
                records.partitionEofs().forEach(processor::endOfPartition);
            }
        } finally {
            // The notes insist: always close. close() commits the final offsets (auto-commit is
            // on by default, O1/C6), closes the sockets, and sends LeaveGroup so the group
            // rebalances at once instead of after session.timeout.ms (G7).
            consumer.close();
        }
    }

    /** The notes' {@code shutdown()}: the loop finishes its current poll and exits. */
    public void shutdown() {
        running = false;
    }

    public static void main(String[] args) {
        String bootstrap = Examples.arg(args, 0, Examples.DEFAULT_BOOTSTRAP);
        String topic = Examples.arg(args, 1, Examples.DEFAULT_TOPIC);
        String group = Examples.arg(args, 2, "basic-consume-loop");
        Properties config = Examples.consumerConfig(bootstrap, group);
        config.put(ConsumerConfig.ENABLE_PARTITION_EOF_CONFIG, "true");
        BasicConsumeLoop loop = new BasicConsumeLoop(config);
        Examples.stopOnCtrlC(loop::shutdown);
        loop.run(
                List.of(topic),
                r -> System.out.printf(
                        "%s [%d] @%d key=%s value=%s%n", r.topic(), r.partition(), r.offset(), r.key(), r.value()));
    }
}
