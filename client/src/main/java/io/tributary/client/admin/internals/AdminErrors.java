package io.tributary.client.admin.internals;

import io.tributary.client.common.errors.ApiException;
import io.tributary.client.common.errors.GroupAuthorizationException;
import io.tributary.client.common.errors.InvalidGroupIdException;
import io.tributary.client.internals.ErrorTypes;
import io.tributary.protocol.Errors;

/**
 * Turns an error code from an admin response into Kafka's exception type for it, with a message
 * that names the entity (topic, partition, group, resource) and carries the broker's own message
 * when it sent one. Codes without a specific type stay {@link ApiException}, which the runtime
 * retries when the code is retriable. Stateless.
 */
public final class AdminErrors {
    private AdminErrors() {}

    /** @param entity e.g. "Topic 'orders'" or "Group 'billing'" */
    public static ApiException forEntity(Errors error, String entity, String brokerMessage) {
        String context = brokerMessage == null || brokerMessage.isEmpty() || brokerMessage.equals(error.message())
                ? entity
                : entity + " (" + brokerMessage + ")";
        return ErrorTypes.forError(error, context);
    }

    public static ApiException forTopic(Errors error, String topic, String brokerMessage) {
        return forEntity(error, "Topic '" + topic + "'", brokerMessage);
    }

    public static RuntimeException forGroup(Errors error, String groupId, String brokerMessage) {
        if (error == Errors.GROUP_AUTHORIZATION_FAILED) {
            return new GroupAuthorizationException(groupId, "Group '" + groupId + "'");
        }
        if (error == Errors.INVALID_GROUP_ID) {
            return new InvalidGroupIdException(
                    "Group '" + groupId + "': the broker rejected the group id (INVALID_GROUP_ID)");
        }
        return forEntity(error, "Group '" + groupId + "'", brokerMessage);
    }
}
