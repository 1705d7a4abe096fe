package io.tributary.examples;

import io.tributary.client.common.PartitionInfo;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.Consumer;
import io.tributary.client.consumer.ConsumerConfig;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.ConsumerRecords;
import io.tributary.client.consumer.TributaryConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The notes' standalone consumer (section "Standalone Consumer"): no group membership, no
 * rebalance; the program looks up the topic's partitions, assigns them all to itself, and still
 * commits its offsets under its group.id (C10).
 *
 * <p>Usage: {@code StandaloneConsumerExample [bootstrap.servers] [topic] [group.id]}.
 *
 * <p>Threads: {@link #run} owns the consumer; {@link #shutdown()} is safe from any thread.
 */
public class StandaloneConsumerExample {
    private final Properties config;
    private volatile boolean running = true;

    public StandaloneConsumerExample(Properties config) {
        this.config = new Properties();
        this.config.putAll(config);
        // The program commits after each batch itself, like the Python consumer.commit().
        this.config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    }

    /** @return the partitions it assigned itself */
    public List<TopicPartition> run(String topic, BasicConsumeLoop.RecordProcessor processor) {
        try (Consumer<String, String> consumer = new TributaryConsumer<>(config)) {
            // The Python list_topics(topic=...).topics[topic].partitions: ask the cluster's metadata.
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
            if (partitions.isEmpty()) {
                // partitionsFor does not create topics; assigning nothing would make poll fail.
                System.err.println("Topic " + topic + " does not exist (no partitions); nothing to read.");
                return partitions;
            }
            // assign(), not subscribe(): this consumer never joins the group, so no other member
            // can take partitions away and no rebalance ever pauses it. The price: partitions
            // added to the topic later are not noticed unless partitionsFor() is called again and
            // the new list assigned.
            consumer.assign(partitions);
            while (running) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, String> record : records) {
                    processor.process(record);
                }
                if (!records.isEmpty()) {
                    // Commits work without membership (generation -1): the group.id only names
                    // where the offsets are kept, so a restart resumes here (O2, C10).
                    consumer.commitSync();
                }
            }
            return partitions;
        }
    }

    public void shutdown() {
        running = false;
    }

    public static void main(String[] args) {
        String bootstrap = Examples.arg(args, 0, Examples.DEFAULT_BOOTSTRAP);
        String topic = Examples.arg(args, 1, Examples.DEFAULT_TOPIC);
        String group = Examples.arg(args, 2, "standalone-consumer");
        StandaloneConsumerExample example = new StandaloneConsumerExample(Examples.consumerConfig(bootstrap, group));
        Examples.stopOnCtrlC(example::shutdown);
        example.run(topic, r -> System.out.printf("%s [%d] @%d %s%n", r.topic(), r.partition(), r.offset(), r.value()));
    }
}
