package io.tributary.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The README's testkit example, verbatim apart from this comment and the class name (issue 13, item 4). */
@TributaryTest // one broker for this class, on a free port, in a temporary directory
class ReadmeExampleTest {
    @Test
    void ordersAreConsumedByTheBillingGroup(TestBroker broker, @BootstrapServers String bootstrap) throws Exception {
        broker.createTopic("orders", 3);

        Map<String, Object> pc = Map.of("bootstrap.servers", bootstrap);
        try (var producer = new KafkaProducer<>(pc, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("orders", "order-1", "created")).get();
        }
        assertThat(broker.readAll("orders")).extracting(TestRecord::value).containsExactly("created");

        Map<String, Object> cc =
                Map.of("bootstrap.servers", bootstrap, "group.id", "billing", "auto.offset.reset", "earliest");
        try (var consumer = new KafkaConsumer<>(cc, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("orders"));
            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (seen.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> seen.add(r.key() + "=" + r.value()));
            }
            assertThat(seen).containsExactly("order-1=created");
            broker.awaitGroupState("billing", "Stable", Duration.ofSeconds(10));
        }
    }
}
