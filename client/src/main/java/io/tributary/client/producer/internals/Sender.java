package io.tributary.client.producer.internals;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.TributaryException;
import io.tributary.client.common.errors.ApiException;
import io.tributary.client.common.errors.ProducerFencedException;
import io.tributary.client.common.errors.RecordTooLargeException;
import io.tributary.client.common.errors.TimeoutException;
import io.tributary.client.common.errors.TransactionAbortedException;
import io.tributary.client.internals.Cluster;
import io.tributary.client.internals.ErrorTypes;
import io.tributary.client.internals.MetadataManager;
import io.tributary.client.network.ApiVersionRanges;
import io.tributary.client.network.NetworkClient;
import io.tributary.client.network.Response;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.InitProducerIdRequestData;
import io.tributary.protocol.message.InitProducerIdResponseData;
import io.tributary.protocol.message.ProduceRequestData;
import io.tributary.protocol.message.ProduceResponseData;
import io.tributary.protocol.record.RecordBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer's I/O thread (issue 12): owns the shared {@link NetworkClient} and {@link
 * MetadataManager}, gets a producer id when idempotent, drains ready batches into one Produce
 * request per leader, and completes, retries or fails them from the responses. Up to
 * max.in.flight.requests.per.connection batches of a partition are in flight, each in its own
 * request; idempotent sequences keep their order across retries (a failed batch's successors go
 * again after it). Batches of different partitions to the same broker share a request.
 */
public final class Sender extends Thread {
    private static final Logger LOG = LoggerFactory.getLogger(Sender.class);

    public record Settings(
            short acks,
            int requestTimeoutMs,
            int deliveryTimeoutMs,
            int retries,
            long retryBackoffMs,
            long retryBackoffMaxMs,
            int maxRequestSize,
            int maxInFlightPerConnection,
            boolean idempotent) {}

    private final NetworkClient client;
    private final MetadataManager metadata;
    private final RecordAccumulator accumulator;
    private final Settings settings;
    private final TransactionManager transactions;
    private final Set<String> topics = ConcurrentHashMap.newKeySet();
    /** baseSequence of a batch to restamp with the new epoch and sequence before its next attempt. */
    private static final int RESTAMP = -2;

    private int inFlightBatches;
    private volatile int maxInFlightBatches;
    private boolean epochBumpPending;
    private final Map<TopicPartition, Integer> nextSequence = new HashMap<>();
    private final Object metadataMonitor = new Object();
    private final AtomicLong sentRecords = new AtomicLong();
    private final AtomicLong failedRecords = new AtomicLong();
    private volatile boolean topicsChanged;
    private volatile boolean running = true;
    private volatile long forceCloseAtMs = Long.MAX_VALUE;
    private long producerId = RecordBatch.NO_PRODUCER_ID;
    private short producerEpoch = RecordBatch.NO_PRODUCER_EPOCH;
    private boolean initInFlight;
    private long initRetryAtMs;
    private Cluster lastCluster;

    /** {@code transactions}: the transaction manager of a transactional producer, else null. */
    public Sender(
            NetworkClient client,
            MetadataManager metadata,
            RecordAccumulator accumulator,
            Settings settings,
            TransactionManager transactions) {
        super("tributary-producer-network-thread");
        this.transactions = transactions;
        setDaemon(true);
        this.client = client;
        this.metadata = metadata;
        this.accumulator = accumulator;
        this.settings = settings;
    }

    /** Current metadata; may be read from any thread. */
    public Cluster cluster() {
        return metadata.cluster();
    }

    /** Asks for metadata of a topic and waits up to {@code waitMs} for the next refresh. */
    public void awaitMetadata(String topic, long waitMs) throws InterruptedException {
        if (topics.add(topic)) {
            topicsChanged = true;
        } else {
            topicsChanged = true; // a known topic without partitions: refresh anyway
        }
        client.wakeup();
        synchronized (metadataMonitor) {
            metadataMonitor.wait(Math.max(1, waitMs));
        }
    }

    public void wakeup() {
        client.wakeup();
    }

    public long sentRecords() {
        return sentRecords.get();
    }

    /** The most batches (all partitions) ever awaiting answers at once. */
    public int maxInFlightBatches() {
        return maxInFlightBatches;
    }

    public long failedRecords() {
        return failedRecords.get();
    }

    /** Stops once every incomplete batch is done or at {@code deadlineMs}, failing what is left. */
    public void initiateClose(long deadlineMs) {
        forceCloseAtMs = deadlineMs;
        if (transactions != null && deadlineMs > System.currentTimeMillis()) {
            // As Kafka's: a transaction left open by close() is aborted (not on a forced close), so
            // read_committed readers are not held back until its timeout.
            transactions.abortOnClose();
        }
        running = false;
        accumulator.beginClose();
        client.wakeup();
    }

