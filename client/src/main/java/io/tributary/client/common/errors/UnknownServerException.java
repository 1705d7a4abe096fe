package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** The broker failed in an unexpected way. Kafka's type of the same name (error code UNKNOWN_SERVER_ERROR). */
public class UnknownServerException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity (topic, group, partition) */
    public UnknownServerException(String context) {
        super(Errors.UNKNOWN_SERVER_ERROR, context);
    }
}
