package io.tributary.client.consumer.internals;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.ConsumerRebalanceListener;
import java.util.Collection;

/** The listener a subscription gets when none is given: does nothing. Stateless. */
public final class NoOpRebalanceListener implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
}
