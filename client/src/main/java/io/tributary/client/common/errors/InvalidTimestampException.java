package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** A record's timestamp is outside the topic's accepted range. Kafka's type of the same name (error code INVALID_TIMESTAMP). */
public class InvalidTimestampException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity (topic, partition) */
    public InvalidTimestampException(String context) {
        super(Errors.INVALID_TIMESTAMP, context);
    }
}
