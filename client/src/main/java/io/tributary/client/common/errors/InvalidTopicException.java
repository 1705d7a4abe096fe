package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** An illegal topic name, or an operation not allowed on the topic. Kafka's type of the same name (error code INVALID_TOPIC_EXCEPTION). */
public class InvalidTopicException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity (topic, group, partition) */
    public InvalidTopicException(String context) {
        super(Errors.INVALID_TOPIC_EXCEPTION, context);
    }
}
