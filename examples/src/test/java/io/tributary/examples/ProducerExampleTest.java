package io.tributary.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.client.producer.RecordMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12: ProducerExample against the testkit broker, read back with our consumer. Sync,
 * async and committed transactional records are all there; the aborted transaction's are not
 * (read_committed) though they are in the log (read_uncommitted).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProducerExampleTest {
    @Test
    void syncAsyncAndTransactionalSendsAreReadBackByOurConsumer() throws Exception {
        String bootstrap = ExampleFixtures.bootstrap();
        String topic = ExampleFixtures.unique("producer-example");
        ExampleFixtures.createTopic(bootstrap, topic, 2);
        ProducerExample example = new ProducerExample(bootstrap);

        RecordMetadata sync = example.sendSync(topic, "sync", "hello");
        assertThat(sync.offset()).isNotNegative();
        assertThat(example.sendAsync(topic, 10)).isZero();
        String txnId = ExampleFixtures.unique("producer-example-txn");
        assertThat(example.sendTransaction(topic, txnId, List.of("t1", "t2", "t3"), true))
                .allSatisfy(md -> assertThat(md.offset()).isNotNegative());
        example.sendTransaction(topic, txnId, List.of("x1", "x2"), false);

        List<String> committed = read(bootstrap, topic, "read_committed", 14);
        List<String> expected = new ArrayList<>(List.of("hello", "t1", "t2", "t3"));
        for (int i = 0; i < 10; i++) {
            expected.add("async value " + i);
        }
        assertThat(committed).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(read(bootstrap, topic, "read_uncommitted", 16)).contains("x1", "x2");
    }

    private static List<String> read(String bootstrap, String topic, String isolation, int count) {
        Properties props = Examples.consumerConfig(bootstrap, null);
        props.put("isolation.level", isolation);
        List<String> values = new ArrayList<>();
        try (TributaryConsumer<String, String> c = new TributaryConsumer<>(props)) {
            c.assign(List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1)));
            await().atMost(Duration.ofSeconds(20)).pollInSameThread().until(() -> {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(100))) {
                    values.add(r.value());
                }
                return values.size() >= count;
            });
            // Nothing more: an aborted record leaking into read_committed would show up here.
            assertThat(c.poll(Duration.ofMillis(300)).count()).isZero();
        }
        return values;
    }
}
