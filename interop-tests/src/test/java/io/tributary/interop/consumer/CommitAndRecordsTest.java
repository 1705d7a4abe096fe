package io.tributary.interop.consumer;

import static io.tributary.interop.consumer.Fixtures.consumer;
import static io.tributary.interop.consumer.Fixtures.pollUntil;
import static io.tributary.interop.consumer.Fixtures.produce;
import static io.tributary.interop.consumer.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.errors.InvalidGroupIdException;
import io.tributary.client.common.errors.SerializationException;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.client.producer.ProducerConfig;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.client.serialization.IntegerDeserializer;
import io.tributary.client.serialization.StringDeserializer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Offsets and record decoding (O1, O2, O3, O6, C9, C10, C11): standalone commits with a
 * group.id, committed(), resuming from a commit, auto-commit on close, async commit callbacks
 * in order on the polling thread, transactions (control batches skipped, read_committed), and a
 * value that does not deserialize.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CommitAndRecordsTest {

    static Stream<Target> targets() {
        return Targets.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void standaloneCommitsAreStoredAndResumedFrom(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("commits");
        String group = KafkaClients.uniqueTopic("standalone-group");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 2);
        produce(broker.bootstrapServers(), topic, 0, 0, 30, "none");
        produce(broker.bootstrapServers(), topic, 1, 0, 10, "none");
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);

        Map<String, Object> cfg =
                Map.of("group.id", group, "enable.auto.commit", "false", "auto.offset.reset", "earliest");
        try (TributaryConsumer<String, String> c = consumer(broker.bootstrapServers(), cfg)) {
            c.assign(List.of(p0, p1));
            assertThat(c.committed(Set.of(p0, p1))).containsEntry(p0, null).containsEntry(p1, null);
            pollUntil(c, 40);
            // O6: committing "a message" is its offset + 1, with metadata.
            c.commitSync(Map.of(p0, new OffsetAndMetadata(11, "eleven")));
            // O2: commitSync() commits the positions of everything polled (p1 → 10).
            c.commitSync(Map.of(p1, new OffsetAndMetadata(c.position(p1))));
            Map<TopicPartition, OffsetAndMetadata> committed = c.committed(Set.of(p0, p1));
            assertThat(committed.get(p0).offset()).isEqualTo(11);
            assertThat(committed.get(p0).metadata()).isEqualTo("eleven");
            assertThat(committed.get(p1).offset()).isEqualTo(10);

            // O3: async callbacks run on the polling thread, in commit order.
            List<Long> order = Collections.synchronizedList(new ArrayList<>());
            List<String> threads = Collections.synchronizedList(new ArrayList<>());
            for (long o = 20; o < 25; o++) {
                long offset = o;
                c.commitAsync(Map.of(p0, new OffsetAndMetadata(offset)), (offsets, e) -> {
                    assertThat(e).isNull();
                    order.add(offsets.get(p0).offset());
                    threads.add(Thread.currentThread().getName());
                });
            }
            String me = Thread.currentThread().getName();
            await().atMost(20, TimeUnit.SECONDS).pollInSameThread().until(() -> {
                c.poll(Duration.ofMillis(50));
                return order.size() == 5;
            });
            assertThat(order).containsExactly(20L, 21L, 22L, 23L, 24L);
            assertThat(threads).containsOnly(me);
            assertThat(c.committed(Set.of(p0)).get(p0).offset()).isEqualTo(24);
        }
        // A new consumer of the same group starts at the committed offsets (C9, C10).
        try (TributaryConsumer<String, String> c = consumer(broker.bootstrapServers(), cfg)) {
            c.assign(List.of(p0, p1));
            assertThat(c.position(p0)).isEqualTo(24);
            assertThat(c.position(p1)).isEqualTo(10);
            assertThat(pollUntil(c, 6))
                    .extracting(ConsumerRecord::offset)
                    .containsExactly(24L, 25L, 26L, 27L, 28L, 29L);
        }
        // Apache's consumer sees the same committed offsets.
        try (var apache = KafkaClients.assignOnlyConsumer(broker.bootstrapServers(), Map.of("group.id", group))) {
            var committed = apache.committed(Set.of(new org.apache.kafka.common.TopicPartition(topic, 0)));
            assertThat(committed
                            .get(new org.apache.kafka.common.TopicPartition(topic, 0))
                            .offset())
                    .isEqualTo(24);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void autoCommitCommitsPolledPositionsOnClose(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("autocommit");
        String group = KafkaClients.uniqueTopic("auto-group");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
        produce(broker.bootstrapServers(), topic, 0, 0, 15, "none");
        TopicPartition tp = new TopicPartition(topic, 0);
        Map<String, Object> cfg = Map.of(
                "group.id",
                group,
                "auto.offset.reset",
                "earliest",
                "auto.commit.interval.ms",
                "100",
                "max.poll.records",
                "5");
        try (TributaryConsumer<String, String> c = consumer(broker.bootstrapServers(), cfg)) {
            c.assign(List.of(tp));
            pollUntil(c, 5);
            // O1: a later poll commits what earlier polls returned once the interval passed.
            await().atMost(20, TimeUnit.SECONDS).pollInSameThread().untilAsserted(() -> {
                c.poll(Duration.ofMillis(50));
                OffsetAndMetadata om = c.committed(Set.of(tp)).get(tp);
                assertThat(om).isNotNull();
                assertThat(om.offset()).isGreaterThanOrEqualTo(5);
            });
            await().atMost(20, TimeUnit.SECONDS).pollInSameThread().until(() -> {
                c.poll(Duration.ofMillis(50));
                return c.position(tp) == 15;
            });
        }
        try (TributaryConsumer<String, String> c =
                consumer(broker.bootstrapServers(), Map.of("group.id", group, "enable.auto.commit", "false"))) {
            // C6: close committed the final position.
            assertThat(c.committed(Set.of(tp)).get(tp).offset()).isEqualTo(15);
        }
        try (TributaryConsumer<String, String> c = consumer(broker.bootstrapServers(), Map.of())) {
            c.assign(List.of(tp));
            assertThatThrownBy(c::commitSync)
                    .isInstanceOf(InvalidGroupIdException.class)
                    .hasMessageContaining("group.id");
        }
    }

    /**
     * Checks the consumer's side of transactions (control batches skipped, read_committed hides
     * aborted records), against both brokers (issue 11).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void transactionsControlBatchesAndIsolation(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("txn");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
        try (TributaryProducer<byte[], byte[]> p = KafkaClients.ourProducer(
                broker.bootstrapServers(),
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, KafkaClients.uniqueTopic("txn-id")))) {
            p.initTransactions();
            p.beginTransaction();
            p.send(new ProducerRecord<>(topic, 0, null, utf8("committed-1")));
            p.send(new ProducerRecord<>(topic, 0, null, utf8("committed-2")));
            p.commitTransaction();
            p.beginTransaction();
            p.send(new ProducerRecord<>(topic, 0, null, utf8("aborted-1")));
            p.flush();
            p.abortTransaction();
            p.beginTransaction();
            p.send(new ProducerRecord<>(topic, 0, null, utf8("committed-3")));
            p.commitTransaction();
        }
        TopicPartition tp = new TopicPartition(topic, 0);
        // Offsets: 0,1 data, 2 commit marker, 3 aborted, 4 abort marker, 5 data, 6 commit marker.
        try (TributaryConsumer<String, String> c = consumer(
                broker.bootstrapServers(),
                Map.of("auto.offset.reset", "earliest", "isolation.level", "read_committed"))) {
            c.assign(List.of(tp));
            assertThat(pollUntil(c, 3))
                    .extracting(ConsumerRecord::value)
                    .containsExactly("committed-1", "committed-2", "committed-3");
            // Control batches are skipped but the position moves past them.
            await().atMost(10, TimeUnit.SECONDS).pollInSameThread().until(() -> {
                c.poll(Duration.ofMillis(50));
                return c.position(tp) == 7;
            });
        }
        try (TributaryConsumer<String, String> c =
                consumer(broker.bootstrapServers(), Map.of("auto.offset.reset", "earliest"))) {
            c.assign(List.of(tp));
            assertThat(pollUntil(c, 4))
                    .extracting(ConsumerRecord::value)
                    .containsExactly("committed-1", "committed-2", "aborted-1", "committed-3");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void aValueThatDoesNotDeserializeStopsAtItsOffset(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("bad-value");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
        try (TributaryProducer<byte[], byte[]> p = KafkaClients.ourProducer(broker.bootstrapServers(), Map.of())) {
            p.send(new ProducerRecord<>(topic, 0, null, new byte[] {0, 0, 0, 1}));
            p.send(new ProducerRecord<>(topic, 0, null, new byte[] {0, 0, 2}));
            p.send(new ProducerRecord<>(topic, 0, null, new byte[] {0, 0, 0, 3}));
            p.flush();
        }
        TopicPartition tp = new TopicPartition(topic, 0);
        Map<String, Object> cfg = new HashMap<>(Fixtures.consumerConfig(broker.bootstrapServers()));
        cfg.put("auto.offset.reset", "earliest");
        try (TributaryConsumer<String, Integer> c =
                new TributaryConsumer<>(cfg, new StringDeserializer(), new IntegerDeserializer())) {
            c.assign(List.of(tp));
            List<Integer> values = new ArrayList<>();
            assertThatThrownBy(() -> await().atMost(20, TimeUnit.SECONDS)
                            .pollInSameThread()
                            .until(() -> {
                                c.poll(Duration.ofMillis(100)).forEach(r -> values.add(r.value()));
                                return false;
                            }))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("offset 1");
            assertThat(values).containsExactly(1);
            assertThat(c.position(tp)).isEqualTo(1);
            c.seek(tp, 2);
            await().atMost(20, TimeUnit.SECONDS).pollInSameThread().until(() -> {
                c.poll(Duration.ofMillis(100)).forEach(r -> values.add(r.value()));
                return values.size() == 2;
            });
            assertThat(values).containsExactly(1, 3);
        }
    }
}
