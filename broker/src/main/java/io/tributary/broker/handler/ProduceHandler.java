package io.tributary.broker.handler;

import io.tributary.broker.BrokerState;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.broker.topic.PartitionLog;
import io.tributary.broker.topic.TopicInfo;
import io.tributary.broker.topic.TopicPartition;
import io.tributary.broker.txn.ProduceTxnVerifier;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ProduceRequestData;
import io.tributary.protocol.message.ProduceResponseData;
import io.tributary.protocol.record.MemoryRecords;
import io.tributary.protocol.record.ProduceValidator;
import io.tributary.storage.AppendResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produce v3-12 (v0-2 are refused before they get here; v12 differs from v11 only for KIP-890
 * part 2 transactions, which clients use only with transaction version 2, not advertised):
 * validates each partition's batch without decompressing it (CRC, sizes, codec), appends it (the log assigns offsets and checks idempotent sequences, so a retried batch is
 * answered with its first offsets instead of being written twice), wakes parked fetches, and
 * answers per acks: 0 = no response (the connection is closed on an error, as Kafka does so the
 * client notices), 1 = after the write, -1 = after the fsync covering it. A transactional produce
 * needs WRITE on its transactional id and passes the transaction coordinator's check (issue 11);
 * without a coordinator it is refused. Stateless.
 */
