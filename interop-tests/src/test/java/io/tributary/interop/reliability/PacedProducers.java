package io.tributary.interop.reliability;

import io.tributary.client.producer.ProducerConfig;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.interop.support.KafkaClients;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Idempotent acks=all producers (ours: the crash loops test the broker, not a client), each on its own thread, writing round-robin to every
 * partition at a steady pace (issue 15, crash loops). The pace keeps the log small enough to be
 * audited in full after every crash; the in-flight bound keeps records outstanding at any kill.
 * Delivery timeouts are long: a broker restart must never cost an acknowledged-or-failed record.
 */
final class PacedProducers implements AutoCloseable {
    private static final int MAX_IN_FLIGHT_RECORDS = 2_000;

    private final String topic;
    private final int partitions;
    private final AckLedger ledger;
    private final List<TributaryProducer<byte[], byte[]>> producers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT_RECORDS);
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

    PacedProducers(String bootstrap, String topic, int partitions, int count, int recordsPerSecond, AckLedger ledger) {
        this.topic = topic;
        this.partitions = partitions;
        this.ledger = ledger;
        Map<String, Object> config = Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.LINGER_MS_CONFIG, "5",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "300000",
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000",
                ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
        for (int i = 0; i < count; i++) {
            int producer = i;
            TributaryProducer<byte[], byte[]> client = KafkaClients.ourProducer(bootstrap, config);
            producers.add(client);
            Thread thread = new Thread(() -> run(producer, client, recordsPerSecond), "paced-producer-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
    }

    private void run(int producer, TributaryProducer<byte[], byte[]> client, int recordsPerSecond) {
        long start = System.nanoTime();
        long nanosPerRecord = TimeUnit.SECONDS.toNanos(1) / recordsPerSecond;
        try {
            for (long seq = 0; !stop.get(); seq++) {
                long due = start + seq * nanosPerRecord;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait); // pacing the load, not waiting for an outcome
                }
                inFlight.acquire();
                if (stop.get()) {
                    inFlight.release();
                    return;
                }
                String id = LogAudit.id(producer, seq);
                int partition = (int) (seq % partitions);
                client.send(
                        new ProducerRecord<>(topic, partition, id.getBytes(), LogAudit.value(id)),
                        (metadata, exception) -> {
                            inFlight.release();
                            if (exception == null) {
                                ledger.acked(metadata.partition(), metadata.offset(), id);
                            } else {
                                failures.add(id + ": " + exception);
                            }
                        });
                sent.incrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failures.add("producer " + producer + " send threw " + e);
        }
    }

    long sent() {
        return sent.get();
    }

    /** Sends that failed although the producers retry for five minutes (first 10). */
    List<String> failures() {
        return failures.stream().limit(10).toList();
    }

    /** Stops sending and waits until every record sent is acknowledged or failed. */
    @Override
    public void close() {
        stop.set(true);
        inFlight.release(MAX_IN_FLIGHT_RECORDS);
        try {
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the producers", e);
        }
        for (TributaryProducer<byte[], byte[]> p : producers) {
            p.flush();
            p.close();
        }
    }
}
