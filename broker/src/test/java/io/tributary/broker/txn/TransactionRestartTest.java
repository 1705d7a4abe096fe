package io.tributary.broker.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.broker.BrokerFixture;
import io.tributary.broker.TributaryBroker;
import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.topic.TopicPartition;
import io.tributary.coordinator.transaction.TransactionMetadata;
import io.tributary.coordinator.transaction.TransactionState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11, priority (b) and bad input: the coordinator's state survives a broker restart
 * (replayed from {@code __transaction_state}), and a transaction left open by a producer that
 * died (here: the broker restarted under it and the producer never came back) is aborted once
 * its transaction.timeout.ms passes, with markers in every partition it touched, so it ends
 * fully aborted; a new producer with the same transactional id then works.
 */
class TransactionRestartTest {
    private static final Map<String, String> FAST_ABORT =
            Map.of(BrokerConfig.TRANSACTION_ABORT_TIMED_OUT_CLEANUP_INTERVAL_MS, "100");

    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.broker(FAST_ABORT);

    private KafkaProducer<String, String> producer(String bootstrap, int timeoutMs) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "restart-txn");
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Integer.toString(timeoutMs));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "20");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
        return new KafkaProducer<>(p);
    }

    private long end(TributaryBroker broker, int partition) {
        return broker.state().topics().log(new TopicPartition("r", partition)).logEndOffset();
    }

    private static TransactionMetadata metadata(TributaryBroker broker) {
        return broker.extension(TransactionCoordinatorExtension.class)
                .coordinator()
                .metadata("restart-txn");
    }

    @Test
    void anOpenTransactionSurvivesARestartAndIsAbortedByItsTimeoutInEveryPartition() throws Exception {
        String bootstrap = "127.0.0.1:" + fixture.get().boundPort();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic("r", 2, (short) 1))).all().get(20, TimeUnit.SECONDS);
        }
        long committedPid;
        short committedEpoch;
        KafkaProducer<String, String> dying = producer(bootstrap, 3_000);
        try {
            dying.initTransactions();
            dying.beginTransaction();
            dying.send(new ProducerRecord<>("r", 0, "k", "committed"));
            dying.commitTransaction();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> metadata(fixture.get()).state() == TransactionState.COMPLETE_COMMIT);
            committedPid = metadata(fixture.get()).producerId();
            committedEpoch = metadata(fixture.get()).producerEpoch();
            dying.beginTransaction();
            dying.send(new ProducerRecord<>("r", 0, "k", "open-0")).get(10, TimeUnit.SECONDS);
            dying.send(new ProducerRecord<>("r", 1, "k", "open-1")).get(10, TimeUnit.SECONDS);
        } finally {
            dying.close(Duration.ZERO);
        }
        assertThat(metadata(fixture.get()).state()).isEqualTo(TransactionState.ONGOING);

        TributaryBroker restarted = fixture.restart(FAST_ABORT);
        // Replayed: same producer id and epoch until the timeout fences it (epoch + 1) and aborts.
        TransactionMetadata replayed = metadata(restarted);
        assertThat(replayed.producerId()).isEqualTo(committedPid);
        assertThat(replayed.state())
                .isIn(TransactionState.ONGOING, TransactionState.PREPARE_ABORT, TransactionState.COMPLETE_ABORT);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> metadata(restarted).state() == TransactionState.COMPLETE_ABORT);
        assertThat(metadata(restarted).producerEpoch()).isEqualTo((short) (committedEpoch + 1));
        // p0: committed, COMMIT marker, open-0, ABORT marker; p1: open-1, ABORT marker.
        assertThat(end(restarted, 0)).isEqualTo(4L);
        assertThat(end(restarted, 1)).isEqualTo(2L);

        String bootstrap2 = "127.0.0.1:" + restarted.boundPort();
        try (KafkaProducer<String, String> successor = producer(bootstrap2, 60_000)) {
            successor.initTransactions();
            successor.beginTransaction();
            successor.send(new ProducerRecord<>("r", 1, "k", "after"));
            successor.commitTransaction();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> end(restarted, 1) == 4L);
        assertThat(metadata(restarted).producerEpoch()).isEqualTo((short) (committedEpoch + 2));
    }
}
