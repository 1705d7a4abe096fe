package io.tributary.broker.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.broker.BrokerFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11, priority (a): Apache kafka-clients 4.3 transactions against our broker, end to end
 * over real sockets: initTransactions/begin/send/commit/abort across 3 partitions (every
 * partition ends each transaction with a control batch, which a read_uncommitted consumer skips
 * while its offsets advance), zombie fencing by a second producer with the same transactional
 * id, and Apache's Admin listing and describing the transactions.
 */
class TransactionsKafkaClientsTest {
    private static final String TOPIC = "txn-out";

    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.broker();

    private String bootstrap() {
        return "127.0.0.1:" + fixture.get().boundPort();
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()));
    }

    private KafkaProducer<String, String> producer(String transactionalId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "20");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
        return new KafkaProducer<>(p);
    }

    private void createTopic(int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, partitions, (short) 1)))
                    .all()
                    .get(20, TimeUnit.SECONDS);
        }
    }

    private Map<Integer, Long> endOffsets(int partitions) throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetSpec> specs = new java.util.HashMap<>();
            for (int p = 0; p < partitions; p++) {
                specs.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
            }
            return admin.listOffsets(specs).all().get(20, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(
                            e -> e.getKey().partition(), e -> e.getValue().offset()));
        }
    }

    private List<ConsumerRecord<String, String>> readUncommitted(int partitions, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                tps.add(new TopicPartition(TOPIC, i));
            }
            c.assign(tps);
            c.seekToBeginning(tps);
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                c.poll(Duration.ofMillis(50)).forEach(out::add);
                return out.size() >= expected;
            });
        }
        return out;
    }

    @Test
    void commitAndAbortInterleavedAcrossThreePartitionsWriteAMarkerPerPartitionPerTransaction() throws Exception {
        createTopic(3);
        try (KafkaProducer<String, String> producer = producer("txn-a")) {
            producer.initTransactions();
            String[] outcomes = {"commit", "abort", "commit"};
            for (int t = 0; t < outcomes.length; t++) {
                producer.beginTransaction();
                for (int p = 0; p < 3; p++) {
                    producer.send(new ProducerRecord<>(TOPIC, p, "k", outcomes[t] + "-" + t + "-" + p));
                }
                if (outcomes[t].equals("commit")) {
                    producer.commitTransaction();
                } else {
                    producer.flush();
                    producer.abortTransaction();
                }
            }
        }
        // Each partition: record, marker, record, marker, record, marker. The last marker is written
        // after commitTransaction returns, so wait for it.
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(endOffsets(3)).isEqualTo(Map.of(0, 6L, 1, 6L, 2, 6L)));
        List<ConsumerRecord<String, String>> all = readUncommitted(3, 9);
        assertThat(all).hasSize(9);
        // Control batches are never returned, but their offsets are skipped.
        assertThat(all.stream().map(ConsumerRecord::offset).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(0L, 2L, 4L);
        for (int p = 0; p < 3; p++) {
            int partition = p;
            assertThat(all.stream()
                            .filter(r -> r.partition() == partition)
                            .map(ConsumerRecord::value)
                            .collect(Collectors.toList()))
                    .containsExactly("commit-0-" + p, "abort-1-" + p, "commit-2-" + p);
        }
        try (Admin admin = admin()) {
            Collection<TransactionListing> listed =
                    admin.listTransactions().all().get(20, TimeUnit.SECONDS);
            assertThat(listed)
                    .extracting(TransactionListing::transactionalId, TransactionListing::state)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("txn-a", TransactionState.COMPLETE_COMMIT));
            TransactionDescription d = admin.describeTransactions(Set.of("txn-a"))
                    .description("txn-a")
                    .get(20, TimeUnit.SECONDS);
            assertThat(d.state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
            assertThat(d.producerId()).isEqualTo(listed.iterator().next().producerId());
            assertThat(d.topicPartitions()).isEmpty();
        }
    }

    @Test
    void aSecondProducerWithTheSameTransactionalIdFencesTheFirstAndAbortsItsTransaction() throws Exception {
        createTopic(1);
        try (KafkaProducer<String, String> zombie = producer("txn-z");
                KafkaProducer<String, String> successor = producer("txn-z")) {
            zombie.initTransactions();
            zombie.beginTransaction();
            zombie.send(new ProducerRecord<>(TOPIC, 0, "k", "zombie")).get(20, TimeUnit.SECONDS);
            try (Admin admin = admin()) {
                TransactionDescription d = admin.describeTransactions(Set.of("txn-z"))
                        .description("txn-z")
                        .get(20, TimeUnit.SECONDS);
                assertThat(d.state()).isEqualTo(TransactionState.ONGOING);
                assertThat(d.topicPartitions()).containsExactly(new TopicPartition(TOPIC, 0));
            }
            // The open transaction is aborted with a bumped epoch; the new producer retries
            // (CONCURRENT_TRANSACTIONS) until the abort is complete.
            successor.initTransactions();
            assertThatThrownBy(zombie::commitTransaction)
                    .isInstanceOfAny(ProducerFencedException.class, InvalidProducerEpochException.class);
            successor.beginTransaction();
            successor.send(new ProducerRecord<>(TOPIC, 0, "k", "successor"));
            successor.commitTransaction();
        } catch (KafkaException e) {
            throw new AssertionError("unexpected client failure", e);
        }
        // zombie record, ABORT marker, successor record, COMMIT marker.
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(endOffsets(1)).isEqualTo(Map.of(0, 4L)));
        assertThat(readUncommitted(1, 2))
                .extracting(ConsumerRecord::offset, ConsumerRecord::value)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0L, "zombie"),
                        org.assertj.core.groups.Tuple.tuple(2L, "successor"));
    }

    /** Apache's Admin.abortTransaction (kafka-transactions.sh abort) writes an ABORT marker through WriteTxnMarkers. */
    @Test
    void adminAbortTransactionWritesAnAbortMarkerToThePartition() throws Exception {
        createTopic(1);
        try (KafkaProducer<String, String> hanging = producer("txn-hanging");
                Admin admin = admin()) {
            hanging.initTransactions();
            hanging.beginTransaction();
            hanging.send(new ProducerRecord<>(TOPIC, 0, "k", "hanging")).get(20, TimeUnit.SECONDS);
            TransactionDescription d = admin.describeTransactions(Set.of("txn-hanging"))
                    .description("txn-hanging")
                    .get(20, TimeUnit.SECONDS);
            admin.abortTransaction(new org.apache.kafka.clients.admin.AbortTransactionSpec(
                            new TopicPartition(TOPIC, 0), d.producerId(), (short) d.producerEpoch(), 0))
                    .all()
                    .get(20, TimeUnit.SECONDS);
            assertThat(endOffsets(1)).isEqualTo(Map.of(0, 2L));
        }
    }
}
