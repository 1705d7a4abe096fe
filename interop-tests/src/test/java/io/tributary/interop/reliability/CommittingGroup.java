package io.tributary.interop.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A consumer group of Apache consumers in this JVM, each polling on its own thread and
 * committing synchronously after every non-empty poll (issue 15, crash loops). Errors while the
 * broker is down are counted and the member carries on, as an application would.
 */
final class CommittingGroup implements AutoCloseable {
    private final List<Member> members = new ArrayList<>();

    CommittingGroup(String bootstrap, String topic, String group, int size) {
        for (int i = 0; i < size; i++) {
            members.add(new Member(bootstrap, topic, group, "member-" + i));
        }
        members.forEach(m -> m.thread.start());
    }

    /** What each member believes it owns (its rebalance listener's view). */
    List<Set<TopicPartition>> owned() {
        return members.stream().map(m -> Set.copyOf(m.owned)).toList();
    }

    long commits() {
        return members.stream().mapToLong(m -> m.commits.get()).sum();
    }

    long errors() {
        return members.stream().mapToLong(m -> m.errors.get()).sum();
    }

    @Override
    public void close() {
        for (Member m : members) {
            m.stop.set(true);
            m.consumer.wakeup();
        }
        try {
            for (Member m : members) {
                m.thread.join(TimeUnit.SECONDS.toMillis(30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the group", e);
        }
    }

    private static final class Member {
        final KafkaConsumer<byte[], byte[]> consumer;
        final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();
        final AtomicLong commits = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicBoolean stop = new AtomicBoolean();
        final Thread thread;

        Member(String bootstrap, String topic, String group, String name) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, group + "-" + name);
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
            props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500");
            props.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
            consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            thread = new Thread(() -> run(topic), group + "-" + name);
            thread.setDaemon(true);
        }

        private void run(String topic) {
            try {
                consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                        owned.removeAll(partitions);
                    }

                    @Override
                    public void onPartitionsLost(Collection<TopicPartition> partitions) {
                        owned.removeAll(partitions);
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                        owned.addAll(partitions);
                    }
                });
                while (!stop.get()) {
                    try {
                        if (!consumer.poll(Duration.ofMillis(100)).isEmpty()) {
                            consumer.commitSync(Duration.ofSeconds(5));
                            commits.incrementAndGet();
                        }
                    } catch (WakeupException e) {
                        return;
                    } catch (KafkaException e) {
                        errors.incrementAndGet();
                    }
                }
            } finally {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            }
        }
    }
}
