package io.tributary.client.consumer.internals;

import io.tributary.client.common.PartitionInfo;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.consumer.OffsetAndTimestamp;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A request from the application thread to the network thread, with the future the network
 * thread completes and the deadline after which it gives up (completing with a timeout).
 * Created on the application thread, handed over through a concurrent queue, then owned by the
 * network thread.
 */
public abstract sealed class ApplicationEvent<T> {
    public final CompletableFuture<T> future = new CompletableFuture<>();
    public final long deadlineMs;

    protected ApplicationEvent(long deadlineMs) {
        this.deadlineMs = deadlineMs;
    }

    /** Offsets by timestamp (-2 earliest, -1 latest, else the first offset at or after it). */
    public static final class ListOffsets extends ApplicationEvent<Map<TopicPartition, OffsetAndTimestamp>> {
        public final Map<TopicPartition, Long> timestamps;

        public ListOffsets(Map<TopicPartition, Long> timestamps, long deadlineMs) {
            super(deadlineMs);
            this.timestamps = timestamps;
        }
    }

    /** Commit offsets; {@code retry} is false for commitAsync (it never retries by itself). */
    public static final class Commit extends ApplicationEvent<Void> {
        public final Map<TopicPartition, OffsetAndMetadata> offsets;
        public final boolean retry;

        public Commit(Map<TopicPartition, OffsetAndMetadata> offsets, boolean retry, long deadlineMs) {
            super(deadlineMs);
            this.offsets = offsets;
            this.retry = retry;
        }
    }

    /** Committed offsets (OffsetFetch); a partition without one maps to null. */
    public static final class FetchCommitted extends ApplicationEvent<Map<TopicPartition, OffsetAndMetadata>> {
        public final Set<TopicPartition> partitions;

        public FetchCommitted(Set<TopicPartition> partitions, long deadlineMs) {
            super(deadlineMs);
            this.partitions = partitions;
        }
    }

    /** Topic metadata: one topic, or all of them when {@code topic} is null. */
    public static final class TopicMetadata extends ApplicationEvent<Map<String, List<PartitionInfo>>> {
        public final String topic;

        public TopicMetadata(String topic, long deadlineMs) {
            super(deadlineMs);
            this.topic = topic;
        }
    }

    /** The subscription or assignment changed: refresh what metadata tracks, fetch at once. */
    public static final class SubscriptionChanged extends ApplicationEvent<Void> {
        public SubscriptionChanged() {
            super(Long.MAX_VALUE);
        }
    }

    /** The application thread called poll: proof of liveness for max.poll.interval.ms. */
    public static final class PollTick extends ApplicationEvent<Void> {
        public final long nowMs;

        public PollTick(long nowMs) {
            super(Long.MAX_VALUE);
            this.nowMs = nowMs;
        }
    }

    /** Stop: leave the group (if any) and close sockets; completes when done or at the deadline. */
    public static final class Close extends ApplicationEvent<Void> {
        public Close(long deadlineMs) {
            super(deadlineMs);
        }
    }

    /** A callback the application thread ran for the network thread has finished. */
    public static final class CallbackDone extends ApplicationEvent<Void> {
        public final BackgroundEvent.RebalanceCallback callback;
        public final Throwable error;

        public CallbackDone(BackgroundEvent.RebalanceCallback callback, Throwable error) {
            super(Long.MAX_VALUE);
            this.callback = callback;
            this.error = error;
        }
    }

    /** Ask for a rejoin (enforceRebalance or a changed subscription). */
    public static final class Rejoin extends ApplicationEvent<Void> {
        /** The reason that means "leave the group, the consumer unsubscribed". */
        public static final String UNSUBSCRIBE = "__unsubscribe__";

        public final String reason;

        public Rejoin(String reason) {
            super(Long.MAX_VALUE);
            this.reason = reason;
        }
    }
}
