package io.tributary.client.consumer.internals;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.network.Response;
import io.tributary.protocol.ApiMessage;
import io.tributary.protocol.message.ApiMessageType;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What group membership needs of the group coordinator connection: find it, send to it, forget
 * it, commit through it. {@link CoordinatorManager} is the real one; membership tests put a
 * scripted one in its place. Network thread only.
 */
public interface CoordinatorChannel {
    boolean known();

    /** The coordinator's node id, looked up with FindCoordinator if not known. */
    CompletableFuture<Integer> coordinator(long nowMs);

    /** Forgets the coordinator (it moved or stopped answering); the next request looks it up again. */
    void markUnknown(String why);

    /** Sends with request.timeout.ms, at the highest version both sides support. */
    CompletableFuture<Response> send(ApiMessageType api, ApiMessage body, long nowMs);

    /** Sends with its own timeout (JoinGroup waits for the whole rebalance). */
    CompletableFuture<Response> send(ApiMessageType api, ApiMessage body, long nowMs, long timeoutMs);

    /** OffsetCommit with the current generation and member id. */
    CompletableFuture<Void> commit(Map<TopicPartition, OffsetAndMetadata> offsets, long nowMs);
}
