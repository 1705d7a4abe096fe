package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** CreateTopics for a topic that already exists. Kafka's type of the same name (error code TOPIC_ALREADY_EXISTS). */
public class TopicExistsException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity (topic, group, partition) */
    public TopicExistsException(String context) {
        super(Errors.TOPIC_ALREADY_EXISTS, context);
    }
}
