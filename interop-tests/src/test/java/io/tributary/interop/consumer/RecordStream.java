package io.tributary.interop.consumer;

import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.interop.support.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keyed records flowing at a steady rate while a group churns: record {@code n} has key
 * {@code key-(n % 64)} (our producer's default partitioner, murmur2 as
 * Apache's, spreads the keys) and value {@code n}, at
 * most {@code maxRecords} in all. Every acknowledged (partition, offset) and value is kept, so a
 * test can check what was consumed against what the broker really has.
 *
 * <p>A single scheduler thread sends; the producer's callbacks record acks; the test thread
 * reads the acknowledged sets after {@link #stop()}.
 */
final class RecordStream implements AutoCloseable {
    /** One record every {@value} ms: a few thousand over a minute of churn. */
    static final long INTERVAL_MS = 10;

    private final TributaryProducer<byte[], byte[]> producer;
    private final ScheduledExecutorService scheduler;
    private final AtomicInteger sent = new AtomicInteger();
    private final Set<Long> acked = ConcurrentHashMap.newKeySet();
    private final Set<String> ackedValues = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    RecordStream(String bootstrap, String topic, int maxRecords) {
        this.producer = KafkaClients.ourProducer(bootstrap, Map.of("linger.ms", 5));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "record-stream-" + topic);
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleAtFixedRate(
                () -> {
                    int n = sent.get();
                    if (n >= maxRecords || failure.get() != null) {
                        return;
                    }
                    sent.incrementAndGet();
                    String value = Integer.toString(n);
                    producer.send(
                            new ProducerRecord<>(
                                    topic,
                                    ("key-" + (n % 64)).getBytes(StandardCharsets.UTF_8),
                                    value.getBytes(StandardCharsets.UTF_8)),
                            (metadata, e) -> {
                                if (e != null) {
                                    failure.compareAndSet(null, e);
                                } else {
                                    acked.add(key(metadata.partition(), metadata.offset()));
                                    ackedValues.add(value);
                                }
                            });
                },
                0,
                INTERVAL_MS,
                TimeUnit.MILLISECONDS);
    }

    static long key(int partition, long offset) {
        return ((long) partition << 40) | offset;
    }

    static int partitionOf(long key) {
        return (int) (key >>> 40);
    }

    static long offsetOf(long key) {
        return key & ((1L << 40) - 1);
    }

    int sent() {
        return sent.get();
    }

    /** Stops sending and waits for every sent record's acknowledgement; fails if any send failed. */
    void stop() throws InterruptedException {
        scheduler.shutdown();
        if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
            throw new AssertionError("record stream did not stop");
        }
        producer.flush();
        if (failure.get() != null) {
            throw new AssertionError("a produce failed", failure.get());
        }
        if (acked.size() != sent.get()) {
            throw new AssertionError("sent " + sent.get() + " but " + acked.size() + " acknowledged");
        }
    }

    /** Acknowledged records as {@link #key(int, long)}s; complete after {@link #stop()}. */
    Set<Long> acked() {
        return Set.copyOf(acked);
    }

    Set<String> ackedValues() {
        return Set.copyOf(ackedValues);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        producer.close();
    }
}
