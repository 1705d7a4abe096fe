package io.tributary.client.producer;

import io.tributary.client.common.Header;
import io.tributary.client.common.Headers;
import io.tributary.client.common.PartitionInfo;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.TributaryException;
import io.tributary.client.common.errors.RecordTooLargeException;
import io.tributary.client.common.errors.SerializationException;
import io.tributary.client.common.errors.TimeoutException;
import io.tributary.client.consumer.ConsumerGroupMetadata;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.internals.BootstrapServers;
import io.tributary.client.internals.Cluster;
import io.tributary.client.internals.MetadataManager;
import io.tributary.client.network.NetworkClient;
import io.tributary.client.producer.internals.BuiltInPartitioner;
import io.tributary.client.producer.internals.RecordAccumulator;
import io.tributary.client.producer.internals.RecordFuture;
import io.tributary.client.producer.internals.Sender;
import io.tributary.client.producer.internals.TransactionManager;
import io.tributary.client.serialization.Serializer;
import io.tributary.protocol.Errors;
import io.tributary.protocol.record.CompressionType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The producer (issue 12), in the shape of Kafka's {@code KafkaProducer}: {@link #send} serializes
 * and partitions on the caller's thread and appends into the {@link RecordAccumulator}; the {@link
 * Sender} thread sends batches over the network client and metadata cache the consumer uses too.
 * Idempotent by default. Thread-safe.
 */
public final class TributaryProducer<K, V> implements Producer<K, V> {
    private static final AtomicInteger CLIENT_IDS = new AtomicInteger(1);
    private static final int RECORD_BATCH_OVERHEAD = 61;
    private static final int RECORD_OVERHEAD = 21;

    private final ProducerConfig config;
    private final Serializer<K> keySerializer;
    private final Serializer<V> valueSerializer;
    private final Partitioner partitioner;
    private final BuiltInPartitioner builtIn;
    private final boolean ignoreKeys;
    private final RecordAccumulator accumulator;
    private final Sender sender;
    private final TransactionManager transactions;
    private final long maxBlockMs;
    private final int maxRequestSize;
    private final long totalMemory;
    private volatile boolean closed;

    public TributaryProducer(Properties props) {
        this(ProducerConfig.propsToMap(props), null, null);
    }

    public TributaryProducer(Properties props, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        this(ProducerConfig.propsToMap(props), keySerializer, valueSerializer);
    }

    public TributaryProducer(Map<String, Object> configs) {
        this(configs, null, null);
    }

