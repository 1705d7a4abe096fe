package io.tributary.testkit;

import io.tributary.broker.group.GroupCoordinatorExtension;
import io.tributary.broker.topic.TopicResult;
import io.tributary.client.common.Header;
import io.tributary.client.common.PartitionInfo;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.RecordMetadata;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.client.serialization.ByteArrayDeserializer;
import io.tributary.client.serialization.ByteArraySerializer;
import io.tributary.coordinator.GroupCoordinator;
import io.tributary.coordinator.RequestContext;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ListGroupsRequestData;
import io.tributary.protocol.message.ListGroupsResponseData;
import io.tributary.protocol.message.OffsetFetchRequestData;
import io.tributary.protocol.message.OffsetFetchResponseData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Tributary broker for tests, with helpers (issue 13): create topics, produce and read records
 * with our own client, look at and await consumer groups. The plain Java face of the testkit:
 * {@code try (TestBroker b = TestBroker.start()) { ... }}; {@link TributaryTest} hands one out.
 *
 * <p>Thread-safety: methods are synchronized, so parallel test threads may share one; the broker
 * itself serves any number of clients.
 */
public final class TestBroker implements AutoCloseable {
    private static final RequestContext ADMIN = RequestContext.of(5, "tributary-testkit", "/127.0.0.1");
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final EmbeddedBroker embedded;
    private final Duration startupTime;
    private TributaryProducer<byte[], byte[]> producer;
    private TributaryConsumer<byte[], byte[]> reader;

    private TestBroker(EmbeddedBroker embedded, Duration startupTime) {
        this.embedded = embedded;
        this.startupTime = startupTime;
    }

    /** Starts a broker with the testkit defaults (no initial rebalance delay, ephemeral port). */
    public static TestBroker start() {
        return start(Map.of());
    }

    /** Starts a broker with these Kafka broker settings on top of the testkit defaults. */
    public static TestBroker start(Map<String, String> brokerProperties) {
        long t0 = System.nanoTime();
        EmbeddedBroker b = EmbeddedBroker.start(brokerProperties);
        return new TestBroker(b, Duration.ofNanos(System.nanoTime() - t0));
    }

    /** {@code host:port} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return embedded.bootstrapServers();
    }

    /** From the start call until the listener accepted connections (it then answers Metadata). */
    public Duration startupTime() {
        return startupTime;
    }

    /** The underlying broker, for tests that restart it or look at its internals. */
    public EmbeddedBroker embedded() {
        return embedded;
    }

    /** Creates a topic; fails if it exists or the settings are invalid. */
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /** Creates a topic with topic-level configs (Kafka keys, e.g. {@code cleanup.policy}). */
    public synchronized void createTopic(String name, int partitions, Map<String, String> configs) {
        TopicResult r = embedded.broker().state().topics().create(name, partitions, 1, configs, false);
        if (r.error() != Errors.NONE) {
            throw new IllegalArgumentException("cannot create topic " + name + ": "
                    + (r.message() != null ? r.message() : r.error().name()));
        }
    }

    /** Produces a record (acks=all) and returns it as stored, with its partition and offset. */
    public TestRecord produce(String topic, String key, String value) {
        return produce(topic, null, key, value, Map.of());
    }

    /** Produces unkeyed records, in order, and waits until all are acknowledged. */
    public List<TestRecord> produce(String topic, String... values) {
        List<TestRecord> out = new ArrayList<>();
        for (String v : values) {
            out.add(produce(topic, null, null, v, Map.of()));
        }
        return out;
    }

