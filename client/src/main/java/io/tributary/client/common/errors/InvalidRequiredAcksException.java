package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** An acks value the broker does not accept. Kafka's type of the same name (error code INVALID_REQUIRED_ACKS). */
public class InvalidRequiredAcksException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity (topic, partition) */
    public InvalidRequiredAcksException(String context) {
        super(Errors.INVALID_REQUIRED_ACKS, context);
    }
}