    @Override
    public void run() {
        try {
            while (running || (workLeft() && System.currentTimeMillis() < forceCloseAtMs)) {
                runOnce(System.currentTimeMillis());
            }
        } catch (RuntimeException e) {
            LOG.error("Producer I/O thread failed", e);
        } finally {
            RuntimeException closed = new TributaryException("Producer is closed forcefully.");
            for (ProducerBatch b : accumulator.incomplete()) {
                fail(b, closed);
            }
            client.close();
            synchronized (metadataMonitor) {
                metadataMonitor.notifyAll();
            }
        }
    }

    private boolean workLeft() {
        return accumulator.hasIncomplete() || (transactions != null && transactions.completing());
    }

    private void runOnce(long now) {
        if (topicsChanged) {
            topicsChanged = false;
            metadata.setTopics(topics, false);
            metadata.requestUpdate();
        }
        metadata.poll(now);
        failExpired(now);
        if (transactions != null) {
            pollTransactions(now);
        } else if (settings.idempotent && (producerId == RecordBatch.NO_PRODUCER_ID || epochBumpPending)) {
            if (inFlightBatches == 0) {
                maybeInitProducerId(now);
            }
        } else {
            sendReady(now);
        }
        long timeout = Math.min(accumulator.nextReadyDelayMs(now, 100), metadata.timeToNextUpdateMs(now));
        client.poll(Math.max(1, timeout), System.currentTimeMillis());
        Cluster c = metadata.cluster();
        if (c != lastCluster) {
            lastCluster = c;
            synchronized (metadataMonitor) {
                metadataMonitor.notifyAll();
            }
        }
    }

    /**
     * The transactional producer's turn: the producer id comes from the transaction manager;
     * batches not yet sent are failed once the producer is fenced or its transaction aborts;
     * then the next transactional request, then the batches of partitions already in the transaction.
     */
    private void pollTransactions(long now) {
        if (transactions.producerId() != producerId || transactions.producerEpoch() != producerEpoch) {
            producerId = transactions.producerId();
            producerEpoch = transactions.producerEpoch();
            nextSequence.clear();
        }
        RuntimeException fatal = transactions.fatalError();
        if (fatal != null) {
            failUnsent(fatal);
        } else if (transactions.aborting()) {
            failUnsent(new TransactionAbortedException("Failing batch since transaction was aborted"));
        }
        transactions.poll(now, accumulator.hasIncomplete());
        if (producerId != RecordBatch.NO_PRODUCER_ID) {
            sendReady(now);
        }
    }

    /** Batches never sent hold no sequence, so failing them leaves no gap. */
    private void failUnsent(RuntimeException e) {
        for (ProducerBatch b : accumulator.incomplete()) {
            if (!b.isClosed()) {
                b.close(RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE);
                fail(b, e);
            }
        }
    }

    private void maybeInitProducerId(long now) {
        if (initInFlight || now < initRetryAtMs) {
            return;
        }
        int node = client.leastLoadedNode(now);
        if (node == NetworkClient.NO_NODE) {
            return;
        }
        initInFlight = true;
        InitProducerIdRequestData req = new InitProducerIdRequestData()
                .setTransactionalId(null)
                .setTransactionTimeoutMs(Integer.MAX_VALUE)
                .setProducerId(producerId)
                .setProducerEpoch(producerEpoch);
        client.send(node, ApiMessageType.INIT_PRODUCER_ID, req, now).whenComplete((resp, err) -> {
            initInFlight = false;
            InitProducerIdResponseData data = err == null ? resp.data() : null;
            if (data != null && data.errorCode == 0) {
                producerId = data.producerId;
                producerEpoch = data.producerEpoch;
                nextSequence.clear();
                if (epochBumpPending) {
                    epochBumpPending = false;
                    for (ProducerBatch b : accumulator.incomplete()) {
                        if (b.isClosed()) {
                            b.baseSequence = RESTAMP;
                        }
                    }
                }
                LOG.debug("Producer id {} epoch {}", producerId, producerEpoch);
            } else {
                LOG.debug("InitProducerId failed: {}", err != null ? err : Errors.forCode(data.errorCode));
                initRetryAtMs = System.currentTimeMillis() + settings.retryBackoffMs;
            }
        });
    }

