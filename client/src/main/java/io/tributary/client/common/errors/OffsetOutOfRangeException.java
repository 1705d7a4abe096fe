package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** An offset outside the partition's log (e.g. deleteRecords past the high watermark). Kafka's type of the same name (error code OFFSET_OUT_OF_RANGE). */
public class OffsetOutOfRangeException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity (topic, group, partition) */
    public OffsetOutOfRangeException(String context) {
        super(Errors.OFFSET_OUT_OF_RANGE, context);
    }
}
