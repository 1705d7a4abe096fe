package io.tributary.interop.consumer;

import static io.tributary.interop.consumer.Fixtures.consumer;
import static io.tributary.interop.consumer.Fixtures.pollUntil;
import static io.tributary.interop.consumer.Fixtures.produce;
import static io.tributary.interop.consumer.Fixtures.produceWithApache;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.client.common.PartitionInfo;
import io.tributary.client.common.TimestampType;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.errors.WakeupException;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.ConsumerRecords;
import io.tributary.client.consumer.NoOffsetForPartitionException;
import io.tributary.client.consumer.OffsetAndTimestamp;
import io.tributary.client.consumer.OffsetOutOfRangeException;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The standalone consumer (C3, C5, C7, C9, C10, F2, F3, O7): assign, seek, poll with
 * fetch-ahead, every codec, resets, offset queries, metadata, wakeup and thread confinement,
 * against each broker, with data written by our producer (by Apache's where the codec test reads
 * Apache's compressed batches).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class StandaloneConsumerTest {

    static Stream<Target> targets() {
        return Targets.all();
    }

    static Stream<Arguments> targetsAndCodecs() {
        List<Arguments> out = new ArrayList<>();
        Targets.all().forEach(t -> {
            for (String codec : List.of("none", "gzip", "snappy", "lz4", "zstd")) {
                out.add(Arguments.of(t, codec));
            }
        });
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("targetsAndCodecs")
    void assignAndPollReadsEveryRecordInOrder(Target target, String codec) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("standalone-" + codec);
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 2);
        long before = System.currentTimeMillis();
        // Apache's producer here: the point is our consumer decoding Apache's batches of every codec
        // (ProducerInteropTest covers the other direction).
        produceWithApache(broker.bootstrapServers(), topic, 0, 0, 400, codec);
        produceWithApache(broker.bootstrapServers(), topic, 1, 0, 100, codec);

        try (TributaryConsumer<String, String> c = consumer(
                broker.bootstrapServers(), Map.of("auto.offset.reset", "earliest", "max.poll.records", "37"))) {
            TopicPartition p0 = new TopicPartition(topic, 0);
            TopicPartition p1 = new TopicPartition(topic, 1);
            c.assign(List.of(p0, p1));
            assertThat(c.assignment()).containsExactlyInAnyOrder(p0, p1);
            Map<TopicPartition, List<ConsumerRecord<String, String>>> seen = new HashMap<>();
            await().atMost(30, TimeUnit.SECONDS)
                    .pollInSameThread()
                    .pollDelay(Duration.ZERO)
                    .until(() -> {
                        ConsumerRecords<String, String> rs = c.poll(Duration.ofMillis(200));
                        // F3: one poll never returns more than max.poll.records.
                        assertThat(rs.count()).isLessThanOrEqualTo(37);
                        for (TopicPartition tp : rs.partitions()) {
                            seen.computeIfAbsent(tp, k -> new ArrayList<>()).addAll(rs.records(tp));
                            assertThat(rs.nextOffsets().get(tp).offset()).isEqualTo(c.position(tp));
                        }
                        return seen.getOrDefault(p0, List.of()).size() == 400
                                && seen.getOrDefault(p1, List.of()).size() == 100;
                    });
            for (TopicPartition tp : List.of(p0, p1)) {
                List<ConsumerRecord<String, String>> rs = seen.get(tp);
                for (int i = 0; i < rs.size(); i++) {
                    ConsumerRecord<String, String> r = rs.get(i);
                    assertThat(r.topic()).isEqualTo(topic);
                    assertThat(r.partition()).isEqualTo(tp.partition());
                    assertThat(r.offset()).isEqualTo(i);
                    assertThat(r.key()).isEqualTo("key-" + i);
                    assertThat(r.value()).isEqualTo("value-" + i);
                    assertThat(r.serializedValueSize()).isEqualTo(("value-" + i).length());
                    assertThat(new String(r.headers().lastHeader("i").value(), StandardCharsets.UTF_8))
                            .isEqualTo(Integer.toString(i));
                    assertThat(r.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
                    assertThat(r.timestamp()).isBetween(before - 1000, System.currentTimeMillis() + 1000);
                }
            }
            assertThat(c.position(p0)).isEqualTo(400);
            assertThat(c.currentLag(p0)).hasValue(0);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void autoOffsetResetDecidesWhereAFreshPartitionStarts(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("reset");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
        produce(broker.bootstrapServers(), topic, 0, 0, 10, "none");
        TopicPartition tp = new TopicPartition(topic, 0);

        try (TributaryConsumer<String, String> c =
                consumer(broker.bootstrapServers(), Map.of("auto.offset.reset", "smallest"))) {
            c.assign(List.of(tp));
            assertThat(c.position(tp)).isZero();
        }
        try (TributaryConsumer<String, String> c = consumer(broker.bootstrapServers(), Map.of())) {
            c.assign(List.of(tp));
            // Kafka's default is latest: only records produced after the reset are seen.
            assertThat(c.position(tp)).isEqualTo(10);
            produce(broker.bootstrapServers(), topic, 0, 10, 3, "none");
            assertThat(pollUntil(c, 3))
                    .extracting(ConsumerRecord::value)
                    .containsExactly("value-10", "value-11", "value-12");
        }
        try (TributaryConsumer<String, String> c =
                consumer(broker.bootstrapServers(), Map.of("auto.offset.reset", "none"))) {
            c.assign(List.of(tp));
            assertThatThrownBy(() -> c.poll(Duration.ofSeconds(5)))
                    .isInstanceOf(NoOffsetForPartitionException.class)
                    .hasMessageContaining(tp.toString());
            assertThatThrownBy(() -> c.position(tp)).isInstanceOf(NoOffsetForPartitionException.class);
            c.seek(tp, 5);
            assertThat(pollUntil(c, 8).get(0).offset()).isEqualTo(5);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void offsetOutOfRangeIsResetOrReported(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("out-of-range");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
        produce(broker.bootstrapServers(), topic, 0, 0, 5, "none");
        TopicPartition tp = new TopicPartition(topic, 0);

        try (TributaryConsumer<String, String> c =
                consumer(broker.bootstrapServers(), Map.of("auto.offset.reset", "earliest"))) {
            c.assign(List.of(tp));
            c.seek(tp, 1_000);
            List<ConsumerRecord<String, String>> rs = pollUntil(c, 5);
            assertThat(rs.get(0).offset()).isZero();
        }
        try (TributaryConsumer<String, String> c =
                consumer(broker.bootstrapServers(), Map.of("auto.offset.reset", "none"))) {
            c.assign(List.of(tp));
            c.seek(tp, 1_000);
            assertThatThrownBy(() -> pollUntil(c, 1))
                    .isInstanceOf(OffsetOutOfRangeException.class)
                    .hasMessageContaining(tp.toString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void seekPositionAndOffsetQueries(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("seek");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 3);
        long t0 = System.currentTimeMillis();
        produce(broker.bootstrapServers(), topic, 1, 0, 20, "lz4");
        TopicPartition tp = new TopicPartition(topic, 1);
        TopicPartition empty = new TopicPartition(topic, 2);

        try (TributaryConsumer<String, String> c = consumer(broker.bootstrapServers(), Map.of())) {
            List<PartitionInfo> parts = c.partitionsFor(topic);
            assertThat(parts).extracting(PartitionInfo::partition).containsExactly(0, 1, 2);
            assertThat(parts).allSatisfy(p -> assertThat(p.leader()).isNotNull());
            assertThat(c.listTopics()).containsKey(topic).doesNotContainKey("__consumer_offsets");
            assertThat(c.partitionsFor(KafkaClients.uniqueTopic("absent-no-create"), Duration.ofSeconds(10)))
                    .isNotNull();

            assertThat(c.beginningOffsets(List.of(tp, empty)))
                    .containsEntry(tp, 0L)
                    .containsEntry(empty, 0L);
            assertThat(c.endOffsets(List.of(tp, empty))).containsEntry(tp, 20L).containsEntry(empty, 0L);
            Map<TopicPartition, OffsetAndTimestamp> byTime = c.offsetsForTimes(Map.of(tp, t0 - 60_000, empty, t0));
            assertThat(byTime.get(tp).offset()).isZero();
            assertThat(byTime).containsEntry(empty, null);
            assertThat(c.offsetsForTimes(Map.of(tp, System.currentTimeMillis() + 3_600_000)))
                    .containsEntry(tp, null);

            c.assign(List.of(tp));
            c.seek(tp, 12);
            assertThat(c.position(tp)).isEqualTo(12);
            assertThat(pollUntil(c, 8))
                    .extracting(ConsumerRecord::offset)
                    .containsExactly(12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L);
            c.seekToBeginning(List.of(tp));
            assertThat(c.position(tp)).isZero();
            c.seekToEnd(List.of());
            assertThat(c.position(tp)).isEqualTo(20);
            c.seek(tp, 3);
            c.pause(List.of(tp));
            assertThat(c.paused()).containsExactly(tp);
            assertThat(c.poll(Duration.ofMillis(300)).isEmpty()).isTrue();
            c.resume(List.of(tp));
            assertThat(pollUntil(c, 17).get(0).offset()).isEqualTo(3);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void wakeupEndsABlockedPollAndASecondThreadIsRejected(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("wakeup");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);

        try (TributaryConsumer<String, String> c = consumer(broker.bootstrapServers(), Map.of())) {
            c.assign(List.of(tp));
            CountDownLatch polling = new CountDownLatch(1);
            CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
                try {
                    polling.countDown();
                    c.poll(Duration.ofSeconds(60));
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            polling.await();
            // While the other thread is inside poll, any call from here but wakeup is refused (C5).
            await().atMost(10, TimeUnit.SECONDS)
                    .untilAsserted(() -> assertThatThrownBy(() -> c.position(tp))
                            .isInstanceOf(ConcurrentModificationException.class)
                            .hasMessageContaining("multi-threaded"));
            long start = System.nanoTime();
            c.wakeup();
            assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(WakeupException.class);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
            // A wakeup with nobody blocked hits the next blocking call (C7).
            c.wakeup();
            assertThatThrownBy(() -> c.poll(Duration.ofSeconds(5))).isInstanceOf(WakeupException.class);
            assertThat(c.poll(Duration.ZERO).isEmpty()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void closedConsumerRefusesCalls(Target target) {
        RunningBroker broker = target.shared();
        TributaryConsumer<String, String> c = consumer(broker.bootstrapServers(), Map.of());
        c.close();
        assertThatThrownBy(() -> c.poll(Duration.ZERO))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> c.assign(Set.of(new TopicPartition("t", 0))))
                .isInstanceOf(IllegalStateException.class);
        c.close(); // idempotent
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void aBatchLargerThanTheFetchCapsStillComesThrough(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("big-batch");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
        String big = "x".repeat(20_000);
        try (var p = KafkaClients.ourProducer(broker.bootstrapServers(), Map.of())) {
            for (int i = 0; i < 3; i++) {
                p.send(new io.tributary.client.producer.ProducerRecord<>(
                        topic, 0, null, (big + i).getBytes(StandardCharsets.UTF_8)));
            }
            p.flush();
        }
        TopicPartition tp = new TopicPartition(topic, 0);
        // F2: caps far below one record; the broker still returns the first batch whole.
        try (TributaryConsumer<String, String> c = consumer(
                broker.bootstrapServers(),
                Map.of(
                        "auto.offset.reset",
                        "earliest",
                        "max.partition.fetch.bytes",
                        "1024",
                        "fetch.max.bytes",
                        "2048"))) {
            c.assign(List.of(tp));
            List<ConsumerRecord<String, String>> rs = pollUntil(c, 3);
            assertThat(rs).extracting(ConsumerRecord::value).containsExactly(big + 0, big + 1, big + 2);
        }
    }
}
