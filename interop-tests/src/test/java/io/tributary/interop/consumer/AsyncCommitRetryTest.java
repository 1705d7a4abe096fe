package io.tributary.interop.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.testkit.EmbeddedBroker;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The built-in safe retry of async commits (O4, tributary.async.commit.retries): a commit that
 * fails while the coordinator is unreachable is retried until it lands, and a retry never
 * overwrites a newer commit. Runs against our broker only because it stops and restarts the
 * broker in the middle of the test (the client behaviour does not depend on the broker kind).
 */
class AsyncCommitRetryTest {

    private static Map<String, Object> settings(String group) {
        Map<String, Object> c = new HashMap<>();
        c.put("group.id", group);
        c.put("enable.auto.commit", "false");
        c.put("tributary.async.commit.retries", "1000");
        c.put("reconnect.backoff.ms", "20");
        c.put("reconnect.backoff.max.ms", "50");
        c.put("retry.backoff.ms", "20");
        c.put("retry.backoff.max.ms", "50");
        c.put("request.timeout.ms", "1000");
        c.put("default.api.timeout.ms", "3000");
        return c;
    }

    /** Drives the consumer (callbacks run inside poll) for about the given time. */
    private static void drive(TributaryConsumer<String, String> consumer, long ms) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (System.nanoTime() < end) {
            consumer.poll(Duration.ofMillis(50));
        }
    }

    @Test
    void aFailedAsyncCommitIsRetriedUntilItLands() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start()) {
            String topic = KafkaClients.uniqueTopic("retry");
            KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
            TopicPartition tp = new TopicPartition(topic, 0);
            try (TributaryConsumer<String, String> consumer =
                    Fixtures.consumer(broker.bootstrapServers(), settings(KafkaClients.uniqueTopic("g-retry")))) {
                consumer.assign(List.of(tp));
                consumer.commitSync(Map.of(tp, new OffsetAndMetadata(1)));

                broker.stop();
                AtomicBoolean done = new AtomicBoolean();
                AtomicReference<Exception> outcome = new AtomicReference<>();
                consumer.commitAsync(Map.of(tp, new OffsetAndMetadata(5)), (offsets, e) -> {
                    outcome.set(e);
                    done.set(true);
                });
                drive(consumer, 500); // attempts fail while the broker is down
                assertThat(done).as("the callback waits for the retries").isFalse();

                broker.restart();
                await().atMost(30, TimeUnit.SECONDS)
                        .pollInSameThread()
                        .pollDelay(Duration.ZERO)
                        .until(() -> {
                            consumer.poll(Duration.ofMillis(50));
                            return done.get();
                        });
                assertThat(outcome.get()).isNull();
                assertThat(consumer.committed(java.util.Set.of(tp)).get(tp).offset())
                        .isEqualTo(5);
            }
        }
    }

    @Test
    void aRetryNeverOverwritesANewerCommit() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start()) {
            String topic = KafkaClients.uniqueTopic("retry-order");
            KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
            TopicPartition tp = new TopicPartition(topic, 0);
            try (TributaryConsumer<String, String> consumer =
                    Fixtures.consumer(broker.bootstrapServers(), settings(KafkaClients.uniqueTopic("g-retry-order")))) {
                consumer.assign(List.of(tp));
                consumer.commitSync(Map.of(tp, new OffsetAndMetadata(1)));

                broker.stop();
                AtomicBoolean done = new AtomicBoolean();
                consumer.commitAsync(Map.of(tp, new OffsetAndMetadata(5)), (offsets, e) -> done.set(true));
                drive(consumer, 300);
                broker.restart();
                consumer.commitSync(Map.of(tp, new OffsetAndMetadata(10)));
                await().atMost(30, TimeUnit.SECONDS)
                        .pollInSameThread()
                        .pollDelay(Duration.ZERO)
                        .until(() -> {
                            consumer.poll(Duration.ofMillis(50));
                            return done.get();
                        });
                drive(consumer, 300); // any late retry would have landed by now
                assertThat(consumer.committed(java.util.Set.of(tp)).get(tp).offset())
                        .isEqualTo(10);
            }
        }
    }
}
