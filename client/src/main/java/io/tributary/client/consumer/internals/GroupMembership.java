package io.tributary.client.consumer.internals;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.internals.MetadataManager;
import io.tributary.client.network.NetworkClient;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Group membership as the network thread drives it (join, sync, heartbeat, leave), for
 * consumers that subscribe. Owned by the network thread; it asks the application thread to
 * run rebalance callbacks through background events and waits for {@link #onCallbackDone}.
 */
public interface GroupMembership {
    interface Factory {
        GroupMembership create(
                NetworkClient client,
                MetadataManager metadata,
                SubscriptionState subscriptions,
                CoordinatorManager coordinator,
                Scheduler scheduler);
    }

    void poll(long nowMs);

    void onSubscriptionChanged();

    /** The application called poll at {@code nowMs} (resets the max.poll.interval.ms clock). */
    void onPoll(long nowMs);

    void onCallbackDone(BackgroundEvent.RebalanceCallback callback, Throwable error);

    void requestRejoin(String reason);

    CompletableFuture<Void> leave(long nowMs, String reason);

    /** OffsetCommit with the current generation and member id. */
    CompletableFuture<Void> commit(Map<TopicPartition, OffsetAndMetadata> offsets, long nowMs);

    Generation generation();
}
