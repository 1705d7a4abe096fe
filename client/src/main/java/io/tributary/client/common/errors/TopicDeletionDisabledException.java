package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** The broker has delete.topic.enable=false. Kafka's type of the same name (error code TOPIC_DELETION_DISABLED). */
public class TopicDeletionDisabledException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity (topic, group, partition) */
    public TopicDeletionDisabledException(String context) {
        super(Errors.TOPIC_DELETION_DISABLED, context);
    }
}
