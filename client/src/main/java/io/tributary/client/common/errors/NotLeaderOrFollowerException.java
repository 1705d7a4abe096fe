package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** The broker is not the partition's leader; retriable after a metadata refresh. Kafka's type of the same name (error code NOT_LEADER_OR_FOLLOWER). */
public class NotLeaderOrFollowerException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity (topic, partition) */
    public NotLeaderOrFollowerException(String context) {
        super(Errors.NOT_LEADER_OR_FOLLOWER, context);
    }
}
