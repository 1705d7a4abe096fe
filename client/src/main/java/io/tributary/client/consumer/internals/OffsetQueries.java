package io.tributary.client.consumer.internals;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.OffsetAndTimestamp;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The consumer's ListOffsets-based queries (offsetsForTimes, beginningOffsets, endOffsets):
 * one request to the network thread, waited for until the deadline, and the answer shaped the
 * way Kafka's API returns it. Application thread only.
 */
public final class OffsetQueries {
    /** ListOffsets' timestamp for the log start offset. */
    private static final long EARLIEST = -2L;
    /** ListOffsets' timestamp for the end offset (high watermark, or LSO with read_committed). */
    private static final long LATEST = -1L;

    private final ConsumerNetworkThread networkThread;
    private final ApplicationWaits waits;

    public OffsetQueries(ConsumerNetworkThread networkThread, ApplicationWaits waits) {
        this.networkThread = networkThread;
        this.waits = waits;
    }

    /** Every partition asked for is in the answer; one without such an offset maps to null. */
    public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(
            Map<TopicPartition, Long> timestampsToSearch, long deadlineMs) {
        Map<TopicPartition, OffsetAndTimestamp> found = listOffsets(timestampsToSearch, deadlineMs);
        Map<TopicPartition, OffsetAndTimestamp> out = new HashMap<>();
        timestampsToSearch.keySet().forEach(tp -> out.put(tp, found.get(tp)));
        return out;
    }

    public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions, long deadlineMs) {
        return offsetsAt(partitions, EARLIEST, deadlineMs);
    }

    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions, long deadlineMs) {
        return offsetsAt(partitions, LATEST, deadlineMs);
    }

    private Map<TopicPartition, Long> offsetsAt(
            Collection<TopicPartition> partitions, long timestamp, long deadlineMs) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, timestamp));
        Map<TopicPartition, OffsetAndTimestamp> found = listOffsets(query, deadlineMs);
        Map<TopicPartition, Long> out = new HashMap<>();
        found.forEach((tp, ot) -> out.put(tp, ot == null ? null : ot.offset()));
        return out;
    }

    private Map<TopicPartition, OffsetAndTimestamp> listOffsets(Map<TopicPartition, Long> query, long deadlineMs) {
        if (query.isEmpty()) {
            return Map.of();
        }
        return waits.await(
                networkThread.submit(new ApplicationEvent.ListOffsets(new HashMap<>(query), deadlineMs)),
                deadlineMs,
                "Listing offsets of " + query.keySet());
    }
}
