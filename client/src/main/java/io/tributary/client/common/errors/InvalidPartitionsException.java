package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** A partition count that is not positive, or not more than the current count. Kafka's type of the same name (error code INVALID_PARTITIONS). */
public class InvalidPartitionsException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity (topic, group, partition) */
    public InvalidPartitionsException(String context) {
        super(Errors.INVALID_PARTITIONS, context);
    }
}
