package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** A batch larger than the segment size the topic allows. Kafka's type of the same name (error code RECORD_LIST_TOO_LARGE). */
public class RecordBatchTooLargeException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity (topic, partition) */
    public RecordBatchTooLargeException(String context) {
        super(Errors.RECORD_LIST_TOO_LARGE, context);
    }
}
