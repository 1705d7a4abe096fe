package io.tributary.interop.support;

import static org.awaitility.Awaitility.await;

import io.tributary.client.producer.TributaryProducer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Apache {@code kafka-clients} objects configured the way an ordinary application would be,
 * pointed at a {@link RunningBroker}. Stateless; every method may be called from any thread and
 * the returned client belongs to the caller.
 */
public final class KafkaClients {
    private static final AtomicInteger TOPIC_SEQUENCE = new AtomicInteger();

    private KafkaClients() {}

    /** A topic name no other test in this JVM uses. */
    public static String uniqueTopic(String prefix) {
        return prefix + "-" + TOPIC_SEQUENCE.incrementAndGet() + "-" + Long.toHexString(System.nanoTime());
    }

    /**
     * Creates a topic with replication factor 1 through the Apache AdminClient, then waits until
     * every partition answers ListOffsets, i.e. its leader really serves it.
     *
     * <p>Why wait: Apache publishes the new leader in Metadata a moment before its replica manager
     * accepts writes. An idempotent producer whose first batch gets NOT_LEADER_OR_FOLLOWER while
     * its second is accepted then retries sequence 0 into OUT_OF_ORDER_SEQUENCE until its
     * delivery timeout (seen here with lz4 and zstd). Kafka's own tests wait the same way.
     */
    public static void createTopic(String bootstrapServers, String topic, int partitions) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            await("leaders of " + topic + " serve ListOffsets")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(20))
                    .ignoreExceptions()
                    .until(() -> admin.listOffsets(latest)
                                    .all()
                                    .get(10, TimeUnit.SECONDS)
                                    .size()
                            == partitions);
        }
    }

    /** A producer with Kafka's defaults (idempotent, acks=all) plus {@code overrides}. */
    public static KafkaProducer<byte[], byte[]> producer(String bootstrapServers, Map<String, Object> overrides) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.putAll(overrides);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Our producer with Kafka's defaults (idempotent, acks=all) plus {@code overrides}: what tests
     * use to feed data when Apache's producer is not what they test (issue 12 item 5).
     */
    public static TributaryProducer<byte[], byte[]> ourProducer(
            String bootstrapServers, Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>(overrides);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return new TributaryProducer<>(
                props,
                new io.tributary.client.serialization.ByteArraySerializer(),
                new io.tributary.client.serialization.ByteArraySerializer());
    }

    /** A group-less consumer for assign + seek use, with Kafka's defaults plus {@code overrides}. */
    public static KafkaConsumer<byte[], byte[]> assignOnlyConsumer(
            String bootstrapServers, Map<String, Object> overrides) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.putAll(overrides);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The partition Kafka's default partitioner picks for a non-null key. */
    public static int defaultPartition(byte[] key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }

    /** A deadline-bounded poll duration used by consume loops. */
    public static Duration pollTimeout() {
        return Duration.ofMillis(200);
    }
}
