package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** The partition's log is on a failed or full disk; retriable (another attempt may find it back). Kafka's type of the same name (error code KAFKA_STORAGE_ERROR). */
public class KafkaStorageException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity (topic, partition) */
    public KafkaStorageException(String context) {
        super(Errors.KAFKA_STORAGE_ERROR, context);
    }
}
