package io.tributary.interop.transactions;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A consume-transform-produce processor with exactly-once semantics, the textbook way (issue 11,
 * O-rows of FEATURES.md): each polled batch is transformed and written to the output topic in one
 * transaction together with the input offsets ({@code sendOffsetsToTransaction} with the
 * consumer's group metadata, KIP-447). Run as its own JVM by {@link ExactlyOnceTransformTest},
 * which SIGKILLs it at random moments: whatever it had not committed is aborted by the next
 * instance's {@code initTransactions} (same transactional id) and redone from the committed
 * offsets, so each input's result is in the output exactly once.
 *
 * <p>Arguments: {@code bootstrap inputTopic outputTopic group transactionalId}. Runs until killed.
 * Prints {@code COMMITTED n} after each transaction.
 */
public final class TransformProcessMain {
    private TransformProcessMain() {}

    public static void main(String[] args) {
        String bootstrap = args[0];
        String input = args[1];
        String output = args[2];
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, args[3]);
        // Static membership: a restarted instance takes over the killed one's place at once.
        c.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "transformer");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "100");
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, args[4]);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "15000");
        try (KafkaConsumer<String, String> consumer =
                        new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
                KafkaProducer<String, String> producer =
                        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            // Progress lines for the test's failure message: where a stuck instance stopped.
            System.out.println("INITIALISED");
            consumer.subscribe(List.of(input), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    System.out.println("REVOKED " + partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    System.out.println("ASSIGNED " + partitions);
                }
            });
            long done = 0;
            long idle = 0;
            while (true) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    if (++idle % 25 == 0) {
                        System.out.println("IDLE " + idle + " empty polls, assignment " + consumer.assignment());
                    }
                    continue;
                }
                producer.beginTransaction();
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (ConsumerRecord<String, String> r : records) {
                    producer.send(new ProducerRecord<>(output, r.key(), "out-" + r.value()));
                    offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                }
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                producer.commitTransaction();
                done += records.count();
                System.out.println("COMMITTED " + done);
                System.out.flush();
            }
        }
    }
}
