package io.tributary.client.consumer.internals;

import io.tributary.client.consumer.ConsumerConfig;
import java.util.Queue;

/** Placeholder until the classic group protocol lands: subscribe() has no membership yet. */
public final class ClassicMembership {
    private ClassicMembership() {}

    public static GroupMembership.Factory factory(ConsumerConfig config, Queue<BackgroundEvent> events,
                                                  FetchBuffer buffer) {
        return null;
    }
}
