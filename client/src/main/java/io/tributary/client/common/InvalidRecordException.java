package io.tributary.client.common;

import io.tributary.client.common.errors.ApiException;
import io.tributary.protocol.Errors;

/** A record the topic does not accept, e.g. a record without a key on a compacted topic; in {@code org.apache.kafka.common} as in Kafka. Kafka's type of the same name (error code INVALID_RECORD). */
public class InvalidRecordException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity (topic, partition) */
    public InvalidRecordException(String context) {
        super(Errors.INVALID_RECORD, context);
    }
}
