package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** The topic or partition does not exist. Kafka's type of the same name (error code UNKNOWN_TOPIC_OR_PARTITION). */
public class UnknownTopicOrPartitionException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity (topic, group, partition) */
    public UnknownTopicOrPartitionException(String context) {
        super(Errors.UNKNOWN_TOPIC_OR_PARTITION, context);
    }
}
