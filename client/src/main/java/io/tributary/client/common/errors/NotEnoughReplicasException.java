package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** Fewer in-sync replicas than min.insync.replicas; retriable. Kafka's type of the same name (error code NOT_ENOUGH_REPLICAS). */
public class NotEnoughReplicasException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity (topic, partition) */
    public NotEnoughReplicasException(String context) {
        super(Errors.NOT_ENOUGH_REPLICAS, context);
    }
}
