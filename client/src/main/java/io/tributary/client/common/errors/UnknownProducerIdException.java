package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** The broker no longer has state for the producer id (its records were removed). Kafka's type of the same name (error code UNKNOWN_PRODUCER_ID). */
public class UnknownProducerIdException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity (topic, partition) */
    public UnknownProducerIdException(String context) {
        super(Errors.UNKNOWN_PRODUCER_ID, context);
    }
}
