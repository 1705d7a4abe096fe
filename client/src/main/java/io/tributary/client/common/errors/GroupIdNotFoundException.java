package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** The group does not exist. Kafka's type of the same name (error code GROUP_ID_NOT_FOUND). */
public class GroupIdNotFoundException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity (topic, group, partition) */
    public GroupIdNotFoundException(String context) {
        super(Errors.GROUP_ID_NOT_FOUND, context);
    }
}
