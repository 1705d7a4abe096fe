package io.tributary.client.network;

import io.tributary.client.common.errors.AuthenticationException;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link NetworkClient}'s memory of failed connection attempts per broker: the exponential reconnect backoff
 * ({@code reconnect.backoff.ms} doubling per consecutive failure up to {@code reconnect.backoff.max.ms}, as Kafka's)
 * and the authentication failure that requests to that broker fail with while it lasts. Owned by the network thread.
 */
final class ReconnectBackoff {
    private final long backoffMs;
    private final long backoffMaxMs;
    private final Map<Integer, Long> lastFailureMs = new HashMap<>();
    private final Map<Integer, Integer> failures = new HashMap<>();
    private final Map<Integer, AuthenticationException> authFailures = new HashMap<>();

    ReconnectBackoff(long backoffMs, long backoffMaxMs) {
        this.backoffMs = backoffMs;
        this.backoffMaxMs = backoffMaxMs;
    }

    /** True while a failed node is still inside its reconnect backoff. */
    boolean isBlackedOut(int nodeId, long nowMs) {
        Long failed = lastFailureMs.get(nodeId);
        return failed != null && nowMs - failed < backoffMs(nodeId);
    }

    private long backoffMs(int nodeId) {
        int n = failures.getOrDefault(nodeId, 0);
        long b = backoffMs * (1L << Math.min(Math.max(n - 1, 0), 10));
        return Math.min(b, Math.max(backoffMaxMs, backoffMs));
    }

    /** A connection attempt failed before it was ready: the next one waits longer. */
    void failed(int nodeId, long nowMs) {
        lastFailureMs.put(nodeId, nowMs);
        failures.merge(nodeId, 1, Integer::sum);
    }

    void authenticationFailed(int nodeId, AuthenticationException e) {
        authFailures.put(nodeId, e);
    }

    /** The authentication failure of the node's latest attempt, or null. */
    AuthenticationException authenticationFailure(int nodeId) {
        return authFailures.get(nodeId);
    }

    /** A connection became ready: the node's failures are forgotten. */
    void ready(int nodeId) {
        failures.remove(nodeId);
        lastFailureMs.remove(nodeId);
        authFailures.remove(nodeId);
    }

    /** The client itself closed the connection: reconnecting may start at once. */
    void closedByClient(int nodeId) {
        lastFailureMs.remove(nodeId);
    }
}
