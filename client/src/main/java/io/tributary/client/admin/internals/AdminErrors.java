package io.tributary.client.admin.internals;

import io.tributary.client.common.ApiException;
import io.tributary.client.common.GroupAuthorizationException;
import io.tributary.client.common.InvalidGroupIdException;
import io.tributary.client.common.errors.ClusterAuthorizationException;
import io.tributary.client.common.errors.GroupIdNotFoundException;
import io.tributary.client.common.errors.GroupNotEmptyException;
import io.tributary.client.common.errors.GroupSubscribedToTopicException;
import io.tributary.client.common.errors.InvalidConfigurationException;
import io.tributary.client.common.errors.InvalidPartitionsException;
import io.tributary.client.common.errors.InvalidReplicaAssignmentException;
import io.tributary.client.common.errors.InvalidReplicationFactorException;
import io.tributary.client.common.errors.InvalidRequestException;
import io.tributary.client.common.errors.InvalidTopicException;
import io.tributary.client.common.errors.OffsetOutOfRangeException;
import io.tributary.client.common.errors.PolicyViolationException;
import io.tributary.client.common.errors.TopicAuthorizationException;
import io.tributary.client.common.errors.TopicDeletionDisabledException;
import io.tributary.client.common.errors.TopicExistsException;
import io.tributary.client.common.errors.UnknownMemberIdException;
import io.tributary.client.common.errors.UnknownServerException;
import io.tributary.client.common.errors.UnknownTopicIdException;
import io.tributary.client.common.errors.UnknownTopicOrPartitionException;
import io.tributary.client.common.errors.UnsupportedVersionException;
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
        return switch (error) {
            case TOPIC_ALREADY_EXISTS -> new TopicExistsException(context);
            case UNKNOWN_TOPIC_OR_PARTITION -> new UnknownTopicOrPartitionException(context);
            case UNKNOWN_TOPIC_ID -> new UnknownTopicIdException(context);
            case INVALID_TOPIC_EXCEPTION -> new InvalidTopicException(context);
            case INVALID_PARTITIONS -> new InvalidPartitionsException(context);
            case INVALID_REPLICATION_FACTOR -> new InvalidReplicationFactorException(context);
            case INVALID_REPLICA_ASSIGNMENT -> new InvalidReplicaAssignmentException(context);
            case INVALID_CONFIG -> new InvalidConfigurationException(context);
            case INVALID_REQUEST -> new InvalidRequestException(context);
            case POLICY_VIOLATION -> new PolicyViolationException(context);
            case TOPIC_AUTHORIZATION_FAILED -> new TopicAuthorizationException(context);
            case CLUSTER_AUTHORIZATION_FAILED -> new ClusterAuthorizationException(context);
            case TOPIC_DELETION_DISABLED -> new TopicDeletionDisabledException(context);
            case NON_EMPTY_GROUP -> new GroupNotEmptyException(context);
            case GROUP_ID_NOT_FOUND -> new GroupIdNotFoundException(context);
            case GROUP_SUBSCRIBED_TO_TOPIC -> new GroupSubscribedToTopicException(context);
            case UNKNOWN_MEMBER_ID -> new UnknownMemberIdException(context);
            case OFFSET_OUT_OF_RANGE -> new OffsetOutOfRangeException(context);
            case UNSUPPORTED_VERSION -> new UnsupportedVersionException(context);
            case UNKNOWN_SERVER_ERROR -> new UnknownServerException(context);
            default -> new ApiException(error, context);
        };
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
