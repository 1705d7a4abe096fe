package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** The coordinator does not know the member (offsets altered on a group that has members). Kafka's type of the same name (error code UNKNOWN_MEMBER_ID). */
public class UnknownMemberIdException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity (topic, group, partition) */
    public UnknownMemberIdException(String context) {
        super(Errors.UNKNOWN_MEMBER_ID, context);
    }
}
