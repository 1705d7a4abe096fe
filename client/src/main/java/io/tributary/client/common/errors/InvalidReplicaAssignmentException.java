package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** A replica assignment that names unknown brokers or is uneven. Kafka's type of the same name (error code INVALID_REPLICA_ASSIGNMENT). */
public class InvalidReplicaAssignmentException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity (topic, group, partition) */
    public InvalidReplicaAssignmentException(String context) {
        super(Errors.INVALID_REPLICA_ASSIGNMENT, context);
    }
}