    private void sendReady(long now) {
        Cluster cluster = metadata.cluster();
        Map<Integer, List<ProducerBatch>> byNode = new HashMap<>();
        for (ProducerBatch b : accumulator.ready(settings.maxInFlightPerConnection, now)) {
            if (transactions != null && !b.isClosed() && !transactions.mayDrain(b.tp)) {
                continue; // AddPartitionsToTxn first
            }
            var leader = cluster.leaderFor(b.tp);
            if (leader == null || leader.id() < 0) {
                metadata.requestUpdate();
                continue;
            }
            byNode.computeIfAbsent(leader.id(), k -> new ArrayList<>()).add(b);
        }
        byNode.forEach((node, batches) -> {
            List<ProducerBatch> left = batches;
            while (!left.isEmpty() && client.inFlightCount(node) < settings.maxInFlightPerConnection) {
                left = send(node, left, now);
            }
        });
    }

    /**
     * Sends one Produce request to {@code node}: the first batch of each partition in {@code
     * batches} (a request holds one batch per partition), up to max.request.size. Batches get
     * their sequence here, in queue order. Returns the batches left for later requests.
     */
    private List<ProducerBatch> send(int node, List<ProducerBatch> batches, long now) {
        Map<String, ProduceRequestData.TopicProduceData> byTopic = new HashMap<>();
        Map<TopicPartition, ProducerBatch> sent = new HashMap<>();
        Set<TopicPartition> deferred = new HashSet<>();
        List<ProducerBatch> left = new ArrayList<>();
        int size = 0;
        for (ProducerBatch b : batches) {
            int batchSize = b.isClosed() ? b.records().sizeInBytes() : b.estimatedSizeInBytes();
            if (sent.containsKey(b.tp)
                    || deferred.contains(b.tp)
                    || (!sent.isEmpty() && size + batchSize > settings.maxRequestSize)) {
                deferred.add(b.tp); // a later request, after this partition's earlier batches
                left.add(b);
                continue;
            }
            stamp(b);
            size += batchSize;
            sent.put(b.tp, b);
            b.inFlight = true;
            inFlightBatches++;
            maxInFlightBatches = Math.max(maxInFlightBatches, inFlightBatches);
            b.attempts++;
            byTopic.computeIfAbsent(b.tp.topic(), t -> new ProduceRequestData.TopicProduceData().setName(t))
                    .partitionData
                    .add(new ProduceRequestData.PartitionProduceData()
                            .setIndex(b.tp.partition())
                            .setRecords(b.records()));
        }
        ProduceRequestData req = new ProduceRequestData()
                .setTransactionalId(transactions == null ? null : transactions.transactionalId())
                .setAcks(settings.acks)
                .setTimeoutMs(settings.requestTimeoutMs)
                .setTopicData(new ArrayList<>(byTopic.values()));
        // Produce v12 would ask the broker to add the partition itself (TV2); this client speaks TV1.
        short maxVersion = transactions == null ? ApiVersionRanges.clientMax(ApiMessageType.PRODUCE) : (short) 11;
        client.send(node, ApiMessageType.PRODUCE, req, now, settings.requestTimeoutMs, maxVersion)
                .whenComplete((resp, err) -> handle(sent, resp, err, System.currentTimeMillis()));
        return left;
    }

    /** Closes a new batch with the partition's next sequence, or restamps one sent before an epoch bump. */
    private void stamp(ProducerBatch b) {
        if (!b.isClosed()) {
            int seq = settings.idempotent ? nextSequence.getOrDefault(b.tp, 0) : RecordBatch.NO_SEQUENCE;
            b.close(producerId, producerEpoch, seq);
            if (settings.idempotent) {
                nextSequence.put(b.tp, incrementSequence(seq, b.recordCount()));
            }
        } else if (b.baseSequence == RESTAMP) {
            int seq = nextSequence.getOrDefault(b.tp, 0);
            b.restamp(producerId, producerEpoch, seq);
            nextSequence.put(b.tp, incrementSequence(seq, b.recordCount()));
        }
    }

    private void handle(Map<TopicPartition, ProducerBatch> sent, Response resp, Throwable err, long now) {
        for (ProducerBatch b : sent.values()) {
            b.inFlight = false;
            inFlightBatches--;
        }
        if (err != null) {
            LOG.debug("Produce request failed: {}", err.toString());
            metadata.requestUpdate();
            sent.values().forEach(b -> retryOrFail(b, Errors.NETWORK_EXCEPTION, err, now));
            return;
        }
        if (settings.acks == 0) {
            // No answer comes: the records are as good as sent; Kafka reports offset -1.
            for (ProducerBatch b : sent.values()) {
                sentRecords.addAndGet(b.recordCount());
                accumulator.remove(b);
                b.complete(-1, -1, null);
            }
            return;
        }
        ProduceResponseData data = resp.data();
        for (ProduceResponseData.TopicProduceResponse t : data.responses) {
            for (ProduceResponseData.PartitionProduceResponse p : t.partitionResponses) {
                ProducerBatch b = sent.remove(new TopicPartition(t.name, p.index));
                if (b != null) {
                    onPartition(b, p, now);
                }
            }
        }
        // A partition the broker left out of its answer is retried as if the request failed.
        sent.values().forEach(b -> retryOrFail(b, Errors.UNKNOWN_SERVER_ERROR, null, now));
    }

