package io.tributary.interop.consumer;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.errors.WakeupException;
import io.tributary.client.consumer.ConsumerRebalanceListener;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.TributaryConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A Tributary consumer in a group, driven by its own poll-loop thread (one consumer, one thread):
 * records what it consumed and every rebalance callback, and can stop polling (to exceed
 * max.poll.interval.ms) or stop and close. The test thread only reads the recorded state.
 */
final class GroupMember implements AutoCloseable {
    final String name;
    final List<ConsumerRecord<String, String>> records = new CopyOnWriteArrayList<>();
    final List<String> events = new CopyOnWriteArrayList<>();
    final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final TributaryConsumer<String, String> consumer;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean polling = true;
    private final List<Consumer<TributaryConsumer<String, String>>> tasks = new CopyOnWriteArrayList<>();

    GroupMember(
            String name, String bootstrap, Map<String, Object> overrides, Collection<String> topics, Pattern pattern) {
        this(name, bootstrap, overrides, (c, l) -> {
            if (pattern != null) {
                c.subscribe(pattern, l);
            } else {
                c.subscribe(topics, l);
            }
        });
    }

    /** Subscribes with {@code subscribe} (given the member's recording listener). */
    GroupMember(
            String name,
            String bootstrap,
            Map<String, Object> overrides,
            BiConsumer<TributaryConsumer<String, String>, ConsumerRebalanceListener> subscribe) {
        this.name = name;
        this.consumer = Fixtures.consumer(bootstrap, overrides);
        ConsumerRebalanceListener listener = new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                events.add("revoked " + sorted(partitions));
                owned.removeAll(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                events.add("assigned " + sorted(partitions));
                owned.addAll(partitions);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                events.add("lost " + sorted(partitions));
                owned.removeAll(partitions);
            }
        };
        subscribe.accept(consumer, listener);
        thread = new Thread(this::loop, "member-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    static List<String> sorted(Collection<TopicPartition> partitions) {
        List<String> out = new ArrayList<>();
        partitions.forEach(tp -> out.add(tp.toString()));
        Collections.sort(out);
        return out;
    }

    private void loop() {
        try {
            while (running) {
                for (Consumer<TributaryConsumer<String, String>> t : tasks) {
                    tasks.remove(t);
                    t.accept(consumer);
                }
                if (!polling) {
                    synchronized (this) {
                        wait(50);
                    }
                    continue;
                }
                try {
                    consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                } catch (WakeupException e) {
                    // stop() woke us
                }
            }
        } catch (Throwable t) {
            errors.add(t);
        } finally {
            try {
                consumer.close(Duration.ofSeconds(20));
            } catch (Throwable t) {
                errors.add(t);
            }
        }
    }

    /** Runs code with the consumer on the member's own thread (e.g. a commit). */
    void onThread(Consumer<TributaryConsumer<String, String>> task) {
        tasks.add(task);
    }

    void pausePolling() {
        polling = false;
    }

    void resumePolling() {
        polling = true;
    }

    /** Stops the loop and closes the consumer (commit, revoke, LeaveGroup) on its thread. */
    @Override
    public void close() {
        leave();
    }

    /** Stops the member's poll loop, which closes its consumer (and so leaves the group). */
    void leave() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean isAlive() {
        return thread.isAlive();
    }
}
