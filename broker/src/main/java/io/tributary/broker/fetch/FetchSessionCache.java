package io.tributary.broker.fetch;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's fetch sessions (KIP-227), bounded by {@code max.incremental.fetch.session.cache.slots}.
 * When full, a new session takes a slot only by evicting, in this order: the least recently used
 * session if it has been idle longer than {@code min.incremental.fetch.session.eviction.ms}; else
 * the least valuable evictable session if the new one is worth more. Value orders by privilege
 * (a follower's session outranks a consumer's), then by partition count (bigger sessions save
 * more), then by id. A session is evictable by anyone only once it is older than the eviction
 * time (so a new session cannot be pushed out before it is used), and a consumer's session is
 * evictable by a follower's at any age. Thread-safe: one lock for the bookkeeping.
 */
public final class FetchSessionCache {
    private static final Logger LOG = LoggerFactory.getLogger(FetchSessionCache.class);

    private record LastUsedKey(long lastUsedMs, int id) {}

    private record EvictableKey(boolean privileged, int size, int id) {}

    private static final Comparator<LastUsedKey> BY_LAST_USE =
            Comparator.comparingLong(LastUsedKey::lastUsedMs).thenComparingInt(LastUsedKey::id);
    private static final Comparator<EvictableKey> BY_VALUE = Comparator.comparing(EvictableKey::privileged)
            .thenComparingInt(EvictableKey::size)
            .thenComparingInt(EvictableKey::id);

    private final int maxSlots;
    private final long evictionMs;
    private final Map<Integer, FetchSession> sessions = new HashMap<>();
    private final TreeMap<LastUsedKey, FetchSession> lastUsed = new TreeMap<>(BY_LAST_USE);
    private final TreeMap<EvictableKey, FetchSession> evictableByPrivileged = new TreeMap<>(BY_VALUE);
    private final TreeMap<EvictableKey, FetchSession> evictableByAll = new TreeMap<>(BY_VALUE);
    private long partitionCount;
    private long evictions;

    public FetchSessionCache(int maxSlots, long evictionMs) {
        this.maxSlots = maxSlots;
        this.evictionMs = evictionMs;
    }

    /** The epoch after {@code epoch}: 1 follows 0 (a new session), and it wraps from the maximum to 1. */
    public static int nextEpoch(int epoch) {
        if (epoch < 0) {
            return epoch; // -1 (sessionless) stays so
        }
        return epoch == Integer.MAX_VALUE ? 1 : epoch + 1;
    }

    public synchronized FetchSession get(int id) {
        return sessions.get(id);
    }

    public synchronized int size() {
        return sessions.size();
    }

    /** Partitions held by all sessions (as of each session's last touch). */
    public synchronized long partitionCount() {
        return partitionCount;
    }

    public synchronized long evictions() {
        return evictions;
    }

    /**
     * Creates a session of {@code size} partitions, filled by {@code fill} before it becomes
     * visible, evicting another if the cache is full and the rules allow; null when there is no
     * room (the client then fetches without a session).
     */
    public synchronized FetchSession maybeCreate(
            long nowMs, boolean privileged, int size, boolean usesTopicIds, Consumer<FetchSession> fill) {
        if (maxSlots <= 0) {
            return null;
        }
        if (sessions.size() >= maxSlots && !tryEvict(privileged, new EvictableKey(privileged, size, 0), nowMs)) {
            LOG.debug("No fetch session slot for a session of {} partitions", size);
            return null;
        }
        int id;
        do {
            id = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        } while (sessions.containsKey(id));
        FetchSession s = new FetchSession(id, privileged, usesTopicIds, nowMs);
        fill.accept(s);
        sessions.put(id, s);
        touch(s, nowMs);
        return s;
    }

    /** Marks {@code s} used now and re-files it under its current size. */
    public synchronized void touch(FetchSession s, long nowMs) {
        if (sessions.get(s.id()) != s) {
            return; // evicted or closed meanwhile
        }
        lastUsed.remove(new LastUsedKey(s.lastUsedMs, s.id()));
        s.lastUsedMs = nowMs;
        lastUsed.put(new LastUsedKey(nowMs, s.id()), s);
        if (s.cachedSize != -1) {
            EvictableKey old = new EvictableKey(s.privileged(), s.cachedSize, s.id());
            evictableByPrivileged.remove(old);
            evictableByAll.remove(old);
            partitionCount -= s.cachedSize;
        }
        s.cachedSize = s.size();
        EvictableKey now = new EvictableKey(s.privileged(), s.cachedSize, s.id());
        boolean protectedByAge = nowMs - s.creationMs() <= evictionMs;
        if (!s.privileged() || !protectedByAge) {
            evictableByPrivileged.put(now, s);
        }
        if (!protectedByAge) {
            evictableByAll.put(now, s);
        }
        partitionCount += s.cachedSize;
    }

    public synchronized FetchSession remove(int id) {
        FetchSession s = sessions.remove(id);
        if (s == null) {
            return null;
        }
        lastUsed.remove(new LastUsedKey(s.lastUsedMs, id));
        if (s.cachedSize != -1) {
            EvictableKey k = new EvictableKey(s.privileged(), s.cachedSize, id);
            evictableByPrivileged.remove(k);
            evictableByAll.remove(k);
            partitionCount -= s.cachedSize;
        }
        return s;
    }

    private boolean tryEvict(boolean privileged, EvictableKey candidate, long nowMs) {
        Map.Entry<LastUsedKey, FetchSession> stalest = lastUsed.firstEntry();
        if (stalest == null) {
            return false;
        }
        if (nowMs - stalest.getKey().lastUsedMs() > evictionMs) {
            evict(stalest.getValue(), "idle");
            return true;
        }
        Map.Entry<EvictableKey, FetchSession> cheapest =
                (privileged ? evictableByPrivileged : evictableByAll).firstEntry();
        if (cheapest == null || BY_VALUE.compare(candidate, cheapest.getKey()) < 0) {
            return false;
        }
        evict(cheapest.getValue(), "less valuable");
        return true;
    }

    private void evict(FetchSession s, String why) {
        LOG.debug("Evicting {} ({})", s, why);
        remove(s.id());
        evictions++;
    }
}