    @SuppressWarnings("unchecked")
    public TributaryProducer(Map<String, Object> configs, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        this.config = new ProducerConfig(configs, keySerializer != null, valueSerializer != null);
        this.keySerializer = keySerializer != null
                ? keySerializer
                : (Serializer<K>) config.newInstance(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, Serializer.class);
        this.valueSerializer = valueSerializer != null
                ? valueSerializer
                : (Serializer<V>) config.newInstance(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, Serializer.class);
        if (keySerializer == null) {
            this.keySerializer.configure(config.originals(), true);
        }
        if (valueSerializer == null) {
            this.valueSerializer.configure(config.originals(), false);
        }
        this.partitioner = config.newInstance(ProducerConfig.PARTITIONER_CLASS_CONFIG, Partitioner.class);
        if (partitioner != null) {
            partitioner.configure(config.originals());
        }
        int batchSize = config.getInt(ProducerConfig.BATCH_SIZE_CONFIG);
        this.builtIn = new BuiltInPartitioner(batchSize);
        this.ignoreKeys = config.getBoolean(ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG);
        this.maxBlockMs = config.getLong(ProducerConfig.MAX_BLOCK_MS_CONFIG);
        this.maxRequestSize = config.getInt(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        this.totalMemory = config.getLong(ProducerConfig.BUFFER_MEMORY_CONFIG);
        CompressionType codec = CompressionType.forName(config.getString(ProducerConfig.COMPRESSION_TYPE_CONFIG));
        this.accumulator = new RecordAccumulator(
                Math.max(1, batchSize),
                codec,
                compressionLevel(codec),
                config.getLong(ProducerConfig.LINGER_MS_CONFIG),
                totalMemory,
                config.getString(ProducerConfig.TRANSACTIONAL_ID_CONFIG) != null);
        String clientId = config.getString(ProducerConfig.CLIENT_ID_CONFIG);
        if (clientId.isEmpty()) {
            clientId = "producer-" + CLIENT_IDS.getAndIncrement();
        }
        NetworkClient client = new NetworkClient(
                BootstrapServers.parse(config.getList(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)),
                clientId,
                config.getInt(ProducerConfig.SEND_BUFFER_CONFIG),
                config.getInt(ProducerConfig.RECEIVE_BUFFER_CONFIG),
                config.getInt(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG),
                config.getLong(ProducerConfig.RECONNECT_BACKOFF_MS_CONFIG),
                config.getLong(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG),
                config.channelSecurity());
        MetadataManager metadata = new MetadataManager(
                client,
                config.getLong(ProducerConfig.METADATA_MAX_AGE_CONFIG),
                config.getLong(ProducerConfig.RETRY_BACKOFF_MS_CONFIG),
                true);
        String transactionalId = config.getString(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        this.transactions = transactionalId == null
                ? null
                : new TransactionManager(
                        transactionalId,
                        config.getInt(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                        config.getLong(ProducerConfig.RETRY_BACKOFF_MS_CONFIG),
                        client);
        this.sender = new Sender(
                client,
                metadata,
                accumulator,
                new Sender.Settings(
                        config.acks(),
                        config.getInt(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG),
                        config.getInt(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG),
                        config.getInt(ProducerConfig.RETRIES_CONFIG),
                        config.getLong(ProducerConfig.RETRY_BACKOFF_MS_CONFIG),
                        config.getLong(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG),
                        maxRequestSize,
                        config.getInt(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION),
                        config.idempotent()),
                transactions);
        sender.start();
    }

    private int compressionLevel(CompressionType codec) {
        return switch (codec.name) {
            case "gzip" -> config.getInt(ProducerConfig.COMPRESSION_GZIP_LEVEL_CONFIG);
            case "lz4" -> config.getInt(ProducerConfig.COMPRESSION_LZ4_LEVEL_CONFIG);
            case "zstd" -> config.getInt(ProducerConfig.COMPRESSION_ZSTD_LEVEL_CONFIG);
            default -> codec.defaultLevel();
        };
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<K, V> record) {
        return send(record, null);
    }

    /**
     * Errors Kafka reports through the future (a record too large, metadata or memory not
     * available within max.block.ms) complete the future and call the callback; a closed
     * producer or a failing serializer throws, as Kafka's.
     */
    @Override
    public Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
        if (closed) {
            throw new IllegalStateException("Cannot perform operation after producer has been closed");
        }
        long start = System.currentTimeMillis();
        try {
            String topic = record.topic();
            List<PartitionInfo> partitions = knownPartitions(topic, record.partition());
            // One clock read serves the timestamp, the block budget and the batch when the
            // metadata is there (nearly always); a second one after waiting for it.
            long now = start;
            if (partitions == null) {
                partitions = waitOnMetadata(topic, record.partition(), start);
                now = System.currentTimeMillis();
            }
            Headers headers = record.headers();
            byte[] key = serialize(keySerializer, record.topic(), headers, record.key(), "key");
            byte[] value = serialize(valueSerializer, record.topic(), headers, record.value(), "value");
            io.tributary.protocol.record.Header[] wireHeaders = wireHeaders(headers);
            int size = estimateSize(key, value, wireHeaders);
            ensureValidRecordSize(size);
            boolean sticky = record.partition() == null && partitioner == null && (key == null || ignoreKeys);
            BuiltInPartitioner.Sticky stickyState = sticky ? builtIn.sticky(topic) : null;
            int partition = sticky ? stickyState.partition(partitions) : partition(record, key, value, partitions);
            if (transactions != null && transactions.maybeAddPartition(accumulator.topicPartition(topic, partition))) {
                sender.wakeup();
            }
            long timestamp = record.timestamp() == null ? now : record.timestamp();
            long remaining = Math.max(0, maxBlockMs - (now - start));
            RecordFuture f = accumulator.append(
                    topic, partition, timestamp, key, value, wireHeaders, callback, size, remaining, now);
            if (sticky) {
                stickyState.appended(partition, f.appendedBytes());
            }
            if (f.wakeSender()) {
                sender.wakeup();
            }
            return f;
        } catch (TimeoutException | RecordTooLargeException e) {
            if (callback != null) {
                callback.onCompletion(null, e);
            }
            return CompletableFuture.failedFuture(e);
        }
    }

    private <T> byte[] serialize(Serializer<T> s, String topic, Headers headers, T data, String what) {
        try {
            return s.serialize(topic, headers, data);
        } catch (ClassCastException e) {
            throw new SerializationException(
                    "Can't convert " + what + " of class "
                            + (data == null ? "null" : data.getClass().getName()) + " to class "
                            + s.getClass().getName() + " specified in " + what + ".serializer",
                    e);
        }
    }

    private static final io.tributary.protocol.record.Header[] NO_HEADERS = new io.tributary.protocol.record.Header[0];

    private static io.tributary.protocol.record.Header[] wireHeaders(Headers headers) {
        if (headers.size() == 0) {
            return NO_HEADERS;
        }
        io.tributary.protocol.record.Header[] out = new io.tributary.protocol.record.Header[headers.size()];
        int i = 0;
        for (Header h : headers) {
            out[i++] = new io.tributary.protocol.record.Header(h.key(), h.value());
        }
        return out;
    }

    /** An upper bound of the record's size in a batch of its own, as Kafka checks it. */
    private static int estimateSize(byte[] key, byte[] value, io.tributary.protocol.record.Header[] headers) {
        int size = RECORD_BATCH_OVERHEAD
                + RECORD_OVERHEAD
                + (key == null ? 0 : key.length)
                + (value == null ? 0 : value.length);
        for (io.tributary.protocol.record.Header h : headers) {
            size += 10 + h.key().getBytes(StandardCharsets.UTF_8).length + (h.value() == null ? 0 : h.value().length);
        }
        return size;
    }

    private void ensureValidRecordSize(int size) {
        if (size > maxRequestSize) {
            throw new RecordTooLargeException("The message is " + size + " bytes when serialized which is larger than "
                    + maxRequestSize + ", which is the value of the max.request.size configuration.");
        }
        if (size > totalMemory) {
            throw new RecordTooLargeException("The message is " + size
                    + " bytes when serialized which is larger than the total memory buffer you have configured with"
                    + " the buffer.memory configuration.");
        }
    }

    /** The partition of a record the sticky partitioner does not place (see {@code send}). */
    private int partition(ProducerRecord<K, V> record, byte[] key, byte[] value, List<PartitionInfo> parts) {
        if (record.partition() != null) {
            return record.partition();
        }
        if (partitioner != null) {
            int p = partitioner.partition(record.topic(), record.key(), key, record.value(), value, parts);
            if (p < 0 || p >= parts.size()) {
                throw new IllegalArgumentException("The partitioner returned partition " + p + " of topic "
                        + record.topic() + ", which has " + parts.size() + " partitions");
            }
            return p;
        }
        return BuiltInPartitioner.partitionForKey(key, parts.size());
    }

    /**
     * The last topic sent to and its partitions in one metadata snapshot: the map lookup compared
     * the record's topic name with the metadata's (another String instance) char by char on every
     * send (3% of the client's samples in issue 16's third producer pass).
     */
    private record LastTopic(String topic, Cluster cluster, List<PartitionInfo> partitions) {}

    private volatile LastTopic lastTopic;

    /** The topic's partitions if the metadata has them (and {@code partition}), else null. */
    private List<PartitionInfo> knownPartitions(String topic, Integer partition) {
        Cluster cluster = sender.cluster();
        LastTopic last = lastTopic;
        List<PartitionInfo> partitions;
        if (last != null && last.topic == topic && last.cluster == cluster) {
            partitions = last.partitions;
        } else {
            Cluster.TopicMetadata t = cluster.topics().get(topic);
            if (t == null || t.error() != Errors.NONE || t.partitions().isEmpty()) {
                return null;
            }
            partitions = t.partitions();
            lastTopic = new LastTopic(topic, cluster, partitions);
        }
        return partition == null || partition < partitions.size() ? partitions : null;
    }

    /** The topic's partitions, waiting up to max.block.ms for metadata that has them. */
    private List<PartitionInfo> waitOnMetadata(String topic, Integer partition, long start) {
        while (true) {
            List<PartitionInfo> known = knownPartitions(topic, partition);
            if (known != null) {
                return known;
            }
            Cluster.TopicMetadata t = sender.cluster().topics().get(topic);
            long elapsed = System.currentTimeMillis() - start;
            if (elapsed >= maxBlockMs || closed) {
                if (partition != null && t != null && t.error() == Errors.NONE) {
                    throw new TimeoutException("Partition " + partition + " of topic " + topic
                            + " with partition count " + t.partitions().size() + " is not present in metadata after "
                            + maxBlockMs + " ms.");
                }
                throw new TimeoutException("Topic " + topic + " not present in metadata after " + maxBlockMs + " ms.");
            }
            try {
                sender.awaitMetadata(topic, maxBlockMs - elapsed);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TributaryException("Interrupted while waiting for metadata", e);
            }
        }
    }

    /**
     * Finds the transaction coordinator and gets the producer id and epoch for transactional.id,
     * fencing any older producer with the same id and completing its open transaction. Blocks up
     * to max.block.ms; after a {@link TimeoutException} it may be called again.
     */
    @Override
    public void initTransactions() {
        TransactionManager tm = transactionManager();
        CompletableFuture<Void> result = tm.initTransactions();
        sender.wakeup();
        await(result, "InitProducerId");
    }

    @Override
    public void beginTransaction() {
        transactionManager().beginTransaction();
    }

    /** Commits the consumer's offsets as part of the transaction (AddOffsetsToTxn, then TxnOffsetCommit). */
    @Override
    public void sendOffsetsToTransaction(
            Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {
        TransactionManager tm = transactionManager();
        if (groupMetadata == null) {
            throw new IllegalArgumentException("Consumer group metadata could not be null");
        }
        if (offsets.isEmpty()) {
            return;
        }
        CompletableFuture<Void> result = tm.sendOffsetsToTransaction(offsets, groupMetadata);
        sender.wakeup();
        await(result, "sendOffsetsToTransaction");
    }

    /** Flushes, then ends the transaction with a commit; a send that failed makes this throw (abort next). */
    @Override
    public void commitTransaction() {
        TransactionManager tm = transactionManager();
        CompletableFuture<Void> result = tm.beginCommit();
        accumulator.beginFlush();
        try {
            sender.wakeup();
            await(result, "EndTxn(true)");
        } finally {
            accumulator.endFlush();
        }
    }

    /** Fails the records not sent yet, waits for those in flight, then ends the transaction with an abort. */
    @Override
    public void abortTransaction() {
        TransactionManager tm = transactionManager();
        CompletableFuture<Void> result = tm.beginAbort();
        sender.wakeup();
        await(result, "EndTxn(false)");
    }

    private TransactionManager transactionManager() {
        if (closed) {
            throw new IllegalStateException("Cannot perform operation after producer has been closed");
        }
        if (transactions == null) {
            throw new IllegalStateException("Transactional method invoked on a non-transactional producer.");
        }
        return transactions;
    }

    private void await(CompletableFuture<Void> result, String what) {
        try {
            result.get(maxBlockMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException("Timeout expired after " + maxBlockMs + " ms while awaiting " + what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TributaryException("Interrupted while awaiting " + what, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new TributaryException(what + " failed", e);
        }
    }

    @Override
    public void flush() {
        accumulator.beginFlush();
        try {
            sender.wakeup();
            for (var b : accumulator.incomplete()) {
                b.done().join();
            }
        } finally {
            accumulator.endFlush();
        }
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
        if (closed) {
            throw new IllegalStateException("Cannot perform operation after producer has been closed");
        }
        return waitOnMetadata(topic, null, System.currentTimeMillis());
    }

    @Override
    public Map<String, Double> metrics() {
        Map<String, Double> m = new HashMap<>();
        m.put("record-send-total", (double) sender.sentRecords());
        m.put("record-error-total", (double) sender.failedRecords());
        m.put("batches-in-flight-max", (double) sender.maxInFlightBatches());
        if (transactions != null) {
            // Tributary's extension: the epoch shows when a KIP-360 bump happened.
            m.put("producer-epoch", (double) transactions.producerEpoch());
        }
        return m;
    }

    @Override
    public void close() {
        close(Duration.ofMillis(Long.MAX_VALUE));
    }

    /** Sends what is buffered for up to {@code timeout}, then fails what is left; never waits longer. */
    @Override
    public void close(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("The timeout cannot be negative.");
        }
        closed = true;
        long now = System.currentTimeMillis();
        long ms = timeout.toMillis();
        long deadline = ms > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + ms;
        sender.initiateClose(deadline);
        if (Thread.currentThread() != sender) {
            try {
                sender.join(ms >= Long.MAX_VALUE / 2 ? 0 : Math.max(1, ms + 1000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        keySerializer.close();
        valueSerializer.close();
        if (partitioner != null) {
            partitioner.close();
        }
    }
}
