package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** No topic has this id. Kafka's type of the same name (error code UNKNOWN_TOPIC_ID). */
public class UnknownTopicIdException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity (topic, group, partition) */
    public UnknownTopicIdException(String context) {
        super(Errors.UNKNOWN_TOPIC_ID, context);
    }
}
