package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** A record batch failed its CRC or could not be decoded. Kafka's type of the same name (error code CORRUPT_MESSAGE). */
public class CorruptRecordException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity (topic, partition) */
    public CorruptRecordException(String context) {
        super(Errors.CORRUPT_MESSAGE, context);
    }
}
