package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** Deleting a group that still has members. Kafka's type of the same name (error code NON_EMPTY_GROUP). */
public class GroupNotEmptyException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity (topic, group, partition) */
    public GroupNotEmptyException(String context) {
        super(Errors.NON_EMPTY_GROUP, context);
    }
}
