package io.tributary.broker.txn;

import io.tributary.broker.auth.RequestAuthorizer;
import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.extension.BrokerContext;
import io.tributary.broker.extension.BrokerExtension;
import io.tributary.broker.group.FindCoordinatorHandler;
import io.tributary.broker.group.GroupCoordinatorExtension;
import io.tributary.broker.group.StorageCoordinatorLog;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.ApiRegistry;
import io.tributary.coordinator.transaction.TransactionCoordinator;
import io.tributary.coordinator.transaction.TransactionCoordinatorConfig;
import io.tributary.protocol.message.ApiMessageType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the broker a transaction coordinator (issue 11), like {@code GroupCoordinatorExtension}
 * does for groups, and installed after it: opens the coordinator's private log
 * {@code <data dir>/__transaction_state} (not a topic), builds {@link TransactionCoordinatorConfig}
 * from the broker's transaction.* keys, replays the log before the listener opens (rewriting the
 * markers of transactions found preparing), and registers InitProducerId (transactional ids),
 * AddPartitionsToTxn, AddOffsetsToTxn, EndTxn, DescribeTransactions, ListTransactions,
 * WriteTxnMarkers (for Apache's admin abort of a hanging transaction), a
 * FindCoordinator that answers transactional ids, and the Produce check of KIP-890 part 1.
 * Producer ids come from the broker's {@code ProducerIdManager}, so they never collide with
 * idempotent producers'. The {@link OffsetsTxnHook} given at construction ends the transactional
 * offset commits of a transaction in the group coordinator (none by default).
 */
public final class TransactionCoordinatorExtension implements BrokerExtension {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionCoordinatorExtension.class);
    public static final String DIR_NAME = "__transaction_state";
    private static final long LOAD_TIMEOUT_MS = 300_000;
    private static final int MIN_SEGMENT_BYTES = 1 << 20;
    private static final List<String> KEYS = List.of(
            BrokerConfig.TRANSACTION_MAX_TIMEOUT_MS,
            BrokerConfig.TRANSACTIONAL_ID_EXPIRATION_MS,
            BrokerConfig.TRANSACTION_ABORT_TIMED_OUT_CLEANUP_INTERVAL_MS,
            BrokerConfig.TRANSACTION_REMOVE_EXPIRED_CLEANUP_INTERVAL_MS,
            BrokerConfig.OFFSETS_TOPIC_NUM_PARTITIONS);

    private final OffsetsTxnHook offsetsHook;
    private StorageCoordinatorLog log;
    private TransactionCoordinator coordinator;

    public TransactionCoordinatorExtension() {
        this(OffsetsTxnHook.NONE);
    }

    /** @param offsetsHook called when a transaction with consumer offsets commits or aborts */
    public TransactionCoordinatorExtension(OffsetsTxnHook offsetsHook) {
        this.offsetsHook = offsetsHook;
    }

    /**
     * The broker's usual pairing: a transaction's commit or abort marker for {@code __consumer_offsets}
     * makes the group coordinator publish or drop the offsets the producer committed in it
     * (TxnOffsetCommit). The group extension must be installed first; it is looked up per call.
     */
    public TransactionCoordinatorExtension(GroupCoordinatorExtension groups) {
        this((producerId, epoch, commit) -> groups.coordinator().completeTransaction(producerId, epoch, commit));
    }

    public static TransactionCoordinatorConfig coordinatorConfig(BrokerConfig config) {
        Map<String, String> props = new LinkedHashMap<>();
        for (String key : KEYS) {
            props.put(key, config.valueString(key));
        }
        return TransactionCoordinatorConfig.fromProperties(props);
    }

    @Override
    public void install(BrokerContext broker) {
        BrokerConfig config = broker.config();
        TransactionCoordinatorConfig txnConfig = coordinatorConfig(config);
        Path dir = broker.dataDir().resolve(DIR_NAME);
        try {
            int segmentBytes =
                    Math.max(MIN_SEGMENT_BYTES, config.getInt(BrokerConfig.TRANSACTION_STATE_LOG_SEGMENT_BYTES));
            log = StorageCoordinatorLog.open(dir, segmentBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the transaction coordinator log in " + dir, e);
        }
        BrokerMarkerWriter markers = new BrokerMarkerWriter(broker.topics(), broker::partitionAppended, offsetsHook);
        coordinator =
                TransactionCoordinator.withOwnThread(txnConfig, log, broker.producerIds()::nextProducerId, markers);
        try {
            coordinator.start().get(LOAD_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading the transaction coordinator", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot load the transaction coordinator state from " + dir, e);
        }
        register(broker, coordinator);
        broker.apis()
                .register(ApiMessageType.WRITE_TXN_MARKERS, new WriteTxnMarkersHandler(broker::authorizer, markers));
        broker.produceTxnVerifier(coordinator::verifyProduce);
        LOG.info(
                "Transaction coordinator ready (log {}, max timeout {} ms, id expiration {} ms)",
                dir,
                txnConfig.maxTimeoutMs(),
                txnConfig.transactionalIdExpirationMs());
    }

    private static void register(BrokerContext broker, TransactionCoordinator c) {
        ApiRegistry apis = broker.apis();
        Supplier<RequestAuthorizer> auth = broker::authorizer;
        apis.register(ApiMessageType.FIND_COORDINATOR, FindCoordinatorHandler.withTransactions(auth, broker));
        ApiHandler idempotent = apis.handler(ApiMessageType.INIT_PRODUCER_ID);
        apis.register(ApiMessageType.INIT_PRODUCER_ID, new TxnInitProducerIdHandler(idempotent, auth, c));
        apis.register(ApiMessageType.ADD_PARTITIONS_TO_TXN, new AddPartitionsToTxnHandler(auth, broker.topics(), c));
        apis.register(ApiMessageType.ADD_OFFSETS_TO_TXN, new AddOffsetsToTxnHandler(auth, c));
        apis.register(ApiMessageType.END_TXN, new EndTxnHandler(auth, c));
        apis.register(ApiMessageType.DESCRIBE_TRANSACTIONS, new DescribeTransactionsHandler(auth, c));
        apis.register(ApiMessageType.LIST_TRANSACTIONS, new ListTransactionsHandler(auth, c));
    }

    /** The running coordinator (null before install). */
    public TransactionCoordinator coordinator() {
        return coordinator;
    }

    @Override
    public void close() {
        if (coordinator != null) {
            coordinator.close();
            coordinator = null;
        }
        if (log != null) {
            log.close();
            log = null;
        }
    }
}
