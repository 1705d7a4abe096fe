package io.tributary.client.consumer;

import java.util.Optional;

/** The answer of offsetsForTimes: the earliest offset whose timestamp is at least the one asked. */
public record OffsetAndTimestamp(long offset, long timestamp, Optional<Integer> leaderEpoch) {
    public OffsetAndTimestamp(long offset, long timestamp) {
        this(offset, timestamp, Optional.empty());
    }
}
