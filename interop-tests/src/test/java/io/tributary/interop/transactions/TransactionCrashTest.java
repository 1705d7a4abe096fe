package io.tributary.interop.transactions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.TributaryProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, crash of the broker: our broker as a child process is SIGKILLed with one transaction
 * committed and a second one open (its records acknowledged). After the restart the coordinator's
 * log is replayed: the committed transaction stays committed, and a new producer with the same
 * transactional id fences the old one, whose open transaction is then aborted in every partition
 * it touched; the old producer can no longer commit. TRIBUTARY only: the in-process Apache broker
 * cannot be killed.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TransactionCrashTest {
    @TempDir
    Path dataDir;

    private TributaryProcess broker;

    @AfterEach
    void killBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        return KafkaClients.producer(
                broker.bootstrapServers(),
                Map.of(
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        "crash-txn",
                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                        30_000));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void sigkillWithAnOpenTransactionThenTheNextProducerAbortsIt() throws Exception {
        broker = TributaryProcess.start(dataDir, Map.of());
        String topic = KafkaClients.uniqueTopic("txn-crash");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 2);
        KafkaProducer<byte[], byte[]> old = producer();
        try {
            old.initTransactions();
            old.beginTransaction();
            old.send(new ProducerRecord<>(topic, 0, null, utf8("committed")));
            old.commitTransaction();
            old.beginTransaction();
            old.send(new ProducerRecord<>(topic, 0, null, utf8("open-0"))).get(30, TimeUnit.SECONDS);
            old.send(new ProducerRecord<>(topic, 1, null, utf8("open-1"))).get(30, TimeUnit.SECONDS);

            broker.kill();
            broker.startAgain();

            try (KafkaProducer<byte[], byte[]> next = producer()) {
                next.initTransactions();
                next.beginTransaction();
                next.send(new ProducerRecord<>(topic, 0, null, utf8("next")));
                next.commitTransaction();
            }
            assertThatThrownBy(old::commitTransaction).isInstanceOf(KafkaException.class);
        } finally {
            old.close(Duration.ZERO);
        }

        // p0: committed, COMMIT, open-0, ABORT, next, COMMIT; p1: open-1, ABORT.
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
            specs.put(new TopicPartition(topic, 0), OffsetSpec.latest());
            specs.put(new TopicPartition(topic, 1), OffsetSpec.latest());
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(
                                    admin.listOffsets(specs).all().get(20, TimeUnit.SECONDS).entrySet().stream()
                                            .collect(Collectors.toMap(
                                                    e -> e.getKey().partition(),
                                                    e -> e.getValue().offset())))
                            .isEqualTo(Map.of(0, 6L, 1, 2L)));
        }
        List<ConsumerRecord<byte[], byte[]>> p0 = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = KafkaClients.assignOnlyConsumer(
                broker.bootstrapServers(), Map.of("isolation.level", "read_uncommitted"))) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                c.poll(Duration.ofMillis(50)).forEach(p0::add);
                return p0.size() >= 3;
            });
        }
        assertThat(p0)
                .extracting(ConsumerRecord::offset, r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0L, "committed"),
                        org.assertj.core.groups.Tuple.tuple(2L, "open-0"),
                        org.assertj.core.groups.Tuple.tuple(4L, "next"));
    }
}
