package io.tributary.broker.txn;

import io.tributary.broker.auth.RequestAuthorizer;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.topic.TopicPartition;
import io.tributary.coordinator.transaction.TransactionCoordinatorConfig;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.WriteTxnMarkersRequestData;
import io.tributary.protocol.message.WriteTxnMarkersResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * WriteTxnMarkers v1 (v0 is gone from Kafka 4; v2 adds KIP-1228's transaction version): our own
 * coordinator writes markers in-process, so on the wire this serves Apache's
 * {@code Admin.abortTransaction} ({@code kafka-transactions.sh abort}), which writes an ABORT
 * marker for a hanging transaction straight to the partition. CLUSTER_ACTION on the cluster, as
 * Kafka requires; each partition gets its own error (UNKNOWN_TOPIC_OR_PARTITION when missing); a
 * {@code __consumer_offsets} partition goes to the group coordinator hook. Answered once every
 * marker written is fsynced. Stateless.
 */
final class WriteTxnMarkersHandler implements ApiHandler {
    private final Supplier<RequestAuthorizer> auth;
    private final BrokerMarkerWriter writer;

    WriteTxnMarkersHandler(Supplier<RequestAuthorizer> auth, BrokerMarkerWriter writer) {
        this.auth = auth;
        this.writer = writer;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        WriteTxnMarkersRequestData req = request.body();
        boolean allowed = auth.get().authorizeCluster(request, AclOperation.CLUSTER_ACTION);
        WriteTxnMarkersResponseData resp = new WriteTxnMarkersResponseData();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (WriteTxnMarkersRequestData.WritableTxnMarker m : req.markers) {
            WriteTxnMarkersResponseData.WritableTxnMarkerResult result =
                    new WriteTxnMarkersResponseData.WritableTxnMarkerResult().setProducerId(m.producerId);
            boolean offsets = false;
            for (WriteTxnMarkersRequestData.WritableTxnMarkerTopic t : m.topics) {
                WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult tr =
                        new WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult().setName(t.name);
                for (int p : t.partitionIndexes) {
                    Errors e;
                    if (!allowed) {
                        e = Errors.CLUSTER_AUTHORIZATION_FAILED;
                    } else if (t.name.equals(TransactionCoordinatorConfig.OFFSETS_TOPIC)) {
                        offsets = true;
                        e = Errors.NONE;
                    } else {
                        e = writer.append(
                                m.producerId,
                                m.producerEpoch,
                                m.coordinatorEpoch,
                                m.transactionResult,
                                new TopicPartition(t.name, p),
                                now,
                                pending);
                    }
                    tr.partitions.add(new WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult()
                            .setPartitionIndex(p)
                            .setErrorCode(e.code()));
                }
                result.topics.add(tr);
            }
            if (offsets) {
                pending.add(
                        writer.offsetsHook().completeTransaction(m.producerId, m.producerEpoch, m.transactionResult));
            }
            resp.markers.add(result);
        }
        return CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0]))
                .handle((v, t) -> {
                    if (t != null) {
                        // Written but not confirmed durable: the caller retries, and a repeated marker is harmless.
                        resp.markers.forEach(r -> r.topics.forEach(tr -> tr.partitions.forEach(pr -> {
                            if (pr.errorCode == Errors.NONE.code()) {
                                pr.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
                            }
                        })));
                    }
                    return Response.of(request, resp);
                });
    }
}
