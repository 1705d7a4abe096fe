package io.tributary.broker.fetch;

import io.tributary.protocol.message.FetchRequestData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An incremental fetch session (KIP-227): the partitions a client fetches, in the order the
 * broker reads them, and the epoch the client's next request must carry. Its own lock guards the
 * partitions and epoch; the cache's lock guards the bookkeeping fields (last use, cached size).
 */
public final class FetchSession {
    private final int id;
    private final boolean privileged;
    private final boolean usesTopicIds;
    private final long creationMs;
    // Insertion order is the read order; a partition that returns records moves to the end, so
    // with a byte limit the others are read first next time (fairness, as Kafka does).
    private final LinkedHashMap<SessionKey, CachedPartition> partitions = new LinkedHashMap<>();
    private int epoch = FetchSessionCache.nextEpoch(0);
    // Bookkeeping of the cache, under the cache's lock.
    long lastUsedMs;
    int cachedSize = -1;

    FetchSession(int id, boolean privileged, boolean usesTopicIds, long creationMs) {
        this.id = id;
        this.privileged = privileged;
        this.usesTopicIds = usesTopicIds;
        this.creationMs = creationMs;
        this.lastUsedMs = creationMs;
    }

    public int id() {
        return id;
    }

    /** A follower's session: may evict consumers' sessions (unused by a single node, kept for the rule). */
    public boolean privileged() {
        return privileged;
    }

    /** Fetch v13+ sessions key partitions by topic id, older ones by name; a request of the other kind is refused. */
    public boolean usesTopicIds() {
        return usesTopicIds;
    }

    public long creationMs() {
        return creationMs;
    }

    public synchronized int epoch() {
        return epoch;
    }

    public synchronized int size() {
        return partitions.size();
    }

    synchronized void advanceEpoch() {
        epoch = FetchSessionCache.nextEpoch(epoch);
    }

    synchronized CachedPartition get(SessionKey key) {
        return partitions.get(key);
    }

    synchronized void put(CachedPartition p) {
        partitions.put(p.key, p);
    }

    synchronized List<CachedPartition> snapshot() {
        return new ArrayList<>(partitions.values());
    }

    /** Adds or updates every partition the request names, then drops the forgotten ones. */
    synchronized void update(Map<SessionKey, FetchRequestData.FetchPartition> sent, List<SessionKey> forgotten) {
        sent.forEach((key, p) -> {
            CachedPartition c = partitions.get(key);
            if (c == null) {
                partitions.put(key, new CachedPartition(key, p));
            } else {
                c.updateRequest(p);
            }
        });
        for (SessionKey k : forgotten) {
            partitions.remove(k);
        }
    }

    synchronized void moveToEnd(SessionKey key) {
        CachedPartition c = partitions.remove(key);
        if (c != null) {
            partitions.put(key, c);
        }
    }

    synchronized List<SessionKey> keys() {
        return new ArrayList<>(partitions.keySet());
    }

    @Override
    public String toString() {
        return "FetchSession(id=" + id + ", epoch=" + epoch() + ", partitions=" + size() + ")";
    }
}
