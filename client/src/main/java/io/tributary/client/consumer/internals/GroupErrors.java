package io.tributary.client.consumer.internals;

import io.tributary.client.common.errors.GroupAuthorizationException;
import io.tributary.client.common.errors.InvalidGroupIdException;
import io.tributary.client.internals.ErrorTypes;
import io.tributary.protocol.Errors;

/**
 * Turns an error code from a group or coordinator response (FindCoordinator, JoinGroup,
 * SyncGroup, Heartbeat, OffsetCommit, OffsetFetch) into the exception the application sees,
 * with Kafka's types for the cases an application handles specially. Stateless.
 */
public final class GroupErrors {
    private GroupErrors() {}

    public static RuntimeException exception(Errors error, String groupId, String context) {
        return switch (error) {
            case GROUP_AUTHORIZATION_FAILED -> new GroupAuthorizationException(groupId, context);
            case INVALID_GROUP_ID ->
                new InvalidGroupIdException(
                        context + ": the broker rejected group id '" + groupId + "' (INVALID_GROUP_ID)");
            default -> ErrorTypes.forError(error, context);
        };
    }
}
