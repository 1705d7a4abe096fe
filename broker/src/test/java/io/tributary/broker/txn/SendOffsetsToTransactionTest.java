package io.tributary.broker.txn;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.broker.BrokerFixture;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11: Apache's {@code sendOffsetsToTransaction} against our broker, through both coordinators —
 * AddOffsetsToTxn and TxnOffsetCommit leave the offsets pending in the group coordinator, and the
 * transaction coordinator's commit marker for {@code __consumer_offsets} publishes them while an
 * abort drops them (the wiring of TransactionCoordinatorExtension to the group coordinator).
 */
class SendOffsetsToTransactionTest {
    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.broker();

    @Test
    void committedTransactionsPublishTheirOffsetsAndAbortedOnesDoNot() throws Exception {
        String bootstrap = "127.0.0.1:" + fixture.get().boundPort();
        TopicPartition in = new TopicPartition("input", 0);
        String group = "processor";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic("input", 1, (short) 1), new NewTopic("output", 1, (short) 1)))
                    .all()
                    .get(20, TimeUnit.SECONDS);
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "processor-txn");
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                producer.initTransactions();
                // The group's metadata as a consumer that has not joined yet has it (generation -1):
                // TxnOffsetCommit then skips the member check, as in Kafka.
                ConsumerGroupMetadata metadata;
                try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                ConsumerConfig.GROUP_ID_CONFIG,
                                group),
                        new StringDeserializer(),
                        new StringDeserializer())) {
                    metadata = consumer.groupMetadata();
                }
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("output", "result-1"));
                producer.sendOffsetsToTransaction(Map.of(in, new OffsetAndMetadata(5)), metadata);
                producer.commitTransaction();
                assertThat(committed(admin, group)).containsEntry(in, new OffsetAndMetadata(5));

                producer.beginTransaction();
                producer.send(new ProducerRecord<>("output", "result-2"));
                producer.sendOffsetsToTransaction(Map.of(in, new OffsetAndMetadata(9)), metadata);
                producer.abortTransaction();
                assertThat(committed(admin, group))
                        .as("the aborted transaction's offset is dropped")
                        .containsEntry(in, new OffsetAndMetadata(5));

                producer.beginTransaction();
                producer.sendOffsetsToTransaction(Map.of(in, new OffsetAndMetadata(12)), metadata);
                producer.commitTransaction();
                assertThat(committed(admin, group)).containsEntry(in, new OffsetAndMetadata(12));
            }
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String group) throws Exception {
        return admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(20, TimeUnit.SECONDS);
    }
}