    /** Produces one record to a given partition (null: the partitioner chooses) with headers. */
    public synchronized TestRecord produce(
            String topic, Integer partition, String key, String value, Map<String, String> headers) {
        List<Header> hs = new ArrayList<>();
        headers.forEach((k, v) -> hs.add(new Header(k, bytes(v))));
        ProducerRecord<byte[], byte[]> rec = new ProducerRecord<>(topic, partition, bytes(key), bytes(value), hs);
        try {
            RecordMetadata md = producer().send(rec).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new TestRecord(topic, md.partition(), md.offset(), md.timestamp(), key, value, headers);
        } catch (ExecutionException e) {
            throw new IllegalStateException("produce to " + topic + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("produce to " + topic + " not acknowledged in " + CALL_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Every record of every partition of the topic up to its current end, ordered by partition then offset. */
    public synchronized List<TestRecord> readAll(String topic) {
        TributaryConsumer<byte[], byte[]> c = reader();
        List<TopicPartition> tps = partitions(c, topic);
        Map<TopicPartition, Long> ends = c.endOffsets(tps, CALL_TIMEOUT);
        long wanted = 0;
        Map<TopicPartition, Long> starts = c.beginningOffsets(tps, CALL_TIMEOUT);
        for (TopicPartition tp : tps) {
            wanted += ends.get(tp) - starts.get(tp);
        }
        return poll(c, tps, wanted, ends, CALL_TIMEOUT);
    }

    /**
     * The first {@code count} records of the topic from the start of each partition, waiting up to
     * {@code timeout} for them to arrive; fails with what it got if fewer came.
     */
    public synchronized List<TestRecord> read(String topic, int count, Duration timeout) {
        TributaryConsumer<byte[], byte[]> c = reader();
        return poll(c, partitions(c, topic), count, null, timeout);
    }

    private List<TestRecord> poll(
            TributaryConsumer<byte[], byte[]> c,
            List<TopicPartition> tps,
            long count,
            Map<TopicPartition, Long> ends,
            Duration timeout) {
        c.assign(tps);
        c.seekToBeginning(tps);
        List<TestRecord> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (out.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " records in " + tps + " within " + timeout + ", got "
                        + out.size() + ": " + out);
            }
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                if (ends != null && r.offset() >= ends.get(tp)) {
                    continue;
                }
                Map<String, String> headers = new LinkedHashMap<>();
                for (Header h : r.headers()) {
                    headers.put(h.key(), string(h.value()));
                }
                out.add(new TestRecord(
                        r.topic(),
                        r.partition(),
                        r.offset(),
                        r.timestamp(),
                        string(r.key()),
                        string(r.value()),
                        headers));
            }
        }
        c.assign(List.of());
        out.sort(Comparator.comparingInt(TestRecord::partition).thenComparingLong(TestRecord::offset));
        return out.size() > count ? new ArrayList<>(out.subList(0, (int) count)) : out;
    }

    /** The group's state as the coordinator names it (e.g. Stable, Empty), if the group exists. */
    public Optional<String> groupState(String groupId) {
        ListGroupsResponseData resp = call(coordinator().listGroups(ADMIN, new ListGroupsRequestData()));
        for (ListGroupsResponseData.ListedGroup g : resp.groups) {
            if (g.groupId.equals(groupId)) {
                return Optional.of(g.groupState);
            }
        }
        return Optional.empty();
    }

    /** Waits until the group is in {@code state} (case-insensitive); fails naming the last state seen. */
    public void awaitGroupState(String groupId, String state, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<String> seen = groupState(groupId);
        while (seen.map(s -> !s.equalsIgnoreCase(state)).orElse(true)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("group " + groupId + " not " + state + " within " + timeout + "; it is "
                        + seen.orElse("unknown"));
            }
            try {
                // Polling the coordinator: it has no state-change notification for outsiders.
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            seen = groupState(groupId);
        }
    }

    /** The group's committed offset for a partition, if it committed one. */
    public OptionalLong committedOffset(String groupId, String topic, int partition) {
        OffsetFetchResponseData f = call(coordinator()
                .offsetFetch(
                        ADMIN, new OffsetFetchRequestData().setGroupId(groupId).setTopics(null)));
        for (OffsetFetchResponseData.OffsetFetchResponseTopic t : f.topics) {
            if (t.name.equals(topic)) {
                for (OffsetFetchResponseData.OffsetFetchResponsePartition p : t.partitions) {
                    if (p.partitionIndex == partition && p.committedOffset >= 0) {
                        return OptionalLong.of(p.committedOffset);
                    }
                }
            }
        }
        return OptionalLong.empty();
    }

    /** Stops the broker and deletes its directory. */
    @Override
    public synchronized void close() {
        try {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
            }
            if (reader != null) {
                reader.close(Duration.ofSeconds(5));
            }
        } finally {
            embedded.close();
        }
    }

    @Override
    public String toString() {
        return "TestBroker@" + bootstrapServers();
    }

    private GroupCoordinator coordinator() {
        return embedded.broker().extension(GroupCoordinatorExtension.class).coordinator();
    }

    private static <T> T call(java.util.concurrent.CompletableFuture<T> f) {
        try {
            return f.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the coordinator did not answer in " + CALL_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private List<TopicPartition> partitions(TributaryConsumer<byte[], byte[]> c, String topic) {
        List<PartitionInfo> infos = c.partitionsFor(topic, CALL_TIMEOUT);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalArgumentException("unknown topic " + topic);
        }
        List<TopicPartition> tps = new ArrayList<>();
        for (PartitionInfo p : infos) {
            tps.add(new TopicPartition(topic, p.partition()));
        }
        tps.sort(Comparator.naturalOrder());
        return tps;
    }

    private TributaryProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Map<String, Object> cfg = new HashMap<>();
            cfg.put("bootstrap.servers", bootstrapServers());
            cfg.put("client.id", "tributary-testkit");
            cfg.put("linger.ms", 0L);
            producer = new TributaryProducer<>(cfg, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    private TributaryConsumer<byte[], byte[]> reader() {
        if (reader == null) {
            Map<String, Object> cfg = new HashMap<>();
            cfg.put("bootstrap.servers", bootstrapServers());
            cfg.put("client.id", "tributary-testkit-reader");
            cfg.put("enable.auto.commit", false);
            reader = new TributaryConsumer<>(cfg, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        return reader;
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
