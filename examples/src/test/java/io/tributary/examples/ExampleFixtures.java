package io.tributary.examples;

import static org.awaitility.Awaitility.await;

import io.tributary.client.admin.Admin;
import io.tributary.client.admin.AdminClientConfig;
import io.tributary.client.admin.NewTopic;
import io.tributary.client.admin.OffsetSpec;
import io.tributary.client.admin.TributaryAdmin;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.client.producer.ProducerConfig;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.client.serialization.StringSerializer;
import io.tributary.testkit.EmbeddedBroker;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Test helpers: one embedded broker for all example tests, topics made with our admin, data
 * written by our producer (issue 12 item 5), example loops on threads. Tests use their own topics and groups,
 * so sharing the broker is safe; it stops when the test JVM exits.
 */
final class ExampleFixtures {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static EmbeddedBroker broker;

    private ExampleFixtures() {}

    /** The shared broker's bootstrap servers, starting it on first use. */
    static synchronized String bootstrap() {
        if (broker == null) {
            EmbeddedBroker started = EmbeddedBroker.start(Map.of("group.initial.rebalance.delay.ms", "0"));
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "examples-broker-shutdown"));
            broker = started;
        }
        return broker.bootstrapServers();
    }

    /** A fresh topic holding {@code perPartition} records per partition (see {@link #produce}), and a fresh group name. */
    record Scenario(String topic, String group) {}

    static Scenario scenario(String name, int partitions, int perPartition) throws Exception {
        Scenario s = new Scenario(unique(name), unique(name + "-group"));
        createTopic(bootstrap(), s.topic(), partitions);
        produce(bootstrap(), s.topic(), partitions, perPartition);
        return s;
    }

    static String unique(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet() + "-" + System.nanoTime();
    }

    static void createTopic(String bootstrap, String topic, int partitions) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = TributaryAdmin.create(props)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(20))
                    .ignoreExceptions()
                    .until(() -> admin.listOffsets(latest)
                                    .all()
                                    .get(5, TimeUnit.SECONDS)
                                    .size()
                            == partitions);
        }
    }

    /** Writes {@code perPartition} records to every partition, values "p{partition}-{i}". */
    static void produce(String bootstrap, String topic, int partitions, int perPartition) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (TributaryProducer<String, String> producer =
                new TributaryProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int p = 0; p < partitions; p++) {
                for (int i = 0; i < perPartition; i++) {
                    producer.send(new ProducerRecord<>(topic, p, "k" + i, "p" + p + "-" + i));
                }
            }
            producer.flush();
        }
    }

    /** The group's committed offsets as the broker reports them, read by a separate group-less lookup. */
    static Map<TopicPartition, Long> committed(String bootstrap, String group, String topic, int partitions) {
        Properties props = Examples.consumerConfig(bootstrap, group);
        props.put("enable.auto.commit", "false");
        Set<TopicPartition> tps = new HashSet<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(topic, p));
        }
        try (TributaryConsumer<String, String> c = new TributaryConsumer<>(props)) {
            Map<TopicPartition, Long> out = new HashMap<>();
            Map<TopicPartition, OffsetAndMetadata> committed = c.committed(tps, Duration.ofSeconds(10));
            committed.forEach((tp, om) -> {
                if (om != null) {
                    out.put(tp, om.offset());
                }
            });
            return out;
        }
    }

    static Map<TopicPartition, Long> offsets(String topic, int partitions, long each) {
        Map<TopicPartition, Long> m = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            m.put(new TopicPartition(topic, p), each);
        }
        return m;
    }

    /** An example's run method on its own thread; {@link #join} rethrows what it threw. */
    static final class Loop {
        private final Thread thread;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Loop(String name, Runnable body) {
            thread = new Thread(
                    () -> {
                        try {
                            body.run();
                        } catch (Throwable t) {
                            failure.set(t);
                        }
                    },
                    name);
            thread.setDaemon(true);
            thread.start();
        }

        boolean isAlive() {
            return thread.isAlive();
        }

        Throwable failure() {
            return failure.get();
        }

        void join(Duration timeout) throws InterruptedException {
            thread.join(timeout.toMillis());
            if (thread.isAlive()) {
                throw new AssertionError(thread.getName() + " did not stop within " + timeout);
            }
            if (failure.get() != null) {
                throw new AssertionError(thread.getName() + " failed", failure.get());
            }
        }
    }
}
