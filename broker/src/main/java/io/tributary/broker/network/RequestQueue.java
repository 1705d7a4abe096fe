package io.tributary.broker.network;

import io.tributary.protocol.message.ApiMessageType;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code queued.max.requests}: the broker-wide bound on requests being processed. At the bound a connection that
 * reads one more request holds it undispatched and stops reading (Netty autoRead off), as Kafka's processors
 * block on a full request queue, until a response completes. Requests that park on the client's own timeout — a Fetch waiting for data,
 * a JoinGroup or SyncGroup waiting for the rebalance — are not counted: Kafka moves them to purgatory, out of
 * its request queue, and counting them would let long polls starve every other request. Shared by all connections; thread-safe.
 */
public final class RequestQueue {
    private final int max;
    private final AtomicInteger queued = new AtomicInteger();
    private final Set<ResponseOrderer.Resumable> paused = ConcurrentHashMap.newKeySet();

    public RequestQueue(int max) {
        this.max = max;
    }

    /** An unbounded queue, for tests that build an orderer alone. */
    public static RequestQueue unbounded() {
        return new RequestQueue(Integer.MAX_VALUE);
    }

    static boolean counted(short apiKey) {
        return apiKey != ApiMessageType.FETCH.apiKey()
                && apiKey != ApiMessageType.JOIN_GROUP.apiKey()
                && apiKey != ApiMessageType.SYNC_GROUP.apiKey();
    }

    /** Counts one request in if there is room. */
    boolean tryAcquire() {
        int n;
        do {
            n = queued.get();
            if (n >= max) {
                return false;
            }
        } while (!queued.compareAndSet(n, n + 1));
        return true;
    }

    void release(int n) {
        if (n > 0 && queued.addAndGet(-n) < max && !paused.isEmpty()) {
            for (ResponseOrderer.Resumable r : paused) {
                if (paused.remove(r)) {
                    r.resume();
                }
            }
        }
    }

    boolean full() {
        return queued.get() >= max;
    }

    /**
     * Registers a connection that stopped reading because the queue is full; true when it must stay paused,
     * false when the queue drained meanwhile (the caller reads on).
     */
    boolean pause(ResponseOrderer.Resumable r) {
        paused.add(r);
        if (!full()) {
            paused.remove(r);
            return false;
        }
        return true;
    }

    void forget(ResponseOrderer.Resumable r) {
        paused.remove(r);
    }

    /** Requests counted now (for tests and metrics). */
    public int queued() {
        return queued.get();
    }
}
