package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** A replication factor the cluster cannot satisfy. Kafka's type of the same name (error code INVALID_REPLICATION_FACTOR). */
public class InvalidReplicationFactorException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity (topic, group, partition) */
    public InvalidReplicationFactorException(String context) {
        super(Errors.INVALID_REPLICATION_FACTOR, context);
    }
}