    private void onPartition(ProducerBatch b, ProduceResponseData.PartitionProduceResponse p, long now) {
        Errors error = Errors.forCode(p.errorCode);
        switch (error) {
            case NONE, DUPLICATE_SEQUENCE_NUMBER -> {
                sentRecords.addAndGet(b.recordCount());
                accumulator.remove(b);
                b.complete(error == Errors.NONE ? p.baseOffset : -1, p.logAppendTimeMs, null);
            }
            case PRODUCER_FENCED, INVALID_PRODUCER_EPOCH ->
                fail(b, new ProducerFencedException(error, "Produce to " + b.tp));
            case OUT_OF_ORDER_SEQUENCE_NUMBER, UNKNOWN_PRODUCER_ID -> {
                if (!accumulator.isFirst(b)) {
                    // An earlier batch of the partition failed too: this one goes again after it.
                    retryOrFail(b, error, null, now);
                } else if (transactions != null) {
                    fail(b, new ApiException(error, "Produce to " + b.tp)); // abortable: the transaction must abort
                } else {
                    if (settings.idempotent && !epochBumpPending) {
                        // KIP-360: bump the epoch once nothing is in flight, then every partition restarts at 0.
                        LOG.warn("{} for {}: bumping the producer epoch", error, b.tp);
                        epochBumpPending = true;
                    }
                    retryOrFail(b, error, null, now);
                }
            }
            case MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE ->
                fail(
                        b,
                        new RecordTooLargeException("The request included a batch of "
                                + b.records().sizeInBytes() + " bytes to " + b.tp
                                + " larger than the broker accepts (" + error + ")"));
            default -> {
                if (error.retriable() || error == Errors.NOT_LEADER_OR_FOLLOWER) {
                    metadata.requestUpdate();
                    retryOrFail(b, error, null, now);
                } else {
                    fail(
                            b,
                            ErrorTypes.forError(
                                    error,
                                    "Produce to " + b.tp
                                            + (p.errorMessage == null ? "" : " (" + p.errorMessage + ")")));
                }
            }
        }
    }

    private void retryOrFail(ProducerBatch b, Errors error, Throwable cause, long now) {
        boolean timedOut = now - b.createdMs >= settings.deliveryTimeoutMs;
        if (b.attempts <= settings.retries && !timedOut) {
            long backoff = Math.min(
                    settings.retryBackoffMaxMs, settings.retryBackoffMs << Math.min(10, Math.max(0, b.attempts - 1)));
            b.retryAtMs = now + backoff;
            return;
        }
        RuntimeException e = timedOut
                ? new TimeoutException("Expiring " + b.recordCount() + " record(s) for " + b.tp + ": "
                        + (now - b.createdMs) + " ms has passed since batch creation (last error " + error + ")")
                : cause instanceof RuntimeException re ? re : ErrorTypes.forError(error, "Produce to " + b.tp);
        fail(b, e);
    }

    private void failExpired(long now) {
        for (ProducerBatch b : accumulator.expired(settings.deliveryTimeoutMs, now)) {
            fail(
                    b,
                    new TimeoutException("Expiring " + b.recordCount() + " record(s) for " + b.tp + ": "
                            + (now - b.createdMs) + " ms has passed since batch creation"));
        }
    }

    private void fail(ProducerBatch b, RuntimeException e) {
        if (transactions != null && !(e instanceof TransactionAbortedException)) {
            transactions.batchFailed(e, b.isClosed() && b.baseSequence != RecordBatch.NO_SEQUENCE);
        }
        failedRecords.addAndGet(b.recordCount());
        accumulator.remove(b);
        b.complete(-1, -1, e);
    }

    /** Sequences wrap at Integer.MAX_VALUE back to 0, as on the broker. */
    private static int incrementSequence(int sequence, int increment) {
        return sequence > Integer.MAX_VALUE - increment
                ? increment - (Integer.MAX_VALUE - sequence) - 1
                : sequence + increment;
    }
}
