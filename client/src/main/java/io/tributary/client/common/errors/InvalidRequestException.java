package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** A request the broker found malformed. Kafka's type of the same name (error code INVALID_REQUEST). */
public class InvalidRequestException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity (topic, group, partition) */
    public InvalidRequestException(String context) {
        super(Errors.INVALID_REQUEST, context);
    }
}
