package io.tributary.examples;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.Consumer;
import io.tributary.client.consumer.ConsumerConfig;
import io.tributary.client.consumer.ConsumerRebalanceListener;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.ConsumerRecords;
import io.tributary.client.consumer.TributaryConsumer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import java.util.Properties;

/**
 * The notes' "Consuming Records with Specific Offsets" program, {@code c.seek(TopicPartition(
 * 'mytopic', 0), 0)}, grown into its typical use: the offsets live in another system (a
 * database, here a {@link FileOffsetStore}) and that system, not the group's committed offsets,
 * decides where reading starts (C9).
 *
 * <p>Usage: {@code SeekFromStoreExample [bootstrap.servers] [topic] [group.id] [offsets-file]}.
 *
 * <p>Threads: {@link #run} owns the consumer and the store; {@link #shutdown()} is safe from any
 * thread.
 */
public class SeekFromStoreExample {
    private final Properties config;
    private final FileOffsetStore store;
    private volatile boolean running = true;

    public SeekFromStoreExample(Properties config, FileOffsetStore store) {
        this.config = new Properties();
        this.config.putAll(config);
        // The store holds the truth; the group's own commits would only be a second, stale copy.
        this.config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.store = store;
    }

    public void run(String topic, BasicConsumeLoop.RecordProcessor processor) {
        try (Consumer<String, String> consumer = new TributaryConsumer<>(config)) {
            // seek() only works on partitions this consumer owns, and right after subscribe()
            // it owns none yet (the Python snippet's seek would fail for that reason). The moment
            // ownership is known is onPartitionsAssigned (C8), before anything is fetched: seek there.
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    for (TopicPartition tp : partitions) {
                        OptionalLong stored = store.offset(tp);
                        if (stored.isPresent()) {
                            consumer.seek(tp, stored.getAsLong());
                        }
                        // Not in the store yet: auto.offset.reset decides (O7). seekToBeginning
                        // and seekToEnd are the other explicit choices.
                    }
                }

                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // The store is saved after every batch, so nothing is pending here.
                    store.save();
                }
            });
            while (running) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, String> record : records) {
                    processor.process(record);
                    store.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
                }
                if (!records.isEmpty()) {
                    // In a database this is one transaction with the processing results: either
                    // both the results and the offset are stored, or neither is, so a restart
                    // neither skips nor repeats a record.
                    store.save();
                }
            }
        }
    }

    public void shutdown() {
        running = false;
    }

    public static void main(String[] args) {
        String bootstrap = Examples.arg(args, 0, Examples.DEFAULT_BOOTSTRAP);
        String topic = Examples.arg(args, 1, Examples.DEFAULT_TOPIC);
        String group = Examples.arg(args, 2, "seek-from-store");
        Path file = Path.of(Examples.arg(args, 3, "offsets.properties"));
        FileOffsetStore store = new FileOffsetStore(file);
        if (store.snapshot().isEmpty()) {
            // The notes' example: start partition 0 at offset 0 (an explicit seek, C9).
            store.put(new TopicPartition(topic, 0), 0);
        }
        SeekFromStoreExample example = new SeekFromStoreExample(Examples.consumerConfig(bootstrap, group), store);
        Examples.stopOnCtrlC(example::shutdown);
        example.run(topic, r -> System.out.printf("%s [%d] @%d %s%n", r.topic(), r.partition(), r.offset(), r.value()));
        System.out.println("Offsets stored in " + file.toAbsolutePath() + ": " + store.snapshot());
    }
}
