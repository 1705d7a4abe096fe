package io.tributary.client.consumer;

import io.tributary.client.common.TributaryException;

/** A commit was rejected because this member no longer owns the partitions (rebalanced away). */
public class CommitFailedException extends TributaryException {
    private static final long serialVersionUID = 1L;

    public CommitFailedException(String message) {
        super(message);
    }

    public CommitFailedException() {
        super("Commit cannot be completed since the group has already rebalanced and assigned the partitions to"
                + " another member. This means that the time between subsequent calls to poll() was longer than"
                + " the configured max.poll.interval.ms, which typically implies that the poll loop is spending"
                + " too much time message processing. You can address this either by increasing"
                + " max.poll.interval.ms or by reducing the maximum size of batches returned in poll() with"
                + " max.poll.records.");
    }
}
