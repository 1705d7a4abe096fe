package io.tributary.examples;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.errors.WakeupException;
import io.tributary.client.consumer.Consumer;
import io.tributary.client.consumer.ConsumerConfig;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.consumer.TributaryConsumer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The notes' commit program (section "Committing a Specified Offset", the {@code customers}
 * consumer): an asynchronous commit every 50 messages while running, and one synchronous commit
 * in {@code finally} before closing (O5).
 *
 * <p>Usage: {@code CommitPatternsExample [bootstrap.servers] [topic] [group.id]}. Ctrl-C stops
 * it (the Python program's {@code except KeyboardInterrupt}).
 *
 * <p>Threads: {@link #run} owns the consumer, and commit callbacks run on it too (inside poll or
 * commit, O3). {@link #shutdown()} and the counters are safe from any thread.
 */
public class CommitPatternsExample {
    /** The notes commit every 50 messages. */
    public static final int COMMIT_EVERY = 50;

    private final Properties config;
    private final int commitEvery;
    private volatile Consumer<String, String> consumer;
    private final AtomicInteger asyncCommitsSucceeded = new AtomicInteger();
    private final AtomicInteger asyncCommitsFailed = new AtomicInteger();
    /** Sequence number of the newest async commit sent (O4). */
    private final AtomicLong commitSequence = new AtomicLong();

    public CommitPatternsExample(Properties config) {
        this(config, COMMIT_EVERY);
    }

    public CommitPatternsExample(Properties config, int commitEvery) {
        this.config = new Properties();
        this.config.putAll(config);
        // 'enable.auto.commit': False — this program decides when offsets are committed.
        this.config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.commitEvery = commitEvery;
    }

    /**
     * Consumes {@code topic} until {@link #shutdown()}, then commits synchronously and closes.
     *
     * @return the offsets committed by the final synchronous commit
     */
    public Map<TopicPartition, OffsetAndMetadata> run(String topic, BasicConsumeLoop.RecordProcessor processor) {
        Consumer<String, String> c = new TributaryConsumer<>(config);
        consumer = c;
        // The notes' done_msg, kept per partition: committing "a message" means committing its
        // offset + 1, the next one to read (O6). Python's commit(message=done_msg) commits only
        // done_msg's partition; with several partitions, each needs its own entry.
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        int counts = 0;
        try {
            c.subscribe(List.of(topic));
            while (true) {
                for (ConsumerRecord<String, String> msg : c.poll(Duration.ofSeconds(1))) {
                    processor.process(msg);
                    done.put(new TopicPartition(msg.topic(), msg.partition()), new OffsetAndMetadata(msg.offset() + 1));
                    counts++;
                    if (counts % commitEvery == 0) {
                        commitAsync(c, Map.copyOf(done));
                    }
                }
            }
        } catch (WakeupException e) {
            // Shutting down (the Python KeyboardInterrupt): fall through to the final commit.
        } finally {
            try {
                // The last commit before close must not be lost, and there is no "next commit"
                // to make up for a failure, so it is synchronous: it retries until it succeeds,
                // fails for good, or times out (O2, O5).
                if (!done.isEmpty()) {
                    c.commitSync(done);
                }
            } finally {
                c.close();
            }
        }
        return Map.copyOf(done);
    }

    /**
     * O3: commitAsync does not block the loop and does not retry by itself, because a retry that
     * lands after a newer commit would move the committed offset backwards. O4: a retry is only
     * safe if no newer commit was sent since, which the sequence number tells.
     */
    private void commitAsync(Consumer<String, String> c, Map<TopicPartition, OffsetAndMetadata> offsets) {
        long sequence = commitSequence.incrementAndGet();
        c.commitAsync(offsets, (committed, error) -> {
            if (error == null) {
                asyncCommitsSucceeded.incrementAndGet();
                return;
            }
            asyncCommitsFailed.incrementAndGet();
            if (sequence == commitSequence.get()) {
                c.commitAsync(committed, null);
            }
            // Otherwise a newer commit already carries higher offsets: skipping is correct.
        });
    }

    /** Stops the loop from another thread; the next (or current) poll throws WakeupException (C7). */
    public void shutdown() {
        Consumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    public int asyncCommitsSucceeded() {
        return asyncCommitsSucceeded.get();
    }

    public int asyncCommitsFailed() {
        return asyncCommitsFailed.get();
    }

    public static void main(String[] args) {
        String bootstrap = Examples.arg(args, 0, Examples.DEFAULT_BOOTSTRAP);
        String topic = Examples.arg(args, 1, Examples.DEFAULT_TOPIC);
        String group = Examples.arg(args, 2, "commit-patterns");
        CommitPatternsExample example = new CommitPatternsExample(Examples.consumerConfig(bootstrap, group));
        Examples.stopOnCtrlC(example::shutdown);
        Map<TopicPartition, OffsetAndMetadata> committed = example.run(
                topic,
                msg -> System.out.printf("Message done: %s [%d] @%d%n", msg.topic(), msg.partition(), msg.offset()));
        System.out.println("Committed on exit: " + committed);
    }
}
