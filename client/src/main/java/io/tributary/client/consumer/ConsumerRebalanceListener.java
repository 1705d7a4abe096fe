package io.tributary.client.consumer;

import io.tributary.client.common.TopicPartition;
import java.util.Collection;

/**
 * Callbacks for partition ownership changes. They run on the application thread, inside
 * poll, commit or close, never on the network thread.
 */
public interface ConsumerRebalanceListener {
    /** Called before ownership is given up, so the application can commit and clean up. */
    void onPartitionsRevoked(Collection<TopicPartition> partitions);

    /** Called once the new assignment is known; with cooperative assignors only the added ones. */
    void onPartitionsAssigned(Collection<TopicPartition> partitions);

    /**
     * Called when ownership was already lost (session expired, fenced), so committing for these
     * partitions would fail. Defaults to {@link #onPartitionsRevoked}, as Kafka does.
     */
    default void onPartitionsLost(Collection<TopicPartition> partitions) {
        onPartitionsRevoked(partitions);
    }
}
