package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** Not authorized for the topic. Kafka's type of the same name (error code TOPIC_AUTHORIZATION_FAILED). */
public class TopicAuthorizationException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity (topic, group, partition) */
    public TopicAuthorizationException(String context) {
        super(Errors.TOPIC_AUTHORIZATION_FAILED, context);
    }
}
