package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** Written, but fewer in-sync replicas than min.insync.replicas acknowledged it; retriable. Kafka's type of the same name (error code NOT_ENOUGH_REPLICAS_AFTER_APPEND). */
public class NotEnoughReplicasAfterAppendException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity (topic, partition) */
    public NotEnoughReplicasAfterAppendException(String context) {
        super(Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND, context);
    }
}