public final class ProduceHandler implements ApiHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ProduceHandler.class);

    private final BrokerState state;

    public ProduceHandler(BrokerState state) {
        this.state = state;
    }

    /**
     * KIP-890 part 1: a transactional batch is written only if its producer id and epoch are the
     * transactional id's current ones and the partition was added to the open transaction; the
     * coordinator runs on this node, so it is asked in-process.
     */
    private Errors verifyTransactional(String transactionalId, ProduceValidator.Result v, TopicPartition tp) {
        ProduceTxnVerifier verifier = state.produceTxnVerifier();
        if (transactionalId == null || verifier == null) {
            return Errors.NONE;
        }
        for (ProduceValidator.BatchInfo b : v.batches()) {
            if (b.isTransactional()) {
                Errors e =
                        verifier.verify(transactionalId, b.producerId(), b.producerEpoch(), tp.topic(), tp.partition());
                if (e != Errors.NONE) {
                    return e;
                }
            }
        }
        return Errors.NONE;
    }

    /**
     * Fails {@code durable} with a TimeoutException after timeoutMs. The timer lives on the
     * connection's event loop (we are on it, so arming it wakes no thread); orTimeout's shared
     * timer thread would be woken by every acks=all produce, a context switch on the latency path.
     */
    private static void timeOut(CompletableFuture<Void> durable, int timeoutMs, Request request) {
        if (request.channel() == null) {
            durable.orTimeout(timeoutMs, TimeUnit.MILLISECONDS);
            return;
        }
        Future<?> timer = request.channel()
                .eventLoop()
                .schedule(
                        () -> durable.completeExceptionally(new TimeoutException()), timeoutMs, TimeUnit.MILLISECONDS);
        durable.whenComplete((ok, err) -> timer.cancel(false));
    }

    /** The largest lone acks=all append whose fsync may run on the event loop (see handle). */
    static final int INLINE_FSYNC_MAX_BYTES = 16 * 1024;

    @Override
    public CompletionStage<Response> handle(Request request) {
        ProduceRequestData req = request.body();
        short acks = req.acks;
        List<ProduceResponseData.TopicProduceResponse> topics = new ArrayList<>();
        List<CompletableFuture<?>> flushes = new ArrayList<>();
        List<PartitionLog> toFlush = new ArrayList<>();
        List<Long> flushOffsets = new ArrayList<>();
        List<TopicPartition> grown = new ArrayList<>();
        List<ProduceResponseData.PartitionProduceResponse> appended = new ArrayList<>();
        boolean anyError = false;
        // A lone small acks=all append fsyncs on this event loop when its log's flusher is idle
        // (after parked fetches were told): the fsync blocks the loop ~0.2 ms, while the two
        // thread hand-offs it saves took 1.5-8 ms in 0.55% of end-to-end trips on a busy 2-core
        // machine (docs/design/bench.md, "End-to-end tail"). Anything larger keeps the flush pool,
        // its group commit across partitions and the loop free.
        boolean lone = acks == -1
                && req.topicData.size() == 1
                && req.topicData.iterator().next().partitionData.size() == 1;
        PartitionLog inlineLog = null;
        long inlineOffset = -1;
        ProduceTxnVerifier verifier = state.produceTxnVerifier();
        Errors txnRefusal = null;
        if (req.transactionalId != null) {
            if (verifier == null) {
                txnRefusal = Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
            } else if (!state.authorizer()
                    .authorize(request, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, req.transactionalId)) {
                txnRefusal = Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
            }
        }
        // v13 names topics by id (KIP-516): an id no topic has is UNKNOWN_TOPIC_ID.
        boolean byId = request.apiVersion() >= 13;
        for (ProduceRequestData.TopicProduceData td : req.topicData) {
            List<ProduceResponseData.PartitionProduceResponse> parts = new ArrayList<>();
            TopicInfo topic =
                    byId ? state.topics().topic(td.topicId) : state.topics().topic(td.name);
            boolean unknownId = byId && topic == null;
            if (byId) {
                td.name = unknownId ? "" : topic.name();
            }
            // Checked before existence, so a client without WRITE cannot learn which topics exist.
            boolean writable =
                    unknownId || state.authorizer().authorize(request, AclOperation.WRITE, ResourceType.TOPIC, td.name);
            for (ProduceRequestData.PartitionProduceData pd : td.partitionData) {
                ProduceResponseData.PartitionProduceResponse pr = new ProduceResponseData.PartitionProduceResponse()
                        .setIndex(pd.index)
                        .setBaseOffset(-1)
                        .setLogAppendTimeMs(-1)
                        .setLogStartOffset(-1);
                parts.add(pr);
                Errors error;
                String message = null;
                if (unknownId) {
                    error = Errors.UNKNOWN_TOPIC_ID;
                } else if (!writable) {
                    error = Errors.TOPIC_AUTHORIZATION_FAILED;
                } else if (acks != 0 && acks != 1 && acks != -1) {
                    error = Errors.INVALID_REQUIRED_ACKS;
                } else if (txnRefusal != null) {
                    error = txnRefusal;
                    message = verifier == null ? "transactions are not supported" : null;
                } else if (topic == null || pd.index < 0 || pd.index >= topic.partitions()) {
                    error = Errors.UNKNOWN_TOPIC_OR_PARTITION;
                } else if (topic.internal()) {
                    error = Errors.INVALID_TOPIC_EXCEPTION;
                    message = "Cannot append to internal topic " + td.name;
                } else if (!(pd.records instanceof MemoryRecords records)) {
                    error = Errors.CORRUPT_MESSAGE;
                    message = "no records";
                } else {
                    TopicPartition tp = new TopicPartition(td.name, pd.index);
                    PartitionLog log = state.topics().log(tp);
                    if (log == null) {
                        error = Errors.UNKNOWN_TOPIC_OR_PARTITION;
                    } else {
                        ProduceValidator.Result v =
                                ProduceValidator.validate(records, log.config().maxMessageBytes, request.apiVersion());
                        Errors txnError = v.isValid() ? verifyTransactional(req.transactionalId, v, tp) : Errors.NONE;
                        if (!v.isValid()) {
                            error = v.error();
                            message = v.errorMessage();
                        } else if (txnError != Errors.NONE) {
                            error = txnError;
                            // Kafka's words for a partition not added (KIP-890 part 1).
                            message = txnError == Errors.INVALID_TXN_STATE
                                    ? "Partition was not added to the transaction"
                                    : null;
                        } else {
                            PartitionLog.Appended a = log.append(records, v);
                            AppendResult r = a.result();
                            error = r.error();
                            message = r.errorMessage();
                            pr.setLogStartOffset(r.logStartOffset());
                            if (r.ok()) {
                                pr.setBaseOffset(r.baseOffset());
                                pr.setLogAppendTimeMs(a.logAppendTimeMs());
                                // Durability is asked for (below) before parked fetches are read,
                                // so the journal or the flusher works while they are answered.
                                if (acks == -1 && lone && records.sizeInBytes() <= INLINE_FSYNC_MAX_BYTES) {
                                    inlineLog = log;
                                    inlineOffset = r.lastOffset() + 1;
                                    appended.add(pr);
                                } else if (acks == -1) {
                                    toFlush.add(log);
                                    flushOffsets.add(r.lastOffset() + 1);
                                    appended.add(pr);
                                }
                                if (!r.duplicate()) {
                                    grown.add(tp);
                                }
                            }
                        }
                    }
                }
                pr.setErrorCode(error.code());
                if (error != Errors.NONE) {
                    pr.setErrorMessage(message); // written from v8
                    anyError = true;
                    LOG.debug(
                            "Produce to {}-{} from {} failed: {} {}",
                            td.name,
                            pd.index,
                            request.clientId(),
                            error,
                            message == null ? "" : message);
                }
            }
            topics.add(new ProduceResponseData.TopicProduceResponse()
                    .setName(td.name)
                    .setTopicId(td.topicId)
                    .setPartitionResponses(parts));
        }
        if (!toFlush.isEmpty()) {
            long[] offsets = flushOffsets.stream().mapToLong(Long::longValue).toArray();
            flushes.add(PartitionLog.flushAllUpTo(toFlush, offsets));
        }
        for (TopicPartition tp : grown) {
            state.purgatory().onAppend(tp);
        }
        if (inlineLog != null) {
            // After the fetches: the write or fsync may run on this thread.
            flushes.add(inlineLog.flushUpToHereIfIdle(inlineOffset));
        }
        ProduceResponseData resp = new ProduceResponseData().setResponses(topics);
        if (acks == 0) {
            return CompletableFuture.completedFuture(
                    anyError
                            ? Response.close(request, "acks=0 produce failed; closing so the producer notices")
                            : Response.none(request));
        }
        if (flushes.isEmpty()) {
            return CompletableFuture.completedFuture(Response.of(request, resp));
        }
        CompletableFuture<Void> durable = CompletableFuture.allOf(flushes.toArray(new CompletableFuture<?>[0]));
        if (req.timeoutMs > 0) {
            timeOut(durable, req.timeoutMs, request);
        }
        return durable.handle((ok, err) -> {
            if (err != null) {
                Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                Errors e = cause instanceof TimeoutException ? Errors.REQUEST_TIMED_OUT : Errors.KAFKA_STORAGE_ERROR;
                LOG.warn("acks=all produce from {} not confirmed durable: {}", request.clientId(), cause.toString());
                for (ProduceResponseData.PartitionProduceResponse pr : appended) {
                    pr.setErrorCode(e.code()).setBaseOffset(-1);
                }
            }
            return Response.of(request, resp);
        });
    }
}
