package io.tributary.client.consumer.internals;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.ConsumerRebalanceListener;
import io.tributary.client.consumer.NoOffsetForPartitionException;
import io.tributary.client.consumer.OffsetAndMetadata;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the consumer reads: the subscription (topics, pattern or manual assignment) and, per
 * assigned partition, the position (next offset to return), pause flag, pending reset and the
 * watermarks of the last fetch. Every change of position bumps a per-partition version, so a
 * fetch started before a seek is recognised as stale and dropped.
 *
 * <p>Shared by the application thread (poll, seek, assign) and the network thread (fetching,
 * resets); every method is synchronized and returns copies.
 */
public final class SubscriptionState {
    public enum SubscriptionType {
        NONE,
        AUTO_TOPICS,
        AUTO_PATTERN,
        USER_ASSIGNED
    }

    /** Why a partition has no position yet. */
    public enum Pending {
        NONE,
        COMMITTED_OR_RESET,
        RESET_EARLIEST,
        RESET_LATEST
    }

    private final class PartitionState {
        Long position;
        int positionEpoch = -1;
        Pending pending = hasGroup ? Pending.COMMITTED_OR_RESET : resetPending();
        boolean paused;
        long highWatermark = -1;
        long logStartOffset = -1;
        long lastStableOffset = -1;
        int version;
        boolean fetchInFlight;
        /** The end offset last reported by enable.partition.eof at this position, or -1. */
        long eofReportedAt = -1;
    }

    private final String defaultReset;
    private SubscriptionType type = SubscriptionType.NONE;
    private final Set<String> topics = new LinkedHashSet<>();
    private Pattern pattern;
    /** A pattern the group coordinator resolves (SubscriptionPattern, KIP-848), or null. */
    private String brokerRegex;

    private ConsumerRebalanceListener listener;
    private final LinkedHashMap<TopicPartition, PartitionState> assignment = new LinkedHashMap<>();

    private final boolean hasGroup;
    private volatile Runnable onNoPosition = () -> {};

    /**
     * @param defaultReset earliest, latest or none
     * @param hasGroup     with a group.id a new partition starts from its committed offset
     */
    public SubscriptionState(String defaultReset, boolean hasGroup) {
        this.defaultReset = defaultReset;
        this.hasGroup = hasGroup;
    }

    /** Called (on the network thread) when a partition turns out to have no position and no policy. */
    public void onNoPosition(Runnable r) {
        onNoPosition = r;
    }

    private Pending resetPending() {
        return "earliest".equals(defaultReset)
                ? Pending.RESET_EARLIEST
                : "latest".equals(defaultReset) ? Pending.RESET_LATEST : Pending.NONE;
    }

    public String defaultResetStrategy() {
        return defaultReset;
    }

    public synchronized SubscriptionType type() {
        return type;
    }

    private void setType(SubscriptionType t) {
        if (type != SubscriptionType.NONE && type != t) {
            throw new IllegalStateException("Subscription to topics, partitions and pattern are mutually exclusive");
        }
        type = t;
    }

    public synchronized void assignFromUser(Collection<TopicPartition> partitions) {
        setType(SubscriptionType.USER_ASSIGNED);
        setAssignment(partitions);
    }

    public synchronized void subscribe(Collection<String> newTopics, ConsumerRebalanceListener l) {
        setType(SubscriptionType.AUTO_TOPICS);
        topics.clear();
        topics.addAll(newTopics);
        listener = l;
    }

    public synchronized void subscribe(Pattern p, ConsumerRebalanceListener l) {
        setType(SubscriptionType.AUTO_PATTERN);
        pattern = p;
        brokerRegex = null;
        listener = l;
    }

    /** A regex the group coordinator resolves; the topics are whatever it assigns. */
    public synchronized void subscribeBrokerRegex(String regex, ConsumerRebalanceListener l) {
        setType(SubscriptionType.AUTO_PATTERN);
        pattern = null;
        brokerRegex = regex;
        listener = l;
    }

    public synchronized String brokerRegex() {
        return brokerRegex;
    }

    /** For pattern subscriptions: the topics metadata says match right now. */
    public synchronized boolean setPatternTopics(Collection<String> matched) {
        if (new LinkedHashSet<>(matched).equals(topics)) {
            return false;
        }
        topics.clear();
        topics.addAll(matched);
        return true;
    }

    public synchronized void unsubscribe() {
        type = SubscriptionType.NONE;
        topics.clear();
        pattern = null;
        brokerRegex = null;
        listener = null;
        assignment.clear();
    }

