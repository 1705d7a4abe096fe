package io.tributary.client.admin;

import io.tributary.client.common.KafkaFuture;
import java.util.Collection;

/** The result of listConsumerGroups (Kafka's class of the same name). */
public class ListConsumerGroupsResult {
    private final KafkaFuture<Collection<ConsumerGroupListing>> all;

    public ListConsumerGroupsResult(KafkaFuture<Collection<ConsumerGroupListing>> all) {
        this.all = all;
    }

    /** Every group of every broker; fails if any broker could not be listed. */
    public KafkaFuture<Collection<ConsumerGroupListing>> all() {
        return all;
    }

    /** Same as {@link #all()}: a broker that fails fails the call (no partial listing is kept). */
    public KafkaFuture<Collection<ConsumerGroupListing>> valid() {
        return all;
    }

    /** The errors of {@link #all()}, as a collection (empty on success). */
    public KafkaFuture<Collection<Throwable>> errors() {
        KafkaFuture<Collection<Throwable>> out = new KafkaFuture<>();
        all.whenComplete((v, e) -> out.complete(e == null ? java.util.List.of() : java.util.List.of(e)));
        return out;
    }
}
