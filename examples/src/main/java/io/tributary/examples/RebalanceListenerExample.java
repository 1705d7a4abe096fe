package io.tributary.examples;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.Consumer;
import io.tributary.client.consumer.ConsumerConfig;
import io.tributary.client.consumer.ConsumerRebalanceListener;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.consumer.TributaryConsumer;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The notes' {@code on_assign} / {@code on_revoke} program (section "Rebalance Listeners"):
 * commit what was processed right before losing partitions, so the member that takes them over
 * continues exactly where this one stopped (C8, O6).
 *
 * <p>Usage: {@code RebalanceListenerExample [bootstrap.servers] [topic] [group.id]}. Start two
 * copies with the same group and watch the first one revoke, commit, and keep half.
 *
 * <p>Threads: {@link #run} owns the consumer; the listener runs on that same thread, inside
 * poll. {@link #shutdown()}, {@link #revocations()} and {@link #assignment()} are safe from any
 * thread.
 */
public class RebalanceListenerExample {
    /** One onPartitionsRevoked call: which partitions, and what was committed for them. */
    public record Revocation(Set<TopicPartition> partitions, Map<TopicPartition, OffsetAndMetadata> committed) {}

    private final Properties config;
    private final List<Revocation> revocations = new CopyOnWriteArrayList<>();
    private volatile Set<TopicPartition> assignment = Set.of();
    private volatile boolean running = true;

    public RebalanceListenerExample(Properties config) {
        this.config = new Properties();
        this.config.putAll(config);
        // The application decides when offsets are committed (O2); with auto-commit on, a
        // rebalance could hand over partitions whose last records were processed but not committed.
        this.config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    }

    /** Polls {@code topic}, handing each record to {@code processor}, until {@link #shutdown()}. */
    public void run(String topic, BasicConsumeLoop.RecordProcessor processor) {
        // The position after the last record processed, per partition: what "done" means (O6).
        Map<TopicPartition, OffsetAndMetadata> processed = new HashMap<>();
        try (Consumer<String, String> consumer = new TributaryConsumer<>(config)) {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // Called before ownership is given up (C8): the last moment a commit for
                    // these partitions is still accepted. Committing synchronously (O5) means the
                    // next owner starts right after our last processed record: nothing is lost,
                    // nothing is processed twice.
                    Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
                    for (TopicPartition tp : partitions) {
                        if (processed.containsKey(tp)) {
                            toCommit.put(tp, processed.remove(tp));
                        }
                    }
                    System.out.println("Rebalance: Revoking partitions: " + partitions + ", committing " + toCommit);
                    consumer.commitSync(toCommit);
                    revocations.add(new Revocation(Set.copyOf(partitions), Map.copyOf(toCommit)));
                    Set<TopicPartition> left = new TreeSet<>(assignment);
                    left.removeAll(partitions);
                    assignment = Set.copyOf(left);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    // Called after the new assignment is known and before records of these
                    // partitions are fetched. The Python version sets partition.offset = 0 here,
                    // which re-reads every partition from the start after each rebalance; the
                    // Java equivalent would be consumer.seek(tp, 0) (see SeekFromStoreExample for
                    // a useful seek). Without it, reading resumes at the committed offset.
                    System.out.println("Rebalance: Assigning partitions: " + partitions);
                    Set<TopicPartition> now = new TreeSet<>(assignment);
                    now.addAll(partitions);
                    assignment = Set.copyOf(now);
                }
            });
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    processor.process(record);
                    processed.put(
                            new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1));
                }
            }
            // Leaving: close() revokes everything, so the listener commits the rest (C6).
        }
    }

    public void shutdown() {
        running = false;
    }

    /** Every onPartitionsRevoked call so far, in order. */
    public List<Revocation> revocations() {
        return List.copyOf(revocations);
    }

    /** The partitions this member owns, as the listener last saw them. */
    public Set<TopicPartition> assignment() {
        return assignment;
    }

    public static void main(String[] args) {
        String bootstrap = Examples.arg(args, 0, Examples.DEFAULT_BOOTSTRAP);
        String topic = Examples.arg(args, 1, Examples.DEFAULT_TOPIC);
        String group = Examples.arg(args, 2, "rebalance-listener");
        RebalanceListenerExample example = new RebalanceListenerExample(Examples.consumerConfig(bootstrap, group));
        Examples.stopOnCtrlC(example::shutdown);
        example.run(topic, r -> System.out.printf("%s [%d] @%d %s%n", r.topic(), r.partition(), r.offset(), r.value()));
    }
}