    /** Replaces the assignment; partitions kept keep their position. */
    public synchronized void setAssignment(Collection<TopicPartition> partitions) {
        LinkedHashMap<TopicPartition, PartitionState> next = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            PartitionState s = assignment.get(tp);
            next.put(tp, s != null ? s : new PartitionState());
        }
        assignment.clear();
        assignment.putAll(next);
    }

    public synchronized Set<TopicPartition> assignedPartitions() {
        return new LinkedHashSet<>(assignment.keySet());
    }

    public synchronized boolean isAssigned(TopicPartition tp) {
        return assignment.containsKey(tp);
    }

    public synchronized Set<String> subscription() {
        return new LinkedHashSet<>(topics);
    }

    public synchronized Pattern pattern() {
        return pattern;
    }

    public synchronized ConsumerRebalanceListener listener() {
        return listener;
    }

    public synchronized boolean hasAutoAssignment() {
        return type == SubscriptionType.AUTO_TOPICS || type == SubscriptionType.AUTO_PATTERN;
    }

    private PartitionState state(TopicPartition tp) {
        PartitionState s = assignment.get(tp);
        if (s == null) {
            throw new IllegalStateException("No current assignment for partition " + tp);
        }
        return s;
    }

    public synchronized void seek(TopicPartition tp, long offset, int leaderEpoch) {
        PartitionState s = state(tp);
        s.position = offset;
        s.positionEpoch = leaderEpoch;
        s.pending = Pending.NONE;
        s.version++;
        s.eofReportedAt = -1;
        notifyAll();
    }

    /** Moves the position forward after poll handed out records; not a seek (no version bump). */
    public synchronized void advance(TopicPartition tp, int version, long offset) {
        PartitionState s = assignment.get(tp);
        if (s != null && s.version == version) {
            s.position = offset;
        }
    }

    /** Waits until a position changes or the timeout passes (application thread, position()). */
    public synchronized void awaitChange(long timeoutMs) {
        try {
            wait(Math.max(1, timeoutMs));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Seeks only if nothing moved the partition since {@code version} (used by async resets). */
    public synchronized boolean seekIfVersion(TopicPartition tp, int version, long offset) {
        PartitionState s = assignment.get(tp);
        if (s == null || s.version != version) {
            return false;
        }
        seek(tp, offset, -1);
        return true;
    }

    public synchronized void requestReset(TopicPartition tp, String strategy) {
        PartitionState s = state(tp);
        s.position = null;
        s.pending = "earliest".equals(strategy)
                ? Pending.RESET_EARLIEST
                : "latest".equals(strategy) ? Pending.RESET_LATEST : Pending.COMMITTED_OR_RESET;
        s.version++;
    }

    public synchronized Long position(TopicPartition tp) {
        return state(tp).position;
    }

    public synchronized int version(TopicPartition tp) {
        PartitionState s = assignment.get(tp);
        return s == null ? -1 : s.version;
    }

    public synchronized boolean hasValidPosition(TopicPartition tp) {
        PartitionState s = assignment.get(tp);
        return s != null && s.position != null;
    }

    /** What resolves a partition's missing position, and its version when that was read. */
    public record NeedingPosition(Pending pending, int version) {}

    /**
     * Partitions waiting for a position, with what resolves it and their version, read together: a
     * lookup answers with {@link #seekIfVersion} against that version, so a seek the application
     * makes after this snapshot wins over the lookup's answer (assign, seek, then a reset that
     * started before the seek must not move the position).
     */
    public synchronized Map<TopicPartition, NeedingPosition> partitionsNeedingPosition() {
        Map<TopicPartition, NeedingPosition> out = new LinkedHashMap<>();
        assignment.forEach((tp, s) -> {
            if (s.position == null) {
                out.put(tp, new NeedingPosition(s.pending, s.version));
            }
        });
        return out;
    }

    /**
     * Application thread: auto.offset.reset=none and a partition has neither a position nor a
     * committed offset.
     */
    public void throwIfNoResetPolicy() {
        Set<TopicPartition> undefined = new HashSet<>();
        partitionsNeedingPosition().forEach((tp, needing) -> {
            if (needing.pending() == Pending.NONE) {
                undefined.add(tp);
            }
        });
        if (!undefined.isEmpty()) {
            throw new NoOffsetForPartitionException(undefined);
        }
    }

    /** Moves a partition from "look up the committed offset" to a reset with the default strategy. */
    public synchronized void fallBackToReset(TopicPartition tp, int version) {
        PartitionState s = assignment.get(tp);
        if (s != null && s.version == version && s.position == null) {
            s.pending = resetPending();
            if (s.pending == Pending.NONE) {
                onNoPosition.run();
            }
        }
    }

    /** Partitions to fetch now: assigned, positioned, not paused, no fetch in flight. */
    public synchronized Map<TopicPartition, Long> fetchablePartitions(Set<TopicPartition> buffered) {
        Map<TopicPartition, Long> out = new LinkedHashMap<>();
        assignment.forEach((tp, s) -> {
            if (s.position != null && !s.paused && !s.fetchInFlight && !buffered.contains(tp)) {
                out.put(tp, s.position);
            }
        });
        return out;
    }

    /**
     * Whether a partition with buffered data may be fetched ahead of it: still assigned and
     * positioned, unpaused, without a fetch in flight, and not moved since {@code version}.
     */
    public synchronized boolean mayFetchAhead(TopicPartition tp, int version) {
        PartitionState s = assignment.get(tp);
        return s != null && s.position != null && !s.paused && !s.fetchInFlight && s.version == version;
    }

    public synchronized void markFetchInFlight(TopicPartition tp, boolean inFlight) {
        PartitionState s = assignment.get(tp);
        if (s != null) {
            s.fetchInFlight = inFlight;
        }
    }

    public synchronized void pause(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            state(tp).paused = true;
        }
    }

    public synchronized void resume(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            state(tp).paused = false;
        }
    }

    public synchronized boolean isPaused(TopicPartition tp) {
        PartitionState s = assignment.get(tp);
        return s != null && s.paused;
    }

    public synchronized Set<TopicPartition> paused() {
        Set<TopicPartition> out = new LinkedHashSet<>();
        assignment.forEach((tp, s) -> {
            if (s.paused) {
                out.add(tp);
            }
        });
        return out;
    }

    public synchronized void updateWatermarks(
            TopicPartition tp, long highWatermark, long logStartOffset, long lastStableOffset) {
        PartitionState s = assignment.get(tp);
        if (s != null) {
            s.highWatermark = highWatermark;
            s.logStartOffset = logStartOffset;
            s.lastStableOffset = lastStableOffset;
        }
    }

    /** True when the last fetch showed nothing beyond the position (a fetch of it would long-poll). */
    public synchronized boolean isCaughtUp(TopicPartition tp) {
        PartitionState s = assignment.get(tp);
        return s != null && s.position != null && s.highWatermark >= 0 && s.position >= s.highWatermark;
    }

    /** Lag from the last fetch's high watermark (LSO with read_committed), or null. */
    public synchronized Long lag(TopicPartition tp, boolean readCommitted) {
        PartitionState s = state(tp);
        long end = readCommitted ? s.lastStableOffset : s.highWatermark;
        if (s.position == null || end < 0) {
            return null;
        }
        return end - s.position;
    }

    /**
     * Whether an end-of-partition event at {@code endOffset} is still to be reported: the
     * partition is assigned, unmoved since {@code version}, positioned exactly at the end, and
     * this end has not been reported yet (enable.partition.eof).
     */
    public synchronized boolean eofDue(TopicPartition tp, int version, long endOffset) {
        PartitionState s = assignment.get(tp);
        return s != null
                && s.version == version
                && s.position != null
                && s.position == endOffset
                && s.eofReportedAt != endOffset;
    }

    /** Marks the end-of-partition event at {@code endOffset} reported; false if it was not due. */
    public synchronized boolean reportEof(TopicPartition tp, int version, long endOffset) {
        if (!eofDue(tp, version, endOffset)) {
            return false;
        }
        assignment.get(tp).eofReportedAt = endOffset;
        return true;
    }

    /** The positions of every positioned partition, as a commit of "all consumed" would send. */
    public synchronized Map<TopicPartition, OffsetAndMetadata> allConsumed() {
        Map<TopicPartition, OffsetAndMetadata> out = new LinkedHashMap<>();
        assignment.forEach((tp, s) -> {
            if (s.position != null) {
                out.put(
                        tp,
                        new OffsetAndMetadata(
                                s.position,
                                s.positionEpoch < 0
                                        ? java.util.Optional.empty()
                                        : java.util.Optional.of(s.positionEpoch),
                                ""));
            }
        });
        return out;
    }

    public synchronized List<TopicPartition> assignedList() {
        return new ArrayList<>(assignment.keySet());
    }
}
