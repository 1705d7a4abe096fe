package io.tributary.client.consumer.internals;

import io.tributary.client.common.TopicPartition;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.FetchResponseData;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The consumer's side of one broker's incremental fetch session (KIP-227). The first fetch is
 * full and asks for a session (epoch 0); once the broker answers with a session id, each fetch
 * sends only the partitions that are new or whose fetch state changed, and names the ones no
 * longer fetched (paused, unassigned, buffered, moved) as forgotten; the broker's answer then
 * holds only partitions with something new. Any session error or a failed request falls back to
 * a full fetch; {@link #close} ends the session (epoch -1). A broker that answers without a
 * session id (old versions, a full cache) simply gets full fetches. One request at a time per
 * broker; owned by the network thread.
 */
final class FetchSession {
    static final int INITIAL_EPOCH = 0;
    static final int FINAL_EPOCH = -1;

    /** What the broker keeps per partition of a session; a change is sent in the next fetch. */
    record PartitionState(long fetchOffset, int currentLeaderEpoch, int partitionMaxBytes) {}

    /**
     * One fetch to send: the session coordinates, the partitions to put in the request, the
     * partitions to forget, and every partition the answer may carry (the session after this
     * request).
     */
    record Request(
            int sessionId,
            int epoch,
            Map<TopicPartition, PartitionState> toSend,
            List<TopicPartition> toForget,
            Map<TopicPartition, PartitionState> session) {
        boolean full() {
            return epoch == INITIAL_EPOCH || epoch == FINAL_EPOCH;
        }
    }

    private final int node;
    private int sessionId;
    private int nextEpoch = INITIAL_EPOCH;
    private LinkedHashMap<TopicPartition, PartitionState> partitions = new LinkedHashMap<>();

    FetchSession(int node) {
        this.node = node;
    }

    int sessionId() {
        return sessionId;
    }

    int nextEpoch() {
        return nextEpoch;
    }

    /** The request for fetching exactly {@code wanted} now (in this order), and the session's new state. */
    Request build(Map<TopicPartition, PartitionState> wanted) {
        if (nextEpoch == INITIAL_EPOCH || nextEpoch == FINAL_EPOCH) {
            partitions = new LinkedHashMap<>(wanted);
            return new Request(sessionId, nextEpoch, new LinkedHashMap<>(wanted), List.of(), Map.copyOf(wanted));
        }
        Map<TopicPartition, PartitionState> toSend = new LinkedHashMap<>();
        List<TopicPartition> toForget = new ArrayList<>();
        for (Map.Entry<TopicPartition, PartitionState> e : partitions.entrySet()) {
            PartitionState now = wanted.get(e.getKey());
            if (now == null) {
                toForget.add(e.getKey());
            } else if (!now.equals(e.getValue())) {
                toSend.put(e.getKey(), now);
            }
        }
        for (Map.Entry<TopicPartition, PartitionState> e : wanted.entrySet()) {
            if (!partitions.containsKey(e.getKey())) {
                toSend.put(e.getKey(), e.getValue());
            }
        }
        toForget.forEach(partitions::remove);
        partitions.putAll(toSend);
        return new Request(sessionId, nextEpoch, toSend, toForget, Map.copyOf(partitions));
    }

    /**
     * Moves the session on by the broker's answer to {@code sent}. False when the answer must be
     * ignored (a session error, or partitions the request could not have asked for); the next
     * fetch is then full.
     */
    boolean handleResponse(Request sent, FetchResponseData resp) {
        Errors error = Errors.forCode(resp.errorCode);
        if (error != Errors.NONE) {
            if (error == Errors.FETCH_SESSION_ID_NOT_FOUND) {
                sessionId = 0; // nothing to close on the broker
            }
            nextEpoch = INITIAL_EPOCH;
            return false;
        }
        Set<TopicPartition> answered = new HashSet<>();
        for (FetchResponseData.FetchableTopicResponse t : resp.responses) {
            for (FetchResponseData.PartitionData p : t.partitions) {
                answered.add(new TopicPartition(t.topic, p.partitionIndex));
            }
        }
        if (!sent.session().keySet().containsAll(answered)
                || (sent.full() && answered.size() != sent.session().size())) {
            // Keep the id, so the full fetch that follows closes the broker's session.
            nextEpoch = INITIAL_EPOCH;
            return false;
        }
        if (sent.epoch() == FINAL_EPOCH || resp.sessionId == 0) {
            sessionId = 0;
            nextEpoch = INITIAL_EPOCH;
        } else if (sent.full()) {
            sessionId = resp.sessionId;
            nextEpoch = 1;
        } else {
            nextEpoch = nextEpoch(sent.epoch());
        }
        return true;
    }

    /** The request failed or was never answered: the broker's session state is unknown, so start over (closing it). */
    void handleError() {
        nextEpoch = INITIAL_EPOCH;
    }

    /** The request that ends the session on the broker (no partitions, epoch -1), or null without a session. */
    Request close() {
        if (sessionId == 0) {
            return null;
        }
        Request r = new Request(sessionId, FINAL_EPOCH, Map.of(), List.of(), Map.of());
        sessionId = 0;
        nextEpoch = INITIAL_EPOCH;
        partitions = new LinkedHashMap<>();
        return r;
    }

    static int nextEpoch(int epoch) {
        return epoch == Integer.MAX_VALUE ? 1 : epoch + 1;
    }

    @Override
    public String toString() {
        return "FetchSession(node=" + node + ", id=" + sessionId + ", nextEpoch=" + nextEpoch + ", partitions="
                + partitions.size() + ")";
    }
}
