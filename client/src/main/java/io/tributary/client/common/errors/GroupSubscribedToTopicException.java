package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** Deleting offsets of a topic the group still consumes. Kafka's type of the same name (error code GROUP_SUBSCRIBED_TO_TOPIC). */
public class GroupSubscribedToTopicException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity (topic, group, partition) */
    public GroupSubscribedToTopicException(String context) {
        super(Errors.GROUP_SUBSCRIBED_TO_TOPIC, context);
    }
}
