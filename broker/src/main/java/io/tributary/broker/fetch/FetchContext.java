package io.tributary.broker.fetch;

import io.tributary.protocol.Errors;
import io.tributary.protocol.message.FetchRequestData;
import io.tributary.protocol.message.FetchResponseData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * How one Fetch request relates to fetch sessions (KIP-227), decided from its session id and
 * epoch before anything is read:
 * <ul>
 *   <li>epoch -1: a full fetch without a session (and the session it names, if any, is closed);
 *   <li>epoch 0: a full fetch that opens a new session (closing the one it names), answered with
 *       the new session's id, or 0 when the cache has no room;
 *   <li>epoch &gt; 0: an incremental fetch of session {@code sessionId} at exactly its current
 *       epoch, which adds or updates the partitions it sends and drops its forgotten ones; its
 *       answer holds only the partitions with something new. Unknown id: FETCH_SESSION_ID_NOT_FOUND;
 *       wrong epoch: INVALID_FETCH_SESSION_EPOCH; names where the session uses ids or the reverse:
 *       FETCH_SESSION_TOPIC_ID_ERROR. An incremental fetch that empties its session closes it.
 * </ul>
 * The Fetch handler reads {@link #topics()} (for an incremental fetch, every partition of the
 * session) and passes its full answer through {@link #finish}. Fetch v13+ names topics by id:
 * the handler resolves names into {@code FetchTopic.topic} / {@code ForgottenTopic.topic} first,
 * and the session keys those partitions by id. Used by one request at a time.
 */
public final class FetchContext {
    private enum Kind {
        ERROR,
        SESSIONLESS,
        FULL,
        INCREMENTAL
    }

    private final Kind kind;
    private final Errors error;
    private final FetchSessionCache cache;
    private final FetchSession session;
    private final boolean usesTopicIds;
    private final boolean privileged;
    private final List<FetchRequestData.FetchTopic> topics;

    private FetchContext(
            Kind kind,
            Errors error,
            FetchSessionCache cache,
            FetchSession session,
            boolean usesTopicIds,
            boolean privileged,
            List<FetchRequestData.FetchTopic> topics) {
        this.kind = kind;
        this.error = error;
        this.cache = cache;
        this.session = session;
        this.usesTopicIds = usesTopicIds;
        this.privileged = privileged;
        this.topics = topics;
    }

    /**
     * @param version the request's Fetch version: sessions from v7, topic ids from v13
     * @param follower a replica's fetch (replica id &gt;= 0), whose sessions outrank consumers'
     */
    public static FetchContext create(
            FetchSessionCache cache, FetchRequestData req, short version, boolean follower, long nowMs) {
        boolean ids = version >= 13;
        if (version < 7) {
            return new FetchContext(Kind.SESSIONLESS, Errors.NONE, cache, null, ids, follower, req.topics);
        }
        int epoch = req.sessionEpoch;
        if (epoch == 0 || epoch == -1) {
            if (req.sessionId != 0) {
                cache.remove(req.sessionId);
            }
            Kind kind = epoch == 0 ? Kind.FULL : Kind.SESSIONLESS;
            return new FetchContext(kind, Errors.NONE, cache, null, ids, follower, req.topics);
        }
        FetchSession s = cache.get(req.sessionId);
        if (s == null || epoch < 0) {
            return error(Errors.FETCH_SESSION_ID_NOT_FOUND, cache);
        }
        synchronized (s) {
            if (s.epoch() != epoch) {
                return error(Errors.INVALID_FETCH_SESSION_EPOCH, cache);
            }
            if (s.usesTopicIds() != ids) {
                return error(Errors.FETCH_SESSION_TOPIC_ID_ERROR, cache);
            }
            Map<SessionKey, FetchRequestData.FetchPartition> sent = new LinkedHashMap<>();
            for (FetchRequestData.FetchTopic t : req.topics) {
                for (FetchRequestData.FetchPartition p : t.partitions) {
                    sent.put(key(ids, t.topicId, t.topic, p.partition), p);
                }
            }
            List<SessionKey> forgotten = new ArrayList<>();
            for (FetchRequestData.ForgottenTopic t : req.forgottenTopicsData) {
                for (int p : t.partitions) {
                    forgotten.add(key(ids, t.topicId, t.topic, p));
                }
            }
            s.update(sent, forgotten);
            if (s.size() == 0) {
                cache.remove(s.id());
                return new FetchContext(Kind.SESSIONLESS, Errors.NONE, cache, null, ids, follower, List.of());
            }
            cache.touch(s, nowMs);
            s.advanceEpoch();
            return new FetchContext(Kind.INCREMENTAL, Errors.NONE, cache, s, ids, follower, topicsOf(s));
        }
    }

    private static FetchContext error(Errors e, FetchSessionCache cache) {
        return new FetchContext(Kind.ERROR, e, cache, null, false, false, List.of());
    }

    private static SessionKey key(boolean ids, UUID topicId, String topic, int partition) {
        return ids ? new SessionKey(topicId, topic, partition) : SessionKey.byName(topic, partition);
    }

    /** The session's partitions as fetch topics, consecutive partitions of one topic grouped together. */
    private static List<FetchRequestData.FetchTopic> topicsOf(FetchSession s) {
        List<FetchRequestData.FetchTopic> out = new ArrayList<>();
        SessionKey prev = null;
        FetchRequestData.FetchTopic current = null;
        for (CachedPartition c : s.snapshot()) {
            if (prev == null || !prev.sameTopic(c.key)) {
                current = new FetchRequestData.FetchTopic()
                        .setTopic(c.key.topic())
                        .setTopicId(c.key.topicId())
                        .setPartitions(new ArrayList<>());
                out.add(current);
            }
            current.partitions.add(c.toRequest());
            prev = c.key;
        }
        return out;
    }

    /** Non-NONE when the request fails as a whole: answer with {@link #errorResponse()} and read nothing. */
    public Errors error() {
        return error;
    }

    /** Kafka's answer to a session error: the error, session id 0, no partitions. */
    public FetchResponseData errorResponse() {
        return new FetchResponseData()
                .setErrorCode(error.code())
                .setSessionId(0)
                .setResponses(new ArrayList<>());
    }

    /** The partitions to read, in order: the request's for a full fetch, all of the session's for an incremental one. */
    public List<FetchRequestData.FetchTopic> topics() {
        return topics;
    }

    /** The session this fetch uses (incremental) or null; for tests and logs. */
    public FetchSession session() {
        return session;
    }

    /**
     * Turns the answer to {@link #topics()} (one response topic per fetch topic, one partition
     * per fetch partition, in order) into the one to send: a full fetch with epoch 0 opens its
     * session here, with what this answer told the client; an incremental one keeps only the
     * partitions with something new. Call once, with the answer actually sent.
     */
    public FetchResponseData finish(FetchResponseData full, long nowMs) {
        switch (kind) {
            case FULL -> {
                int size = 0;
                for (FetchRequestData.FetchTopic t : topics) {
                    size += t.partitions.size();
                }
                FetchSession created = cache.maybeCreate(nowMs, privileged, size, usesTopicIds, s -> {
                    forEachPair(full, (key, req, resp) -> {
                        CachedPartition c = new CachedPartition(key, req);
                        c.mustRespond(resp, true);
                        s.put(c);
                    });
                });
                return full.setSessionId(created == null ? 0 : created.id());
            }
            case INCREMENTAL -> {
                List<FetchResponseData.FetchableTopicResponse> kept = new ArrayList<>();
                synchronized (session) {
                    for (int i = 0; i < full.responses.size() && i < topics.size(); i++) {
                        FetchResponseData.FetchableTopicResponse t = full.responses.get(i);
                        FetchRequestData.FetchTopic ft = topics.get(i);
                        List<FetchResponseData.PartitionData> parts = new ArrayList<>();
                        for (int j = 0; j < t.partitions.size() && j < ft.partitions.size(); j++) {
                            FetchResponseData.PartitionData p = t.partitions.get(j);
                            SessionKey key = key(usesTopicIds, ft.topicId, ft.topic, ft.partitions.get(j).partition);
                            CachedPartition c = session.get(key);
                            if (c == null || !c.mustRespond(p, true)) {
                                continue;
                            }
                            parts.add(p);
                            if (p.records != null && p.records.sizeInBytes() > 0) {
                                session.moveToEnd(key);
                            }
                        }
                        if (!parts.isEmpty()) {
                            kept.add(t.setPartitions(parts));
                        }
                    }
                }
                return full.setResponses(kept).setSessionId(session.id());
            }
            default -> {
                return full.setSessionId(0);
            }
        }
    }

    private interface PairVisitor {
        void visit(SessionKey key, FetchRequestData.FetchPartition req, FetchResponseData.PartitionData resp);
    }

    private void forEachPair(FetchResponseData full, PairVisitor v) {
        for (int i = 0; i < full.responses.size() && i < topics.size(); i++) {
            FetchRequestData.FetchTopic ft = topics.get(i);
            List<FetchResponseData.PartitionData> parts = full.responses.get(i).partitions;
            for (int j = 0; j < parts.size() && j < ft.partitions.size(); j++) {
                FetchRequestData.FetchPartition p = ft.partitions.get(j);
                v.visit(key(usesTopicIds, ft.topicId, ft.topic, p.partition), p, parts.get(j));
            }
        }
    }
}
