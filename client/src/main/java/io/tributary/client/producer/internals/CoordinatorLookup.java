package io.tributary.client.producer.internals;

import io.tributary.client.network.NetworkClient;
import io.tributary.client.network.Response;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.FindCoordinatorRequestData;
import io.tributary.protocol.message.FindCoordinatorResponseData;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One coordinator the transactional producer talks to (issue 12): the transaction coordinator
 * (FindCoordinator key type 1) or a group's coordinator for TxnOffsetCommit (key type 0).
 * Looked up on demand, forgotten on NOT_COORDINATOR / COORDINATOR_NOT_AVAILABLE / a disconnect.
 * Sender thread only (the owning {@link TransactionManager} holds its lock around every call).
 */
final class CoordinatorLookup {
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorLookup.class);

    private final NetworkClient client;
    private final byte keyType;
    private final String key;
    private final long retryBackoffMs;
    private final Object lock;
    private final Consumer<Errors> onError;
    private int nodeId = NetworkClient.NO_NODE;
    private boolean inFlight;
    private long retryAtMs;

    /** {@code onError} hears errors that retrying cannot fix (authorization); it runs under {@code lock}. */
    CoordinatorLookup(
            NetworkClient client,
            byte keyType,
            String key,
            long retryBackoffMs,
            Object lock,
            Consumer<Errors> onError) {
        this.client = client;
        this.keyType = keyType;
        this.key = key;
        this.retryBackoffMs = retryBackoffMs;
        this.lock = lock;
        this.onError = onError;
    }

    /** The coordinator's connection id, or {@link NetworkClient#NO_NODE} while it is being looked up. */
    int node(long nowMs) {
        if (nodeId != NetworkClient.NO_NODE) {
            return nodeId;
        }
        if (inFlight || nowMs < retryAtMs) {
            return NetworkClient.NO_NODE;
        }
        int node = client.leastLoadedNode(nowMs);
        if (node == NetworkClient.NO_NODE) {
            return NetworkClient.NO_NODE;
        }
        inFlight = true;
        FindCoordinatorRequestData req =
                new FindCoordinatorRequestData().setKey(key).setKeyType(keyType);
        client.send(node, ApiMessageType.FIND_COORDINATOR, req, nowMs).whenComplete((resp, err) -> {
            synchronized (lock) {
                onResponse(resp, err);
            }
        });
        return NetworkClient.NO_NODE;
    }

    private void onResponse(Response resp, Throwable err) {
        inFlight = false;
        if (err != null) {
            LOG.debug("FindCoordinator for {} failed: {}", key, err.toString());
            retryAtMs = System.currentTimeMillis() + retryBackoffMs;
            return;
        }
        FindCoordinatorResponseData data = resp.data();
        Errors error = Errors.forCode(data.errorCode);
        if (error != Errors.NONE) {
            retryAtMs = System.currentTimeMillis() + retryBackoffMs;
            if (!error.retriable()) {
                onError.accept(error);
            }
            return;
        }
        // Its own connection id, as the consumer's group coordinator: requests to it do not queue behind produces.
        int id = Integer.MAX_VALUE - data.nodeId;
        client.pin(new NetworkClient.Endpoint(id, data.host, data.port));
        nodeId = id;
        LOG.debug("Coordinator for {} (key type {}) is {}:{}", key, keyType, data.host, data.port);
    }

    void markUnknown() {
        nodeId = NetworkClient.NO_NODE;
    }
}
