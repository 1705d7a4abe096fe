package io.tributary.examples;

import io.tributary.client.common.errors.WakeupException;
import io.tributary.client.consumer.Consumer;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.TributaryConsumer;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * The notes' "But How Do We Exit" (which has no Python program): the poll loop runs on one
 * thread; another thread (a JVM shutdown hook on Ctrl-C) calls {@code wakeup()}, the only
 * consumer method that is safe from another thread (C5). The blocked or next poll throws
 * {@link WakeupException} (C7); the loop then calls {@code close()}, which commits the offsets
 * (auto-commit, C6) and sends LeaveGroup, so the group rebalances at once rather than after
 * {@code session.timeout.ms} (G7).
 *
 * <p>Usage: {@code ShutdownWithWakeupExample [bootstrap.servers] [topic] [group.id]}.
 *
 * <p>Threads: {@link #run} owns the consumer; {@link #shutdown()} is for any other thread.
 */
public class ShutdownWithWakeupExample {
    private final Consumer<String, String> consumer;

    /** Creates the consumer at once, so {@link #shutdown()} works even before {@link #run} starts polling. */
    public ShutdownWithWakeupExample(Properties config) {
        // enable.auto.commit stays at its default (true): close() then commits what poll returned.
        this.consumer = new TributaryConsumer<>(config);
    }

    public void run(String topic, BasicConsumeLoop.RecordProcessor processor) {
        try {
            consumer.subscribe(List.of(topic));
            // No flag to check: the loop runs until wakeup() interrupts it. A long poll timeout
            // costs nothing, because wakeup() also cuts a poll that is waiting for data short.
            while (true) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(10))) {
                    processor.process(record);
                }
            }
        } catch (WakeupException e) {
            // Expected: this is how another thread asked us to stop. If wakeup() came while we
            // were processing, the next poll throws instead, so no record is cut in half.
        } finally {
            consumer.close();
        }
    }

    /** Safe from any thread: makes the loop's current or next poll throw WakeupException. */
    public void shutdown() {
        consumer.wakeup();
    }

    public static void main(String[] args) {
        String bootstrap = Examples.arg(args, 0, Examples.DEFAULT_BOOTSTRAP);
        String topic = Examples.arg(args, 1, Examples.DEFAULT_TOPIC);
        String group = Examples.arg(args, 2, "shutdown-with-wakeup");
        ShutdownWithWakeupExample example = new ShutdownWithWakeupExample(Examples.consumerConfig(bootstrap, group));
        // The hook runs on its own thread when the JVM is asked to stop (Ctrl-C, SIGTERM); it
        // must wait for the loop to finish close(), or the JVM would exit mid-close.
        Examples.stopOnCtrlC(example::shutdown);
        example.run(topic, r -> System.out.printf("%s [%d] @%d %s%n", r.topic(), r.partition(), r.offset(), r.value()));
        System.out.println("Closed: offsets committed, group left.");
    }
}
