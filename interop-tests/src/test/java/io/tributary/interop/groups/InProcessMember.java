package io.tributary.interop.groups;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A group member inside the test JVM, for scenarios that need no SIGKILL: an Apache
 * {@code KafkaConsumer} plus a listener that tracks what it owns. Not thread-safe: the test thread
 * that polls it owns it (several may be polled in turn from one thread).
 */
final class InProcessMember implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final Set<TopicPartition> owned = new TreeSet<>((a, b) -> a.topic().equals(b.topic())
            ? Integer.compare(a.partition(), b.partition())
            : a.topic().compareTo(b.topic()));
    private final Map<TopicPartition, Long> firstOffsets = new HashMap<>();
    private int records;
    private long lastPollNanos;
    private boolean closed;

    InProcessMember(String bootstrap, String group, Map<String, Object> overrides) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.putAll(overrides);
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    void subscribe(String topic) {
        consumer.subscribe(List.of(topic), listener());
    }

    void subscribe(Pattern pattern) {
        consumer.subscribe(pattern, listener());
    }

    /** One short poll; remembers the first offset seen per partition. */
    void poll() {
        lastPollNanos = System.nanoTime();
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
            firstOffsets.putIfAbsent(new TopicPartition(r.topic(), r.partition()), r.offset());
            records++;
        }
    }

    long lastPollNanos() {
        return lastPollNanos;
    }

    Set<TopicPartition> owned() {
        return Set.copyOf(owned);
    }

    Map<TopicPartition, Long> firstOffsets() {
        return Map.copyOf(firstOffsets);
    }

    int records() {
        return records;
    }

    KafkaConsumer<String, String> consumer() {
        return consumer;
    }

    private ConsumerRebalanceListener listener() {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                owned.removeAll(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                owned.addAll(partitions);
            }
        };
    }

    @Override
    public void close() {
        stop();
    }

    /** Closes the consumer (a static member stays in its group); later calls do nothing. */
    void stop() {
        if (!closed) {
            closed = true;
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
        }
    }

    @Override
    public String toString() {
        return "member owning " + owned;
    }

    static Set<Integer> partitionNumbers(Set<TopicPartition> partitions) {
        Set<Integer> numbers = new TreeSet<>();
        partitions.forEach(tp -> numbers.add(tp.partition()));
        return numbers;
    }
}
