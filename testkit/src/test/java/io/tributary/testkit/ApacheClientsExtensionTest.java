package io.tributary.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue 13 item 2: @TributaryTest with Apache's producer and consumer (any client works). */
@TributaryTest(brokerProperties = "num.partitions=2")
class ApacheClientsExtensionTest {
    @BootstrapServers
    static String bootstrap;

    TestBroker broker;

    @BeforeAll
    static void createTopic(TestBroker broker) {
        broker.createTopic("orders", 2);
    }

    @Test
    void apacheProducerAndGroupConsumerAgainstTheInjectedBroker(@BootstrapServers String servers) throws Exception {
        assertThat(servers).isEqualTo(bootstrap).isEqualTo(broker.bootstrapServers());
        Properties pp = new Properties();
        pp.put("bootstrap.servers", servers);
        try (KafkaProducer<String, String> p =
                new KafkaProducer<>(pp, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                RecordMetadata md =
                        p.send(new ProducerRecord<>("orders", "k" + i, "v" + i)).get();
                assertThat(md.offset()).isNotNegative();
            }
        }
        assertThat(broker.readAll("orders"))
                .hasSize(10)
                .allSatisfy(r -> assertThat(r.value()).isEqualTo("v" + r.key().substring(1)));

        Properties cp = new Properties();
        cp.put("bootstrap.servers", servers);
        cp.put("group.id", "billing");
        cp.put("auto.offset.reset", "earliest");
        cp.put("enable.auto.commit", "false");
        try (KafkaConsumer<String, String> c =
                new KafkaConsumer<>(cp, new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of("orders"));
            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (seen.size() < 10 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(100))) {
                    seen.add(r.value());
                }
            }
            assertThat(seen).hasSize(10);
            c.commitSync();
            broker.awaitGroupState("billing", "Stable", Duration.ofSeconds(10));
            long committed = broker.committedOffset("billing", "orders", 0).orElse(0)
                    + broker.committedOffset("billing", "orders", 1).orElse(0);
            assertThat(committed).isEqualTo(10);
        }
        broker.awaitGroupState("billing", "Empty", Duration.ofSeconds(10));
    }

    @Test
    void helpersProduceWithHeadersAndReadBack() {
        broker.createTopic("audit", 1, Map.of("cleanup.policy", "delete"));
        TestRecord sent = broker.produce("audit", 0, "user-1", "login", Map.of("source", "web"));
        assertThat(sent.offset()).isZero();
        List<TestRecord> got = broker.read("audit", 1, Duration.ofSeconds(10));
        assertThat(got).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("user-1");
            assertThat(r.value()).isEqualTo("login");
            assertThat(r.headers()).containsEntry("source", "web");
        });
        assertThat(broker.groupState("nobody")).isEmpty();
    }
}
