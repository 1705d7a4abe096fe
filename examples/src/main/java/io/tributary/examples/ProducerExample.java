package io.tributary.examples;

import io.tributary.client.producer.Callback;
import io.tributary.client.producer.Producer;
import io.tributary.client.producer.ProducerConfig;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.RecordMetadata;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.client.serialization.StringSerializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Our producer three ways (issue 12): a synchronous send (wait on the future), asynchronous sends
 * with a callback, and a transaction that is committed and one that is aborted.
 *
 * <p>Usage: {@code ProducerExample [bootstrap.servers] [topic]}.
 *
 * <p>Threads: each method owns its producer on the calling thread; callbacks run on the
 * producer's I/O thread, so they only count and never block.
 */
public class ProducerExample {
    private final String bootstrapServers;

    public ProducerExample(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** What every producer here needs: where to bootstrap and how to turn keys and values into bytes. */
    public Properties producerConfig() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        // Idempotence is on by default (acks=all): a retry never writes a record twice.
        return props;
    }

    /** Sends one record and waits for the broker's acknowledgement: simple, one round trip per record. */
    public RecordMetadata sendSync(String topic, String key, String value)
            throws InterruptedException, ExecutionException {
        try (Producer<String, String> producer = new TributaryProducer<>(producerConfig())) {
            return producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    /**
     * Sends {@code count} records without waiting; the callback reports each outcome. Returns the
     * number of failures; close() (end of the try) sends what is still buffered first.
     */
    public int sendAsync(String topic, int count) throws InterruptedException {
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(count);
        Callback callback = (metadata, exception) -> {
            if (exception != null) {
                failures.incrementAndGet();
                System.err.println("send failed: " + exception);
            }
            done.countDown();
        };
        try (Producer<String, String> producer = new TributaryProducer<>(producerConfig())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, "async-" + i, "async value " + i), callback);
            }
        }
        done.await(30, TimeUnit.SECONDS);
        return failures.get();
    }

    /**
     * Writes {@code values} in one transaction and commits it, or aborts it: a read_committed
     * consumer sees all of them or none. A second producer started with the same
     * transactional.id would fence this one (ProducerFencedException: close it, do not retry).
     */
    public List<RecordMetadata> sendTransaction(
            String topic, String transactionalId, List<String> values, boolean commit)
            throws InterruptedException, ExecutionException {
        Properties props = producerConfig();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        List<RecordMetadata> written = new ArrayList<>();
        try (Producer<String, String> producer = new TributaryProducer<>(props)) {
            producer.initTransactions(); // once per producer: fences older producers of the id
            producer.beginTransaction();
            var futures = new ArrayList<java.util.concurrent.Future<RecordMetadata>>();
            for (String v : values) {
                futures.add(producer.send(new ProducerRecord<>(topic, transactionalId, v)));
            }
            if (commit) {
                producer.commitTransaction(); // flushes, then commits
            } else {
                producer.flush();
                producer.abortTransaction(); // the records stay in the log, marked aborted
            }
            for (var f : futures) {
                written.add(f.get());
            }
        }
        return written;
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = Examples.arg(args, 0, Examples.DEFAULT_BOOTSTRAP);
        String topic = Examples.arg(args, 1, Examples.DEFAULT_TOPIC);
        ProducerExample example = new ProducerExample(bootstrap);
        RecordMetadata md = example.sendSync(topic, "sync", "hello");
        System.out.printf("sync: %s-%d@%d%n", md.topic(), md.partition(), md.offset());
        System.out.printf("async: %d failures%n", example.sendAsync(topic, 10));
        example.sendTransaction(topic, "producer-example-txn", List.of("t1", "t2", "t3"), true);
        example.sendTransaction(topic, "producer-example-txn", List.of("x1", "x2"), false);
        System.out.println("transactions: one committed, one aborted");
    }
}
