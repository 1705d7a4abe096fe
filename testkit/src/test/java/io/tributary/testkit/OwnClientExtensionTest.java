package io.tributary.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.client.serialization.StringDeserializer;
import io.tributary.client.serialization.StringSerializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Issue 13 item 2: our own client, and a fresh broker per test with Lifecycle.PER_METHOD. */
@TributaryTest(lifecycle = TributaryTest.Lifecycle.PER_METHOD)
class OwnClientExtensionTest {
    private static final Set<String> ADDRESSES = ConcurrentHashMap.newKeySet();

    @Test
    void ourProducerAndConsumer(TestBroker broker) throws Exception {
        assertThat(ADDRESSES.add(broker.bootstrapServers())).isTrue();
        broker.createTopic("events", 1);
        Map<String, Object> pc = Map.of("bootstrap.servers", broker.bootstrapServers());
        try (TributaryProducer<String, String> p =
                new TributaryProducer<>(pc, new StringSerializer(), new StringSerializer())) {
            p.send(new ProducerRecord<>("events", "a", "1")).get();
            p.send(new ProducerRecord<>("events", "b", "2")).get();
        }
        Map<String, Object> cc = Map.of(
                "bootstrap.servers", broker.bootstrapServers(),
                "group.id", "g",
                "auto.offset.reset", "earliest");
        try (TributaryConsumer<String, String> c =
                new TributaryConsumer<>(cc, new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of("events"));
            List<String> got = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (got.size() < 2 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(100))) {
                    got.add(r.key() + "=" + r.value());
                }
            }
            assertThat(got).containsExactly("a=1", "b=2");
            broker.awaitGroupState("g", "Stable", Duration.ofSeconds(10));
        }
    }

    @Test
    void eachTestHasItsOwnBroker(TestBroker broker) {
        assertThat(ADDRESSES.add(broker.bootstrapServers())).isTrue();
        // The other test's topic does not exist here: a different broker, a different directory.
        broker.createTopic("events", 1);
        assertThat(broker.readAll("events")).isEmpty();
        assertThatThrownBy(() -> broker.createTopic("events", 1)).hasMessageContaining("already exists");
    }
}
