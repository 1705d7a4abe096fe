package io.tributary.client.consumer.internals;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.consumer.OffsetCommitCallback;
import java.util.Map;
import java.util.Set;

/**
 * Something the network thread needs the application thread to see or do inside its next
 * consumer call: an error to throw, a commit callback to run, a rebalance callback to run.
 * Created on the network thread, consumed on the application thread.
 */
public sealed interface BackgroundEvent {
    /** Thrown from the next poll (errors Kafka surfaces there, such as reset policy none). */
    record Error(RuntimeException exception) implements BackgroundEvent {}

    /** An async commit finished; its callback runs on the application thread, in commit order. */
    record CommitCompleted(
            OffsetCommitCallback callback, Map<TopicPartition, OffsetAndMetadata> offsets, Exception exception)
            implements BackgroundEvent {}

    /**
     * The membership needs the listener run on the application thread before it can go on;
     * the application thread answers with {@link ApplicationEvent.CallbackDone}. With
     * {@code commitFirst} (auto-commit on) it commits the consumed positions before a revocation,
     * and after REVOKED/LOST it drops the partitions itself, so no record of theirs is returned
     * once the callback ran.
     */
    record RebalanceCallback(Kind kind, Set<TopicPartition> partitions, boolean commitFirst)
            implements BackgroundEvent {
        public enum Kind {
            REVOKED,
            ASSIGNED,
            LOST
        }
    }
}
