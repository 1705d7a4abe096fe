package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** The broker received a producer sequence number it did not expect. Kafka's type of the same name (error code OUT_OF_ORDER_SEQUENCE_NUMBER). */
public class OutOfOrderSequenceException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity (topic, partition) */
    public OutOfOrderSequenceException(String context) {
        super(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, context);
    }
}
