package io.tributary.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafka;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.support.SendResult;

/**
 * Issue 13 item 2 ("works with any client: Apache kafka-clients, Spring Kafka, our client"): a
 * plain Spring context (no Spring Boot) whose KafkaTemplate and @KafkaListener point at the broker
 * that @TributaryTest started. The injected bootstrap address goes into the context as a bean
 * before it refreshes, as a Spring test would put it into its environment.
 */
@TributaryTest
class SpringKafkaExtensionTest {
    static final String TOPIC = "spring-orders";
    static final String GROUP = "spring-billing";
    static final int RECORDS = 20;

    @BootstrapServers
    static String bootstrap;

    TestBroker broker;

    @BeforeAll
    static void createTopic(TestBroker broker) {
        broker.createTopic(TOPIC, 2);
    }

    @Test
    void kafkaTemplateSendsAndKafkaListenerConsumesInAGroup() throws Exception {
        try (AnnotationConfigApplicationContext ctx = new AnnotationConfigApplicationContext()) {
            ctx.registerBean("bootstrapServers", String.class, () -> bootstrap);
            ctx.register(SpringConfig.class);
            ctx.refresh();

            @SuppressWarnings("unchecked")
            KafkaTemplate<String, String> template = ctx.getBean(KafkaTemplate.class);
            for (int i = 0; i < RECORDS; i++) {
                SendResult<String, String> sent =
                        template.send(TOPIC, "k" + i, "v" + i).get();
                assertThat(sent.getRecordMetadata().offset()).isNotNegative();
            }
            // The records are on the broker, read back by the testkit's own client.
            assertThat(broker.readAll(TOPIC))
                    .hasSize(RECORDS)
                    .allSatisfy(
                            r -> assertThat(r.value()).isEqualTo("v" + r.key().substring(1)));

            Listener listener = ctx.getBean(Listener.class);
            broker.awaitGroupState(GROUP, "Stable", Duration.ofSeconds(30));
            awaitCommitted(RECORDS, Duration.ofSeconds(30));
            assertThat(listener.received)
                    .extracting(ConsumerRecord::value)
                    .containsExactlyInAnyOrderElementsOf(
                            IntStream.range(0, RECORDS).mapToObj(i -> "v" + i).toList());
            // Spring's AckMode.BATCH commits after each poll's batch: the committed offsets sum
            // to the records the listener was handed, and each equals its partition's end.
            for (int p = 0; p < 2; p++) {
                int partition = p;
                long onPartition = listener.received.stream()
                        .filter(r -> r.partition() == partition)
                        .count();
                assertThat(broker.committedOffset(GROUP, TOPIC, p).orElse(0)).isEqualTo(onPartition);
            }

            // Stopping the containers leaves the group: the coordinator sees it empty.
            ctx.getBean(KafkaListenerEndpointRegistry.class).stop();
            broker.awaitGroupState(GROUP, "Empty", Duration.ofSeconds(30));
        }
    }

    /** The listener container commits on its own thread: poll the coordinator until both partitions add up. */
    private void awaitCommitted(long total, Duration timeout) {
        await("group " + GROUP + " commits " + total + " records")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(20))
                .until(
                        () -> broker.committedOffset(GROUP, TOPIC, 0).orElse(0)
                                + broker.committedOffset(GROUP, TOPIC, 1).orElse(0),
                        seen -> seen == total);
    }

    /** Listens in the group; records land here from the container's consumer threads. */
    static class Listener {
        final List<ConsumerRecord<String, String>> received = new CopyOnWriteArrayList<>();

        @KafkaListener(topics = TOPIC, groupId = GROUP)
        void onRecord(ConsumerRecord<String, String> record) {
            received.add(record);
        }
    }

    @Configuration
    @EnableKafka
    static class SpringConfig {
        @Bean
        ProducerFactory<String, String> producerFactory(String bootstrapServers) {
            return new DefaultKafkaProducerFactory<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
        }

        @Bean
        KafkaTemplate<String, String> kafkaTemplate(ProducerFactory<String, String> pf) {
            return new KafkaTemplate<>(pf);
        }

        @Bean
        ConsumerFactory<String, String> consumerFactory(String bootstrapServers) {
            return new DefaultKafkaConsumerFactory<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    bootstrapServers,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                    "earliest",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                    StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                    StringDeserializer.class));
        }

        @Bean
        ConcurrentKafkaListenerContainerFactory<String, String> kafkaListenerContainerFactory(
                ConsumerFactory<String, String> cf) {
            ConcurrentKafkaListenerContainerFactory<String, String> f = new ConcurrentKafkaListenerContainerFactory<>();
            f.setConsumerFactory(cf);
            f.setConcurrency(2);
            f.getContainerProperties().setAckMode(ContainerProperties.AckMode.BATCH);
            return f;
        }

        @Bean
        Listener listener() {
            return new Listener();
        }
    }
}
