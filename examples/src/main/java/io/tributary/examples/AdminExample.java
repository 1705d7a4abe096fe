package io.tributary.examples;

import io.tributary.client.admin.Admin;
import io.tributary.client.admin.AdminClientConfig;
import io.tributary.client.admin.ConsumerGroupDescription;
import io.tributary.client.admin.ListOffsetsResult.ListOffsetsResultInfo;
import io.tributary.client.admin.NewTopic;
import io.tributary.client.admin.OffsetSpec;
import io.tributary.client.admin.TopicDescription;
import io.tributary.client.admin.TributaryAdmin;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.TopicPartitionInfo;
import io.tributary.client.common.errors.TopicExistsException;
import io.tributary.client.consumer.ConsumerRecords;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.client.serialization.StringSerializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Our admin client beside our producer and consumer (issue 12): create a topic (tolerating one
 * that exists), fill it, consume part of it in a group, report the group's lag (end offsets minus
 * committed offsets) and reset the group to the beginning, the way {@code kafka-consumer-groups
 * --reset-offsets --to-earliest} does. The same code runs against Apache Kafka.
 *
 * <p>Usage: {@code AdminExample [bootstrap.servers] [topic] [group.id]}.
 *
 * <p>Threads: one instance per thread; the admin client itself is thread-safe.
 */
public class AdminExample implements AutoCloseable {
    private static final long WAIT_S = 30;

    private final String bootstrap;
    private final Admin admin;

    public AdminExample(String bootstrap) {
        this.bootstrap = bootstrap;
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        this.admin = TributaryAdmin.create(props);
    }

    /** Creates the topic unless it exists; returns its description either way. */
    public TopicDescription ensureTopic(String topic, int partitions) throws Exception {
        try {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get(WAIT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // Kafka's exception type, unwrapped from the future: an existing topic is fine here.
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        // A new topic reaches every broker's metadata a moment after CreateTopics answers.
        for (int attempt = 0; ; attempt++) {
            try {
                return admin.describeTopics(List.of(topic))
                        .allTopicNames()
                        .get(WAIT_S, TimeUnit.SECONDS)
                        .get(topic);
            } catch (ExecutionException e) {
                if (attempt >= 50) {
                    throw e;
                }
                Thread.sleep(100); // example code: a short, bounded backoff
            }
        }
    }

    /** Writes {@code perPartition} records to each partition with our producer. */
    public void fill(String topic, int partitions, int perPartition) throws Exception {
        Map<String, Object> conf = new HashMap<>();
        conf.put("bootstrap.servers", bootstrap);
        try (TributaryProducer<String, String> producer =
                new TributaryProducer<>(conf, new StringSerializer(), new StringSerializer())) {
            for (int p = 0; p < partitions; p++) {
                for (int i = 0; i < perPartition; i++) {
                    producer.send(new ProducerRecord<>(topic, p, "key-" + i, "value-" + p + "-" + i));
                }
            }
            producer.flush();
        }
    }

    /** Consumes in {@code group} with our consumer until {@code atLeast} records were read, committing them. */
    public int consume(String topic, String group, int atLeast) {
        Properties props = Examples.consumerConfig(bootstrap, group);
        props.put("enable.auto.commit", "false");
        props.put("max.poll.records", Integer.toString(atLeast));
        int read = 0;
        try (TributaryConsumer<String, String> consumer = new TributaryConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(WAIT_S);
            while (read < atLeast && System.currentTimeMillis() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                read += records.count();
            }
            consumer.commitSync();
        }
        return read;
    }

    /** Per partition: the end offset minus the group's committed offset (the whole log when nothing is committed). */
    public Map<TopicPartition, Long> lag(String group, String topic, int partitions) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(WAIT_S, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, ListOffsetsResultInfo> ends =
                admin.listOffsets(latest).all().get(WAIT_S, TimeUnit.SECONDS);
        Map<TopicPartition, Long> lag = new HashMap<>();
        ends.forEach((tp, end) -> {
            OffsetAndMetadata c = committed.get(tp);
            lag.put(tp, end.offset() - (c == null ? 0 : c.offset()));
        });
        return lag;
    }

    /**
     * Moves the group back to each partition's earliest offset. Only an empty group accepts
     * this (the coordinator refuses commits from outside a live generation), so the group's
     * members must be stopped first, as with Kafka's tool.
     */
    public Map<TopicPartition, Long> resetToEarliest(String group, String topic) throws Exception {
        ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group))
                .describedGroups()
                .get(group)
                .get(WAIT_S, TimeUnit.SECONDS);
        if (!d.members().isEmpty()) {
            throw new IllegalStateException(
                    "Group " + group + " still has " + d.members().size() + " members");
        }
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        for (TopicPartitionInfo p : admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get(WAIT_S, TimeUnit.SECONDS)
                .get(topic)
                .partitions()) {
            earliest.put(new TopicPartition(topic, p.partition()), OffsetSpec.earliest());
        }
        Map<TopicPartition, OffsetAndMetadata> reset = new HashMap<>();
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(earliest).all().get(WAIT_S, TimeUnit.SECONDS).forEach((tp, info) -> {
            reset.put(tp, new OffsetAndMetadata(info.offset()));
            out.put(tp, info.offset());
        });
        admin.alterConsumerGroupOffsets(group, reset).all().get(WAIT_S, TimeUnit.SECONDS);
        return out;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(WAIT_S));
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = Examples.arg(args, 0, Examples.DEFAULT_BOOTSTRAP);
        String topic = Examples.arg(args, 1, Examples.DEFAULT_TOPIC + "-admin");
        String group = Examples.arg(args, 2, topic + "-group");
        try (AdminExample example = new AdminExample(bootstrap)) {
            TopicDescription d = example.ensureTopic(topic, 3);
            System.out.println("Topic " + d.name() + " (id " + d.topicId() + ") has "
                    + d.partitions().size() + " partitions");
            example.fill(topic, 3, 10);
            System.out.println("Consumed " + example.consume(topic, group, 12) + " records in group " + group);
            System.out.println("Lag: " + example.lag(group, topic, 3));
            System.out.println("Reset to earliest: " + example.resetToEarliest(group, topic));
            System.out.println("Lag after the reset: " + example.lag(group, topic, 3));
        }
    }
}
