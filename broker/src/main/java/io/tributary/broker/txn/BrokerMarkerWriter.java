package io.tributary.broker.txn;

import io.tributary.broker.topic.PartitionLog;
import io.tributary.broker.topic.TopicManager;
import io.tributary.broker.topic.TopicPartition;
import io.tributary.coordinator.transaction.TransactionCoordinatorConfig;
import io.tributary.coordinator.transaction.TransactionMarkerWriter;
import io.tributary.coordinator.transaction.TxnPartition;
import io.tributary.protocol.Errors;
import io.tributary.protocol.record.ControlBatches;
import io.tributary.storage.AppendResult;
import io.tributary.storage.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a transaction on this broker's partitions: appends a COMMIT or ABORT control batch (a
 * magic-v2 batch with the transactional and control bits, the producer's id and epoch, base
 * sequence -1 and one end-transaction marker record) to each data partition through the log's
 * normal append, wakes parked fetches, and completes when every marker is fsynced. The
 * {@code __consumer_offsets} partitions are not logs here: for them the {@link OffsetsTxnHook}
 * tells the group coordinator. A partition whose topic was deleted is skipped, as Kafka drops
 * markers for partitions that no longer exist, and so is a partition whose log refuses the marker
 * as INVALID_PRODUCER_EPOCH (it already knows a newer epoch). Other refusals fail the write, and
 * the coordinator retries it. Thread-safe.
 */
final class BrokerMarkerWriter implements TransactionMarkerWriter {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerMarkerWriter.class);

    private final TopicManager topics;
    private final Consumer<TopicPartition> appended;
    private final OffsetsTxnHook offsetsHook;

    BrokerMarkerWriter(TopicManager topics, Consumer<TopicPartition> appended, OffsetsTxnHook offsetsHook) {
        this.topics = topics;
        this.appended = appended;
        this.offsetsHook = offsetsHook;
    }

    @Override
    public CompletableFuture<Void> write(
            long producerId, short producerEpoch, int coordinatorEpoch, boolean commit, Set<TxnPartition> partitions) {
        List<CompletableFuture<?>> pending = new ArrayList<>();
        boolean offsets = false;
        long now = System.currentTimeMillis();
        for (TxnPartition p : partitions) {
            if (p.topic().equals(TransactionCoordinatorConfig.OFFSETS_TOPIC)) {
                offsets = true;
                continue;
            }
            TopicPartition tp = new TopicPartition(p.topic(), p.partition());
            Errors e = append(producerId, producerEpoch, coordinatorEpoch, commit, tp, now, pending);
            if (e == Errors.UNKNOWN_TOPIC_OR_PARTITION) {
                LOG.info("Skipping the transaction marker of producer {} for {}: no such partition", producerId, tp);
            } else if (e == Errors.INVALID_PRODUCER_EPOCH) {
                // The log has seen a newer epoch of this producer: this marker is obsolete, and
                // retrying it forever would block the transactional id (Kafka gives up on it too).
                LOG.warn(
                        "Dropping the transaction marker of producer {} epoch {} for {}",
                        producerId,
                        producerEpoch,
                        tp);
            } else if (e != Errors.NONE) {
                return CompletableFuture.failedFuture(
                        new StorageException(e, "cannot append the transaction marker to " + tp));
            }
        }
        if (offsets) {
            pending.add(offsetsHook.completeTransaction(producerId, producerEpoch, commit));
        }
        return CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0]));
    }

    /**
     * Appends one marker to a data partition: NONE (its fsync added to {@code pending}),
     * UNKNOWN_TOPIC_OR_PARTITION when there is no such partition, or the log's refusal.
     */
    Errors append(
            long producerId,
            short producerEpoch,
            int coordinatorEpoch,
            boolean commit,
            TopicPartition tp,
            long nowMs,
            List<CompletableFuture<?>> pending) {
        PartitionLog log = topics.log(tp);
        if (log == null) {
            return Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        AppendResult r =
                log.log().append(ControlBatches.marker(producerId, producerEpoch, coordinatorEpoch, commit, nowMs));
        if (!r.ok()) {
            LOG.debug("Transaction marker for {} refused: {} {}", tp, r.error(), r.errorMessage());
            return r.error();
        }
        appended.accept(tp);
        pending.add(log.flushUpTo(r.lastOffset() + 1));
        return Errors.NONE;
    }

    /** The group coordinator's side of a transaction with consumer offsets. */
    OffsetsTxnHook offsetsHook() {
        return offsetsHook;
    }
}
