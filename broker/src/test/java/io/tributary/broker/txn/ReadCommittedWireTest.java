package io.tributary.broker.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.broker.BrokerFixture;
import io.tributary.broker.topic.PartitionLog;
import io.tributary.protocol.Errors;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.ControlBatches;
import io.tributary.protocol.record.MemoryRecords;
import io.tributary.protocol.record.MemoryRecordsBuilder;
import io.tributary.storage.AppendResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11 (storage half), over real sockets with Apache's clients: transactional batches and
 * COMMIT/ABORT markers go straight into the partition log (as the coordinator will write them),
 * then read_committed skips the aborted records and stops at the LSO, read_uncommitted sees all,
 * ListOffsets LATEST follows the isolation level, a fetch parked at the LSO wakes on the marker,
 * and DescribeProducers reports the producer state.
 */
class ReadCommittedWireTest {
    private static final String TOPIC = "txn";
    private static final long A = 1000L;
    private static final long B = 2000L;

    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.broker();

    private PartitionLog log;
    private final TopicPartition tp = new TopicPartition(TOPIC, 0);

    @BeforeEach
    void createTopic() {
        assertThat(fixture.get()
                        .state()
                        .topics()
                        .create(TOPIC, 1, 1, Map.of(), false)
                        .error())
                .isEqualTo(Errors.NONE);
        log = fixture.get().state().topics().log(new io.tributary.broker.topic.TopicPartition(TOPIC, 0));
    }

    private static MemoryRecords batch(long pid, int seq, boolean transactional, String... values) {
        MemoryRecordsBuilder b = MemoryRecordsBuilder.forProduce(CompressionType.NONE)
                .producerState(pid, (short) 0, seq)
                .transactional(transactional);
        for (String v : values) {
            b.append(System.currentTimeMillis(), null, v.getBytes(StandardCharsets.UTF_8));
        }
        return b.build();
    }

    private long append(MemoryRecords records) {
        AppendResult r = log.log().append(records);
        assertThat(r.error()).as(String.valueOf(r.errorMessage())).isEqualTo(Errors.NONE);
        return r.baseOffset();
    }

    private KafkaConsumer<String, String> consumer(String isolation) {
        return consumer(isolation, 200);
    }

    private KafkaConsumer<String, String> consumer(String isolation, int fetchMaxWaitMs) {
        Properties cp = new Properties();
        cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.get().bootstrapServers());
        cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        cp.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, String.valueOf(fetchMaxWaitMs));
        KafkaConsumer<String, String> c = new KafkaConsumer<>(cp);
        c.assign(List.of(tp));
        c.seekToBeginning(List.of(tp));
        return c;
    }

    private static void pollUntil(KafkaConsumer<String, String> c, List<String> got, int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(100))) {
                got.add(r.value());
            }
            return got.size() >= count;
        });
    }

    private Admin admin() {
        Properties ap = new Properties();
        ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.get().bootstrapServers());
        return Admin.create(ap);
    }

    @Test
    void readCommittedSkipsAbortsStopsAtTheLsoAndWakesOnTheMarker() throws Exception {
        append(batch(A, 0, true, "a1", "a2")); // 0..1
        append(batch(-1, -1, false, "p1")); // 2
        append(batch(B, 0, true, "b1")); // 3
        append(ControlBatches.marker(A, (short) 0, 0, true, System.currentTimeMillis())); // 4
        append(ControlBatches.marker(B, (short) 0, 0, false, System.currentTimeMillis())); // 5
        long open = append(batch(A, 2, true, "a3")); // 6, still open
        assertThat(log.lastStableOffset()).isEqualTo(open);

        List<String> uncommitted = new ArrayList<>();
        try (KafkaConsumer<String, String> c = consumer("read_uncommitted")) {
            pollUntil(c, uncommitted, 5);
        }
        assertThat(uncommitted).containsExactly("a1", "a2", "p1", "b1", "a3");

        try (Admin admin = admin()) {
            long committedEnd = admin.listOffsets(
                            Map.of(tp, OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .partitionResult(tp)
                    .get(10, TimeUnit.SECONDS)
                    .offset();
            long uncommittedEnd = admin.listOffsets(
                            Map.of(tp, OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
                    .partitionResult(tp)
                    .get(10, TimeUnit.SECONDS)
                    .offset();
            assertThat(committedEnd).isEqualTo(open);
            assertThat(uncommittedEnd).isEqualTo(open + 1);
        }

        List<String> committed = new ArrayList<>();
        // A parked fetch must be woken by the marker, long before its 20 s wait would answer it.
        KafkaConsumer<String, String> c = consumer("read_committed", 20_000);
        try {
            pollUntil(c, committed, 3);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                c.poll(Duration.ofMillis(100)).forEach(r -> committed.add(r.value()));
                return c.position(tp) == open;
            });
            assertThat(committed).containsExactly("a1", "a2", "p1");
            // The consumer's next fetch parks at the LSO; the marker must answer it at once.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> fixture.get().state().purgatory().size() == 1);
            long markerAt = System.nanoTime();
            append(ControlBatches.marker(A, (short) 0, 0, true, System.currentTimeMillis()));
            pollUntil(c, committed, 4);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - markerAt))
                    .isLessThan(10_000);
            assertThat(committed).containsExactly("a1", "a2", "p1", "a3");
            assertThat(c.position(tp)).isEqualTo(open + 2);
        } finally {
            c.close(CloseOptions.timeout(Duration.ZERO));
        }
    }

    @Test
    void abortedRecordsAcrossSegmentsStayHiddenFromReadCommitted() throws Exception {
        for (int i = 0; i < 5; i++) {
            append(batch(B, 2 * i, true, "b" + i + "-0", "b" + i + "-1"));
            append(ControlBatches.marker(B, (short) 0, 0, i % 2 == 1, System.currentTimeMillis()));
            log.log().roll(true);
        }
        List<String> committed = new ArrayList<>();
        try (KafkaConsumer<String, String> c = consumer("read_committed")) {
            pollUntil(c, committed, 4);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                c.poll(Duration.ofMillis(100)).forEach(r -> committed.add(r.value()));
                return c.position(tp) == 15;
            });
        }
        assertThat(committed).containsExactly("b1-0", "b1-1", "b3-0", "b3-1");
    }

    @Test
    void describeProducersReportsEpochsSequencesAndOpenTransactions() throws Exception {
        append(batch(A, 0, true, "a1", "a2")); // 0..1
        append(ControlBatches.marker(A, (short) 0, 5, true, System.currentTimeMillis())); // 2
        append(batch(B, 0, true, "b1")); // 3, open
        try (Admin admin = admin()) {
            List<ProducerState> producers = admin.describeProducers(List.of(tp))
                    .partitionResult(tp)
                    .get(10, TimeUnit.SECONDS)
                    .activeProducers();
            assertThat(producers).hasSize(2);
            ProducerState a = producers.stream()
                    .filter(p -> p.producerId() == A)
                    .findFirst()
                    .orElseThrow();
            ProducerState b = producers.stream()
                    .filter(p -> p.producerId() == B)
                    .findFirst()
                    .orElseThrow();
            assertThat(a.producerEpoch()).isZero();
            assertThat(a.lastSequence()).isEqualTo(1);
            assertThat(a.coordinatorEpoch()).hasValue(5);
            assertThat(a.currentTransactionStartOffset()).isEmpty();
            assertThat(b.lastSequence()).isZero();
            assertThat(b.currentTransactionStartOffset()).hasValue(3L);
            assertThat(b.coordinatorEpoch()).isEmpty();
        }
    }
}
