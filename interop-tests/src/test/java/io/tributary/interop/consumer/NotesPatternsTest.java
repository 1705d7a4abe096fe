package io.tributary.interop.consumer;

import static io.tributary.interop.consumer.Fixtures.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.errors.WakeupException;
import io.tributary.client.consumer.ConsumerRebalanceListener;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The commit patterns of the consumer notes, written as an application would (O4, O5, O6, C7,
 * C8): async commits with a sequence number guarding retries, a final sync commit on shutdown
 * and in onPartitionsRevoked, per-message offset commits, and a shutdown through wakeup().
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class NotesPatternsTest {
    static Stream<Target> targets() {
        return Targets.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void asyncWhileRunningSyncOnRevokeAndShutdownViaWakeup(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("notes");
        String group = KafkaClients.uniqueTopic("g-notes");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 2);
        produce(broker.bootstrapServers(), topic, 0, 0, 50, "snappy");
        produce(broker.bootstrapServers(), topic, 1, 0, 50, "snappy");

        Map<String, Object> cfg = new HashMap<>();
        cfg.put("group.id", group);
        cfg.put("enable.auto.commit", "false");
        cfg.put("auto.offset.reset", "earliest");
        cfg.put("max.poll.records", "7");
        cfg.put("session.timeout.ms", "10000");
        cfg.put("heartbeat.interval.ms", "500");
        TributaryConsumer<String, String> consumer = Fixtures.consumer(broker.bootstrapServers(), cfg);
        Map<TopicPartition, OffsetAndMetadata> current = new ConcurrentHashMap<>();
        AtomicInteger sequence = new AtomicInteger();
        AtomicInteger staleRetriesSkipped = new AtomicInteger();
        AtomicInteger consumed = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);

        Thread loop = new Thread(
                () -> {
                    try {
                        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                            @Override
                            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                                // O5: before losing the partitions, commit what we processed, synchronously.
                                consumer.commitSync(current);
                            }

                            @Override
                            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
                        });
                        while (true) {
                            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                                // O6: committing a message means its offset + 1.
                                current.put(
                                        new TopicPartition(r.topic(), r.partition()),
                                        new OffsetAndMetadata(r.offset() + 1, "no metadata"));
                                consumed.incrementAndGet();
                            }
                            int mySequence = sequence.incrementAndGet();
                            consumer.commitAsync(Map.copyOf(current), (offsets, e) -> {
                                // O4: retry only if no newer commit was sent meanwhile.
                                if (e != null && mySequence == sequence.get()) {
                                    consumer.commitAsync(offsets, null);
                                } else if (e != null) {
                                    staleRetriesSkipped.incrementAndGet();
                                }
                            });
                        }
                    } catch (WakeupException e) {
                        // C7: the shutdown path.
                    } catch (Throwable t) {
                        failure.set(t);
                    } finally {
                        try {
                            consumer.commitSync(current);
                        } finally {
                            consumer.close();
                            stopped.countDown();
                        }
                    }
                },
                "notes-poll-loop");
        loop.start();
        await().atMost(60, TimeUnit.SECONDS).until(() -> consumed.get() == 100);
        // What a shutdown hook does: wakeup from another thread, then wait for the loop to close.
        consumer.wakeup();
        assertThat(stopped.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(failure.get()).isNull();

        try (TributaryConsumer<String, String> check = Fixtures.consumer(
                broker.bootstrapServers(), Map.of("group.id", group, "enable.auto.commit", "false"))) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    check.committed(Set.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1)));
            assertThat(committed.values()).allSatisfy(om -> {
                assertThat(om.offset()).isEqualTo(50);
                assertThat(om.metadata()).isEqualTo("no metadata");
            });
        }
    }
}
